"""The shipping plan through the API: plan a shipment (``POST /shipments/plan/``), change it
(``PATCH /shipments/{id}/plan/``), cancel it (``POST /shipments/{id}/cancel/``) and issue its
shipping notice (``POST /shipments/{id}/notices/``). Registered on the shipments' prefix beside
their list and detail (``views.shipments``). Each action calls the one service of
``shipping.services.plan`` / ``.notices`` (permission, scope, rules and version checked there,
under the order's lock) and answers with the shipment as it now stands."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.shipments import ShipmentOut
from gendan.api.serializers.shipping_plan import (
    NoticeIssuedOut,
    NoticeIssueInput,
    ShipmentCancelInput,
    ShipmentPlanInput,
    ShipmentUpdateInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.services.notices import ISSUE, notice_issue
from gendan.shipping.services.plan import CHANGE, PLAN, shipment_cancel, shipment_plan, shipment_update

VIEW = ("sales.view_salesorder", "shipping.view_shipment")
FIELDS = ("transport_mode", "planned_ex_factory", "port_of_loading", "port_of_destination", "notes", "lines",
          "cells", "cartons")


class ShipmentChangedOut(ShipmentOut):
    notice_outdated = serializers.BooleanField(
        help_text="a shipping notice was issued before this change: issue its next version")

    class Meta(ShipmentOut.Meta):
        ref_name = "ShipmentChanged"
        fields = [*ShipmentOut.Meta.fields, "notice_outdated"]


def _step(request, response=ShipmentOut, status: int = 200, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="wrong input; `fields` names e.g. "
                                                          "`lines.<order line id>.quantity` (code above_ordered, "
                                                          "invalid_quantity, cells_do_not_add_up …)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by the shipment's or order's state, or a stale "
                                                          "version (conflict)"),
    }, **kwargs)


class ShipmentPlanViewSet(ApiViewSet):
    required_perms = {"plan_new": (*VIEW, PLAN), "plan": (*VIEW, CHANGE), "cancel": (*VIEW, CHANGE),
                      "notices": (*VIEW, ISSUE), "notice_pdf": (*VIEW, "shipping.view_shippingnotice")}

    def _answer(self, shipment, response=ShipmentOut, status: int = 200):
        fresh = shipment_get_for_user(user=self.request.user, pk=shipment.pk)
        fresh.notice_outdated = getattr(shipment, "notice_outdated", False)
        return self.render(response, fresh, status=status)

    @_step(ShipmentPlanInput, status=201, description="Plan a shipment of a confirmed order (in production or "
           "ready): lines and colour × size cells within what is ordered ± the order's tolerance over every live "
           "shipment, the transport mode, the planned ex-factory date, the ports (default: the order's).")
    @action(detail=False, methods=["post"], url_path="plan")
    def plan_new(self, request):
        data = dict(self.parse(ShipmentPlanInput))
        shipment = shipment_plan(
            actor=request.user, order_id=data.pop("order"), expected_version=data.pop("version", None),
            lines=data.pop("lines", {}), **data)
        return self._answer(shipment, status=201)

    @_step(ShipmentUpdateInput, response=ShipmentChangedOut, methods=["PATCH"],
           description="Change a planned shipment (lines, cells, cartons, mode, ports, date, notes) or one being "
           "loaded (all but its lines). `lines` / `cells` replace what it carries. `notice_outdated`: issue the "
           "notice's next version.")
    @action(detail=True, methods=["patch"])
    def plan(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        data = dict(self.parse(ShipmentUpdateInput))
        version, reason = data.pop("version"), data.pop("reason", "")
        updated = shipment_update(actor=request.user, shipment_id=shipment.pk, reason=reason,
                                  data={k: v for k, v in data.items() if k in FIELDS}, expected_version=version)
        return self._answer(updated, response=ShipmentChangedOut)

    @_step(ShipmentCancelInput, description="Cancel a planned shipment (or one being loaded once its containers "
           "are cancelled), with the reason: its quantities are free again.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(ShipmentCancelInput)
        cancelled = shipment_cancel(actor=request.user, shipment_id=shipment.pk, reason=data["reason"],
                                    expected_version=data.get("version"))
        return self._answer(cancelled)

    @_step(NoticeIssueInput, response=NoticeIssuedOut, status=201,
           description="Issue the shipping notice (出货通知) or its next version: the PDF (link in `pdf`), emailed "
           "after the commit to the factory's contacts and the warehouse. From version 2 on `change_note` is "
           "required and `changes` lists what changed.")
    @action(detail=True, methods=["post"])
    def notices(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(NoticeIssueInput)
        notice = notice_issue(actor=request.user, shipment_id=shipment.pk, factory_id=data.get("factory"),
                              change_note=data.get("change_note", ""))
        return self.render(NoticeIssuedOut, notice, status=201)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="the notice's PDF")})
    @action(detail=True, methods=["get"], url_path=r"notices/(?P<notice_id>\d+)/pdf", url_name="notice-pdf")
    def notice_pdf(self, request, pk=None, notice_id=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        notice = next((n for n in shipment.notices.all() if str(n.pk) == notice_id), None)
        if notice is None or notice.attachment_id is None:
            raise Http404("No such shipping notice.")
        try:
            handle = notice.attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404("The notice's file is missing.") from None
        response = FileResponse(handle, filename=notice.attachment.original_name, content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response
