"""Booking cut-offs on the T&A: the merchandiser's chase board lists the unmet cut-offs of
confirmed bookings within two working days and the missed ones; a missed cut-off puts the
order's plan at risk; cancelling the last confirmed booking reopens "booking".

The clock is pinned on Wednesday 2026-03-11 07:30 (+08:00): two working days reach Friday 13."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.core.models import Event
from gendan.shipping.models import BillOfLading
from gendan.shipping.services import booking_cancel, booking_update
from gendan.shipping.tests.helpers_lists import confirmed_booking, planned_shipment
from gendan.tracking.cutoffs import board_cutoffs, missed_cutoff_for
from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.selectors import board_for

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, 0))


@pytest.fixture
def forwarder(people):
    from tests.factories import ContactFactory

    ContactFactory(supplier=people.forwarder, email="ops@fwd1.example", is_primary=True)
    return people.forwarder


def _booking_milestone(order) -> OrderMilestone:
    return OrderMilestone.objects.get(order=order, completes_on="booking")


def test_the_merchandisers_board_has_missed_and_coming_cutoffs_only(people, confirmed, forwarder, client_for):
    w = people
    booking = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, etd=dt.date(2026, 3, 25),
                                cy_cutoff=at(10), si_cutoff=at(13, 12), vgm_cutoff=at(20))
    items = board_cutoffs(user=w.merch)
    assert [(i.field, i.missed) for i in items] == [("cy_cutoff", True), ("si_cutoff", False)]
    assert board_cutoffs(user=w.other_merch) == []
    assert board_for(user=w.merch).cutoffs == items

    html = client_for(w.merch).get(reverse("tracking:board")).content.decode()
    assert 'data-testid="section-cutoffs"' in html and f'data-cutoff="{booking.pk}-cy_cutoff"' in html
    assert "missed" in html and "2026-03-10 17:00" in html and f'data-cutoff="{booking.pk}-vgm_cutoff"' not in html

    # The B/L draft came: the SI cut-off is met.
    shipment = planned_shipment(confirmed, actor=w.merch)
    BillOfLading.objects.create(shipment=shipment)
    assert [i.field for i in board_cutoffs(user=w.merch)] == ["cy_cutoff"]


def test_a_missed_cutoff_puts_the_plan_at_risk_until_the_booking_moves_it(people, confirmed, forwarder):
    w = people
    assert OrderPlan.objects.get(order=confirmed).risk == OrderPlan.Risk.ON_TRACK
    booking = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, etd=dt.date(2026, 3, 25),
                                cy_cutoff=at(10))
    missed = missed_cutoff_for(confirmed)
    assert missed is not None and missed.field == "cy_cutoff"
    plan = OrderPlan.objects.get(order=confirmed)
    assert plan.risk == OrderPlan.Risk.AT_RISK
    assert plan.why == f"CY cut-off of booking {booking.booking_no} (FWD1) missed: 2026-03-10 17:00 passed."
    assert Event.objects.filter(kind="tracking.risk_cutoff_missed", object_id=confirmed.pk).exists()

    booking_update(actor=w.merch, booking_id=booking.pk, data={"cy_cutoff": at(20)}, reason="rolled to next week")
    assert missed_cutoff_for(confirmed) is None
    assert OrderPlan.objects.get(order=confirmed).risk == OrderPlan.Risk.ON_TRACK


def test_cancelling_the_last_confirmed_booking_reopens_booking(people, confirmed, forwarder):
    w = people
    first = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    second = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    milestone = _booking_milestone(confirmed)
    assert milestone.status == OrderMilestone.Status.DONE

    booking_cancel(actor=w.merch, booking_id=first.pk, reason="space released")
    assert _booking_milestone(confirmed).status == OrderMilestone.Status.DONE  # the second still holds

    booking_cancel(actor=w.merch, booking_id=second.pk, reason="customer delays")
    milestone = _booking_milestone(confirmed)
    assert milestone.status == OrderMilestone.Status.OPEN and milestone.actual_date is None
    assert milestone.completed_event is None and milestone.version > 1
    reopened = Event.objects.get(kind="tracking.milestone_reopened", object_id=confirmed.pk)
    assert f"booking {second.booking_no} with FWD1 cancelled" in reopened.text

    # Booking again completes it again.
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    assert _booking_milestone(confirmed).status == OrderMilestone.Status.DONE


def test_cancelling_a_requested_booking_leaves_booking_done(people, confirmed, forwarder):
    from gendan.shipping.services import booking_request

    w = people
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    requested = booking_request(actor=w.merch, order_id=confirmed.pk, forwarder_id=forwarder.pk,
                                containers={"20GP": 1})
    booking_cancel(actor=w.merch, booking_id=requested.pk, reason="asked twice")
    assert _booking_milestone(confirmed).status == OrderMilestone.Status.DONE
    assert not Event.objects.filter(kind="tracking.milestone_reopened").exists()
