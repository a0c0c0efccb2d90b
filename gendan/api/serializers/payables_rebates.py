"""Shapes of the tax rebate and order profit API (``views.payables_rebates``). Amounts are
strings of the exact decimal; inputs state their types and ranges, and the services validate the
rest — the rules against today's date and between the rebate's dates (a field named)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import DateText, PositiveDecimalInput
from gendan.payables.models import TaxRebate


class RebateFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaxRebate.Status.choices, required=False, allow_blank=True)
    customer = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    declared_from = serializers.DateField(required=False)
    declared_to = serializers.DateField(required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=60)


class RebateCreateInput(serializers.Serializer):
    shipment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    declaration_no = serializers.CharField(max_length=40, help_text="18 digits (报关单号; spaces are dropped: "
                                                                    "`declaration_no_invalid` otherwise)")
    declared_on = DateText(help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`)")


class RebateVersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class RebateFileInput(RebateVersionInput):
    filed_on = DateText(help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`) nor before the "
                                  "declaration date (the stored record: `dates_out_of_order`)")


class RebateReceiveInput(RebateVersionInput):
    amount = PositiveDecimalInput(places=2, whole_digits=12, help_text="CNY: above zero, below 10^12, at most 2 "
                                                                      "decimals")
    received_on = DateText(help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`) nor before "
                                     "the filing date (the stored record: `dates_out_of_order`)")


class RebateChaseInput(serializers.Serializer):
    production_order = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class RebateLineOut(serializers.Serializer):
    hs_code = serializers.CharField()
    rate_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    products = serializers.ListField(child=serializers.CharField())
    net_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    rebate = serializers.DecimalField(max_digits=18, decimal_places=2)


class MissingVatOut(serializers.Serializer):
    production_order_id = serializers.IntegerField()
    production_order_no = serializers.CharField()
    supplier_id = serializers.IntegerField()
    supplier_name = serializers.CharField()


class RebateListOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="waiting | ready | filed | received")
    shipment = serializers.CharField(source="shipment.number")
    shipment_id = serializers.IntegerField()
    order = serializers.CharField(source="shipment.order.number")

    class Meta:
        model = TaxRebate
        fields = ["id", "declaration_no", "declared_on", "shipment_id", "shipment", "order", "status",
                  "expected_amount", "received_amount", "filed_on", "received_on", "version"]


class RebateOut(RebateListOut):
    lines = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    difference = serializers.SerializerMethodField()

    class Meta(RebateListOut.Meta):
        fields = [*RebateListOut.Meta.fields, "lines", "missing", "difference"]

    def _comp(self, rebate):
        from gendan.payables.selectors.rebates import rebate_compute

        if not hasattr(rebate, "_api_comp"):
            rebate._api_comp = rebate_compute(rebate.shipment, rebate=rebate)
        return rebate._api_comp

    def get_lines(self, rebate) -> list:
        return RebateLineOut(self._comp(rebate).lines, many=True).data

    def get_missing(self, rebate) -> list:
        return MissingVatOut(self._comp(rebate).missing, many=True).data

    def get_difference(self, rebate) -> str | None:
        if rebate.status != TaxRebate.Status.RECEIVED:
            return None
        return str(rebate.received_amount - rebate.expected_amount)


class ProfitLineOut(serializers.Serializer):
    key = serializers.CharField(help_text="selling | production | materials | freight | bank | commission | "
                                          "other | rebate")
    label = serializers.CharField()
    sign = serializers.IntegerField(help_text="+1 income, -1 cost")
    estimate = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=18, decimal_places=2)
    notes = serializers.ListField(child=serializers.CharField(), help_text="what is missing or estimated")


class OrderProfitOut(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    number = serializers.CharField(source="order.number")
    booked_rate = serializers.DecimalField(max_digits=18, decimal_places=8, allow_null=True)
    lines = ProfitLineOut(many=True)
    estimated_profit = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    actual_profit = serializers.DecimalField(max_digits=18, decimal_places=2)
    estimated_margin_pct = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    margin_pct = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    incomplete = serializers.BooleanField()


class ProfitReportInput(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=["customer", "salesperson", "month"], required=False)
    month_from = serializers.DateField(required=False, help_text="YYYY-MM-DD (the month's first day)")
    month_to = serializers.DateField(required=False)
    customer = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    salesperson = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ProfitRowOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    orders = serializers.IntegerField()
    selling = serializers.DecimalField(max_digits=20, decimal_places=2)
    costs = serializers.DecimalField(max_digits=20, decimal_places=2)
    rebate = serializers.DecimalField(max_digits=20, decimal_places=2)
    profit = serializers.DecimalField(max_digits=20, decimal_places=2)
    margin_pct = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    estimated_profit = serializers.DecimalField(max_digits=20, decimal_places=2)
    incomplete = serializers.IntegerField()


class ProfitReportOut(serializers.Serializer):
    group_by = serializers.CharField()
    rows = ProfitRowOut(many=True)
    total = ProfitRowOut()
