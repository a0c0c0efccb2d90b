"""What the T&A does when a booking is cancelled or its cut-offs move (``shipping.events``), in the
same transaction (next to ``reactions/shipping.py``, which completes "booking" on a confirmation):

- the order's last confirmed booking cancelled: "booking" is open again (the merchandiser must
  book anew), with the reason on the timeline; the plan's forecasts and risk follow;
- a booking cancelled or amended: the plan's risk is recomputed, so a missed cut-off of that
  booking (``tracking.cutoffs``) stops — or starts — making the order at risk at once instead of
  at the next daily refresh."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.shipping.events import BookingAmended, BookingCancelled
from gendan.shipping.models import Booking
from gendan.tracking.hooks import Milestone, milestone_reopened
from gendan.tracking.models import OrderPlan
from gendan.tracking.services.plans import plan_refresh

CUTOFF_FIELDS = {"cy_cutoff", "si_cutoff", "vgm_cutoff", "etd"}


def _refresh(order, actor) -> None:
    plan = OrderPlan.objects.select_for_update().select_related("order").filter(order=order, is_active=True).first()
    if plan is not None:
        plan_refresh(plan=plan, actor=actor)


def on_booking_cancelled(event: BookingCancelled) -> None:
    order, booking = event.order, event.booking
    was_confirmed = (event.changes or {}).get("status", {}).get("old") == Booking.Status.CONFIRMED
    others = Booking.objects.filter(order=order, status=Booking.Status.CONFIRMED).exclude(pk=booking.pk)
    if was_confirmed and not others.exists():
        milestone_reopened(order=order, key=Milestone.BOOKING, actor=event.actor, reason=_(
            "booking %(no)s with %(forwarder)s cancelled, no other confirmed booking") % {
            "no": booking.booking_no or "—", "forwarder": booking.forwarder.code})
    _refresh(order, event.actor)


def on_booking_amended(event: BookingAmended) -> None:
    if CUTOFF_FIELDS & set(event.changes or {}):
        _refresh(event.order, event.actor)


subscribe(BookingCancelled, on_booking_cancelled)
subscribe(BookingAmended, on_booking_amended)
