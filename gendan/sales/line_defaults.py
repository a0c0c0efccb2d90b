"""What a product picked on an order or quotation line brings with it (a selector: reads only).

``line_defaults(customer=…, product=…, language=…, currency=…)`` gives

- the **description** in the order's language: the product's Chinese or English name (the other
  one when that is blank) and its specification;
- the **unit price**: the customer's last price for that product in that currency — from the
  most recent confirmed order line (by PO date) or accepted quotation line (by quotation date) of
  *that customer* — never another customer's price. The catalog keeps no list price, so without
  an earlier price the price stays empty and ``price_note`` says why; prices are never converted
  between currencies;
- the **packing** (units per carton, carton size and CBM, N.W. / G.W.) from the catalog, in the
  order's language.

The order's language is the language of its documents: Chinese for a customer in mainland China,
English for everyone else (``document_language``).

Two queries (the last order line, the last accepted quotation line); the customer and product
are passed in, already read through their scoped selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gendan.catalog.models import Product, plain_decimal
from gendan.parties.models import Customer
from gendan.sales.models import Quotation, QuotationLine, SalesOrder, SalesOrderLine

# Orders whose prices the customer agreed: confirmed, whatever happened after — not drafts, not cancelled.
PRICED_ORDER_STATUSES = [s for s in SalesOrder.Status.values
                         if s not in (SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED)]
LANGUAGES = ("zh", "en")
_LOCALE = {"zh": "zh-hans", "en": "en"}


def document_language(customer: Customer) -> str:
    """The language of the customer's documents and lines: "zh" in mainland China, else "en"."""
    return "zh" if customer.country == "CN" else "en"


@dataclass(frozen=True)
class LastPrice:
    unit_price: Decimal
    kind: str  # "order" | "quotation"
    number: str
    on: dt.date


@dataclass(frozen=True)
class LineDefaults:
    description: str
    unit: str
    unit_price: Decimal | None
    last_price: LastPrice | None
    packing: str
    currency: str
    language: str

    @property
    def price_source(self) -> str:
        """"order", "quotation" or "" (no price)."""
        return self.last_price.kind if self.last_price else ""

    @property
    def price_note(self) -> str:
        """Where the price comes from, or why there is none, in the reader's language."""
        last = self.last_price
        if last is None:
            return _("No earlier %(currency)s price for this customer and the catalog keeps no list price: "
                     "enter the price.") % {"currency": self.currency}
        when = date_format(last.on, "SHORT_DATE_FORMAT")
        if last.kind == "order":
            return _("Last price on %(number)s, %(date)s") % {"number": last.number, "date": when}
        return _("Last price on quotation %(number)s, %(date)s") % {"number": last.number, "date": when}


def last_price(*, customer: Customer, product: Product, currency: str) -> LastPrice | None:
    """The customer's most recent price for ``product`` in ``currency``: the later of its last
    confirmed order line and its last accepted quotation line (the order on the same day)."""
    order_line = (
        SalesOrderLine.objects.filter(order__customer=customer, product=product, order__currency_id=currency,
                                      order__status__in=PRICED_ORDER_STATUSES)
        .select_related("order").only("unit_price", "order__number", "order__customer_po_date", "order__id")
        .order_by("-order__customer_po_date", "-order__confirmed_at", "-order_id", "line_no").first()
    )
    quotation_line = (
        QuotationLine.objects.filter(quotation__customer=customer, product=product, quotation__currency_id=currency,
                                     quotation__status=Quotation.Status.ACCEPTED)
        .select_related("quotation").only("unit_price", "quotation__number", "quotation__quoted_on",
                                          "quotation__id")
        .order_by("-quotation__quoted_on", "-quotation__decided_at", "-quotation_id", "line_no").first()
    )
    candidates = []
    if order_line is not None:
        candidates.append(LastPrice(order_line.unit_price, "order", order_line.order.number,
                                    order_line.order.customer_po_date))
    if quotation_line is not None:
        candidates.append(LastPrice(quotation_line.unit_price, "quotation", quotation_line.quotation.number,
                                    quotation_line.quotation.quoted_on))
    if not candidates:
        return None
    # Latest date wins; on the same day the order (what was finally agreed) before the quotation.
    return max(candidates, key=lambda c: (c.on, c.kind == "order"))


def product_description(product: Product, language: str) -> str:
    """The product's name in ``language`` (the other one when blank) and its specification."""
    first, second = (product.name_zh, product.name_en) if language == "zh" else (product.name_en, product.name_zh)
    name = (first or second or "").strip()
    parts = [p for p in (name, (product.spec or "").strip()) if p]
    return (" " if language == "zh" else ", ").join(parts)[:300]


def packing_text(product: Product, language: str) -> str:
    """One line of packing in ``language``: "60 pcs per carton, carton 60 × 40 × 38.5 cm
    (0.0924 m³), N.W. 10 kg, G.W. 11.5 kg"; "" when the catalog has no packing."""
    with translation.override(_LOCALE.get(language, "en")):
        parts = []
        if product.units_per_carton:
            parts.append(_("%(n)s %(unit)s per carton") % {"n": product.units_per_carton,
                                                            "unit": product.get_unit_display()})
        if product.carton_cbm is not None:
            parts.append(_("carton %(size)s cm (%(cbm)s m³)") % {"size": product.carton_dimensions,
                                                                 "cbm": plain_decimal(product.carton_cbm)})
        if product.net_weight_kg:
            parts.append(_("N.W. %(kg)s kg") % {"kg": plain_decimal(product.net_weight_kg)})
        if product.gross_weight_kg:
            parts.append(_("G.W. %(kg)s kg") % {"kg": plain_decimal(product.gross_weight_kg)})
        return ("，" if language == "zh" else ", ").join(parts)


def line_defaults(*, customer: Customer, product: Product, currency: str, language: str | None = None) -> LineDefaults:
    """What picking ``product`` on a line of ``customer``'s order (or quotation) in ``currency``
    fills in. ``language`` defaults to the customer's document language."""
    language = language if language in LANGUAGES else document_language(customer)
    currency = str(getattr(currency, "code", currency) or customer.default_currency_id).upper()
    last = last_price(customer=customer, product=product, currency=currency)
    return LineDefaults(
        description=product_description(product, language),
        unit=product.unit,
        unit_price=last.unit_price if last else None,
        last_price=last,
        packing=packing_text(product, language),
        currency=currency,
        language=language,
    )


def add_packing(text: str, packing: list[str]) -> str:
    """``text`` (an order's packing requirements, a quotation's packing) with the products'
    packing lines ("P-001: …") it does not mention yet — an empty field gets them all; nothing
    already there is replaced or removed."""
    text = text or ""
    missing = [line for line in packing if line.split(":", 1)[0] + ":" not in text]
    if not missing:
        return text
    return "\n".join([text.rstrip(), *missing] if text.strip() else missing)
