"""Order and quotation lines: validation, pricing, snapshots and readable diffs.

Lines arrive as plain dicts (from a form, the API or a revision snapshot)::

    {"product": Product | None, "description": "…", "unit": "pcs", "unit_price": Decimal("3.25"),
     "quantity": Decimal("1200")}                      # or, for a colour × size matrix:
    {"product": …, "unit_price": …, "cells": [{"colour": "Red", "size": "M", "quantity": Decimal("100")}, …]}

A line's amount is quantity × unit price rounded to the currency's minor unit; the document
total is the sum of those rounded amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.money import MoneyError, round_money, sum_amounts, to_decimal
from gendan.sales.errors import SalesError

MAX_LINES = 200
QTY_PLACES = 3
PRICE_PLACES = 4
# Sane bounds per field, well inside the columns (quantity 11 digits before the point, unit
# price 14, amounts 16): one line below a billion pieces, a unit price below ten million, a
# line amount below ten trillion, so 200 lines never overflow the order's total. Checked before
# any arithmetic, so "1e30" or a 30-digit number is a message on its field, never a 500.
MAX_QUANTITY = Decimal("999999999.999")
MAX_UNIT_PRICE = Decimal("9999999.9999")
MAX_LINE_AMOUNT = Decimal("9999999999999.99")


@dataclass
class CleanCell:
    colour: str
    size: str
    quantity: Decimal
    variant: Any = None


@dataclass
class CleanLine:
    line_no: int
    product: Any
    description: str
    unit: str
    unit_price: Decimal
    quantity: Decimal
    amount: Decimal
    cells: list[CleanCell] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # e.g. factory_cost, cost_supplier for quotations


def _largest(value: Decimal) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def _number(value: Any, *, places: int, field_name: str, label: str, errors: dict, allow_zero: bool = True,
            maximum: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        errors[field_name] = [_("%(label)s is required.") % {"label": label}]
        return None
    try:
        number = to_decimal(value)
    except (MoneyError, InvalidOperation):
        errors[field_name] = [_("%(label)s must be a number.") % {"label": label}]
        return None
    if number < 0:
        errors[field_name] = [_("%(label)s may not be negative.") % {"label": label}]
        return None
    if not allow_zero and number == 0:
        errors[field_name] = [_("%(label)s must be greater than zero.") % {"label": label}]
        return None
    if maximum is not None and number > maximum:
        errors[field_name] = [_("%(label)s is too large (at most %(max)s).") % {
            "label": label, "max": _largest(maximum)}]
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        errors[field_name] = [_("%(label)s allows at most %(n)d decimals.") % {"label": label, "n": places}]
        return None
    return number


def _check_matrix_sum(declared: Any, cells_total: Decimal, *, field_name: str, errors: dict, codes: dict) -> None:
    """A line sent with both a quantity and colour × size cells: the cells must add up to it."""
    if declared in (None, ""):
        return
    try:
        same = to_decimal(declared) == cells_total
    except (MoneyError, InvalidOperation):
        same = False
    if not same:
        codes[field_name] = CoreError.VALUES_INCONSISTENT
        errors[field_name] = [_("the colour × size quantities add up to %(total)s, not to the line's quantity "
                                "%(quantity)s.") % {"total": _largest(cells_total), "quantity": declared}]


def clean_lines(raw_lines: list[dict], *, currency: str) -> tuple[list[CleanLine], Decimal]:
    """Validate and price ``raw_lines``; return the clean lines and the total.

    Raises ``ValidationFailed`` naming every wrong field as ``lines[i].<field>`` with a message
    that says which line ("Line 2: …"). Nothing is saved by this function.
    """
    errors = FieldErrors()
    clean, total = collect_lines(raw_lines, currency=currency, errors=errors)
    errors.raise_any()
    return clean, total


def collect_lines(raw_lines: list[dict], *, currency: str, errors: FieldErrors) -> tuple[list[CleanLine], Decimal]:
    """Check every line and cell of ``raw_lines``, adding each wrong field to ``errors``
    (``lines[i].<field>``, ``lines[i].cells[j].quantity``) without raising, so a form shows them
    all with the header's own errors. Returns the lines that are right and their total."""
    if not raw_lines:
        errors.add("lines", _("Add at least one line."))
        return [], Decimal("0")
    if len(raw_lines) > MAX_LINES:
        errors.add("lines", _("At most %(n)d lines per document.") % {"n": MAX_LINES})
        return [], Decimal("0")
    clean: list[CleanLine] = []
    for index, raw in enumerate(raw_lines):
        n = index + 1
        prefix = f"lines[{index}]"
        line_errors: dict[str, list[str]] = {}
        # the rules between a line's fields and cells (each value right in itself): their own codes
        line_codes: dict[str, CoreError] = {}
        product = raw.get("product")
        description = (raw.get("description") or "").strip()
        if not description and product is not None:
            description = getattr(product, "name_en", "") or getattr(product, "name_zh", "") or str(product)
        if not description:
            line_errors[f"{prefix}.description"] = [_("Describe the goods or choose a product.")]
        price = _number(raw.get("unit_price"), places=PRICE_PLACES, field_name=f"{prefix}.unit_price",
                        label=_("Unit price"), errors=line_errors, maximum=MAX_UNIT_PRICE)
        cells: list[CleanCell] = []
        raw_cells = raw.get("cells") or []
        if raw_cells:
            seen = set()
            for j, cell in enumerate(raw_cells):
                colour, size = (cell.get("colour") or "").strip(), (cell.get("size") or "").strip()
                key = (colour.casefold(), size.casefold())
                if not colour or not size:
                    line_errors[f"{prefix}.cells[{j}]"] = [_("Each cell needs a colour and a size.")]
                    continue
                if key in seen:
                    line_codes[f"{prefix}.cells[{j}]"] = CoreError.DUPLICATE_ITEM
                    line_errors[f"{prefix}.cells[{j}]"] = [
                        _("%(colour)s / %(size)s appears twice.") % {"colour": colour, "size": size}]
                    continue
                seen.add(key)
                qty = _number(cell.get("quantity"), places=QTY_PLACES, field_name=f"{prefix}.cells[{j}].quantity",
                              label=_("Quantity"), errors=line_errors, maximum=MAX_QUANTITY)
                if qty is not None and qty > 0:
                    cells.append(CleanCell(colour, size, qty, cell.get("variant")))
            quantity = sum((c.quantity for c in cells), Decimal("0"))
            if not line_errors and quantity == 0:
                line_errors[f"{prefix}.cells"] = [_("Enter a quantity in at least one colour × size cell.")]
            elif not line_errors and quantity > MAX_QUANTITY:
                # each cell within bounds, their sum not
                line_codes[f"{prefix}.cells"] = CoreError.VALUES_INCONSISTENT
                line_errors[f"{prefix}.cells"] = [_("%(label)s is too large (at most %(max)s).") % {
                    "label": _("Quantity"), "max": _largest(MAX_QUANTITY)}]
            elif not line_errors:
                _check_matrix_sum(raw.get("quantity"), quantity, field_name=f"{prefix}.cells", errors=line_errors,
                                  codes=line_codes)
        else:
            quantity = _number(raw.get("quantity"), places=QTY_PLACES, field_name=f"{prefix}.quantity",
                               label=_("Quantity"), errors=line_errors, allow_zero=raw.get("allow_zero", False),
                               maximum=MAX_QUANTITY)
        if not line_errors and quantity * price > MAX_LINE_AMOUNT:
            # Each number is within its bound but their product is not: said on the unit price.
            line_codes[f"{prefix}.unit_price"] = CoreError.VALUES_INCONSISTENT
            line_errors[f"{prefix}.unit_price"] = [
                _("Quantity × unit price is more than a line may amount to (at most %(max)s).") % {
                    "max": _largest(MAX_LINE_AMOUNT)}]
        if line_errors:
            for key, msgs in line_errors.items():
                errors.add(key, _("Line %(n)d: %(message)s") % {"n": n, "message": msgs[0]}, line_codes.get(key))
            continue
        clean.append(CleanLine(
            line_no=n, product=product, description=description[:300],
            unit=(raw.get("unit") or getattr(product, "unit", "") or "pcs")[:8],
            unit_price=price, quantity=quantity, amount=round_money(quantity * price, currency), cells=cells,
            extra={k: raw[k] for k in ("factory_cost", "cost_supplier", "variant") if k in raw},
        ))
    return clean, sum_amounts([line.amount for line in clean], currency)


