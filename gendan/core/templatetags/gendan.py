from __future__ import annotations

from decimal import Decimal

from django import template

from gendan.core import money
from gendan.core.events import change_rows as _change_rows

register = template.Library()


@register.filter
def change_rows(event):
    return _change_rows(event)


@register.filter
def money_fmt(amount: Decimal | None, currency: str = "USD") -> str:
    if amount is None or amount == "":
        return ""
    return money.format_money(amount, currency)
