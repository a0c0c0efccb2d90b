"""Shapes of the payables invoices API (``views.payables``): supplier invoices, VAT invoices,
payments to suppliers, supplier statements. Amounts are strings of the exact decimal; inputs
state their types, ranges and choices, and the services validate the rest — the rules between
fields and against stored records (the field named in a 400)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import CurrencyField, DateText, InlineChoiceField, PositiveDecimalInput, RecordField
from gendan.api.serializers.common import CURRENCY_PLACES, NOT_BLANK
from gendan.parties.models import Supplier
from gendan.payables.models import (
    StatementDispute,
    SupplierInvoice,
    SupplierPayment,
    SupplierStatement,
    VatInvoice,
)
from gendan.payables.services.invoices import MAX_MONEY
from gendan.payables.services.statements import MAX_DISPUTES
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment

BIG = 2**63 - 1
St = SupplierStatement.Status
# below MAX_MONEY (10^13), at most two decimals (a currency without minor units, JPY, takes none)
MONEY_DIGITS = len(str(int(MAX_MONEY))) - 1


class VatInvoiceOut(serializers.ModelSerializer):
    class Meta:
        model = VatInvoice
        fields = ["id", "number", "issued_on", "net_amount", "tax_rate", "tax_amount", "recorded_at"]


class SupplierPaymentOut(serializers.ModelSerializer):
    class Meta:
        model = SupplierPayment
        fields = ["id", "amount", "paid_on", "bank_reference", "override_reason", "recorded_at"]


class SupplierInvoiceOut(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="production | materials | service")
    status = serializers.CharField(help_text="open | paid | cancelled")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_code = serializers.CharField(source="supplier.code")
    currency = serializers.CharField(source="currency_id")
    production_order = serializers.IntegerField(source="production_order_id", allow_null=True)
    purchase_order = serializers.IntegerField(source="purchase_order_id", allow_null=True)
    sales_order = serializers.IntegerField(source="sales_order_id", allow_null=True)
    shipment = serializers.IntegerField(source="shipment_id", allow_null=True)
    open_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    vat_received = serializers.SerializerMethodField()

    class Meta:
        model = SupplierInvoice
        fields = ["id", "number", "supplier", "supplier_code", "supplier_invoice_no", "kind", "service_kind",
                  "production_order", "purchase_order", "sales_order", "shipment", "currency", "amount", "tax_amount",
                  "paid_amount", "open_amount", "invoice_date", "due_date", "vat_required", "vat_received", "status",
                  "note", "version"]

    def get_vat_received(self, invoice) -> bool:
        count = getattr(invoice, "vat_count", None)
        return bool(count) if count is not None else invoice.vat_invoices.exists()


class SupplierInvoiceDetailOut(SupplierInvoiceOut):
    vat_invoices = VatInvoiceOut(many=True)
    payments = SupplierPaymentOut(many=True)

    class Meta(SupplierInvoiceOut.Meta):
        fields = [*SupplierInvoiceOut.Meta.fields, "vat_invoices", "payments"]


class SupplierInvoiceFilterInput(serializers.Serializer):
    supplier = serializers.IntegerField(required=False, min_value=1, max_value=BIG)
    kind = serializers.ChoiceField(choices=SupplierInvoice.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=SupplierInvoice.Status.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    vat_missing = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=60)


class SupplierInvoiceInput(serializers.Serializer):
    """The invoice as ``payables.services.invoices.supplier_invoice_record`` takes it; the rules
    between fields and against stored records are the service's (the field named in a 400)."""

    supplier = RecordField(queryset=Supplier.objects.all(), help_text="a supplier's id")
    kind = serializers.ChoiceField(choices=SupplierInvoice.Kind.choices,
                                   help_text="production: with `production_order` (that supplier's, not "
                                             "cancelled); materials: with `purchase_order` (that supplier's, "
                                             "sent); service: with `service_kind`")
    production_order = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIG)
    purchase_order = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIG)
    service_kind = serializers.ChoiceField(choices=SupplierInvoice.ServiceKind.choices, required=False,
                                           allow_blank=True, help_text="required when `kind` is service")
    sales_order = RecordField(queryset=SalesOrder.objects.all(), required=False, allow_null=True,
                              help_text="a service invoice's order (optional)")
    shipment = RecordField(queryset=Shipment.objects.all(), required=False, allow_null=True,
                           help_text="a service invoice's shipment (optional)")
    supplier_invoice_no = serializers.RegexField(
        NOT_BLANK, max_length=SupplierInvoice._meta.get_field("supplier_invoice_no").max_length,
        help_text="the supplier's own number, once per supplier")
    currency = CurrencyField(required=False, allow_blank=True, allow_null=True,
                             help_text="a currency in use (ISO 4217); default: the production or purchase "
                                       "order's (and it must be that order's), else CNY")
    amount = PositiveDecimalInput(places=2, whole_digits=MONEY_DIGITS,
                                  help_text=f"incl. VAT: above zero, below 10^13, {CURRENCY_PLACES}")
    tax_amount = PositiveDecimalInput(places=2, whole_digits=MONEY_DIGITS, allow_zero=True, allow_blank=True,
                                      required=False,
                                      help_text=f"the VAT in it: not above `amount` (a rule between two fields: "
                                                f"`values_inconsistent`), {CURRENCY_PLACES}; default 0")
    invoice_date = DateText(help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`)")
    due_date = DateText(required=False, allow_blank=True,
                        help_text="not before the invoice date (`dates_out_of_order`); default: "
                                  "GENDAN_SUPPLIER_PAYMENT_DAYS after it")
    vat_required = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True,
                                 max_length=SupplierInvoice._meta.get_field("note").max_length)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class VatInvoiceInput(serializers.Serializer):
    number = serializers.CharField(max_length=200)
    issued_on = serializers.CharField(max_length=30)
    net_amount = serializers.CharField(max_length=60)
    tax_rate = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="%, default 13")
    tax_amount = serializers.CharField(required=False, allow_blank=True, max_length=60,
                                       help_text="default net × rate; at most 0.01 apart from it")


class PaymentInput(serializers.Serializer):
    amount = PositiveDecimalInput(places=2, whole_digits=MONEY_DIGITS,
                                  help_text=f"above zero, {CURRENCY_PLACES} of the stored invoice's currency; at "
                                            "most what is open on it (`payment_above_invoice`)")
    paid_on = DateText(required=False, allow_blank=True,
                       help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`); default today")
    bank_reference = serializers.CharField(required=False, allow_blank=True,
                                           max_length=SupplierPayment._meta.get_field("bank_reference").max_length)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                            help_text="to pay a factory's balance before inspection and receipt")
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class StatementDisputeOut(serializers.ModelSerializer):
    class Meta:
        model = StatementDispute
        fields = ["id", "line_ref", "amount", "reason", "recorded_at", "settled_at", "settlement"]


class SupplierStatementOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="issued | sent | confirmed | disputed | superseded")
    supplier = serializers.IntegerField(source="supplier_id")
    currency = serializers.CharField(source="currency_id")
    month = serializers.SerializerMethodField()
    disputes = StatementDisputeOut(many=True)

    class Meta:
        model = SupplierStatement
        fields = ["id", "number", "supplier", "month", "currency", "status", "opening_balance", "delivered_amount",
                  "invoiced_amount", "paid_amount", "closing_balance", "lines", "sent_to", "email_sent_at",
                  "email_error", "replied_at", "reply_note", "disputes"]

    def get_month(self, statement) -> str:
        return statement.month.strftime("%Y-%m")


class StatementFilterInput(serializers.Serializer):
    supplier = serializers.IntegerField(required=False, min_value=1, max_value=BIG)
    status = serializers.ChoiceField(choices=SupplierStatement.Status.choices, required=False)


class StatementIssueInput(serializers.Serializer):
    supplier = RecordField(queryset=Supplier.objects.all(), help_text="a supplier's id")
    month = serializers.RegexField(r"^20[0-9]{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$", max_length=10,
                                   help_text="YYYY-MM, this month or an earlier one (a date YYYY-MM-DD gives "
                                             "its month)")
    currency = CurrencyField(required=False, default="CNY", help_text="a currency in use (ISO 4217); default CNY")
    send = serializers.BooleanField(required=False, default=False)


class DisputeLineInput(serializers.Serializer):
    line_ref = serializers.CharField(max_length=200, help_text="a line of the statement (its `ref` in `lines`: "
                                                               "`statement_line_unknown` otherwise), each once "
                                                               "(`duplicate_item`)")
    amount = PositiveDecimalInput(places=2, whole_digits=MONEY_DIGITS, required=False, allow_blank=True,
                                  allow_null=True, help_text=f"the amount disputed: above zero, {CURRENCY_PLACES}; "
                                                             "default the line's")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                   help_text="the supplier's reason, at least 3 characters (`reason_required`)")

    # (the service answers a missing or short reason with reason_required)
    request_schema_rules = {"required": ["reason"], "properties": {"reason": {
        "pattern": rf"{NOT_BLANK}[\s\S]+{NOT_BLANK}"}}}


class StatementReplyInput(serializers.Serializer):
    outcome = InlineChoiceField(choices=[(St.CONFIRMED, St.CONFIRMED.label), (St.DISPUTED, St.DISPUTED.label)],
                                help_text="confirmed (once the statement's month has ended: `statement_month_open`) "
                                          "or disputed, with `disputes`")
    note = serializers.CharField(required=False, allow_blank=True, max_length=400)
    disputes = DisputeLineInput(many=True, required=False, max_length=MAX_DISPUTES,
                                help_text="the lines disputed (at least one when the outcome is disputed)")

    request_schema_rules = {"anyOf": [
        {"properties": {"outcome": {"allOf": [{"enum": [St.CONFIRMED]}]}}},
        {"required": ["disputes"], "properties": {"disputes": {"minItems": 1}}},
    ]}


class SettleInput(serializers.Serializer):
    settlement = serializers.CharField(required=False, allow_blank=True, max_length=1000)
