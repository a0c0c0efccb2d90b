"""Daily production progress and production exceptions through the API.

``/production-progress/``: the open production orders of the orders the user sees (the progress
list), one production order's grid (lines × stages) and ``record`` — a day's cumulative
quantities, all or nothing, through ``planning.services.progress.progress_save`` (the grid's
service; the Excel import stays on its page). ``/production-exceptions/``: report, list, read
and resolve through ``planning.services.exceptions`` — the pages' services, rules and scopes."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.api.serializers.planning import (
    ExceptionFilterInput,
    ExceptionListOut,
    ExceptionOut,
    ExceptionReportInput,
    ExceptionResolveInput,
    ProgressFilterInput,
    ProgressOrderOut,
    ProgressOut,
    ProgressRecordInput,
    ProgressRecordOut,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.quality import _step
from gendan.planning import selectors
from gendan.planning.services import exceptions as exception_services
from gendan.planning.services.progress import ProgressInput, progress_save
from gendan.production.workflows import OPEN as OPEN_PRODUCTION

PROGRESS_VIEW = ("planning.view_progressentry",)
EXCEPTION_VIEW = ("planning.view_productionexception",)


def _missing(field: str, values) -> serializers.ValidationError:
    """The "does not exist" of a related field, for ids the user may not reach."""
    message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
    return serializers.ValidationError({field: [message.format(pk_value=value) for value in values]})


@extend_schema_view(
    list=extend_schema(parameters=[ProgressFilterInput], responses=ProgressOrderOut,
                       description="Open production orders of the orders the user may see, by due date; each opens "
                                   "its progress grid."),
    retrieve=extend_schema(responses=ProgressOut, description="The production order's progress grid: each line "
                                                               "with its stages, the latest cumulative quantity and "
                                                               "today's entry."),
)
class ProductionProgressViewSet(ApiViewSet):
    required_perms = {"list": PROGRESS_VIEW, "retrieve": PROGRESS_VIEW,
                      "record": (*PROGRESS_VIEW, "planning.change_progressentry")}

    def _grid(self, production_order, serializer=ProgressOut, **context):
        today = timezone.localdate()
        context = {**self.get_serializer_context(), "today": today,
                   "grid": selectors.progress_grid(production_order, today=today), **context}
        return serializer(production_order, context=context).data

    def list(self, request):
        f = self.parse(ProgressFilterInput, data=request.query_params)
        qs = selectors.production_order_queryset(request.user).filter(status__in=OPEN_PRODUCTION)
        if f.get("q", "").strip():
            q = f["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(sales_order__number__icontains=q) | Q(supplier__code__icontains=q))
        if f.get("order"):
            qs = qs.filter(sales_order_id=f["order"])
        if f.get("supplier"):
            qs = qs.filter(supplier_id=f["supplier"])
        return self.paginated(qs.order_by("due_date", "pk"), ProgressOrderOut)

    def retrieve(self, request, pk=None):
        return Response(self._grid(selectors.production_order_for_progress(user=request.user, pk=pk)))

    @_step(ProgressRecordInput, ProgressRecordOut, description="Record a day's progress (default today): per line "
           "and stage the cumulative quantity done, all or nothing. Only the planner or a manager (403). Refused "
           "(400, `fields` `entries[i].<field>`): a stage not of the line, a quantity above the line's, a date in "
           "the future or before the production order, a quantity below the day before without a `reason`. An "
           "entry equal to what is recorded changes nothing.")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        production_order = selectors.production_order_for_progress(user=request.user, pk=pk)
        d = self.parse(ProgressRecordInput)
        lines = {line.pk for line in production_order.lines.all()}
        unknown = {f"entries[{i}].line": row["line"] for i, row in enumerate(d["entries"]) if row["line"] not in lines}
        if unknown:
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError({k: [message.format(pk_value=v)] for k, v in unknown.items()})
        day = d.get("date") or timezone.localdate()
        entries = [ProgressInput(line_id=row["line"], stage=row["stage"], date=day,
                                 cumulative_quantity=row["cumulative_quantity"],
                                 expected_finish=row.get("expected_finish"), reason=row["reason"],
                                 key=f"entries[{i}]") for i, row in enumerate(d["entries"])]
        result = progress_save(actor=request.user, entries=entries)
        production_order = selectors.production_order_for_progress(user=request.user, pk=pk)
        return Response(self._grid(production_order, ProgressRecordOut, result=result))


@extend_schema_view(
    list=extend_schema(parameters=[ExceptionFilterInput], responses=ExceptionListOut,
                       description="Production exceptions touching the orders the user may see (or reported by "
                                   "them), newest first."),
    retrieve=extend_schema(responses=ExceptionOut),
    create=_step(ExceptionReportInput, ExceptionOut, status=201,
                 description="Report an exception on production orders the user may see; the managers are "
                             "emailed. A new ex-factory date becomes the forecast of each order's ex-factory "
                             "milestone. The planner, QC (quality problems only), merchandisers and managers (403 "
                             "otherwise)."),
)
class ProductionExceptionViewSet(ApiViewSet):
    required_perms = {"list": EXCEPTION_VIEW, "retrieve": EXCEPTION_VIEW,
                      "create": ("planning.add_productionexception",),
                      "resolve": ("planning.change_productionexception",)}

    def _answer(self, pk, status: int = 200):
        return self.render(ExceptionOut, selectors.exception_get_for_user(user=self.request.user, pk=pk),
                           status=status)

    def list(self, request):
        f = self.parse(ExceptionFilterInput, data=request.query_params)
        qs = selectors.exception_queryset(request.user)
        for key, lookup in (("status", "status"), ("kind", "kind"), ("order", "sales_orders"),
                            ("production_order", "production_orders")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        return self.paginated(qs.order_by("-created_at", "-pk"), ExceptionListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(ExceptionReportInput)
        wanted = list(dict.fromkeys(d["production_orders"]))
        found = set(selectors.production_order_queryset(request.user).filter(pk__in=wanted).values_list("pk", flat=True))
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise _missing("production_orders", missing)
        exception = exception_services.exception_report(
            actor=request.user, kind=d["kind"], description=d["description"], production_order_ids=wanted,
            new_ex_factory_date=d.get("new_ex_factory_date"))
        return self._answer(exception.pk, status=201)

    @_step(ExceptionResolveInput, ExceptionOut, description="open → resolved, with what was done (and a new "
           "ex-factory date if it moved). The planner, a manager or whoever reported it.")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        selectors.exception_get_for_user(user=request.user, pk=pk)
        d = self.parse(ExceptionResolveInput)
        exception_services.exception_resolve(actor=request.user, exception_id=int(pk), version=d.get("version"),
                                             resolution=d["resolution"],
                                             new_ex_factory_date=d.get("new_ex_factory_date"))
        return self._answer(pk)


