"""Tax rebates and order profit: ``/api/v1/rebates/`` list (the list page's filters), create
(record the customs declaration of a shipped shipment), retrieve (with the lines of the expected
amount and what is missing), ``/check/``, ``/file/``, ``/receive/``, ``/chase/``;
``/api/v1/order-profits/{order id}/`` (estimate vs actual per line) and ``/api/v1/profit-report/``
(per customer, salesperson or month). Each action calls one service or selector of
``payables`` — the pages call the same."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import ActionPermission
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.payables_rebates import (
    OrderProfitOut,
    ProfitReportInput,
    ProfitReportOut,
    RebateChaseInput,
    RebateCreateInput,
    RebateFileInput,
    RebateFilterInput,
    RebateListOut,
    RebateOut,
    RebateReceiveInput,
    RebateVersionInput,
)
from gendan.api.views.base import ApiViewSet, LanguageMixin
from gendan.payables.selectors.profit import VIEW as VIEW_PROFIT
from gendan.payables.selectors.profit import VIEW_COST, order_profit, profit_report
from gendan.payables.selectors.rebates import rebate_get_for_user, rebate_list
from gendan.payables.services.rebates import (
    ADD,
    CHANGE,
    VIEW,
    rebate_chase,
    rebate_check,
    rebate_file,
    rebate_receive,
    rebate_record,
)
from gendan.sales.selectors import order_get_for_user


def _refused(status: int = 200, response=RebateOut, **kwargs):
    return extend_schema(responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="bad input (declaration_no_invalid, declaration_no_taken, "
                                                          "rebate_amount_invalid, invalid_date, …)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by the workflow (rebate_vat_missing, "
                                                          "transition_not_allowed) or a stale version (conflict)"),
    }, **kwargs)


@extend_schema_view(
    list=extend_schema(parameters=[RebateFilterInput], responses=RebateListOut,
                       description="The tax rebates of shipments the user sees, newest declaration first."),
    retrieve=extend_schema(responses=RebateOut),
    create=_refused(201, request=RebateCreateInput, description="Record the customs declaration of a shipped "
                                                                "shipment: the rebate opens waiting or ready."),
)
class RebateViewSet(ApiViewSet):
    required_perms = {"list": (VIEW,), "retrieve": (VIEW,), "create": (ADD,), "check": (VIEW,), "chase": (VIEW,),
                      "file": (CHANGE,), "receive": (CHANGE,)}

    def _answer(self, pk, status: int = 200):
        return self.render(RebateOut, rebate_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(RebateFilterInput, data=request.query_params)
        return self.paginated(rebate_list(user=request.user, filters=filters), RebateListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        data = self.parse(RebateCreateInput)
        rebate = rebate_record(actor=request.user, shipment_id=data["shipment"],
                               declaration_no=data["declaration_no"], declared_on=data["declared_on"])
        return self._answer(rebate.pk, status=201)

    @_refused(request=RebateVersionInput, description="Check the VAT invoices again: waiting ⇄ ready.")
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        data = self.parse(RebateVersionInput)
        rebate_check(actor=request.user, rebate_id=pk, version=data.get("version"))
        return self._answer(pk)

    @_refused(request=RebateFileInput, description="Filed with the tax office (every VAT invoice in).")
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        data = self.parse(RebateFileInput)
        rebate_file(actor=request.user, rebate_id=pk, filed_on=data["filed_on"], version=data.get("version"))
        return self._answer(pk)

    @_refused(request=RebateReceiveInput, description="The rebate received: amount (CNY) and day.")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        data = self.parse(RebateReceiveInput)
        rebate_receive(actor=request.user, rebate_id=pk, amount=data["amount"], received_on=data["received_on"],
                       version=data.get("version"))
        return self._answer(pk)

    @_refused(request=RebateChaseInput, description="E-mail the factories whose VAT invoice is missing (or one).")
    @action(detail=True, methods=["post"])
    def chase(self, request, pk=None):
        data = self.parse(RebateChaseInput)
        rebate_chase(actor=request.user, rebate_id=pk, production_order_id=data.get("production_order"))
        return self._answer(pk)


@extend_schema_view(retrieve=extend_schema(responses=OrderProfitOut,
                                           description="The order's profit in CNY: estimate at confirmation vs "
                                                       "actual per line, margin, what is missing."))
class OrderProfitViewSet(ApiViewSet):
    required_perms = {"retrieve": (VIEW_PROFIT, VIEW_COST)}

    def retrieve(self, request, pk=None):
        order = order_get_for_user(user=request.user, pk=pk)
        if not order.confirmed_at:
            raise Http404("No profit: the order is not confirmed.")
        return self.render(OrderProfitOut, order_profit(order))


class ProfitReportView(LanguageMixin, APIView):
    permission_classes = [ActionPermission]
    required_perms = {"get": (VIEW_PROFIT, VIEW_COST)}

    @extend_schema(parameters=[ProfitReportInput], responses=ProfitReportOut,
                   description="Profit per customer, salesperson or month of confirmation, with the total.")
    def get(self, request):
        serializer = ProfitReportInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        group_by = data.get("group_by") or "customer"
        rows, total = profit_report(user=request.user, group_by=group_by, filters=data)
        return Response(ProfitReportOut({"group_by": group_by, "rows": rows, "total": total}).data)
