"""Shipments (list with the list page's filters, detail with lines, cells, containers, B/L,
notices and bookings) and bookings (list, detail, request, confirm, amend, cancel). Each
booking action parses its body and calls the one service of ``shipping.services.bookings``
(permission, scope, rule and version checked there under the order's lock)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.shipments import (
    BookingAmendInput,
    BookingCancelInput,
    BookingConfirmInput,
    BookingFilterInput,
    BookingListOut,
    BookingOut,
    BookingRequestInput,
    ShipmentFilterInput,
    ShipmentListOut,
    ShipmentOut,
)
from gendan.api.views.base import ApiViewSet
from gendan.shipping.selectors import booking_get_for_user, booking_list, shipment_get_for_user, shipment_list
from gendan.shipping.services.bookings import (
    CHANGE,
    REQUEST,
    booking_cancel,
    booking_confirm,
    booking_request,
    booking_update,
)

SHIPMENT_VIEW = ("sales.view_salesorder", "shipping.view_shipment")
BOOKING_VIEW = ("sales.view_salesorder", "shipping.view_booking")
SAILING = ("booking_no", "carrier", "vessel", "voyage", "port_of_loading", "port_of_destination", "etd", "eta",
           "cy_cutoff", "si_cutoff", "vgm_cutoff", "containers", "notes")


def _booking_action(request, response=BookingOut, status: int = 200, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        409: OpenApiResponse(ErrorSerializer, description="refused by a rule (e.g. transition_not_allowed) or a "
                                                          "stale version (conflict)"),
    }, **kwargs)


@extend_schema_view(
    list=extend_schema(parameters=[ShipmentFilterInput], responses=ShipmentListOut,
                       description="The shipments of orders the user may see, newest first, 50 a page."),
    retrieve=extend_schema(responses=ShipmentOut),
)
class ShipmentViewSet(ApiViewSet):
    required_perms = {"list": SHIPMENT_VIEW, "retrieve": SHIPMENT_VIEW}

    def list(self, request):
        filters = self.parse(ShipmentFilterInput, data=request.query_params)
        return self.paginated(shipment_list(user=request.user, filters=filters), ShipmentListOut)

    def retrieve(self, request, pk=None):
        return self.render(ShipmentOut, shipment_get_for_user(user=request.user, pk=pk))


@extend_schema_view(
    list=extend_schema(parameters=[BookingFilterInput], responses=BookingListOut,
                       description="Bookings of orders the user may see (one forwarder's with ?forwarder=)."),
    retrieve=extend_schema(responses=BookingOut),
    create=_booking_action(BookingRequestInput, status=201,
                           description="Ask a forwarder for space for an order; the request is emailed to the "
                                       "forwarder's contacts after the booking is saved."),
)
class BookingViewSet(ApiViewSet):
    required_perms = {
        "list": BOOKING_VIEW,
        "retrieve": BOOKING_VIEW,
        "create": (REQUEST,),
        "confirm": (CHANGE,),
        "amend": (CHANGE,),
        "cancel": (CHANGE,),
    }

    def _answer(self, pk, status: int = 200):
        return self.render(BookingOut, booking_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(BookingFilterInput, data=request.query_params)
        return self.paginated(booking_list(user=request.user, filters=filters).order_by("-requested_on", "-id"),
                              BookingListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        data = self.parse(BookingRequestInput)
        booking = booking_request(
            actor=request.user, order_id=data["order"], forwarder_id=data["forwarder"], containers=data["containers"],
            requested_on=data.get("requested_on"), port_of_loading=data.get("port_of_loading") or None,
            port_of_destination=data.get("port_of_destination") or None, shipment_id=data.get("shipment"),
            notes=data.get("notes", ""), expected_version=data.get("version"))
        return self._answer(booking.pk, status=201)

    @_booking_action(BookingConfirmInput, description="The forwarder's confirmation: booking no., vessel, ETD "
                     "(required), voyage, carrier, ETA, the CY / SI / VGM cut-offs, the containers (default: as "
                     "requested).")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        booking_get_for_user(user=request.user, pk=pk)  # 404 before anything else out of scope
        data = self.parse(BookingConfirmInput)
        booking_confirm(actor=request.user, booking_id=int(pk), expected_version=data.get("version"),
                        **{k: data[k] for k in SAILING if k in data})
        return self._answer(pk)

    @_booking_action(BookingAmendInput, description="Amend a requested or confirmed booking: only the fields sent "
                     "change; the change goes on the order's timeline with the old and new values.")
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        booking_get_for_user(user=request.user, pk=pk)
        data = self.parse(BookingAmendInput)
        booking_update(actor=request.user, booking_id=int(pk), data={k: data[k] for k in SAILING if k in data},
                       reason=data.get("reason", ""), expected_version=data.get("version"))
        return self._answer(pk)

    @_booking_action(BookingCancelInput, description="Cancel the booking, with the reason (required).")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking_get_for_user(user=request.user, pk=pk)
        data = self.parse(BookingCancelInput)
        booking_cancel(actor=request.user, booking_id=int(pk), reason=data["reason"],
                       expected_version=data.get("version"))
        return self._answer(pk)
