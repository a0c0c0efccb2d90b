"""Shapes of the dunning and credit API (``api.views.receivables_credit``): inputs carry what was
typed to the services (which check the rules and name the field); outputs are read-only."""

from __future__ import annotations

from rest_framework import serializers

from gendan.receivables.models import (
    CreditLimitApproval,
    CustomerCredit,
    Dispute,
    DunningLevel,
    DunningNotice,
    DunningRun,
)


class CustomerCreditOut(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code")
    customer_id = serializers.IntegerField()
    limit_currency = serializers.CharField(source="limit_currency_id", allow_null=True)
    lifted_by = serializers.CharField(allow_null=True)
    hold_reason = serializers.SerializerMethodField()

    class Meta:
        model = CustomerCredit
        fields = ["customer_id", "customer", "credit_limit", "limit_currency", "dunning_level", "last_dunned_on",
                  "on_hold", "hold_since", "hold_reason", "lifted_at", "lifted_by", "lift_reason", "version"]

    def get_hold_reason(self, credit) -> str:
        from gendan.receivables.services.credit import hold_reason_text

        return hold_reason_text(credit.hold_reason)


class ReceivablesPerCurrencyOut(serializers.Serializer):
    currency = serializers.CharField()
    open = serializers.DecimalField(max_digits=18, decimal_places=2)
    overdue = serializers.DecimalField(max_digits=18, decimal_places=2)
    disputed = serializers.DecimalField(max_digits=18, decimal_places=2)


class NoticeOut(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code")
    run_on = serializers.DateField(source="run.run_on")

    class Meta:
        model = DunningNotice
        fields = ["id", "run_on", "customer", "level", "overdue", "oldest_due_date", "days_overdue", "items",
                  "language", "sent_to", "subject", "email_sent_at", "email_error", "resolved_at"]


class DisputeOut(serializers.ModelSerializer):
    order = serializers.CharField(source="plan_item.order.number")
    instalment = serializers.CharField(source="plan_item.kind", help_text="deposit | balance")
    currency = serializers.CharField(source="plan_item.order.currency_id")
    opened_by = serializers.CharField()
    settled_by = serializers.CharField(allow_null=True)

    class Meta:
        model = Dispute
        fields = ["id", "plan_item", "order", "instalment", "currency", "amount", "reason", "opened_by", "opened_at",
                  "settled_by", "settled_at", "settlement"]


class CreditDetailOut(serializers.Serializer):
    credit = CustomerCreditOut()
    receivables = ReceivablesPerCurrencyOut(many=True)
    notices = NoticeOut(many=True)
    disputes = DisputeOut(many=True)


class LimitInput(serializers.Serializer):
    credit_limit = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40,
                                         help_text="empty or null: no limit")
    currency = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=3)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False, allow_null=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False, allow_null=True)


class ApprovalInput(serializers.Serializer):
    order = serializers.CharField(max_length=20)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    exposure = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40,
                                     help_text="default: the exposure as it stands now")


class ApprovalOut(serializers.ModelSerializer):
    order = serializers.CharField(source="order_id")
    currency = serializers.CharField(source="currency_id")
    approved_by = serializers.CharField()

    class Meta:
        model = CreditLimitApproval
        fields = ["id", "order", "exposure", "credit_limit", "currency", "reason", "approved_by", "approved_at"]


class DisputeInput(serializers.Serializer):
    plan_item = serializers.CharField(max_length=20)
    amount = serializers.CharField(max_length=40)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class SettleInput(serializers.Serializer):
    settlement = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RunOut(serializers.ModelSerializer):
    started_by = serializers.CharField(allow_null=True)

    class Meta:
        model = DunningRun
        fields = ["id", "run_on", "started_at", "started_by", "customers_count", "notices_count", "holds_count"]


class LevelOut(serializers.ModelSerializer):
    class Meta:
        model = DunningLevel
        fields = ["level", "days_overdue", "subject_zh", "subject_en", "body_zh", "body_en", "email_customer",
                  "board_task", "escalate_manager", "credit_hold"]


class LevelInput(serializers.Serializer):
    days_overdue = serializers.CharField(max_length=10)
    subject_zh = serializers.CharField(allow_blank=True, max_length=5000)
    subject_en = serializers.CharField(allow_blank=True, max_length=5000)
    body_zh = serializers.CharField(allow_blank=True, max_length=20000)
    body_en = serializers.CharField(allow_blank=True, max_length=20000)
    email_customer = serializers.BooleanField(required=False, default=True)
    board_task = serializers.BooleanField(required=False, default=False)
    escalate_manager = serializers.BooleanField(required=False, default=False)
    credit_hold = serializers.BooleanField(required=False, default=False)


class LevelsInput(serializers.Serializer):
    levels = LevelInput(many=True)
