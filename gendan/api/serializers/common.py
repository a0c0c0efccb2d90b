from __future__ import annotations

from django.db import models
from rest_framework import serializers

from gendan.api.fields import BusinessDateField, IdField

# A text that is not only blanks (the service strips it, ``str.strip``, before checking it is there):
# a character that neither Python nor ECMAScript (JSON Schema's regular expressions) calls a blank.
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
# A code as ``code_validator`` takes it once put in capitals: a letter or digit, then letters, digits, - _ .
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# What an amount's description says of its decimals (receipts, supplier invoices and payments).
CURRENCY_PLACES = ("at most the currency's decimal places (2; none for JPY: a rule between two fields, "
                   "`values_inconsistent`)")
# A name in Chinese or in English (or both): the model's ``clean`` refuses a record with neither.
NAME_RULES = {"anyOf": [{"required": [name], "properties": {name: {"pattern": NOT_BLANK}}}
                        for name in ("name_zh", "name_en")]}


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable code, a message in the user's language, messages per field."""

    code = serializers.CharField(help_text="e.g. validation_failed, not_found, conflict, gate_deposit")
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text='e.g. {"lines[0].quantity": ["…"]}')


class VersionInput(serializers.Serializer):
    """The version the client loaded; a stale one is refused with 409 and nothing changes."""

    version = IdField()


class OptionalVersionInput(serializers.Serializer):
    version = IdField(required=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CustomerRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class SupplierRef(CustomerRef):
    pass


class VersionRequiredMixin:
    """``version`` stays required when the rest of the input is partial (an edit)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return attrs


class ModelInput(serializers.ModelSerializer):
    """Input typed from a model's fields (lengths, choices, dates, decimals), without the model's
    own validators: the service normalises first (item no. in capitals, HS code without dots)
    and then runs the model's validation, with the model's messages."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateField: BusinessDateField}

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        for name in ("validators", "min_value", "max_value"):
            kwargs.pop(name, None)
        return field_class, kwargs
