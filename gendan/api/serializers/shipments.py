"""Shipments (read) and bookings (read, request, confirm, amend, cancel) in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.api.fields import Quantity, UserRef
from gendan.api.serializers.common import CustomerRef, SupplierRef
from gendan.core.errors import CoreError
from gendan.core.guards import no
from gendan.shipping.models import BillOfLading, Booking, Shipment
from gendan.shipping.rules import booking_amend_check
from gendan.shipping.selectors import iso_week, shipment_bill
from gendan.shipping.services.bookings import CHANGE
from gendan.shipping.workflows import BOOKING

MAX_ID = 2**63 - 1


def _id(**kwargs) -> serializers.IntegerField:
    """An id given by the client: a positive integer that fits the database."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^20[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-2])$"})
class IsoWeekField(serializers.CharField):
    """An ISO week, "2026-W11"."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, help_text='ISO week of the ETD, e.g. "2026-W11"', **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            iso_week(value)
        except ValueError:
            raise serializers.ValidationError(_("Enter a week like 2026-W11.")) from None
        return value


class OrderRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    customer = CustomerRef()


# --- filters -----------------------------------------------------------------------------------


class ShipmentFilterInput(serializers.Serializer):
    """The shipments list's filters, the same as the list page's (``shipping.selectors.shipment_list``)."""

    status = serializers.ChoiceField(choices=Shipment.Status.choices, required=False)
    etd_week = IsoWeekField(required=False)
    forwarder = _id(required=False, help_text="a forwarder (supplier id) with a booking for the shipment")
    port_of_loading = serializers.CharField(required=False, allow_blank=True, max_length=80)
    port_of_destination = serializers.CharField(required=False, allow_blank=True, max_length=80)
    customer = _id(required=False)
    order = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="order no. contains")


class BookingFilterInput(serializers.Serializer):
    forwarder = _id(required=False)
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)
    order = serializers.CharField(required=False, allow_blank=True, max_length=30)
    etd_week = IsoWeekField(required=False)


# --- bookings ----------------------------------------------------------------------------------


class BookingOut(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id")
    shipment = serializers.IntegerField(source="shipment_id", allow_null=True)
    forwarder = SupplierRef()
    status_display = serializers.CharField(source="get_status_display")
    containers = serializers.DictField(child=serializers.IntegerField(), help_text='{"40HQ": 1, "20GP": 2}')
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = ["id", "version", "order", "shipment", "forwarder", "status", "status_display", "requested_on",
                  "booking_no", "carrier", "vessel", "voyage", "port_of_loading", "port_of_destination", "etd", "eta",
                  "cy_cutoff", "si_cutoff", "vgm_cutoff", "containers", "notes", "cancel_reason", "confirmed_at",
                  "email_sent_at", "email_error", "allowed_actions"]

    @extend_schema_field(serializers.DictField(child=serializers.DictField()))
    def get_allowed_actions(self, booking) -> dict[str, dict]:
        """confirm / amend / cancel: allowed now, or the code and reason why not (the same rules the
        services apply)."""
        if not self.context["request"].user.has_perm(CHANGE):
            refused = no(CoreError.FORBIDDEN, _("Your role cannot change bookings."))
            checks = dict.fromkeys(("confirm", "amend", "cancel"), refused)
        else:
            checks = {"confirm": BOOKING.check(booking, Booking.Status.CONFIRMED),
                      "amend": booking_amend_check(booking),
                      "cancel": BOOKING.check(booking, Booking.Status.CANCELLED)}
        return {name: {"allowed": check.allowed, "code": check.code, "reason": check.reason}
                for name, check in checks.items()}


class BookingListOut(BookingOut):
    order = OrderRef()

    class Meta(BookingOut.Meta):
        fields = [f for f in BookingOut.Meta.fields if f != "allowed_actions"]


@extend_schema_field({"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 999},
                      "example": {"40HQ": 1, "20GP": 2}})
class ContainersInput(serializers.DictField):
    """``{"40HQ": 1, "20GP": 2}``: counts are checked by the service (its messages name the type)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.JSONField(), **kwargs)


class BookingRequestInput(serializers.Serializer):
    order = _id()
    forwarder = _id()
    containers = ContainersInput()
    shipment = _id(required=False, allow_null=True)
    requested_on = serializers.DateField(required=False, allow_null=True)
    port_of_loading = serializers.CharField(required=False, allow_blank=True, max_length=80)
    port_of_destination = serializers.CharField(required=False, allow_blank=True, max_length=80)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = _id(required=False, help_text="the order's version")


