"""Serializer fields shared by the API: money as strings, decimals checked by the services,
references to records the requesting user may see."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_date
from gendan.core.models import Currency


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


def positive_decimal_pattern(*, places: int, whole_digits: int, allow_zero: bool = False) -> str:
    """A regular expression for a decimal above zero (or zero) written as text: at most
    ``whole_digits`` digits before the point and ``places`` after it, no sign, no exponent."""
    whole = rf"[1-9][0-9]{{0,{whole_digits - 1}}}"
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    if allow_zero:
        return rf"^(0|{whole}){fraction}$"
    below_one = "|".join(f"{'0' * zeros}[1-9][0-9]{{0,{places - 1 - zeros}}}" for zeros in range(places))
    return rf"^({whole}{fraction}|0\.({below_one}))$" if places else rf"^{whole}$"


def PositiveDecimalInput(*, places: int, whole_digits: int, allow_zero: bool = False,  # noqa: N802
                         allow_blank: bool = False, **kwargs) -> DecimalInput:
    """A ``DecimalInput`` whose schema states the service's range: above zero (or zero with
    ``allow_zero``), below ``10**whole_digits``, at most ``places`` decimals — as text, or as a whole
    JSON number; ``allow_blank``: "" too (the service's default)."""
    pattern = positive_decimal_pattern(places=places, whole_digits=whole_digits, allow_zero=allow_zero)
    if allow_blank:
        pattern = f"^({pattern[1:-1]})?$"
    schema = {"oneOf": [
        {"type": "string", "format": "decimal", "pattern": pattern},
        {"type": "integer", "minimum": 0 if allow_zero else 1, "maximum": 10**whole_digits - 1},
    ]}
    field_class = extend_schema_field(schema)(type("PositiveDecimalInput", (DecimalInput,), {}))
    return field_class(**kwargs)


def InlineChoiceField(*, choices, **kwargs) -> serializers.ChoiceField:  # noqa: N802
    """A ``ChoiceField`` whose enum stays in its own schema (wrapped in ``allOf``) rather than a
    component named after the field: for a choice set that another field of the same name (``kind``)
    or the same choices under two names would make ambiguous."""
    values = [value for value, _label in choices]
    schema = {"allOf": [{"type": "string", "enum": values}]}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


def CountInput(*, maximum: int, **kwargs) -> DecimalInput:  # noqa: N802
    """A whole number from 0 to ``maximum`` (a power of ten: cartons, copies …), as text or as a
    JSON number; the service reads it."""
    digits = len(str(maximum)) - 1
    if maximum != 10**digits:
        raise ValueError("CountInput's maximum is a power of ten")
    schema = {"oneOf": [{"type": "string", "pattern": rf"^(0|[1-9][0-9]{{0,{digits - 1}}}|{maximum})$"},
                        {"type": "integer", "minimum": 0, "maximum": maximum}]}
    field_class = extend_schema_field(schema)(type("CountInput", (DecimalInput,), {}))
    return field_class(**kwargs)


@extend_schema_field({"type": "string", "format": "date"})
class _DateText(serializers.CharField):
    pass


def DateText(*, allow_blank: bool = False, **kwargs) -> serializers.CharField:  # noqa: N802
    """A date given as ``YYYY-MM-DD`` text that the service parses (``core.guards.parse_date``:
    2000–2099); the schema states the pattern (and "" with ``allow_blank``: the service's default)."""
    if allow_blank:
        from gendan.api.schema import DATE_PATTERN  # the schema module imports the serializers

        # spectacular adds the blank alternative itself ("oneOf": [this, maxLength 0])
        field_class = extend_schema_field({"type": "string", "pattern": DATE_PATTERN})(
            type("DateText", (serializers.CharField,), {}))
        return field_class(allow_blank=True, max_length=10, **kwargs)
    return _DateText(max_length=10, **kwargs)


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


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class RecordField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a stored record, unscoped (the service decides who may use it): an id
    of no record is refused as "does not exist" (``Invalid pk``), never as a value of a wrong shape."""


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$"})
class CurrencyField(serializers.SlugRelatedField):
    """A currency in use, by its ISO 4217 code (``USD``): a row of the currency table, which the
    administrator keeps (not a fixed list). Blank (where allowed) gives ``None``, the service's default."""

    default_error_messages = {"does_not_exist": _("Currency “{value}” does not exist or is not in use.")}

    def __init__(self, **kwargs):
        self.allow_blank = kwargs.pop("allow_blank", False)
        kwargs.setdefault("help_text", "the ISO 4217 code of a currency in use (USD, EUR, CNY …): an unknown or "
                                       "retired code is refused as not existing")
        super().__init__(slug_field="code", queryset=Currency.objects.filter(is_active=True), **kwargs)

    def validate_empty_values(self, data):
        if self.allow_blank and isinstance(data, str) and not data.strip():
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())

    def to_representation(self, value):
        return value.code


class UserRef(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")
