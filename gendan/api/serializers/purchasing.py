"""Purchase orders and material requirements in the API (``purchasing`` app)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import BusinessDateField, DecimalInput, IdField
from gendan.purchasing.models import MaterialRequirement, PurchaseCoverage, PurchaseOrder, PurchaseOrderLine
from gendan.purchasing.rules import purchase_order_actions


class CoverageOut(serializers.ModelSerializer):
    production_order_number = serializers.CharField(source="requirement.production_order.number")

    class Meta:
        model = PurchaseCoverage
        fields = ["requirement", "production_order_number", "quantity", "received_quantity"]


class PurchaseOrderLineOut(serializers.ModelSerializer):
    material_code = serializers.CharField(source="material.code")
    coverages = CoverageOut(many=True)

    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "line_no", "material", "material_code", "quantity", "unit", "unit_price", "amount", "eta",
                  "received_quantity", "coverages"]


class PurchaseOrderOut(serializers.ModelSerializer):
    supplier_code = serializers.CharField(source="supplier.code")
    # A plain string (PurchaseOrder.Status code): as an enum it would collide with other "status" enums.
    status = serializers.CharField()
    lines = PurchaseOrderLineOut(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = PurchaseOrder
        fields = ["id", "number", "supplier", "supplier_code", "currency", "status", "order_date", "total_amount",
                  "over_receipt_percent", "notes", "sent_at", "confirmed_at", "cancel_reason", "version", "lines",
                  "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed": bool, "reason": str, "code": str}}`` (the page's buttons)."""

        user = self.context["request"].user
        return {name: {"allowed": c.allowed, "reason": c.reason, "code": c.code}
                for name, c in purchase_order_actions(user=user, purchase_order=obj).items()}


class PurchaseOrderFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=PurchaseOrder.Status.choices, required=False)
    supplier = IdField(required=False)
    late = serializers.BooleanField(required=False, help_text="an ETA passed on a line not fully received")


class PurchaseVersionInput(serializers.Serializer):
    version = IdField(required=False)


class PurchaseReasonInput(PurchaseVersionInput):
    reason = serializers.CharField(max_length=300)


class LineEtaInput(serializers.Serializer):
    line = IdField()
    eta = BusinessDateField()


class PurchaseConfirmInput(PurchaseVersionInput):
    etas = LineEtaInput(many=True, required=False, help_text="the supplier's committed ETA per line")


class LineQuantityInput(serializers.Serializer):
    line = IdField()
    quantity = DecimalInput()


class GoodsReceiveInput(PurchaseVersionInput):
    received_on = BusinessDateField(help_text="not in the future (`date_in_future`) nor before the order date "
                                              "(`dates_out_of_order`)")
    quantities = LineQuantityInput(many=True, help_text="lines of this purchase order (`record_mismatch`), each "
                                                        "within what is ordered plus the tolerance, less what is "
                                                        "received (`values_inconsistent`)")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MaterialRequirementOut(serializers.ModelSerializer):
    production_order_number = serializers.CharField(source="production_order.number")
    component_code = serializers.CharField(source="component.code")
    supplier_code = serializers.CharField(source="supplier.code", allow_null=True, default=None)
    status = serializers.CharField()
    short = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequirement
        fields = ["id", "production_order", "production_order_number", "component", "component_code",
                  "required_quantity", "unit", "received_quantity", "need_date", "eta", "arrived_on", "status",
                  "short", "supplier", "supplier_code", "purchaser", "flag", "version"]

    def get_short(self, obj) -> str:
        """Why the requirement is short, or "" when it is not."""
        return obj.shortage_reason()


class MaterialRequirementFilterInput(serializers.Serializer):
    production_order = IdField(required=False)
    short = serializers.BooleanField(required=False, help_text="only what purchasing must chase")
