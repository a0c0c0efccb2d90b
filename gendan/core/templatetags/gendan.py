from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from gendan.core import money
from gendan.core.events import change_rows as _change_rows
from gendan.core.once import FIELD, new_token

register = template.Library()


@register.filter
def change_rows(event):
    return _change_rows(event)


@register.filter
def money_fmt(amount: Decimal | None, currency: str = "USD") -> str:
    if amount is None or amount == "":
        return ""
    return money.format_money(amount, currency)


@register.simple_tag
def form_token() -> str:
    """The one-time token of a page form (``core.once``): a second post of it is not run again."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
