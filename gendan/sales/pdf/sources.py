"""What the documents print, read from the order or quotation: lines, parties, payment schedule.

Read-only. Wording that a document prints in its own language (rather than the language of
whoever happens to be logged in) is written here, in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from gendan.catalog.variant_names import VariantNames
from gendan.documents.pdf.layout import Line, has_cjk, join_nonempty
from gendan.parties.countries import COUNTRIES
from gendan.parties.models import PaymentMethod as M
from gendan.sales.terms import BALANCE_BEFORE_EX_FACTORY_DAYS, DEPOSIT_DUE_DAYS, deposit_percent_for


def order_lines(order, *, lang: str) -> list[Line]:
    """The order's lines with their colour × size cells, in line order; colour and size names in
    the document's language ("白" prints "White" on an English PI: ``catalog.variant_names``)."""
    lines = list(order.lines.select_related("product").prefetch_related("cells").order_by("line_no"))
    cells = [c for line in lines for c in line.cells.all()]
    names = VariantNames.load((c.colour for c in cells), (c.size for c in cells), lang=lang)
    return [
        Line(no=line.line_no, item_no=getattr(line.product, "code", "") or "",
             description=_description(line.description, line.product, lang=lang),
             quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount,
             cells=[(names.colour(c.colour), names.size(c.size), c.quantity) for c in line.cells.all()])
        for line in lines
    ]


def quotation_lines(quotation, *, lang: str) -> list[Line]:
    """The quotation's lines: what the customer is offered — never the factory cost."""
    lines = quotation.lines.select_related("product").order_by("line_no")
    return [
        Line(no=line.line_no, item_no=getattr(line.product, "code", "") or "",
             description=_description(line.description, line.product, lang=lang),
             quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount)
        for line in lines
    ]


def _description(description: str, product, *, lang: str) -> str:
    """The line's description, with the product's name in the document's language and its
    specification when the description does not already say them."""
    extra = []
    if product is not None:
        name = product.name_zh if lang == "zh" else product.name_en
        spec = getattr(product, "spec", "")
        extra = [p for p in (name, spec) if p and p not in description]
    return join_nonempty([description, " · ".join(extra)])


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    contact: str
    phone: str
    email: str
    bank_name: str = ""
    bank_account: str = ""


def customer_party(customer, *, lang: str) -> Party:
    """The buyer as the document names it: English name first in English documents."""
    name = (customer.name_zh or customer.name_en) if lang == "zh" else (customer.name_en or customer.name_zh)
    names = COUNTRIES.get(customer.country)
    country = (names[0] if lang == "zh" else names[1]) if names else customer.country
    city = customer.city if customer.city not in customer.address else ""
    if lang == "zh":
        address = join_nonempty([customer.address, city], "" if has_cjk(customer.address + city) else ", ")
        if customer.country != "CN":
            address = join_nonempty([address, country], "，")
    else:
        address = join_nonempty([customer.address, city, country], "\n")
    contact = customer.contacts.order_by("-is_primary", "name").first()
    return Party(
        name=name, address=address, contact=contact.name if contact else "",
        phone=(contact.phone or contact.mobile if contact else "") or customer.phone,
        email=(contact.email if contact else "") or customer.email,
        bank_name=customer.bank_name, bank_account=customer.bank_account,
    )


def local_date(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment) if moment else timezone.localdate()


# --- payment ---------------------------------------------------------------------------------

_BALANCE_WHEN = {
    M.TT_DEPOSIT_BALANCE: (f"by T/T before shipment ({BALANCE_BEFORE_EX_FACTORY_DAYS} days before ex-factory)",
                           f"发货前（出厂前{BALANCE_BEFORE_EX_FACTORY_DAYS}日）电汇付清"),
    M.TT_ADVANCE: ("by T/T before shipment", "发货前电汇付清"),
    M.TT_AGAINST_BL_COPY: ("by T/T against copy of B/L", "凭提单副本电汇付清"),
    M.LC_SIGHT: ("by irrevocable L/C at sight", "以不可撤销即期信用证支付"),
    M.LC_USANCE: ("by irrevocable L/C at {days} days", "以不可撤销远期信用证支付（{days}天）"),
    M.DP: ("by D/P at sight", "以即期付款交单（D/P）方式支付"),
    M.DA: ("by D/A at {days} days after acceptance", "以承兑交单（D/A）方式支付，承兑后{days}天付款"),
    M.OA: ("on open account, {days} days after shipment", "赊销，发货后{days}天内付清"),
}


@dataclass(frozen=True)
class Instalment:
    kind: str  # "deposit" | "balance"
    percent: Decimal | None
    amount: Decimal
    due_date: dt.date | None
    when: str


def payment_schedule(order, *, lang: str) -> list[Instalment]:
    """The deposit and balance of the order's payment plan, with when each falls due, worded
    in the document's language."""
    zh = lang == "zh"
    deposit_percent = deposit_percent_for(order.payment_method, order.deposit_percent)
    result = []
    for item in sorted(order.plan_items.all(), key=lambda i: i.kind != "deposit"):
        if item.kind == "deposit":
            when = (f"订单确认后{DEPOSIT_DUE_DAYS}日内电汇" if zh
                    else f"by T/T within {DEPOSIT_DUE_DAYS} days of order confirmation")
            percent = deposit_percent
        else:
            texts = _BALANCE_WHEN.get(order.payment_method, ("", ""))
            when = texts[1 if zh else 0].format(days=order.payment_days)
            percent = Decimal(100) - deposit_percent
        result.append(Instalment(item.kind, percent, item.amount, item.due_date, when))
    return result


def fmt_percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
