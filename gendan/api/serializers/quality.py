"""Samples, first articles and inspections in the API (``quality`` app): what the quality pages
show and the fields their forms accept. Each detail carries ``allowed_actions``: the actions of
its state the user may take, or why not (the page's buttons)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from gendan.api.fields import BusinessDateField, IdField, UserRef
from gendan.api.serializers.common import NOT_BLANK
from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.quality import rules
from gendan.quality.errors import QualityError
from gendan.quality.models import (
    CheckResult,
    FirstArticle,
    FirstArticleItem,
    Inspection,
    Sample,
    SampleRound,
    SampleSignoff,
)
from gendan.quality.services import SIGN_PERM
from gendan.quality.services.common import MAX_COUNT
from gendan.quality.workflows import FIRST_ARTICLE, ROUND_OUT, SAMPLE

COUNT = {"min_value": 0, "max_value": MAX_COUNT}


def allowed(user, perm: str | tuple[str, ...] | None, check: Check) -> dict:
    """One entry of ``allowed_actions``: the role's permission first, then the record's rule."""
    perms = (perm,) if isinstance(perm, str) else perm or ()
    if perms and not any(user.has_perm(p) for p in perms):
        check = no(CoreError.FORBIDDEN, _("Your role may not do this."))
    return {"allowed": bool(check), "reason": check.reason, "code": check.code}


class AllowedActionsField(serializers.DictField):
    """``{action: {"allowed": bool, "reason": str, "code": str}}``."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.DictField(), read_only=True, **kwargs)


class OrderRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    customer = serializers.CharField(source="customer.code")


# --- samples ------------------------------------------------------------------------------


class SampleSignoffOut(serializers.ModelSerializer):
    department = serializers.CharField()
    verdict = serializers.CharField()
    signed_by = serializers.CharField(source="signed_by.username")

    class Meta:
        model = SampleSignoff
        fields = ["department", "verdict", "comment", "signed_by", "signed_at"]


class SampleRoundOut(serializers.ModelSerializer):
    signoffs = SampleSignoffOut(many=True)

    class Meta:
        model = SampleRound
        fields = ["round_no", "sent_on", "courier", "tracking_no", "received_on", "comments_due_on", "comments",
                  "signoffs"]


class SampleListOut(serializers.ModelSerializer):
    order = OrderRefOut(source="sales_order")
    production_order = serializers.IntegerField(source="production_order_id", allow_null=True)
    kind = serializers.CharField(help_text="pp, shipping, lab_dip, size_set, other")
    status = serializers.CharField(help_text="requested, sent, approved, rejected, cancelled")

    class Meta:
        model = Sample
        fields = ["id", "order", "production_order", "kind", "description", "quantity", "requested_on", "status",
                  "needs_engineering", "version", "created_at"]


def sample_actions(user, sample: Sample) -> dict:
    rounds = list(sample.rounds.all())
    current = rounds[-1] if rounds else None
    out = sample.status in ROUND_OUT and current is not None
    if not out:
        receive = no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a sent sample can be received."))
        sign = no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a sample that was sent can be signed off."))
    else:
        receive = OK  # the service accepts a correction of the round's receipt until it is signed off
        sign = OK if current.received_on else no(QualityError.NOT_RECEIVED, _(
            "Record when this round of the sample was received before signing it off: the three working days "
            "for comments count from then."))
    return {
        "send": allowed(user, "quality.change_sample", SAMPLE.check(sample, Sample.Status.SENT)),
        "receive": allowed(user, "quality.change_sample", receive),
        "sign": allowed(user, tuple(SIGN_PERM.values()), sign),
        "cancel": allowed(user, "quality.change_sample", SAMPLE.check(sample, Sample.Status.CANCELLED)),
    }


class SampleOut(SampleListOut):
    rounds = SampleRoundOut(many=True)
    warning = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(SampleListOut.Meta):
        fields = [*SampleListOut.Meta.fields, "rounds", "warning", "allowed_actions"]

    def get_warning(self, obj) -> str:
        """The shipping-sample warning the page shows before sending ("" if none)."""
        return rules.sample_shipping_warning(obj) if SAMPLE.can(obj, Sample.Status.SENT) else ""

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed", "reason", "code"}}`` for send, receive, sign and cancel."""
        return sample_actions(self.context["request"].user, obj)


