from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import (
    BusinessDateField,
    CurrencyField,
    Money,
    PositiveDecimalInput,
    ScopedRelatedField,
    UserRef,
)
from gendan.api.serializers.common import CURRENCY_PLACES, NOT_BLANK, CustomerRef
from gendan.parties.selectors import customer_queryset
from gendan.sales.selectors import order_queryset

# An amount's column holds 18 digits, 2 of them decimals (a currency without minor units, JPY, takes none).
AMOUNT_DIGITS = 16


class AllocationInput(serializers.Serializer):
    """Part of a receipt applied to one order; ``amount`` in the receipt's currency, and
    ``exchange_rate`` (order currency per unit of receipt currency) when they differ."""

    order = ScopedRelatedField(order_queryset, help_text="an order of the customer who paid (`record_mismatch` "
                                                         "otherwise), confirmed: not a draft, closed or cancelled "
                                                         "(`order_not_confirmed`) — the stored records")
    amount = PositiveDecimalInput(places=2, whole_digits=AMOUNT_DIGITS,
                                  help_text=f"above zero, {CURRENCY_PLACES}; at most what the receipt has left "
                                            "(`values_inconsistent`) and what the order still owes (`overpayment`)")
    exchange_rate = PositiveDecimalInput(places=8, whole_digits=6, required=False, allow_null=True,
                                         help_text="order currency per 1 receipt currency: above zero, below "
                                                   "1 000 000, at most 8 decimals; required when the currencies "
                                                   "differ")


def allocation_for_service(allocation: dict) -> dict:
    return {"order_id": allocation["order"].pk, "amount": allocation["amount"],
            "exchange_rate": allocation.get("exchange_rate")}


class ReceiptInput(serializers.Serializer):
    """What the server reads, in JSON or multipart; the schema states each media type's own shape
    (``ReceiptJsonInput``, ``ReceiptMultipartInput``)."""

    customer = ScopedRelatedField(customer_queryset, help_text="the customer who paid")
    currency = CurrencyField(help_text="the currency received: the ISO 4217 code of a currency in use (an unknown "
                                       "or retired code is refused as not existing)")
    amount = PositiveDecimalInput(places=2, whole_digits=AMOUNT_DIGITS,
                                  help_text=f"net amount that reached the bank: above zero, {CURRENCY_PLACES}")
    bank_charges = PositiveDecimalInput(places=2, whole_digits=AMOUNT_DIGITS, allow_zero=True, allow_blank=True,
                                        required=False, allow_null=True,
                                        help_text=f"deducted by the banks: not negative, {CURRENCY_PLACES}; default 0")
    received_on = BusinessDateField(help_text="the value date: not in the future (today's date: `date_in_future`)")
    bank_reference = serializers.RegexField(NOT_BLANK, max_length=80, help_text="the transfer's reference on the statement, once "
                                                                    "per currency's account")
    payer_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    # an empty file goes on to the service, which refuses it as any file it cannot take (bad_file)
    file = serializers.FileField(required=False, allow_empty_file=True,
                                 help_text="bank slip (multipart requests): a PDF, image or Office file, not empty "
                                           "(`bad_file` otherwise)")
    allocations = AllocationInput(many=True, required=False)


class ReceiptJsonInput(ReceiptInput):
    """A receipt in JSON: with its allocations (a file cannot travel in JSON)."""

    file = None


class ReceiptMultipartInput(ReceiptInput):
    """A receipt in multipart, with the bank slip (allocations cannot travel as form fields:
    allocate afterwards with ``/receipts/{id}/allocate/``)."""

    allocations = None


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
