from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import BusinessDateField, DecimalInput, Money, ScopedRelatedField, UserRef
from gendan.api.serializers.common import CustomerRef
from gendan.parties.selectors import customer_queryset
from gendan.sales.selectors import order_queryset


class AllocationInput(serializers.Serializer):
    """Part of a receipt applied to one order; ``amount`` in the receipt's currency, and
    ``exchange_rate`` (order currency per unit of receipt currency) when they differ."""

    order = ScopedRelatedField(order_queryset)
    amount = DecimalInput()
    exchange_rate = DecimalInput(required=False, allow_null=True)


def allocation_for_service(allocation: dict) -> dict:
    return {"order_id": allocation["order"].pk, "amount": allocation["amount"],
            "exchange_rate": allocation.get("exchange_rate")}


class ReceiptInput(serializers.Serializer):
    customer = ScopedRelatedField(customer_queryset)
    currency = serializers.CharField(max_length=3)
    amount = DecimalInput(help_text="net amount that reached the bank")
    bank_charges = DecimalInput(required=False, allow_null=True)
    received_on = BusinessDateField()
    bank_reference = serializers.CharField(max_length=80, allow_blank=True)
    payer_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="bank slip (multipart requests)")
    allocations = AllocationInput(many=True, required=False)


class AllocationOut(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField(source="order_id")
    order_number = serializers.CharField(source="order.number", allow_null=True)
    amount = Money()
    exchange_rate = serializers.DecimalField(max_digits=18, decimal_places=8)
    order_amount = Money()
    allocated_by = UserRef()
    allocated_at = serializers.DateTimeField()


class ReceiptListOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    customer = CustomerRef()
    currency = serializers.CharField(source="currency_id")
    amount = Money()
    bank_charges = Money()
    gross_amount = Money()
    allocated_amount = Money()
    unallocated_amount = Money()
    received_on = BusinessDateField()
    bank_reference = serializers.CharField()
    payer_name = serializers.CharField()
    note = serializers.CharField()
    recorded_by = UserRef()
    created_at = serializers.DateTimeField()


class ReceiptOut(ReceiptListOut):
    allocations = AllocationOut(many=True, source="allocations.all")
