"""Shapes of the bank statements API (``views.receivables_bank``)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import CurrencyField, DecimalInput, Money, UserRef
from gendan.api.serializers.common import CustomerRef


class BankStatementUploadInput(serializers.Serializer):
    currency = CurrencyField(help_text="the account's currency: the ISO 4217 code of a currency in use (USD, EUR, "
                                       "CNY …); an unknown or retired code is refused as not existing")
    # an empty file goes on to the service, which answers as for any unreadable export (bank_file_unreadable)
    file = serializers.FileField(allow_empty_file=True,
                                 help_text="the bank's export: CSV (UTF-8 or GBK), Excel .xlsx or MT940")


class BankStatementOut(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    layout = serializers.CharField(help_text="csv | xlsx | mt940")
    currency = serializers.CharField(source="currency_id")
    account = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    lines_count = serializers.IntegerField()
    open_count = serializers.IntegerField(required=False, help_text="lines still to match (list only)")
    sha256 = serializers.CharField()
    imported_by = UserRef()
    imported_at = serializers.DateTimeField()


class BankStatementImportOut(BankStatementOut):
    debits_skipped = serializers.IntegerField()
    other_currency_skipped = serializers.IntegerField()


class AllocationProposalOut(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    order_number = serializers.CharField(source="order.number")
    amount = Money()
    instalments = serializers.ListField(child=serializers.CharField())


class ProposalOut(serializers.Serializer):
    strength = serializers.CharField(help_text="strong | likely | weak | none")
    customer = CustomerRef(allow_null=True)
    allocations = AllocationProposalOut(many=True)
    bank_charges = Money()
    unallocated = Money(help_text="what would stay on the receipt as the customer's credit")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="the proposal explained, in words")
    already_recorded = serializers.CharField(source="already.number", allow_null=True, default=None,
                                             help_text="the receipt that already records this bank reference")


class BankLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.IntegerField(source="statement_id")
    line_no = serializers.IntegerField()
    value_date = serializers.DateField()
    amount = Money()
    bank_charges = Money()
    payer_name = serializers.CharField()
    reference = serializers.CharField()
    remittance = serializers.CharField()
    status = serializers.CharField(help_text="open | recorded | ignored")
    receipt = serializers.IntegerField(source="receipt_id", allow_null=True)
    decided_by = UserRef(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    proposal = serializers.SerializerMethodField()

    def get_proposal(self, line) -> dict | None:
        proposal = self.context.get("proposals", {}).get(line.pk)
        return ProposalOut(proposal).data if proposal is not None else None


class BankAllocationInput(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, help_text="order id (one of the customer's confirmed orders)")
    amount = DecimalInput()
    exchange_rate = DecimalInput(required=False, allow_null=True)


class BankLineConfirmInput(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    allocations = BankAllocationInput(many=True, required=False)
    bank_charges = DecimalInput(required=False, allow_null=True, help_text="default: the line's")
    bank_reference = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                           help_text="default: the line's")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BankLineSetAsideInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, allow_blank=True, help_text="why (at least 3 characters)")


class BankLineReopenInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="why the line was set aside by mistake (at least 3 "
                                                             "characters)")


class BankLineFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "recorded", "ignored"], required=False)
