"""The warehouse through the API: finished goods receipts (``/goods-receipts/``: list, receive,
void), containers (``POST /shipments/{id}/containers/`` to start one; ``/containers/{id}/``:
read, load, seal, cancel), the departure (``POST /shipments/{id}/depart/``) and the loading
plan (``GET /shipments/{id}/loading-plan/``). Each action calls the one service of
``shipping.services.warehouse`` (permission, scope, rules and version checked there, under the
order's lock)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.shipments import ShipmentOut
from gendan.api.serializers.warehouse import (
    ContainerDetailOut,
    ContainerLoadInput,
    ContainerSealInput,
    ContainerStartInput,
    DepartInput,
    GoodsReceiptFilterInput,
    GoodsReceiptInput,
    GoodsReceiptOut,
    LoadingPlanOut,
    WarehouseReasonInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.shipping.loading import loading_list, recommend_containers
from gendan.shipping.selectors import (
    container_queryset,
    goods_receipt_queryset,
    shipment_cartons,
    shipment_get_for_user,
)
from gendan.shipping.services.warehouse import (
    DEPART,
    LOAD,
    RECEIVE,
    START,
    VOID,
    container_cancel,
    container_load,
    container_seal,
    container_start,
    goods_receipt_void,
    goods_receive,
    shipment_depart,
)

ORDERS = ("sales.view_salesorder",)
RECEIPT_VIEW = (*ORDERS, "shipping.view_finishedgoodsreceipt")
CONTAINER_VIEW = (*ORDERS, "shipping.view_container")
SHIPMENT_VIEW = (*ORDERS, "shipping.view_shipment")


def _step(request, response, status: int = 200, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="wrong input; `fields` names it (invalid_container_no, "
                                                          "loading_above_stock, loading_above_plan, seal_in_use, "
                                                          "vgm_implausible, receipt_above_ordered …)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by a gate (gate_balance, gate_final_inspection), "
                                                          "the state (container_not_sealed, not_in_warehouse, "
                                                          "receipt_already_loaded …) or a stale version (conflict)"),
    }, **kwargs)


def _receipt(user, pk):
    try:
        return goods_receipt_queryset(user).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, goods_receipt_queryset(user).model.DoesNotExist):
        raise Http404("No such receipt.") from None


def _container(user, pk):
    try:
        return container_queryset(user).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, container_queryset(user).model.DoesNotExist):
        raise Http404("No such container.") from None


@extend_schema_view(
    list=extend_schema(parameters=[GoodsReceiptFilterInput], responses=GoodsReceiptOut,
                       description="Finished goods receipts of orders the user may see, newest first."),
    retrieve=extend_schema(responses=GoodsReceiptOut),
    create=_step(GoodsReceiptInput, GoodsReceiptOut, status=201,
                 description="Receive finished goods of an order line into the warehouse (成品入库)."),
)
class GoodsReceiptViewSet(ApiViewSet):
    required_perms = {"list": RECEIPT_VIEW, "retrieve": RECEIPT_VIEW, "create": (*ORDERS, RECEIVE),
                      "void": (*ORDERS, VOID)}

    def list(self, request):
        filters = self.parse(GoodsReceiptFilterInput, data=request.query_params)
        qs = goods_receipt_queryset(request.user)
        if filters.get("order"):
            qs = qs.filter(order_id=filters["order"])
        return self.paginated(qs, GoodsReceiptOut)

    def retrieve(self, request, pk=None):
        return self.render(GoodsReceiptOut, _receipt(request.user, pk))

    def create(self, request):
        data = self.parse(GoodsReceiptInput)
        receipt = goods_receive(actor=request.user, order_id=data["order"], order_line_id=data["order_line"],
                                quantity=data["quantity"], cartons=data["cartons"], received_on=data["received_on"],
                                source=data["source"], source_ref=data.get("source_ref", ""),
                                inspection=data["inspection"], location=data.get("location", ""),
                                notes=data.get("notes", ""))
        return self.render(GoodsReceiptOut, _receipt(request.user, receipt.pk), status=201)

    @_step(WarehouseReasonInput, GoodsReceiptOut, description="Void a receipt entered by mistake, with the reason; refused "
           "once its goods are loaded or shipped.")
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        _receipt(request.user, pk)
        data = self.parse(WarehouseReasonInput)
        goods_receipt_void(actor=request.user, receipt_id=int(pk), reason=data["reason"])
        return self.render(GoodsReceiptOut, _receipt(request.user, pk))


@extend_schema_view(retrieve=extend_schema(responses=ContainerDetailOut))
class ContainerViewSet(ApiViewSet):
    required_perms = {"retrieve": CONTAINER_VIEW, "load": (*ORDERS, LOAD), "seal": (*ORDERS, LOAD),
                      "cancel": (*ORDERS, LOAD)}

    def _answer(self, pk):
        return self.render(ContainerDetailOut, _container(self.request.user, pk))

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @_step(ContainerLoadInput, ContainerDetailOut, description="Set the cartons and quantity per order line the "
           "container holds (gross kg and CBM from the product's carton).")
    @action(detail=True, methods=["post"])
    def load(self, request, pk=None):
        _container(request.user, pk)
        data = self.parse(ContainerLoadInput)
        container_load(actor=request.user, container_id=int(pk), lines=data["lines"],
                       expected_version=data.get("version"))
        return self._answer(pk)

    @_step(ContainerSealInput, ContainerDetailOut, description="Seal the container: seal no. (unique among live "
           "containers) and VGM (kg).")
    @action(detail=True, methods=["post"])
    def seal(self, request, pk=None):
        _container(request.user, pk)
        data = self.parse(ContainerSealInput)
        container_seal(actor=request.user, container_id=int(pk), seal_no=data["seal_no"], vgm_kg=data["vgm_kg"],
                       tare_kg=data.get("tare_kg"), expected_version=data.get("version"))
        return self._answer(pk)

    @_step(WarehouseReasonInput, ContainerDetailOut, description="Cancel the container (its cartons count as in the "
           "warehouse again), with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        _container(request.user, pk)
        data = self.parse(WarehouseReasonInput)
        container_cancel(actor=request.user, container_id=int(pk), reason=data["reason"],
                         expected_version=data.get("version"))
        return self._answer(pk)


class ShipmentWarehouseViewSet(ApiViewSet):
    """``/shipments/{id}/containers/``, ``/depart/``, ``/loading-plan/`` beside the shipments' list and detail."""

    required_perms = {"containers": (*SHIPMENT_VIEW, START), "depart": (*SHIPMENT_VIEW, DEPART),
                      "loading_plan": SHIPMENT_VIEW}

    @_step(ContainerStartInput, ContainerDetailOut, status=201, description="Open a container for the shipment "
           "(the first moves it from planned to loading): ISO 6346 no., type; the order's gates decide.")
    @action(detail=True, methods=["post"])
    def containers(self, request, pk=None):
        shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(ContainerStartInput)
        container = container_start(actor=request.user, shipment_id=int(pk), container_no=data["container_no"],
                                    container_type=data["container_type"], expected_version=data.get("version"))
        return self.render(ContainerDetailOut, _container(request.user, container.pk), status=201)

    @_step(DepartInput, ShipmentOut, description="The goods leave the factory (出厂): every container sealed "
           "(or, without containers, each line received in the warehouse); the order's gates decide.")
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(DepartInput)
        shipment_depart(actor=request.user, shipment_id=int(pk), shipped_on=data["shipped_on"],
                        expected_version=data.get("version"))
        return self.render(ShipmentOut, shipment_get_for_user(user=request.user, pk=pk))

    @extend_schema(responses={200: LoadingPlanOut}, description="The cheapest container mix for the shipment's "
                   "cartons (from its lines and the products' carton data) with each container's plan and "
                   "loading list.")
    @action(detail=True, methods=["get"], url_path="loading-plan")
    def loading_plan(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        cartons, missing = shipment_cartons(shipment)
        result = {"cartons": [{**c, "gross_kg": str(c["gross_kg"])} for c in cartons],
                  "missing_lines": [line.order_line_id for line in missing], "mix": {}, "relative_cost": "0",
                  "containers": [], "unplaced": {}}
        if cartons:
            recommendation = recommend_containers(cartons)
            result.update(mix=recommendation["mix"], relative_cost=str(recommendation["relative_cost"]),
                          unplaced=recommendation["unplaced"],
                          containers=[{**plan, "loading_list": loading_list(plan)}
                                      for plan in recommendation["containers"]])
        return Response(LoadingPlanOut(result).data)
