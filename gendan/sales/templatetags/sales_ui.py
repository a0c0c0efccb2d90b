"""Small display filters of the order pages: quantities without padding zeros, and the
colour of a status badge."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
