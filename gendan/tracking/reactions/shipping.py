"""What the T&A does when goods ship (``shipping.events``), in the same transaction: the
first shipment fixes ETD / ETA, so the milestones after shipment are re-planned from the real
dates; "ex-factory" is completed when the goods leave, linked to the shipment's row on the
order. "ETD" is completed by the B/L's on-board date (``BillIssued``) — or, for a shipment
recorded in one step after it sailed (``order_ship`` with an ETD not in the future), by that ETD.

A confirmed booking completes "booking" (linked to the confirmation's row) and its ETD — the
earliest of the order's confirmed bookings — becomes the forecast of "ETD"; an amendment that
moves the ETD moves the forecast. A booking's ETA, and the shipment's at B/L issue, move the
after-sales check-ins (the milestones counted from the ETA). Issuing the B/L makes the shipping
advice's deadline the expected date of "shipping advice" (its owner's chase board shows it);
``ShippingAdviceSent`` completes it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.calendar import add_working_days
from gendan.core.domain_events import subscribe
from gendan.shipping.events import BillIssued, BookingAmended, BookingConfirmed, Shipped, ShippingAdviceSent
from gendan.shipping.models import Booking
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached
from gendan.tracking.models import OrderMilestone
from gendan.tracking.services.plans import plan_replan


def on_shipped(event: Shipped) -> None:
    order, shipment = event.order, event.shipment
    plan_replan(order=order, actor=event.actor, reason=_("shipment %(no)s") % {"no": shipment.number})
    milestone_reached(order=order, key=Milestone.EX_FACTORY, actor=event.actor, event=event.record,
                      on=shipment.shipped_on)
    # The ETD is done when the vessel sailed: from the B/L's on-board date (``on_bill_issued``).
    # A shipment recorded in one step after it sailed (``order_ship`` with a past ETD) says so itself.
    if shipment.etd and shipment.etd <= timezone.localdate():
        milestone_reached(order=order, key=Milestone.ETD, actor=event.actor, event=event.record, on=shipment.etd)


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


# --- the B/L, the shipping advice and the ETA (issue 12) ------------------------------------


def _check_ins_from_eta(*, order, eta, actor, reason: str) -> None:
    """The after-sales check-ins (the milestones counted from the ETA) follow a new ETA."""
    for step in OrderMilestone.objects.filter(plan__order=order, anchor="eta").exclude(
            status__in=(OrderMilestone.Status.DONE, OrderMilestone.Status.SKIPPED)).order_by("sequence"):
        on = (add_working_days(eta, step.offset_days) if step.day_kind == "working"
              else eta + dt.timedelta(days=step.offset_days))
        milestone_forecast(order=order, key=step.key, actor=actor, on=on, reason=reason)


def on_booking_eta(event: BookingConfirmed | BookingAmended) -> None:
    booking = event.booking
    if booking.status == Booking.Status.CONFIRMED and booking.eta and (
            isinstance(event, BookingConfirmed) or "eta" in event.changes):
        _check_ins_from_eta(order=event.order, eta=booking.eta, actor=event.actor,
                            reason=_("booking %(no)s: ETA %(eta)s") % {"no": booking.booking_no, "eta": booking.eta})


def on_bill_issued(event: BillIssued) -> None:
    """The goods are on board: "ETD" done on the on-board date, the plan re-planned from it, and
    "shipping advice" expected by its deadline (on the chase board of its owner)."""
    order, shipment = event.order, event.bill.shipment
    reason = _("B/L %(no)s: on board %(date)s") % {"no": event.bill.bl_no, "date": shipment.on_board_on}
    milestone_reached(order=order, key=Milestone.ETD, actor=event.actor, event=event.record,
                      on=shipment.on_board_on)
    plan_replan(order=order, actor=event.actor, reason=reason)
    if shipment.advice_due_at and not shipment.advice_sent_at:
        milestone_forecast(order=order, key=Milestone.SHIPPING_ADVICE, actor=event.actor,
                           on=timezone.localtime(shipment.advice_due_at).date(),
                           reason=_("shipping advice due by %(at)s") % {
                               "at": timezone.localtime(shipment.advice_due_at).strftime("%Y-%m-%d %H:%M")})
    if shipment.eta:
        _check_ins_from_eta(order=order, eta=shipment.eta, actor=event.actor, reason=reason)


def on_advice_sent(event: ShippingAdviceSent) -> None:
    milestone_reached(order=event.order, key=Milestone.SHIPPING_ADVICE, actor=event.actor, event=event.record,
                      on=timezone.localdate(event.shipment.advice_sent_at))


subscribe(BookingConfirmed, on_booking_eta)
subscribe(BookingAmended, on_booking_eta)
subscribe(BillIssued, on_bill_issued)
subscribe(ShippingAdviceSent, on_advice_sent)
