"""Production orders in the API (``production`` app)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import BusinessDateField, IdField
from gendan.production.actions import production_order_actions
from gendan.production.models import ProductionOrder, ProductionOrderLine


class ProductionOrderLineDetailOut(serializers.ModelSerializer):
    line_no = serializers.IntegerField(source="order_line.line_no")
    description = serializers.CharField(source="order_line.description")
    unit = serializers.CharField(source="order_line.unit")

    class Meta:
        model = ProductionOrderLine
        fields = ["id", "order_line", "line_no", "description", "quantity", "produced_quantity", "unit",
                  "unit_cost", "amount", "spec", "surface_finish", "packing_requirements", "quality_requirements"]


class ProductionOrderDetailOut(serializers.ModelSerializer):
    order_number = serializers.CharField(source="sales_order.number")
    supplier_code = serializers.CharField(source="supplier.code")
    lines = ProductionOrderLineDetailOut(many=True)
    # Plain strings (the codes of ProductionOrder.Status / Kind / Document): as enums they would
    # collide with the order's "status" enums in the schema.
    kind = serializers.CharField()
    document = serializers.CharField()
    status = serializers.CharField()
    held_from = serializers.CharField()
    change_flag = serializers.CharField(read_only=True, help_text="the change order that last changed it, in the "
                                                                  "caller's language (empty: none)")
    doc_version = serializers.IntegerField(read_only=True, help_text="the issued document's version: 1, then +1 per "
                                                                     "re-issue by a change order (…/versions/)")
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = ProductionOrder
        fields = ["id", "number", "sales_order", "order_number", "supplier", "supplier_code", "kind", "document",
                  "status", "due_date", "committed_due_date", "currency", "total_cost", "sign_off", "copy_to",
                  "email_to", "notes", "held_from", "status_reason", "first_article_override",
                  "first_article_override_reason", "issued_at", "started_at", "finished_at", "email_sent_at",
                  "change_flag", "doc_version", "version", "lines", "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed": bool, "reason": str, "code": str}}`` for the actions of its state."""

        user = self.context["request"].user
        return {name: {"allowed": c.allowed, "reason": c.reason, "code": c.code}
                for name, c in production_order_actions(user=user, production_order=obj).items()}


class ProductionOrderFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProductionOrder.Status.values, required=False,
                                     help_text="a production order status code")
    supplier = IdField(required=False)
    order = IdField(required=False)
    due_from = BusinessDateField(required=False)
    due_to = BusinessDateField(required=False)

    def validate_status(self, value: str) -> str:
        if value and value not in ProductionOrder.Status.values:
            raise serializers.ValidationError(f"one of {', '.join(ProductionOrder.Status.values)}")
        return value


class VersionInput(serializers.Serializer):
    version = IdField(required=False)


class AcceptInput(VersionInput):
    committed_due_date = BusinessDateField(help_text="the due date the factory committed to; not in the past "
                                                     "(`date_in_past`)")


class ReasonInput(VersionInput):
    reason = serializers.CharField(max_length=300)


class OptionalReasonInput(VersionInput):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
