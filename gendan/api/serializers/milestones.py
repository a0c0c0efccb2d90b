"""T&A milestones and the chase board in the API (``tracking`` app)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import BusinessDateField, IdField
from gendan.api.serializers.common import NOT_BLANK
from gendan.tracking.models import OrderMilestone


class MilestoneOut(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number")
    customer = serializers.CharField(source="order.customer.code")
    name = serializers.CharField(source="display_name")
    owner = serializers.CharField(source="owner.username", default=None, allow_null=True)
    date_due = BusinessDateField()
    risk = serializers.CharField(source="plan.risk")

    class Meta:
        model = OrderMilestone
        fields = ["id", "order", "order_number", "customer", "key", "name", "owner_role", "owner", "required",
                  "status", "planned_date", "expected_date", "date_due", "forecast_date", "actual_date",
                  "skip_reason", "notes", "follow_up_date", "completes_on", "risk", "version"]


class MilestoneFilterInput(serializers.Serializer):
    """The milestone list's filters (``tracking.selectors.milestone_filter``)."""

    mine = serializers.BooleanField(required=False, default=False)
    state = serializers.ChoiceField(choices=["overdue", "today", "upcoming", "at_risk", "open", "done", "skipped"],
                                    required=False)
    order = IdField(required=False)
    role = serializers.CharField(required=False, max_length=20)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)


class BoardInput(serializers.Serializer):
    days = serializers.IntegerField(required=False, min_value=1, max_value=60, default=7)


class BoardOut(serializers.Serializer):
    today = BusinessDateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    overdue = MilestoneOut(many=True)
    due_today = MilestoneOut(many=True)
    upcoming = MilestoneOut(many=True)
    at_risk = MilestoneOut(many=True)


class CompleteInput(serializers.Serializer):
    on = BusinessDateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = IdField(required=False)


class RescheduleInput(serializers.Serializer):
    request_schema_rules = {"properties": {"reason": {"pattern": NOT_BLANK}}}

    expected_date = BusinessDateField(help_text="the date now expected: from today (`date_in_past`) to two years "
                                                "ahead (`date_too_far`)")
    reason = serializers.CharField(max_length=300)
    version = IdField(required=False)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=1000)
    follow_up_date = BusinessDateField(required=False, allow_null=True)
    version = IdField(required=False)


class SkipInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = IdField(required=False)
