"""Booking cut-offs (截关) on the T&A: the CY, SI and VGM cut-offs of confirmed bookings that the
order's merchandiser must meet, and the ones already missed.

A cut-off is **met** when what it asks for is done — kept simple, from the records shipping has:

- CY (container yard: the loaded container is at the terminal): a shipment of the booking (or,
  for a booking not tied to a shipment, of its order) has left the factory (status shipped);
- SI (shipping instructions: the forwarder drafts the B/L from them): a B/L draft was received
  for that shipment (or the order's) — ``shipping.BillOfLading`` exists;
- VGM (verified gross mass): a container of that shipment (or the order's) has its VGM
  declared, or the goods left (a shipped shipment was weighed).

On the chase board of the order's merchandiser, an unmet cut-off of a confirmed booking of an
order that has not fully shipped shows from two working days before it (``SOON_WORKING_DAYS``)
and, once passed, as missed. A missed cut-off is also an exception on the order's T&A: the plan
is at risk with the cut-off as the reason (``plan_refresh`` asks ``missed_cutoff_for``), until
it is met, the booking is amended to a later cut-off or cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gendan.accounts.models import User
from gendan.core.calendar import add_working_days
from gendan.sales.models import SalesOrder
from gendan.shipping.models import BillOfLading, Booking, Container, Shipment

SOON_WORKING_DAYS = 2
BOARD_CUTOFF_LIMIT = 30
LABELS = {"cy_cutoff": _("CY cut-off"), "si_cutoff": _("SI cut-off"), "vgm_cutoff": _("VGM cut-off")}
# The same, untranslated: an event parameter translated when shown (``core.events.tr``).
LABEL_MSGIDS = {"cy_cutoff": gettext_noop("CY cut-off"), "si_cutoff": gettext_noop("SI cut-off"),
                "vgm_cutoff": gettext_noop("VGM cut-off")}
# Orders whose goods may still have to make a booked vessel.
_OPEN_ORDER = (SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY,
               SalesOrder.Status.ON_HOLD)


def _of_booking(qs: QuerySet, shipment_field: str = "pk", order_field: str = "order_id") -> Q:
    """``qs`` rows of the booking's shipment — or, for a booking without one, of its order."""
    linked = Exists(qs.filter(**{shipment_field: OuterRef("shipment_id")}))
    of_order = Exists(qs.filter(**{order_field: OuterRef("order_id")}))
    return (Q(shipment__isnull=False) & Q(linked)) | (Q(shipment__isnull=True) & Q(of_order))


def met_conditions() -> dict[str, Q]:
    """Field → the condition on ``Booking`` under which that cut-off is met."""
    shipped = _of_booking(Shipment.objects.filter(status=Shipment.Status.SHIPPED))
    return {
        "cy_cutoff": shipped,
        "si_cutoff": _of_booking(BillOfLading.objects.all(), "shipment_id", "shipment__order_id"),
        "vgm_cutoff": shipped | _of_booking(Container.objects.filter(vgm_kg__isnull=False).exclude(
            status=Container.Status.CANCELLED), "shipment_id", "shipment__order_id"),
    }


def _pending() -> QuerySet[Booking]:
    return Booking.objects.filter(status=Booking.Status.CONFIRMED, order__status__in=_OPEN_ORDER).exclude(
        order__shipment_status=SalesOrder.ShipmentStatus.SHIPPED)


def _soon_end(today: dt.date) -> dt.datetime:
    """The end (exclusive) of the last day a cut-off counts as coming: two working days ahead."""
    last = add_working_days(today, SOON_WORKING_DAYS)
    return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))


@dataclass(frozen=True)
class CutoffItem:
    booking: Booking
    field: str
    at: dt.datetime  # local time
    missed: bool

    @property
    def label(self) -> str:
        return str(LABELS[self.field])

    @property
    def order(self):
        return self.booking.order


def board_cutoffs(*, user: User, now: dt.datetime | None = None,
                  limit: int = BOARD_CUTOFF_LIMIT) -> list[CutoffItem]:
    """The unmet cut-offs ``user`` must chase as the orders' merchandiser: missed ones and those
    within two working days, earliest first. One query."""
    now = now or timezone.now()
    end = _soon_end(timezone.localtime(now).date())
    met = met_conditions()
    due = Q()
    for field in LABELS:
        due |= Q(**{f"{field}__lt": end})
    qs = (_pending().filter(due, order__merchandiser=user)
          .annotate(**{f"{field}_met": condition for field, condition in met.items()})
          .select_related("order", "order__customer", "forwarder").order_by("etd", "pk"))
    items = []
    for booking in qs[:limit * 3]:
        for field in LABELS:
            at = getattr(booking, field)
            if at is None or at >= end or getattr(booking, f"{field}_met"):
                continue
            items.append(CutoffItem(booking, field, timezone.localtime(at), missed=at < now))
    return sorted(items, key=lambda i: (i.at, i.booking.pk, i.field))[:limit]


def missed_cutoff_for(order, *, now: dt.datetime | None = None) -> CutoffItem | None:
    """The earliest missed cut-off of ``order``'s confirmed bookings, or ``None``. The order's own
    state is read from the row in hand; then one small query by the booking's (order, status)
    index asks whether any cut-off passed, and only then a second one whether it was met (the
    T&A asks this of every plan it refreshes: building the met conditions costs more than the
    query)."""
    if order.status not in _OPEN_ORDER or order.shipment_status == SalesOrder.ShipmentStatus.SHIPPED:
        return None
    now = now or timezone.now()
    passed = Q()
    for field in LABELS:
        passed |= Q(**{f"{field}__lt": now})
    bookings = Booking.objects.filter(order_id=order.pk, status=Booking.Status.CONFIRMED).filter(passed)
    if not bookings.exists():
        return None
    met = met_conditions()
    missed = []
    for booking in (bookings
                    .annotate(**{f"{field}_met": condition for field, condition in met.items()})
                    .select_related("forwarder")):
        for field in LABELS:
            at = getattr(booking, field)
            if at is not None and at < now and not getattr(booking, f"{field}_met"):
                missed.append(CutoffItem(booking, field, timezone.localtime(at), missed=True))
    return min(missed, key=lambda i: (i.at, i.booking.pk)) if missed else None