def large_amount_limit(currency: str) -> Decimal:
    """The total above which an order (or a change order) needs an explicit confirmation:
    ``GENDAN_LARGE_ORDER_AMOUNT`` per currency, about USD 10 million everywhere by default."""
    limits = settings.GENDAN_LARGE_ORDER_AMOUNT
    return Decimal(str(limits.get(currency, limits["USD"])))


def check_large_amount(total: Decimal, currency: str, *, confirmed: bool, errors: FieldErrors | None = None) -> None:
    """Refuse (400, ``large_amount_unconfirmed``) a total above ``large_amount_limit`` unless the
    person confirmed it (the page's checkbox, the API's ``confirm_large_amount``): a typo of three
    zeros must not become a USD 3 bn order. With ``errors``, the refusal is added there instead
    of raised (the total may then be of the right lines only: already above, it stays above)."""
    limit = large_amount_limit(currency)
    if confirmed or total <= limit:
        return
    msg = _("The total, %(currency)s %(total)s, is above %(currency)s %(limit)s: check the quantities and "
            "prices, and confirm that the order is really this large.") % {
        "currency": currency, "total": _largest(total), "limit": _largest(limit)}
    if errors is not None:
        errors.add("confirm_large_amount", msg, SalesError.LARGE_AMOUNT_UNCONFIRMED)
        return
    raise ValidationFailed(msg, code=SalesError.LARGE_AMOUNT_UNCONFIRMED, fields={"confirm_large_amount": msg})


