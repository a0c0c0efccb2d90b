"""Purchase orders and material requirements: lists scoped like the pages, one purchase order
with its lines, coverage and allowed actions, and one POST per step through the purchasing
services (permission, guard, version under the lock)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.purchasing import (
    GoodsReceiveInput,
    MaterialRequirementFilterInput,
    MaterialRequirementOut,
    PurchaseConfirmInput,
    PurchaseOrderFilterInput,
    PurchaseOrderOut,
    PurchaseReasonInput,
    PurchaseVersionInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.orders import _action_schema
from gendan.purchasing import selectors
from gendan.purchasing.services import orders as services
from gendan.purchasing.services.receipts import goods_receive

VIEW = ("purchasing.view_purchaseorder",)
WORK = ("purchasing.change_purchaseorder",)


@extend_schema_view(
    list=extend_schema(parameters=[PurchaseOrderFilterInput], responses=PurchaseOrderOut(many=True)),
    retrieve=extend_schema(responses=PurchaseOrderOut),
)
class PurchaseOrderViewSet(ApiViewSet):
    required_perms = {"list": VIEW, "retrieve": VIEW, "send": WORK, "confirm": WORK, "receive": WORK,
                      "cancel": WORK}

    def _get(self, pk):
        return selectors.purchase_order_get_for_user(user=self.request.user, pk=pk)

    def list(self, request):
        f = self.parse(PurchaseOrderFilterInput, data=request.query_params)
        qs = selectors.purchase_order_queryset(request.user).prefetch_related(
            "lines__material", "lines__coverages__requirement__production_order")
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        if f.get("supplier"):
            qs = qs.filter(supplier_id=f["supplier"])
        if f.get("late"):
            qs = qs.filter(selectors.late_q())
        return self.paginated(qs.order_by("-id"), PurchaseOrderOut)

    def retrieve(self, request, pk=None):
        return self.render(PurchaseOrderOut, self._get(pk))

    @_action_schema(PurchaseVersionInput, response=PurchaseOrderOut, description="Send the draft to the supplier.")
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        data = self.parse(PurchaseVersionInput)
        services.purchase_order_send(actor=request.user, purchase_order_id=self._get(pk).pk,
                                     expected_version=data.get("version"))
        return self.render(PurchaseOrderOut, self._get(pk))

    @_action_schema(PurchaseConfirmInput, response=PurchaseOrderOut,
                    description="The supplier confirmed: an ETA for every line (given here or already set).")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = self.parse(PurchaseConfirmInput)
        services.purchase_order_confirm(actor=request.user, purchase_order_id=self._get(pk).pk,
                                        expected_version=data.get("version"),
                                        etas={e["line"]: e["eta"] for e in data.get("etas", [])})
        return self.render(PurchaseOrderOut, self._get(pk))

    @_action_schema(GoodsReceiveInput, response=PurchaseOrderOut,
                    description="Goods received: a quantity per line, never more than ordered + tolerance.")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        data = self.parse(GoodsReceiveInput)
        goods_receive(actor=request.user, purchase_order_id=self._get(pk).pk, received_on=data["received_on"],
                      quantities={q["line"]: q["quantity"] for q in data["quantities"]}, note=data["note"],
                      expected_version=data.get("version"))
        return self.render(PurchaseOrderOut, self._get(pk))

    @_action_schema(PurchaseReasonInput, response=PurchaseOrderOut, description="Cancel (nothing received yet).")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.parse(PurchaseReasonInput)
        services.purchase_order_cancel(actor=request.user, purchase_order_id=self._get(pk).pk, reason=data["reason"],
                                       expected_version=data.get("version"))
        return self.render(PurchaseOrderOut, self._get(pk))


@extend_schema_view(list=extend_schema(parameters=[MaterialRequirementFilterInput],
                                       responses=MaterialRequirementOut(many=True)))
class MaterialRequirementViewSet(ApiViewSet):
    required_perms = {"list": ("purchasing.view_materialrequirement",)}

    def list(self, request):
        f = self.parse(MaterialRequirementFilterInput, data=request.query_params)
        qs = selectors.requirement_queryset(request.user)
        if f.get("production_order"):
            qs = qs.filter(production_order_id=f["production_order"])
        if f.get("short"):
            qs = qs.filter(selectors.shortage_q())
        return self.paginated(qs.order_by("need_date", "pk"), MaterialRequirementOut)
