"""Input values brought to the shape they are stored in."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models


def fit_decimal(model: type[models.Model], name: str, value: Any) -> Any:
    """Return ``value`` with as many decimal places as the model field stores (2.5 → 2.5000),
    so an unchanged value compares equal to the stored one and is not logged as a change.

    A value with more places than the field allows is returned as it is, for validation to refuse.
    """
    field = model._meta.get_field(name)
    if not isinstance(value, Decimal) or not isinstance(field, models.DecimalField) or not value.is_finite():
        return value
    step = Decimal(1).scaleb(-field.decimal_places)
    try:
        fitted = value.quantize(step)
    except InvalidOperation:  # too many digits in all: validation will say so
        return value
    return fitted if fitted == value else value
