"""Suppliers (own workshops, outsourced factories, material suppliers, forwarders, couriers) in
the API (``parties`` app): the fields of the supplier page's form, nothing more."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.common import ModelInput, VersionRequiredMixin
from gendan.api.serializers.customers import ContactOut
from gendan.parties.countries import COUNTRIES
from gendan.parties.models import Supplier

CREDIT_CODE_PATTERN = r"^(?:[0-9A-Za-z] *){17}[0-9A-Za-z]$"

# The supplier form's fields (parties.forms.SUPPLIER_FIELDS), in its order.
SUPPLIER_INPUT = [
    "code", "kind", "name_zh", "name_en", "credit_code", "credit_code_override", "credit_code_override_reason",
    "legal_representative", "country", "city", "address", "phone", "fax", "email", "website",
    "main_products", "daily_capacity", "capacity_notes", "bank_name", "bank_account", "bank_swift",
    "notes", "is_active",
]


class SupplierInput(ModelInput):
    """What a supplier accepts (the page's form). Left empty, the code is numbered by the service;
    the unified social credit code may be sent with spaces (normalised to its 18 characters)."""

    # Typed as the service reads them (upper-cased, stripped): the model's validators, stated here.
    code = serializers.RegexField(r"^\s*[A-Za-z0-9][A-Za-z0-9\-_.]*\s*$", max_length=20, required=False,
                                  allow_blank=True, help_text="empty: numbered; letters, digits, “-”, “_”, “.”")
    bank_swift = serializers.RegexField(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", required=False, allow_blank=True,
                                        max_length=11)
    # 18 letters or digits (spaces between them are dropped); the GB 32100 check character is a checksum no
    # schema states: a code failing it is refused with ``credit_code_check`` unless overridden with a reason.
    credit_code = serializers.RegexField(
        CREDIT_CODE_PATTERN, required=False, allow_blank=True, max_length=40,
        help_text="统一社会信用代码: 18 letters or digits (spaces are dropped), the last the GB 32100 check character "
                  "(`credit_code_check` when it fails, unless `credit_code_override` with a "
                  "`credit_code_override_reason`)")
    daily_capacity = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2_000_000_000)

    class Meta:
        model = Supplier
        fields = SUPPLIER_INPUT
        extra_kwargs = {"code": {"required": False}}


class SupplierUpdateInput(VersionRequiredMixin, SupplierInput):
    code = serializers.RegexField(r"^\s*[A-Za-z0-9][A-Za-z0-9\-_.]*\s*$", max_length=20, required=False,
                                  help_text="letters, digits, “-”, “_”, “.”")
    version = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta(SupplierInput.Meta):
        fields = [*SUPPLIER_INPUT, "version", "reason"]


class SupplierInputSchema(OpenApiSerializerExtension):
    """A new supplier has a name in Chinese or in English (or both): stated as ``anyOf`` in the schema."""

    target_class = SupplierInput

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["anyOf"] = [{"required": [name], "properties": {name: {"pattern": r"\S"}}}
                               for name in ("name_zh", "name_en")]
        return schema


class SupplierListOut(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="own_workshop, outsourced_factory, material_supplier, forwarder, courier")
    country = serializers.CharField()

    class Meta:
        model = Supplier
        fields = ["id", "code", "kind", "name_zh", "name_en", "credit_code", "country", "city", "phone",
                  "daily_capacity", "is_active", "version"]


class SupplierOut(SupplierListOut):
    contacts = ContactOut(many=True, read_only=True)

    class Meta(SupplierListOut.Meta):
        fields = ["id", *SUPPLIER_INPUT, "version", "created_at", "updated_at", "contacts"]


class SupplierFilterInput(serializers.Serializer):
    """The supplier list page's filters (``parties.selectors.supplier_list``)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kind = serializers.ChoiceField(choices=Supplier.Kind.values, required=False)
    country = serializers.ChoiceField(choices=sorted(COUNTRIES), required=False)
    active = serializers.ChoiceField(choices=["1", "0"], required=False)