class SampleFilterInput(serializers.Serializer):
    order = IdField(required=False)
    production_order = IdField(required=False)
    status = serializers.ChoiceField(choices=Sample.Status.values, required=False)
    kind = serializers.ChoiceField(choices=Sample.Kind.values, required=False)


class SampleCreateInput(serializers.Serializer):
    order = IdField()
    kind = serializers.ChoiceField(choices=Sample.Kind.values)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)
    requested_on = BusinessDateField(help_text="needed by; not in the past (`date_in_past`)")
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    production_order = IdField(required=False, allow_null=True,
                               help_text="one of the order's production orders (`record_mismatch`)")
    needs_engineering = serializers.BooleanField(required=False, default=False)


class SampleSendInput(serializers.Serializer):
    sent_on = BusinessDateField(help_text="not in the future (`date_in_future`)")
    courier = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    tracking_no = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    version = IdField(required=False)


class SampleReceiveInput(serializers.Serializer):
    received_on = BusinessDateField(help_text="between the round's sending date (`dates_out_of_order`) and today "
                                              "(`date_in_future`)")
    comments = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    version = IdField(required=False)


class SampleSignInput(serializers.Serializer):
    department = serializers.ChoiceField(choices=SampleSignoff.Department.values,
                                         help_text="engineering only for a sample that needs it "
                                                   "(`engineering_not_needed`)")
    verdict = serializers.ChoiceField(choices=SampleSignoff.Verdict.values)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300, default="",
                                    help_text="required with a rejection: what must change (`comment_required`)")
    version = IdField(required=False)


class QualityReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="at least 3 characters")
    version = IdField(required=False)


# --- first articles -----------------------------------------------------------------------


class FirstArticleItemOut(serializers.ModelSerializer):
    result = serializers.CharField(help_text="pending, pass, fail, na")

    class Meta:
        model = FirstArticleItem
        fields = ["id", "position", "topic", "result", "comment"]


class FirstArticleListOut(serializers.ModelSerializer):
    order = OrderRefOut(source="sales_order")
    production_order_number = serializers.CharField(source="production_order.number")
    supplier = serializers.CharField(source="production_order.supplier.code")
    status = serializers.CharField(help_text="open, approved, rejected")
    qc_signed_by = UserRef(allow_null=True)
    sales_signed_by = UserRef(allow_null=True)

    class Meta:
        model = FirstArticle
        fields = ["id", "order", "production_order", "production_order_number", "supplier", "round_no", "status",
                  "qc_signed_by", "qc_signed_at", "sales_signed_by", "sales_signed_at", "reject_reason", "version",
                  "created_at"]


def first_article_actions(user, first_article: FirstArticle) -> dict:
    reject = FIRST_ARTICLE.check(first_article, FirstArticle.Status.REJECTED)
    return {
        "checks": allowed(user, "quality.change_firstarticle", rules.first_article_items_check(first_article)),
        "sign_qc": allowed(user, "quality.sign_firstarticle_qc", rules.first_article_sign_check(first_article, "qc")),
        "sign_sales": allowed(user, "quality.sign_firstarticle_sales",
                              rules.first_article_sign_check(first_article, "sales")),
        "reject": allowed(user, ("quality.sign_firstarticle_qc", "quality.sign_firstarticle_sales"), reject),
    }


