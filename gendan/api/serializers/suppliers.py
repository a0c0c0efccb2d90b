"""Suppliers (own workshops, outsourced factories, material suppliers, forwarders, couriers) in
the API (``parties`` app): the fields of the supplier page's form, nothing more."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.common import ModelInput, VersionRequiredMixin
from gendan.api.serializers.customers import ContactOut
from gendan.parties.countries import COUNTRIES
from gendan.parties.models import Supplier

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

    credit_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    daily_capacity = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2_000_000_000)

    class Meta:
        model = Supplier
        fields = SUPPLIER_INPUT
        extra_kwargs = {"code": {"required": False}}


class SupplierUpdateInput(VersionRequiredMixin, SupplierInput):
    version = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta(SupplierInput.Meta):
        fields = [*SUPPLIER_INPUT, "version", "reason"]


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
