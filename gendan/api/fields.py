"""Serializer fields shared by the API: money as strings, decimals checked by the services,
references to records the requesting user may see."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_date


def Money(**kwargs) -> serializers.DecimalField:  # noqa: N802 — reads like a field class
    """An amount, rendered as a string with two decimals ("1236.01"), never a float."""
    return serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, **kwargs)


def Quantity(**kwargs) -> serializers.DecimalField:  # noqa: N802
    return serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True, **kwargs)


def UnitPrice(**kwargs) -> serializers.DecimalField:  # noqa: N802
    return serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True, **kwargs)


@extend_schema_field({"oneOf": [{"type": "string", "format": "decimal", "pattern": r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$"},
                                 {"type": "integer", "minimum": -999999999999, "maximum": 999999999999}]})
class DecimalInput(serializers.Field):
    """A number given as a JSON number or a string ("1200", "3.25"). Only the type is checked
    here; range and decimal places are the service's rules (its messages name the line)."""

    default_error_messages = {"invalid": serializers.DecimalField.default_error_messages["invalid"]}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, Decimal)):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return str(value)


class BusinessDateField(serializers.DateField):
    """A business date (PO, ex-factory, receipt, ETA …): ISO text within the years Gendan accepts
    (``core.guards.parse_date``: 2000–2099); 0001-01-01 or 9999-12-31 are typing mistakes."""

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        try:
            return parse_date(date, field="date")
        except ValidationFailed as exc:
            raise serializers.ValidationError(exc.fields["date"]) from None


# The largest id a database column holds (64-bit signed): a bigger number in a filter or a
# reference is refused as input, not sent to SQLite (OverflowError) or PostgreSQL.
MAX_ID = 2**63 - 1


def IdField(**kwargs) -> serializers.IntegerField:  # noqa: N802 — reads like a field class
    """An id or a version given by the client: a positive integer that fits the database."""
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("max_value", MAX_ID)
    return serializers.IntegerField(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a record the requesting user may see, through its scoped selector:
    ``queryset_for(user)``. A missing and an out-of-scope id get the same "does not exist"."""

    def __init__(self, queryset_for, **kwargs):
        self.queryset_for = queryset_for
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.queryset_for(self.context["request"].user)


class UserRef(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")