class FirstArticleOut(FirstArticleListOut):
    requirements = serializers.CharField()
    items = FirstArticleItemOut(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(FirstArticleListOut.Meta):
        fields = [*FirstArticleListOut.Meta.fields, "requirements", "items", "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed", "reason", "code"}}`` for checks, sign_qc, sign_sales and reject."""
        return first_article_actions(self.context["request"].user, obj)


class FirstArticleFilterInput(serializers.Serializer):
    order = IdField(required=False)
    production_order = IdField(required=False)
    status = serializers.ChoiceField(choices=FirstArticle.Status.values, required=False)


class FirstArticleCreateInput(serializers.Serializer):
    production_order = IdField()
    topics = serializers.ListField(child=serializers.CharField(max_length=100, allow_blank=True), required=False,
                                   max_length=100,
                                   help_text="the checklist, one check each; default: printing / logo, packaging "
                                             "and labels, barcodes, software / firmware, accessories")
    requirements = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class FirstArticleCheckInput(serializers.Serializer):
    item = IdField(help_text="a checklist item of this first article")
    result = serializers.ChoiceField(choices=[c for c in CheckResult.values if c != CheckResult.PENDING])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300, default="",
                                    help_text="required with a failed check: what is wrong (`comment_required`)")


class FirstArticleChecksInput(serializers.Serializer):
    results = FirstArticleCheckInput(many=True, max_length=200)
    version = IdField(required=False)


class FirstArticleSignInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=["qc", "sales"])
    version = IdField(required=False)


# --- inspections --------------------------------------------------------------------------


class InspectionListOut(serializers.ModelSerializer):
    order = OrderRefOut(source="sales_order")
    kind = serializers.CharField(help_text="inline, final")
    party = serializers.CharField(help_text="customer, third_party, internal")
    status = serializers.CharField(help_text="booked, passed, failed, cancelled")
    reinspection_of = serializers.IntegerField(source="reinspection_of_id", allow_null=True)

    class Meta:
        model = Inspection
        fields = ["id", "number", "order", "kind", "party", "inspector", "planned_on", "lot_size", "status",
                  "inspection_level", "critical_aql", "major_aql", "minor_aql", "sample_size", "critical_accept",
                  "major_accept", "minor_accept", "inspected_on", "critical_found", "major_found", "minor_found",
                  "reinspection_of", "version"]


class InspectionOut(InspectionListOut):
    production_orders = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reinspections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    booked_by = UserRef()
    result_by = UserRef(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(InspectionListOut.Meta):
        fields = [*InspectionListOut.Meta.fields, "result_notes", "cancel_reason", "production_orders",
                  "reinspections", "booked_by", "result_by", "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed", "reason", "code"}}`` for result and cancel."""
        user = self.context["request"].user
        return {"result": allowed(user, "quality.record_inspection_result", rules.inspection_result_check(obj)),
                "cancel": allowed(user, "quality.change_inspection", rules.inspection_cancel_check(obj))}


class InspectionFilterInput(serializers.Serializer):
    """The inspection list page's filters."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="inspection no., order no., customer PO no., inspector")
    status = serializers.ChoiceField(choices=Inspection.Status.values, required=False)
    kind = serializers.ChoiceField(choices=Inspection.Kind.values, required=False)
    order = IdField(required=False)
    date_from = BusinessDateField(required=False)
    date_to = BusinessDateField(required=False)


class InspectionBookInput(serializers.Serializer):
    request_schema_rules = {"properties": {"inspector": {"pattern": NOT_BLANK}}}

    order = IdField()
    kind = serializers.ChoiceField(choices=Inspection.Kind.values)
    party = serializers.ChoiceField(choices=Inspection.Party.values)
    inspector = serializers.CharField(max_length=120, help_text="person or inspection company")
    planned_on = BusinessDateField(help_text="from today (`date_in_past`) to a year ahead (`date_too_far`)")
    lot_size = serializers.IntegerField(min_value=2, max_value=MAX_COUNT, help_text="pieces; not above the order's "
                                                                                    "(`values_inconsistent`)")
    production_orders = serializers.ListField(child=IdField(), required=False, default=list, max_length=100,
                                              help_text="production orders of this order (`record_mismatch`)")


class InspectionResultInput(serializers.Serializer):
    inspected_on = BusinessDateField(help_text="not in the future (`date_in_future`), not before the booking "
                                                      "(`dates_out_of_order`)")
    critical = serializers.IntegerField(**COUNT)
    major = serializers.IntegerField(**COUNT)
    minor = serializers.IntegerField(**COUNT)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    reinspection_on = BusinessDateField(required=False, allow_null=True,
                                        help_text="the re-inspection's date if it fails (default: in 3 working days)")
    version = IdField(required=False)
