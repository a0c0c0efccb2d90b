"""Daily production progress and production exceptions in the API (``planning`` app): the
progress grid of a production order (lines × stages, cumulative quantities) and the exception
list and detail, with the fields the planning pages' forms accept."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.api.fields import BusinessDateField, IdField, UserRef
from gendan.api.serializers.common import NOT_BLANK
from gendan.api.serializers.quality import OrderRefOut, allowed
from gendan.planning.models import ProductionException
from gendan.planning.rules import can_plan, can_resolve_exception
from gendan.production.models import ProductionOrder

# Cumulative quantities: at most 14 digits with 3 decimals (``planning.models.QTY``).
QUANTITY = {"max_digits": 14, "decimal_places": 3, "min_value": 0}


class ProgressOrderOut(serializers.ModelSerializer):
    """An open production order of the progress list."""

    order = OrderRefOut(source="sales_order")
    supplier = serializers.CharField(source="supplier.code")
    status = serializers.CharField()

    class Meta:
        model = ProductionOrder
        fields = ["id", "number", "order", "supplier", "status", "due_date", "committed_due_date", "version"]


class StageCellOut(serializers.Serializer):
    stage = serializers.CharField(help_text="the stage's code, e.g. cutting")
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    done = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True,
                                    help_text="the latest cumulative quantity recorded")
    today = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True,
                                     help_text="today's entry, if any")
    percent = serializers.IntegerField()


class ProgressLineOut(serializers.Serializer):
    line = serializers.IntegerField(help_text="the production order line's id (`entries[].line` when recording)")
    line_no = serializers.IntegerField()
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    produced_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    expected_finish = serializers.DateField(allow_null=True)
    stages = StageCellOut(many=True)


class ProgressOut(ProgressOrderOut):
    today = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ProgressOrderOut.Meta):
        fields = [*ProgressOrderOut.Meta.fields, "today", "lines", "allowed_actions"]

    def get_today(self, obj) -> str:
        return self.context["today"].isoformat()

    @extend_schema_field(ProgressLineOut(many=True))
    def get_lines(self, obj) -> list:
        rows = []
        for row in self.context["grid"]:
            line = row.line
            rows.append({"line": line.pk, "line_no": line.order_line.line_no, "description": line.order_line.description,
                         "quantity": line.quantity, "produced_quantity": line.produced_quantity,
                         "expected_finish": row.expected_finish,
                         "stages": [{"stage": c["stage"].code, "name_zh": c["stage"].name_zh,
                                     "name_en": c["stage"].name_en, "done": c["done"], "today": c["today"],
                                     "percent": c["percent"]} for c in row.cells]})
        return ProgressLineOut(rows, many=True).data

    def get_allowed_actions(self, obj) -> dict:
        """``{"record": {"allowed", "reason", "code"}}``: only the planner or a manager records progress."""
        user = self.context["request"].user
        return {"record": allowed(user, "planning.change_progressentry", can_plan(user))}


class ProgressFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="production order no., order no., factory code")
    order = IdField(required=False)
    supplier = IdField(required=False)


class ProgressEntryInput(serializers.Serializer):
    line = IdField(help_text="a line of this production order")
    stage = serializers.SlugField(max_length=30, help_text="one of the line's stages (the grid's `stages[].stage`; "
                                                           "`record_mismatch`)")
    cumulative_quantity = serializers.DecimalField(**QUANTITY, help_text="the cumulative quantity done at the stage, "
                                                                       "not above the line's quantity, nor below the "
                                                                       "day before or above a later day without a "
                                                                       "`reason` (`values_inconsistent`)")
    expected_finish = BusinessDateField(required=False, allow_null=True,
                                        help_text="not before the date (`dates_out_of_order`)")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="",
                                   help_text="required for a correction (a quantity below the day before)")


class ProgressRecordInput(serializers.Serializer):
    date = BusinessDateField(required=False, help_text="the day of the progress (default today; not in the future: "
                                                       "`date_in_future`; not before the production order: "
                                                       "`dates_out_of_order`)")
    entries = serializers.ListField(child=ProgressEntryInput(), min_length=1, max_length=500)


class ProgressRecordOut(ProgressOut):
    saved = serializers.SerializerMethodField()
    unchanged = serializers.SerializerMethodField()

    class Meta(ProgressOut.Meta):
        fields = [*ProgressOut.Meta.fields, "saved", "unchanged"]

    def get_saved(self, obj) -> int:
        """Entries saved (new or changed)."""
        return len(self.context["result"].saved)

    def get_unchanged(self, obj) -> int:
        """Entries equal to what was recorded already."""
        return self.context["result"].unchanged


# --- exceptions ---------------------------------------------------------------------------


class ProductionOrderRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    supplier = serializers.CharField(source="supplier.code")


class ExceptionListOut(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="material, quality, capacity, other")
    status = serializers.CharField(help_text="open, resolved")
    reported_by = UserRef()

    class Meta:
        model = ProductionException
        fields = ["id", "kind", "status", "description", "new_ex_factory_date", "reported_by", "created_at",
                  "resolved_at", "version"]


class ExceptionOut(ExceptionListOut):
    production_orders = ProductionOrderRefOut(many=True)
    orders = OrderRefOut(source="sales_orders", many=True)
    resolved_by = UserRef(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ExceptionListOut.Meta):
        fields = [*ExceptionListOut.Meta.fields, "production_orders", "orders", "escalated_to", "escalated_at",
                  "resolution", "resolved_by", "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{"resolve": {"allowed", "reason", "code"}}``."""
        user = self.context["request"].user
        return {"resolve": allowed(user, "planning.change_productionexception", can_resolve_exception(user, obj))}


class ExceptionFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProductionException.Status.values, required=False)
    kind = serializers.ChoiceField(choices=ProductionException.Kind.values, required=False)
    order = IdField(required=False)
    production_order = IdField(required=False)


class ExceptionReportInput(serializers.Serializer):
    request_schema_rules = {"properties": {"description": {"pattern": NOT_BLANK}}}

    kind = serializers.ChoiceField(choices=ProductionException.Kind.values,
                                   help_text="QC reports quality problems only")
    production_orders = serializers.ListField(child=IdField(), allow_empty=False, min_length=1, max_length=100,
                                              help_text="the production orders it holds up (ids)")
    description = serializers.CharField(max_length=5000, help_text="what happened and what it holds up")
    new_ex_factory_date = BusinessDateField(required=False, allow_null=True,
                                            help_text="only when the ex-factory date moves; not in the past "
                                                      "(`date_in_past`)")


class ExceptionResolveInput(serializers.Serializer):
    request_schema_rules = {"properties": {"resolution": {"pattern": NOT_BLANK}}}

    resolution = serializers.CharField(max_length=5000, help_text="how it was resolved")
    new_ex_factory_date = BusinessDateField(required=False, allow_null=True,
                                            help_text="only when the ex-factory date moves; not in the past "
                                                      "(`date_in_past`)")
    version = IdField(required=False)
