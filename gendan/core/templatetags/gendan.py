from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def list_row(obj, pairs, url=None) -> str:
    """A row of a list page that shows its plain values (core/_list_results.html without a
    results template of its own): the first cell links to the row's page. The same HTML as the
    template's row of blocks, made here because that row was most of a list page's time
    (bench/README.md, "Speed under load"; core/tests/test_list_rows.py keeps the two equal)."""
    cells = []
    for n, (column, cell) in enumerate(pairs):
        text = conditional_escape(cell)
        if n == 0:  # the list's row_url (item.url); else as {{ obj.get_absolute_url }}: empty without a page
            if url is None:
                url = getattr(obj, "get_absolute_url", "")
                url = url() if callable(url) else url
            text = f'<a href="{conditional_escape(url)}">{text}</a>'
        cells.append(f'<td class="num">{text}</td>' if column.numeric else f"<td>{text}</td>")
    return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308 (every value escaped)
