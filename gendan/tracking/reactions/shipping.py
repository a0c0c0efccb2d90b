"""What the T&A does when goods ship (``shipping.events``), in the same transaction: the
first shipment fixes ETD / ETA, so the milestones after shipment are re-planned from the real
dates; "ex-factory" and "ETD" are completed, linked to the shipment's row on the order.

A confirmed booking completes "booking" (linked to the confirmation's row) and its ETD — the
earliest of the order's confirmed bookings — becomes the forecast of "ETD"; an amendment that
moves the ETD moves the forecast."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.shipping.events import BookingAmended, BookingConfirmed, Shipped
from gendan.shipping.models import Booking
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached
from gendan.tracking.services.plans import plan_replan


def on_shipped(event: Shipped) -> None:
    order, shipment = event.order, event.shipment
    plan_replan(order=order, actor=event.actor, reason=_("shipment %(no)s") % {"no": shipment.number})
    milestone_reached(order=order, key=Milestone.EX_FACTORY, actor=event.actor, event=event.record,
                      on=shipment.shipped_on)
    milestone_reached(order=order, key=Milestone.ETD, actor=event.actor, event=event.record,
                      on=shipment.etd or shipment.shipped_on)


def _forecast_etd(event: BookingConfirmed | BookingAmended) -> None:
    order, booking = event.order, event.booking
    etd = (Booking.objects.filter(order=order, status=Booking.Status.CONFIRMED).exclude(etd=None)
           .order_by("etd").values_list("etd", flat=True).first())
    if etd is not None:
        milestone_forecast(order=order, key=Milestone.ETD, actor=event.actor, on=etd,
                           reason=_("booking %(no)s with %(forwarder)s: ETD %(etd)s") % {
                               "no": booking.booking_no, "forwarder": booking.forwarder.code, "etd": etd})


def on_booking_confirmed(event: BookingConfirmed) -> None:
    milestone_reached(order=event.order, key=Milestone.BOOKING, actor=event.actor, event=event.record)
    _forecast_etd(event)


def on_booking_amended(event: BookingAmended) -> None:
    if "etd" in event.changes and event.booking.status == Booking.Status.CONFIRMED:
        _forecast_etd(event)


subscribe(Shipped, on_shipped)
subscribe(BookingConfirmed, on_booking_confirmed)
subscribe(BookingAmended, on_booking_amended)
