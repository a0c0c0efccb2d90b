from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.lines import lines_for_service
from gendan.api.serializers.orders import OrderOut
from gendan.api.serializers.quotations import (
    QuotationAcceptInput,
    QuotationCreateInput,
    QuotationFilterInput,
    QuotationListOut,
    QuotationOut,
    QuotationRejectInput,
    QuotationUpdateInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.orders import parse_or_check
from gendan.sales.selectors import order_get_for_user, quotation_get_for_user, quotation_queryset
from gendan.sales.services import quotations as services
from gendan.sales.services.lines import clean_lines

CHANGE = ("sales.change_quotation",)


def _split(data: dict) -> tuple[dict, list[dict] | None]:
    data = dict(data)
    lines = data.pop("lines", None)
    for name in ("customer", "version"):
        data.pop(name, None)
    return data, (lines_for_service(lines) if lines is not None else None)


@extend_schema_view(
    list=extend_schema(parameters=[QuotationFilterInput], responses=QuotationListOut),
    retrieve=extend_schema(responses=QuotationOut),
    create=extend_schema(request=QuotationCreateInput, responses={201: QuotationOut}),
    partial_update=extend_schema(request=QuotationUpdateInput, responses=QuotationOut),
)
class QuotationViewSet(ApiViewSet):
    """Quotations of the customers the user may see: draft → sent → accepted (a draft order is
    created) / rejected."""

    required_perms = {
        "list": ("sales.view_quotation",),
        "retrieve": ("sales.view_quotation",),
        "create": ("sales.add_quotation",),
        "partial_update": CHANGE,
        "send": CHANGE,
        "accept": CHANGE,
        "reject": CHANGE,
    }

    def _answer(self, pk, status: int = 200):
        return self.render(QuotationOut, quotation_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(QuotationFilterInput, data=request.query_params)
        qs = quotation_queryset(request.user)
        if filters.get("status"):
            qs = qs.filter(status=filters["status"])
        if filters.get("customer"):
            qs = qs.filter(customer=filters["customer"])
        return self.paginated(qs, QuotationListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def _create(self, data, *, validate_only: bool = False):
        header, lines = _split(data)
        if "customer" not in data:  # no customer to take the terms from: the lines alone
            currency = header.get("currency")
            return clean_lines(lines or [], currency=getattr(currency, "code", currency) or "USD")
        return services.quotation_create(actor=self.request.user, customer_id=data["customer"].pk, data=header,
                                         lines=lines or [], validate_only=validate_only)

    def create(self, request):
        quotation = self._create(parse_or_check(self, QuotationCreateInput, self._create))
        return self._answer(quotation.pk, status=201)

    def partial_update(self, request, pk=None):
        quotation_get_for_user(user=request.user, pk=pk)

        def update(data, *, validate_only: bool = False):
            header, lines = _split(data)
            return services.quotation_update(actor=request.user, quotation_id=pk, data=header, lines=lines,
                                             expected_version=data.get("version"), validate_only=validate_only)

        update(parse_or_check(self, QuotationUpdateInput, update, partial=True))
        return self._answer(pk)

    @extend_schema(request=None, responses=QuotationOut)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        services.quotation_send(actor=request.user, quotation_id=pk)
        return self._answer(pk)

    @extend_schema(request=QuotationAcceptInput, responses={201: OrderOut},
                   description="The customer accepted: a draft sales order is created from the quotation.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self.parse(QuotationAcceptInput)
        order = services.quotation_accept(actor=request.user, quotation_id=pk, **data)
        return self.render(OrderOut, order_get_for_user(user=request.user, pk=order.pk), status=201)

    @extend_schema(request=QuotationRejectInput, responses=QuotationOut)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.parse(QuotationRejectInput)
        services.quotation_reject(actor=request.user, quotation_id=pk, note=data.get("note", ""))
        return self._answer(pk)
