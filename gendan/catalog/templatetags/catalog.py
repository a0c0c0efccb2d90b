from __future__ import annotations

from decimal import Decimal

from django import template

from gendan.catalog import models

register = template.Library()


@register.filter
def plain_decimal(value: Decimal | None) -> str:
    """Show a stored decimal without its padding zeros: 0.0500 → 0.05, 4.0000 → 4."""
    if value is None or value == "":
        return ""
    return models.plain_decimal(Decimal(value))
