"""Production orders: the list of those the caller may see (filters), one production order with
its lines and allowed actions, and one POST per step — each calls the same service as the
pages (permission, scope, guard, version under the lock)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.production import (
    AcceptInput,
    OptionalReasonInput,
    ProductionOrderDetailOut,
    ProductionOrderFilterInput,
    ReasonInput,
    VersionInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.orders import _action_schema
from gendan.production import services
from gendan.production.selectors import production_order_get_for_user, production_order_queryset

VIEW = ("production.view_productionorder",)
WORK = ("production.change_productionorder",)


@extend_schema_view(
    list=extend_schema(parameters=[ProductionOrderFilterInput], responses=ProductionOrderDetailOut(many=True)),
    retrieve=extend_schema(responses=ProductionOrderDetailOut),
)
class ProductionOrderViewSet(ApiViewSet):
    required_perms = {"list": VIEW, "retrieve": VIEW, "issue": WORK, "accept": WORK, "start": WORK,
                      "finish": WORK, "close": WORK, "hold": WORK, "resume": WORK, "cancel": WORK,
                      "override_first_article": ("production.override_first_article",)}

    def _get(self, pk):
        return production_order_get_for_user(user=self.request.user, pk=pk)

    def list(self, request):
        f = self.parse(ProductionOrderFilterInput, data=request.query_params)
        qs = production_order_queryset(request.user).prefetch_related("lines__order_line")
        for key, lookup in (("status", "status"), ("supplier", "supplier_id"), ("order", "sales_order_id"),
                            ("due_from", "due_date__gte"), ("due_to", "due_date__lte")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        return self.paginated(qs.order_by("-id"), ProductionOrderDetailOut)

    def retrieve(self, request, pk=None):
        return self.render(ProductionOrderDetailOut, self._get(pk))

    def _step(self, service, pk, input_class=VersionInput, **fields):
        data = self.parse(input_class)
        kwargs = {name: data[name] for name in fields.get("take", ())}
        service(actor=self.request.user, production_order_id=pk, expected_version=data.get("version"), **kwargs)
        return self.render(ProductionOrderDetailOut, self._get(pk))

    @_action_schema(VersionInput, response=ProductionOrderDetailOut, description="Issue the draft: PDF stored, emailed.")
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._step(services.production_order_issue, pk)

    @_action_schema(AcceptInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(services.production_order_accept, pk, AcceptInput, take=("committed_due_date",))

    @_action_schema(VersionInput, response=ProductionOrderDetailOut, description="Refused (409) by the first-article "
                    "rule unless a manager overrode it.")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(services.production_order_start, pk)

    @_action_schema(ReasonInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"], url_path="override-first-article")
    def override_first_article(self, request, pk=None):
        return self._step(services.production_order_override_first_article, pk, ReasonInput, take=("reason",))

    @_action_schema(OptionalReasonInput, response=ProductionOrderDetailOut, description="Short of the quantity only "
                    "by a manager or planner, with a reason.")
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        return self._step(services.production_order_finish, pk, OptionalReasonInput, take=("reason",))

    @_action_schema(VersionInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(services.production_order_close, pk)

    @_action_schema(ReasonInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._step(services.production_order_hold, pk, ReasonInput, take=("reason",))

    @_action_schema(VersionInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._step(services.production_order_resume, pk)

    @_action_schema(ReasonInput, response=ProductionOrderDetailOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(services.production_order_cancel, pk, ReasonInput, take=("reason",))