class BookingSailingInput(serializers.Serializer):
    booking_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
    carrier = serializers.CharField(required=False, allow_blank=True, max_length=80)
    vessel = serializers.CharField(required=False, allow_blank=True, max_length=80)
    voyage = serializers.CharField(required=False, allow_blank=True, max_length=30)
    port_of_loading = serializers.CharField(required=False, allow_blank=True, max_length=80)
    port_of_destination = serializers.CharField(required=False, allow_blank=True, max_length=80)
    etd = serializers.DateField(required=False, allow_null=True)
    eta = serializers.DateField(required=False, allow_null=True)
    cy_cutoff = serializers.DateTimeField(required=False, allow_null=True)
    si_cutoff = serializers.DateTimeField(required=False, allow_null=True)
    vgm_cutoff = serializers.DateTimeField(required=False, allow_null=True)
    containers = ContainersInput(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = _id(required=False, help_text="the booking's version: a stale one is refused with 409")


class BookingConfirmInput(BookingSailingInput):
    booking_no = serializers.CharField(max_length=60, allow_blank=True)
    vessel = serializers.CharField(max_length=80, allow_blank=True)
    etd = serializers.DateField(allow_null=True)


class BookingAmendInput(BookingSailingInput):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class BookingCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    version = _id(required=False)


# --- shipments ---------------------------------------------------------------------------------


class ShipmentCellOut(serializers.Serializer):
    order_cell = serializers.IntegerField(source="order_cell_id")
    colour = serializers.CharField(source="order_cell.colour")
    size = serializers.CharField(source="order_cell.size")
    quantity = Quantity()


class ShipmentLineOut(serializers.Serializer):
    class Meta:
        ref_name = "ShipmentDetailLine"  # the order's own ShipmentLineOut is "ShipmentLine"

    order_line = serializers.IntegerField(source="order_line_id")
    line_no = serializers.IntegerField(source="order_line.line_no")
    description = serializers.CharField(source="order_line.description")
    quantity = Quantity()
    cartons = serializers.IntegerField(allow_null=True)
    cells = ShipmentCellOut(many=True, source="cells.all")


class ContainerLineOut(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    cartons = serializers.IntegerField()
    quantity = Quantity()
    gross_kg = serializers.DecimalField(max_digits=10, decimal_places=2)
    cbm = serializers.DecimalField(max_digits=9, decimal_places=3)


class ContainerOut(serializers.Serializer):
    id = serializers.IntegerField()
    container_no = serializers.CharField()
    container_type = serializers.CharField()
    status = serializers.CharField()
    seal_no = serializers.CharField()
    tare_kg = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    vgm_kg = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    loaded_at = serializers.DateTimeField(allow_null=True)
    lines = ContainerLineOut(many=True, source="lines.all")


class BillOut(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    differences = serializers.ListField(child=serializers.DictField())

    class Meta:
        model = BillOfLading
        fields = ["id", "version", "kind", "status", "status_display", "draft_no", "bl_no", "shipper", "consignee",
                  "notify_party", "port_of_loading", "port_of_discharge", "place_of_delivery", "vessel", "voyage",
                  "marks", "description", "packages", "gross_kg", "cbm", "containers", "freight", "differences",
                  "draft_received_on", "checked_at", "on_board_on", "issued_on", "originals", "release_kind",
                  "released_at"]


class NoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    revision = serializers.IntegerField()
    factory = SupplierRef(allow_null=True)
    recipients = serializers.CharField()
    change_note = serializers.CharField()
    issued_by = UserRef()
    created_at = serializers.DateTimeField()
    email_sent_at = serializers.DateTimeField(allow_null=True)


class ShipmentListOut(serializers.ModelSerializer):
    order = OrderRef()
    status_display = serializers.CharField(source="get_status_display")
    transport_mode_display = serializers.CharField(source="get_transport_mode_display")
    qty_planned = Quantity(help_text="the sum of the shipment's lines")
    cartons_planned = serializers.IntegerField(help_text="the sum of the shipment's lines' cartons")

    class Meta:
        model = Shipment
        fields = ["id", "number", "version", "order", "status", "status_display", "transport_mode",
                  "transport_mode_display", "port_of_loading", "port_of_destination", "planned_ex_factory",
                  "shipped_on", "etd", "eta", "bl_no", "vessel_voyage", "qty_planned", "cartons_planned"]


class ShipmentOut(ShipmentListOut):
    lines = ShipmentLineOut(many=True, source="lines.all")
    containers = ContainerOut(many=True, source="containers.all")
    bill = serializers.SerializerMethodField()
    notices = NoticeOut(many=True, source="notices.all")
    bookings = BookingOut(many=True, source="bookings.all")

    class Meta(ShipmentListOut.Meta):
        ref_name = "ShipmentDetail"  # the order's own ShipmentOut is "Shipment"
        fields = [*ShipmentListOut.Meta.fields, "on_board_on", "advice_due_at", "advice_sent_at", "notes",
                  "cancel_reason", "created_at", "updated_at", "lines", "containers", "bill", "notices", "bookings"]

    @extend_schema_field(BillOut(allow_null=True))
    def get_bill(self, shipment) -> dict | None:
        bill = shipment_bill(shipment)
        return BillOut(bill, context=self.context).data if bill is not None else None

