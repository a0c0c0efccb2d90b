from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.selectors import receipt_get_for_user, receipt_queryset
from gendan.api.serializers.receipts import (
    AllocationInput,
    AllocationOut,
    ReceiptInput,
    ReceiptJsonInput,
    ReceiptListOut,
    ReceiptMultipartInput,
    ReceiptOut,
    allocation_for_service,
)
from gendan.api.views.base import ApiViewSet
from gendan.finance import services

ADD = ("finance.add_receipt",)


@extend_schema_view(
    list=extend_schema(responses=ReceiptListOut),
    retrieve=extend_schema(responses=ReceiptOut),
    create=extend_schema(request={"application/json": ReceiptJsonInput, "multipart/form-data": ReceiptMultipartInput},
                         responses={201: ReceiptOut},
                         description="Record money received (finance only), optionally allocating it to orders "
                                     "of the same customer at once: everything or nothing is saved."),
)
class ReceiptViewSet(ApiViewSet):
    required_perms = {
        "list": ("finance.view_receipt",),
        "retrieve": ("finance.view_receipt",),
        "create": ADD,
        "allocate": ADD,
    }

    def list(self, request):
        return self.paginated(receipt_queryset(request.user), ReceiptListOut)

    def retrieve(self, request, pk=None):
        return self.render(ReceiptOut, receipt_get_for_user(user=request.user, pk=pk))

    def create(self, request):
        data = self.parse(ReceiptInput)
        receipt = services.receipt_record(
            actor=request.user, customer_id=data["customer"].pk, currency=data["currency"], amount=data["amount"],
            received_on=data["received_on"], bank_reference=data["bank_reference"],
            bank_charges=data.get("bank_charges") or "0", payer_name=data.get("payer_name", ""),
            note=data.get("note", ""), upload=data.get("file"),
            allocations=[allocation_for_service(a) for a in data.get("allocations", [])])
        return self.render(ReceiptOut, receipt_get_for_user(user=request.user, pk=receipt.pk), status=201)

    @extend_schema(request=AllocationInput, responses={201: AllocationOut},
                   description="Apply part of the receipt to one of its customer's confirmed orders.")
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        receipt = receipt_get_for_user(user=request.user, pk=pk)
        data = self.parse(AllocationInput)
        allocation = services.receipt_allocate(actor=request.user, receipt_id=receipt.pk,
                                               **allocation_for_service(data))
        return self.render(AllocationOut, allocation, status=201)
