"""Finished goods receipts, containers, the departure and the loading plan in the API. Inputs
check types only; ranges, stock and plan are the services' rules (their messages name the field)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import CountInput, DateText, DecimalInput, PositiveDecimalInput, Quantity, UserRef
from gendan.api.serializers.shipments import ContainerOut
from gendan.shipping.models import FinishedGoodsReceipt
from gendan.shipping.services.warehouse import MAX_CARTONS, MAX_QUANTITY

MAX_ID = 2**63 - 1


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class GoodsReceiptFilterInput(serializers.Serializer):
    order = _id(required=False, help_text="only this sales order's receipts")


class GoodsReceiptOut(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id")
    order_no = serializers.CharField(source="order.number")
    order_line = serializers.IntegerField(source="order_line_id")
    line_no = serializers.IntegerField(source="order_line.line_no")
    quantity = Quantity()
    received_by = UserRef()

    class Meta:
        model = FinishedGoodsReceipt
        fields = ["id", "number", "order", "order_no", "order_line", "line_no", "received_on", "quantity", "cartons",
                  "source", "source_ref", "inspection", "location", "notes", "received_by", "voided_at",
                  "void_reason"]


def _max_length(name: str) -> int:
    return FinishedGoodsReceipt._meta.get_field(name).max_length


class GoodsReceiptInput(serializers.Serializer):
    order = _id(help_text="a sales order the user may see, open for receipts")
    order_line = _id(help_text="a line of that order")
    quantity = PositiveDecimalInput(places=3, whole_digits=len(str(int(MAX_QUANTITY))) - 1,
                                    help_text="above zero, at most 3 decimals; at most what the line may still "
                                              "ship (its quantity ± the order's tolerance, less what was shipped "
                                              "and what the warehouse holds)")
    cartons = CountInput(maximum=MAX_CARTONS, help_text="a whole number of cartons")
    received_on = DateText(help_text="YYYY-MM-DD, not in the future")
    source = serializers.ChoiceField(choices=FinishedGoodsReceipt.Source.choices)
    source_ref = serializers.CharField(max_length=_max_length("source_ref"), required=False, allow_blank=True,
                                       help_text="the production order or delivery note")
    inspection = serializers.ChoiceField(choices=FinishedGoodsReceipt.Inspection.choices)
    location = serializers.CharField(max_length=_max_length("location"), required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class WarehouseReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)
    version = _id(required=False)


class ContainerDetailOut(ContainerOut):
    shipment = serializers.IntegerField(source="shipment_id")
    version = serializers.IntegerField()


class ContainerStartInput(serializers.Serializer):
    container_no = serializers.CharField(max_length=40, allow_blank=True, help_text="ISO 6346, e.g. CSQU3054383")
    container_type = serializers.CharField(max_length=10, help_text="20GP | 40GP | 40HQ | 45HQ")
    version = _id(required=False, help_text="the shipment's version")


class ContainerLineInput(serializers.Serializer):
    cartons = DecimalInput(required=False)
    quantity = DecimalInput()


class ContainerLoadInput(serializers.Serializer):
    lines = serializers.DictField(child=ContainerLineInput(), allow_empty=True,
                                  help_text='order line id → {"cartons": 50, "quantity": "1200"}; the container '
                                            "holds exactly these lines")
    version = _id(required=False, help_text="the container's version")


class ContainerSealInput(serializers.Serializer):
    seal_no = serializers.CharField(max_length=60, allow_blank=True)
    vgm_kg = DecimalInput(help_text="verified gross mass in kg")
    tare_kg = DecimalInput(required=False, allow_null=True)
    version = _id(required=False)


class DepartInput(serializers.Serializer):
    shipped_on = serializers.CharField(max_length=20, help_text="the ex-factory date, YYYY-MM-DD")
    version = _id(required=False, help_text="the shipment's version")


class PlacedOut(serializers.Serializer):
    ref = serializers.CharField()
    x = serializers.IntegerField()
    y = serializers.IntegerField()
    z = serializers.IntegerField()
    l = serializers.IntegerField()  # noqa: E741 — the plan's own name
    w = serializers.IntegerField()
    h = serializers.IntegerField()


class PlanOut(serializers.Serializer):
    container = serializers.CharField()
    placed = PlacedOut(many=True)
    unplaced = serializers.DictField(child=serializers.IntegerField())
    gross_kg = serializers.FloatField()
    cbm = serializers.FloatField()
    fill_pct = serializers.FloatField()
    loading_list = serializers.ListField(child=serializers.DictField())


class LoadingPlanOut(serializers.Serializer):
    cartons = serializers.ListField(child=serializers.DictField(), help_text="the cartons planned, per line")
    missing_lines = serializers.ListField(child=serializers.IntegerField(),
                                          help_text="order line ids without carton data (left out)")
    mix = serializers.DictField(child=serializers.IntegerField())
    relative_cost = serializers.CharField()
    containers = PlanOut(many=True)
    unplaced = serializers.DictField(child=serializers.IntegerField())
