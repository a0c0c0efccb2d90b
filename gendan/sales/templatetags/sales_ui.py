"""Small display filters of the order pages: quantities without padding zeros, and the
colour of a status badge."""

from __future__ import annotations

from decimal import Decimal
from html import escape as escape_text

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.safestring import mark_safe

from gendan.core.request_cache import per_request
from gendan.core.templatetags.gendan import money_fmt
from gendan.sales.models import SalesOrder

register = template.Library()

# Badge colour per status code (order, payment, production, shipment, quotation, production order).
_BADGES = {
    "ok": {"ready", "shipped", "completed", "deposit_received", "paid", "finished", "accepted", "effective"},
    "warn": {"in_production", "on_hold", "deposit_partial", "balance_partial", "overpaid", "released",
             "in_progress", "partial", "sent", "pending", "issued"},
    "bad": {"cancelled", "deposit_due", "rejected", "expired"},
}


@register.filter
def qty(value) -> str:
    """1200.000 → "1,200"; 12.500 → "12.5"."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number:,f}"


@register.filter
def badge(code) -> str:
    """The CSS class of a status badge: ``ok``, ``warn``, ``bad`` or none."""
    for css, codes in _BADGES.items():
        if code in codes:
            return css
    return ""


# The order's life as a bar (issue 11, the order page as a cockpit): each main state, done,
# current or ahead. On hold: the state it was held from is current, marked held. Cancelled: the
# bar stops where the order was and says so.
LIFE = ("draft", "confirmed", "in_production", "ready", "shipped", "completed", "closed")


@register.simple_tag
def order_life(order) -> list[dict]:
    labels = dict(SalesOrder.Status.choices)
    status = order.status
    held = status == SalesOrder.Status.ON_HOLD
    cancelled = status == SalesOrder.Status.CANCELLED
    at = order.held_from if held else status
    if cancelled:
        at = "confirmed" if order.confirmed_at else "draft"
    if at not in LIFE:
        at = "draft"
    position = LIFE.index(at)
    steps = []
    for n, key in enumerate(LIFE):
        state = "done" if n < position else "current" if n == position else "todo"
        steps.append({"key": key, "label": labels[key], "state": state,
                      "held": held and n == position, "cancelled": cancelled and n == position})
    return steps


# --- the order list's cells ---------------------------------------------------------------
# The rows of the order list (sales/_order_results.html) made here, not by a block and a chain
# of {% if col.key == … %} evaluated for each of its 650 cells: the rows were most of the page's
# time (bench/README.md, "Speed under load"). The same HTML as the templates made
# (sales/tests/test_order_cells.py keeps the two equal).


def _e(value) -> str:
    """Escaped as the template escaped plain text (these values are never marked safe)."""
    return escape_text(str(value), quote=True)


def _date(value) -> str:
    return value.isoformat() if value else ""  # the date filter's "Y-m-d" for the DateFields shown


def _badge(code, label) -> str:
    return f'<span class="badge {badge(code)}">{_e(label)}</span>\n'


def _risk(order) -> str:
    try:
        plan = order.plan
    except ObjectDoesNotExist:
        return "\n"
    if plan and plan.is_active:
        return f'<span class="risk {_e(plan.risk)}" title="{_e(plan.why)}">{_e(plan.get_risk_display())}</span>\n'
    return "\n"


def _order_url(order) -> str:
    """The order page's address, reversed once per page (the board does the same)."""
    return per_request("sales.order_url", lambda: reverse("sales:order_detail", args=[0])).replace(
        "/0/", f"/{order.pk}/")


# Each makes escaped HTML from plain values.
ORDER_CELLS = {
    "number": lambda o: f'<a href="{_e(_order_url(o))}">{_e(o)}</a>\n',
    "customer": lambda o: f'{_e(o.customer.code)} <span class="sub">{_e(o.customer.display_name)}</span>\n',
    "po_date": lambda o: f"{_date(o.customer_po_date)}\n",
    "ex_factory_date": lambda o: f"{_date(o.ex_factory_date)}\n",
    "total_amount": lambda o: f"{_e(money_fmt(o.total_amount, o.currency_id))}\n",
    "received_amount": lambda o: f"{_e(money_fmt(o.received_amount, o.currency_id))}\n",
    "status": lambda o: _badge(o.status, o.get_status_display()),
    "payment_status": lambda o: _badge(o.payment_status, o.get_payment_status_display()),
    "production_status": lambda o: _badge(o.production_status, o.get_production_status_display()),
    "shipment_status": lambda o: _badge(o.shipment_status, o.get_shipment_status_display()),
    "merchandiser": lambda o: f"{_e(o.merchandiser or '—')}\n",
    "salesperson": lambda o: f"{_e(o.salesperson or '—')}\n",
    "risk": _risk,
}


def _cell(order, column, cell) -> str:
    make = ORDER_CELLS.get(column.key)
    return make(order) if make else _e(cell)


@register.simple_tag
def order_cell(order, column, cell) -> str:
    """The HTML of ``column`` for ``order``; ``cell`` (the list's plain value) for other columns."""
    return mark_safe(_cell(order, column, cell))  # noqa: S308 (every value escaped)


@register.simple_tag
def order_row(order, pairs) -> str:
    """The order's row of the list: ``pairs`` are the shown (column, plain value) pairs."""
    cells = "".join(f'<td class="num">{_cell(order, column, cell)}</td>' if column.numeric
                    else f"<td>{_cell(order, column, cell)}</td>" for column, cell in pairs)
    return mark_safe(f'<tr data-order="{order.pk}">{cells}</tr>')  # noqa: S308 (every value escaped)
