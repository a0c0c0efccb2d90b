"""Lines sent with a product and without a description, unit or price (the API's
``POST /api/v1/orders/``): filled as the order form fills them (``sales.line_defaults``) before
the order's service checks them. What the client sent is kept; only what is missing is filled.
A price stays missing when the customer has no earlier price in the order's currency (the
catalog keeps no list price): the service then refuses the line's ``unit_price`` as required."""

from __future__ import annotations

from typing import Any

from gendan.parties.models import Customer
from gendan.sales.line_defaults import add_packing, line_defaults


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def lines_fill_defaults(*, customer: Customer, currency: Any, lines: list[dict], packing: str = "",
                        language: str | None = None) -> tuple[list[dict], str]:
    """Return ``lines`` (copies) with each product line's missing description, unit and unit
    price filled for ``customer`` in ``currency`` (blank: the customer's), and ``packing`` with
    the products' packing lines when it is blank. Two queries per distinct product."""
    code = str(getattr(currency, "code", currency) or customer.default_currency_id)
    found: dict[int, Any] = {}
    filled, packing_lines = [], []
    for line in lines:
        line = dict(line)
        product = line.get("product")
        if product is not None and getattr(product, "pk", None):
            if product.pk not in found:
                found[product.pk] = line_defaults(customer=customer, product=product, currency=code,
                                                  language=language)
                if found[product.pk].packing:
                    packing_lines.append(f"{product.code}: {found[product.pk].packing}")
            defaults = found[product.pk]
            if _blank(line.get("description")):
                line["description"] = defaults.description
            if _blank(line.get("unit")):
                line["unit"] = defaults.unit
            if _blank(line.get("unit_price")) and defaults.unit_price is not None:
                line["unit_price"] = defaults.unit_price
        filled.append(line)
    return filled, (add_packing("", packing_lines) if _blank(packing) else packing)
