"""Bills of lading and the shipping advice: the shipment's bill (read, enter a draft), the
bill's steps (confirm, issue, release) and the advice (send). Each action parses its body and
calls one service of ``shipping.services.bills`` / ``advice`` (permission, scope, rule and
version checked there under the order's lock)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

from gendan.api.serializers.bills import (
    AdviceOut,
    BillConfirmInput,
    BillDetailOut,
    BillDraftInput,
    BillIssueInput,
    BillReleaseInput,
)
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.views.base import ApiViewSet
from gendan.core.guards import id_or_zero
from gendan.shipping.models import BillOfLading
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.services.advice import SEND, advice_send
from gendan.shipping.services.bills import (
    CHANGE,
    RELEASE,
    bill_confirm,
    bill_draft_receive,
    bill_issue,
    bill_release,
)

VIEW = ("sales.view_salesorder", "shipping.view_billoflading")


def _step(request, *, status: int = 200, response=BillDetailOut, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        409: OpenApiResponse(ErrorSerializer, description="refused by a rule (transition_not_allowed, "
                                                          "gate_balance, bill_not_draft …) or a stale version"),
    }, **kwargs)


def bill_get_for_user(*, user, pk) -> BillOfLading:
    """The bill of a shipment the user may see; 404 for missing or out of scope alike."""
    shipment_id = BillOfLading.objects.filter(pk=id_or_zero(pk)).values_list("shipment_id", flat=True).first()
    if shipment_id is None:
        raise Http404("No such bill.")
    shipment = shipment_get_for_user(user=user, pk=shipment_id)
    bill = BillOfLading.objects.get(pk=id_or_zero(pk))
    bill.shipment = shipment
    return bill




class ShipmentBillViewSet(ApiViewSet):
    """``/api/shipments/{id}/bill/`` and ``/api/shipments/{id}/advice/`` (registered on the
    shipments' prefix beside their list and detail)."""

    required_perms = {"bill.get": VIEW, "bill.post": (*VIEW, CHANGE), "advice": (SEND,)}

    @extend_schema(methods=["GET"], responses={200: BillDetailOut},
                   description="The shipment's bill with what it must say (`expected`) and the next steps.")
    @_step(BillDraftInput, methods=["POST"], description="Enter the forwarder's draft as it reads: checked against "
           "the shipment, the differences listed (`differences`). The first draft creates the bill; a new one "
           "replaces a bill still in draft (`draft_no` + 1, send the bill's `version`).")
    @action(detail=True, methods=["get", "post"])
    def bill(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        if request.method == "POST":
            data = dict(self.parse(BillDraftInput))
            kind, version = data.pop("kind"), data.pop("version", None)
            bill = bill_draft_receive(actor=request.user, shipment_id=shipment.pk, data=data, kind=kind,
                                      expected_version=version)
            return self.render(BillDetailOut, bill_get_for_user(user=request.user, pk=bill.pk),
                               status=201 if bill.draft_no == 1 else 200)
        bill = BillOfLading.objects.filter(shipment=shipment).first()
        if bill is None:
            raise Http404("The shipment has no bill yet.")
        bill.shipment = shipment
        return self.render(BillDetailOut, bill)

    @_step(None, response=AdviceOut, description="Send the shipping advice to the customer's contacts (after "
           "the commit): a sea shipment once its B/L is issued, other modes once shipped. May be sent again.")
    @action(detail=True, methods=["post"])
    def advice(self, request, pk=None):
        shipment_get_for_user(user=request.user, pk=pk)
        shipment = advice_send(actor=request.user, shipment_id=int(pk))
        return self.render(AdviceOut, shipment)


class BillViewSet(ApiViewSet):
    required_perms = {"retrieve": VIEW, "confirm": (CHANGE,), "issue": (CHANGE,), "release": (RELEASE,)}

    def _answer(self, pk):
        return self.render(BillDetailOut, bill_get_for_user(user=self.request.user, pk=pk))

    @extend_schema(responses=BillDetailOut)
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @_step(BillConfirmInput, description="Confirm the draft; while differences remain `accept_reason` must say why "
           "they are acceptable (`bill_differences` otherwise).")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        bill_get_for_user(user=request.user, pk=pk)
        data = self.parse(BillConfirmInput)
        bill_confirm(actor=request.user, bill_id=int(pk), accept_reason=data.get("accept_reason", ""),
                     expected_version=data.get("version"))
        return self._answer(pk)

    @_step(BillIssueInput, description="The carrier issued the bill: B/L no., on-board date (not in the future, "
           "not before ex-factory), issue date, originals. The shipment takes the B/L no., on-board date and "
           "actual ETD; the shipping advice falls due.")
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        bill_get_for_user(user=request.user, pk=pk)
        data = self.parse(BillIssueInput)
        bill_issue(actor=request.user, bill_id=int(pk), bl_no=data["bl_no"], on_board_on=data["on_board_on"],
                   issued_on=data.get("issued_on"), originals=data.get("originals", 3),
                   expected_version=data.get("version"))
        return self._answer(pk)

    @_step(BillReleaseInput, description="Release the issued bill to the customer (originals, telex, surrender; "
           "a waybill as `waybill`) when the terms allow (`gate_balance` under “against copy of B/L”).")
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        bill_get_for_user(user=request.user, pk=pk)
        data = self.parse(BillReleaseInput)
        bill_release(actor=request.user, bill_id=int(pk), release_kind=data["release_kind"],
                     expected_version=data.get("version"))
        return self._answer(pk)