# --- snapshots and diffs (change orders) ------------------------------------------------

HEADER_FIELDS = [
    "customer_po_no", "customer_po_date", "currency_id", "incoterm", "incoterm_place", "payment_method",
    "deposit_percent", "payment_days", "payment_terms_note", "port_of_loading", "port_of_destination",
    "requested_delivery_date", "ex_factory_date", "packing_requirements", "shipping_marks",
    "special_requirements",
]


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # 0.3350 from the database and 0.335 from a form are the same price: compare normalised.
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot_lines(lines: list[CleanLine]) -> list[dict]:
    return [
        {"line_no": ln.line_no, "product_id": getattr(ln.product, "pk", None), "description": ln.description,
         "unit": ln.unit, "unit_price": _s(ln.unit_price), "quantity": _s(ln.quantity), "amount": _s(ln.amount),
         "cells": [{"colour": c.colour, "size": c.size, "quantity": _s(c.quantity),
                    "variant_id": getattr(c.variant, "pk", None)} for c in ln.cells]}
        for ln in lines
    ]


def snapshot_order(order) -> dict:
    """The order as it stands (header + lines + cells), JSON-ready, for revision diffs."""
    lines = []
    for line in order.lines.all():
        lines.append({
            "line_no": line.line_no, "product_id": line.product_id, "description": line.description,
            "unit": line.unit, "unit_price": _s(line.unit_price), "quantity": _s(line.quantity),
            "amount": _s(line.amount),
            "cells": [{"colour": c.colour, "size": c.size, "quantity": _s(c.quantity), "variant_id": c.variant_id}
                      for c in line.cells.all()],
        })
    header = {name: _s(getattr(order, name)) for name in HEADER_FIELDS}
    return {"header": header, "lines": lines, "total_amount": _s(order.total_amount)}


def same_text(a: Any, b: Any) -> bool:
    """True when two texts differ only in how lines end (a browser sends CR LF, the database
    keeps LF), in spaces at the ends of lines, or in blank lines around them: shipping marks
    re-posted unchanged are not a change."""
    return normalise_text(a) == normalise_text(b)


def normalise_text(value: Any) -> str:
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def diff_snapshots(old: dict, new: dict) -> list[dict]:
    """Return readable changes: ``{"field", "line", "old", "new"}`` (line 0 = order header).
    Texts are compared normalised (``same_text``)."""
    changes: list[dict] = []
    for name in HEADER_FIELDS:
        a, b = old["header"].get(name, ""), new["header"].get(name, "")
        if not same_text(a, b):
            changes.append({"field": name, "line": 0, "old": a, "new": b})
    old_lines = {ln["line_no"]: ln for ln in old["lines"]}
    new_lines = {ln["line_no"]: ln for ln in new["lines"]}
    for no in sorted(set(old_lines) | set(new_lines)):
        a, b = old_lines.get(no), new_lines.get(no)
        if a is None:
            changes.append({"field": "line_added", "line": no, "old": "",
                            "new": f"{b['description']} × {b['quantity']} @ {b['unit_price']}"})
            continue
        if b is None:
            changes.append({"field": "line_removed", "line": no,
                            "old": f"{a['description']} × {a['quantity']} @ {a['unit_price']}", "new": ""})
            continue
        for name in ("product_id", "description", "unit", "unit_price", "quantity"):
            if not same_text(a.get(name), b.get(name)):
                changes.append({"field": name, "line": no, "old": _s(a.get(name)), "new": _s(b.get(name))})
        old_cells = {(c["colour"], c["size"]): c["quantity"] for c in a.get("cells", [])}
        new_cells = {(c["colour"], c["size"]): c["quantity"] for c in b.get("cells", [])}
        for key in sorted(set(old_cells) | set(new_cells)):
            if old_cells.get(key) != new_cells.get(key):
                changes.append({"field": "cell", "line": no, "cell": f"{key[0]} / {key[1]}",
                                "old": old_cells.get(key, "0"), "new": new_cells.get(key, "0")})
    if old.get("total_amount") != new.get("total_amount"):
        changes.append({"field": "total_amount", "line": 0, "old": old.get("total_amount", ""),
                        "new": new.get("total_amount", "")})
    return changes
