"""Shapes of the ledger part's API: a customer's ledger, its statement of account, the aging.
Read-only; amounts are decimal strings in their currency, dates ISO."""

from __future__ import annotations

from rest_framework import serializers


class EntryOut(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField(help_text="instalment | payment | on_account")
    currency = serializers.CharField()
    text = serializers.CharField(help_text="what the line says, in the answer's language")
    order = serializers.CharField(source="order_number", allow_blank=True)
    instalment = serializers.CharField(allow_blank=True, help_text="deposit | balance")
    due_date = serializers.DateField(allow_null=True)
    due_rule = serializers.CharField(allow_blank=True)
    receipt = serializers.CharField(source="receipt_number", allow_blank=True)
    bank_reference = serializers.CharField(allow_blank=True)
    bank_charges = serializers.DecimalField(max_digits=18, decimal_places=2)
    debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    disputed = serializers.DecimalField(max_digits=18, decimal_places=2)
    cny_rate = serializers.DecimalField(source="rate", max_digits=18, decimal_places=8, allow_null=True)
    cny = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


class CurrencyLedgerOut(serializers.Serializer):
    currency = serializers.CharField()
    debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    disputed = serializers.DecimalField(max_digits=18, decimal_places=2)
    cny_balance = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    entries = EntryOut(many=True)


class OrderBalanceOut(serializers.Serializer):
    order = serializers.CharField(source="order_number")
    customer_po_no = serializers.CharField()
    currency = serializers.CharField()
    debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    overdue = serializers.DecimalField(max_digits=18, decimal_places=2)
    oldest_due = serializers.DateField(allow_null=True)


class LedgerOut(serializers.Serializer):
    customer = serializers.CharField(source="customer.code")
    today = serializers.DateField()
    currencies = CurrencyLedgerOut(many=True)
    orders = OrderBalanceOut(many=True)


class OpenItemOut(serializers.Serializer):
    order = serializers.CharField(source="order_number", allow_blank=True)
    kind = serializers.CharField(allow_blank=True, help_text="deposit | balance | on_account | '' (credit on order)")
    due_date = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField()
    bucket = serializers.CharField(allow_blank=True)
    in_dispute = serializers.DecimalField(max_digits=18, decimal_places=2)
    open = serializers.DecimalField(max_digits=18, decimal_places=2)


class CurrencyStatementOut(serializers.Serializer):
    currency = serializers.CharField()
    opening = serializers.DecimalField(max_digits=18, decimal_places=2)
    debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit = serializers.DecimalField(max_digits=18, decimal_places=2)
    closing = serializers.DecimalField(max_digits=18, decimal_places=2)
    closing_cny = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    movements = EntryOut(many=True)
    open_items = OpenItemOut(many=True)
    aging = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
    disputed = serializers.DecimalField(max_digits=18, decimal_places=2)


class StatementOut(serializers.Serializer):
    number = serializers.CharField()
    customer = serializers.CharField(source="customer.code")
    start = serializers.DateField()
    end = serializers.DateField()
    language = serializers.CharField()
    buckets = serializers.SerializerMethodField()
    currencies = CurrencyStatementOut(many=True)

    def get_buckets(self, statement) -> list[str]:
        return [b.label for b in statement.buckets]


class StatementInput(serializers.Serializer):
    start = serializers.CharField(help_text="YYYY-MM-DD")
    end = serializers.CharField(help_text="YYYY-MM-DD, not after today")
    lang = serializers.ChoiceField(choices=["zh", "en"], required=False)


class AgingRowOut(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_blank=True)
    currency = serializers.CharField()
    amounts = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
    disputed = serializers.DecimalField(max_digits=18, decimal_places=2)
    total = serializers.DecimalField(max_digits=18, decimal_places=2)


class AgingOut(serializers.Serializer):
    as_of = serializers.DateField()
    group = serializers.CharField()
    buckets = serializers.SerializerMethodField()
    rows = AgingRowOut(many=True)
    totals = AgingRowOut(many=True)
    cny_totals = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))

    def get_buckets(self, report) -> list[str]:
        return [b.label for b in report.buckets]


class AgingInput(serializers.Serializer):
    group = serializers.ChoiceField(choices=["customer", "salesperson", "merchandiser", "region", "currency"],
                                    required=False)
    currency = serializers.CharField(required=False, max_length=3)
