"""Small display filters of the order pages: quantities without padding zeros, and the
colour of a status badge."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
