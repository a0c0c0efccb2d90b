from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.api.fields import (
    BusinessDateField,
    IdField,
    Money,
    Quantity,
    ScopedRelatedField,
    UnitPrice,
    UserRef,
)
from gendan.api.serializers.common import CustomerRef, ModelInput, VersionRequiredMixin
from gendan.api.serializers.lines import QuotationLineInput, lines_rules
from gendan.core.models import Currency
from gendan.parties.selectors import customer_queryset
from gendan.sales.models import Quotation
from gendan.sales.services.quotations import HEADER


class QuotationHeaderInput(ModelInput):
    currency = serializers.SlugRelatedField(slug_field="code", queryset=Currency.objects.filter(is_active=True),
                                            required=False)

    class Meta:
        model = Quotation
        fields = list(HEADER)
        # quoted_on / valid_until default in the service (today, +30 days).
        extra_kwargs = {"quoted_on": {"required": False, "help_text": "Default: today."},
                        "valid_until": {"required": False,
                                        "help_text": "Not before quoted_on (today when not sent; a rule between "
                                                     "two fields, checked by the service: `dates_out_of_order`). "
                                                     "Default: 30 days after it."}}


class QuotationCreateInput(QuotationHeaderInput):
    customer = ScopedRelatedField(customer_queryset)
    lines = QuotationLineInput(many=True)

    request_schema_rules = staticmethod(lines_rules)

    class Meta(QuotationHeaderInput.Meta):
        fields = ["customer", *HEADER, "lines"]


class QuotationUpdateInput(VersionRequiredMixin, QuotationHeaderInput):
    version = IdField()
    lines = QuotationLineInput(many=True, required=False)

    request_schema_rules = staticmethod(lines_rules)

    class Meta(QuotationHeaderInput.Meta):
        fields = ["version", *HEADER, "lines"]


class QuotationAcceptInput(serializers.Serializer):
    customer_po_no = serializers.CharField(max_length=60)
    customer_po_date = BusinessDateField()
    ex_factory_date = BusinessDateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class QuotationRejectInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class QuotationFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Quotation.Status.choices, required=False)
    customer = IdField(required=False)


class QuotationLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    line_no = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id", allow_null=True)
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
    description = serializers.CharField()
    unit = serializers.CharField()
    unit_price = UnitPrice()
    quantity = Quantity()
    amount = Money()


class QuotationLineCostOut(QuotationLineOut):
    """The line with the factory's cost and the margin, for roles that may see cost."""

    factory_cost = UnitPrice(allow_null=True)
    cost_supplier = serializers.IntegerField(source="cost_supplier_id", allow_null=True)
    margin_percent = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


_LIST_FIELDS = ["id", "number", "version", "status", "customer", "currency", "quoted_on", "valid_until",
                "total_amount", "salesperson"]


class QuotationListOut(serializers.ModelSerializer):
    customer = CustomerRef()
    currency = serializers.CharField(source="currency_id")
    total_amount = Money()
    salesperson = UserRef(allow_null=True)

    class Meta:
        model = Quotation
        fields = _LIST_FIELDS


class QuotationOut(QuotationListOut):
    lines = serializers.SerializerMethodField()
    sales_order = serializers.SerializerMethodField()

    class Meta(QuotationListOut.Meta):
        fields = [*_LIST_FIELDS, "incoterm", "incoterm_place", "payment_method", "deposit_percent",
                  "payment_days", "payment_terms_note", "packing", "notes", "sent_at", "decided_at",
                  "decision_note", "created_at", "updated_at", "lines", "sales_order"]

    @extend_schema_field(QuotationLineCostOut(many=True))
    def get_lines(self, quotation) -> list[dict]:
        """Cost and margin only for roles that may see cost (field-level access, ASVS 8.2.3)."""
        user = self.context["request"].user
        line_serializer = QuotationLineCostOut if user.has_perm("sales.view_cost") else QuotationLineOut
        return line_serializer(quotation.lines.all(), many=True).data

    def get_sales_order(self, quotation) -> int | None:
        order = getattr(quotation, "sales_order", None) if quotation.status == Quotation.Status.ACCEPTED else None
        return order.pk if order else None
