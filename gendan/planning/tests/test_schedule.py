"""The schedule: lines with a capacity, entries on them, overloads and late entries shown,
non-working days and date changes needing a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.core.errors import ValidationFailed
from gendan.core.events import timeline_for
from gendan.planning.models import ScheduleEntry, WorkLine
from gendan.planning.selectors import gantt
from gendan.planning.services.schedule import (
    schedule_entry_create,
    schedule_entry_reschedule,
    work_line_create,
)
from tests.clock import next_full_week

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def monday(weeks_ahead: int = 1) -> dt.date:
    """The Monday of a coming week of five working days (``weeks_ahead``-th such week)."""
    return next_full_week(weeks_ahead)


@pytest.fixture
def line(people):
    return work_line_create(actor=people.planner, workshop_id=people.factory.pk, name="A线", capacity_per_day=150)


def plan(people, po, line, start, end, qty, reason=""):
    return schedule_entry_create(actor=people.planner, production_order_id=po.pk, work_line_id=line.pk,
                                 start=start, end=end, quantity=qty, reason=reason)


def test_an_entry_on_working_days_and_its_load(people, production_order, line):
    entry = plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "500")
    chart = gantt(user=people.planner, lines=[line], start=monday(), weeks=1)
    [row] = chart.rows
    assert [c["load"] for c in row.cells[:5]] == [100] * 5 and not row.overloaded
    assert row.bars[0].entry == entry and not row.bars[0].late


def test_two_entries_over_capacity_are_an_overload(people, production_order, line):
    plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "500")
    plan(people, production_order, line, monday() + dt.timedelta(days=3), monday() + dt.timedelta(days=4), "200")
    [row] = gantt(user=people.planner, lines=[line], start=monday(), weeks=1).rows
    assert [c["day"].weekday() for c in row.overloaded] == [3, 4]  # Thursday, Friday: 100 + 100 > 150
    assert row.lanes == 2


def test_a_span_over_the_weekend_needs_a_reason(people, production_order, line):
    with pytest.raises(ValidationFailed, match="non-working day"):
        plan(people, production_order, line, monday(), monday() + dt.timedelta(days=6), "100")
    assert ScheduleEntry.objects.count() == 0
    entry = plan(people, production_order, line, monday(), monday() + dt.timedelta(days=6), "100",
                 reason="Customer rush: Saturday shift agreed with the factory")
    assert entry.non_working_reason.startswith("Customer rush")


def test_refusals(people, production_order, line):
    with pytest.raises(ValidationFailed, match="end .* is before the start"):
        plan(people, production_order, line, monday() + dt.timedelta(days=2), monday(), "10")
    with pytest.raises(ValidationFailed, match="at most 1003 can be added"):
        plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "5000")
    with pytest.raises(ValidationFailed, match="active own workshop or outsourced factory"):
        work_line_create(actor=people.planner, workshop_id=people.forwarder.pk, name="x", capacity_per_day=10)
    with pytest.raises(ValidationFailed, match="above 0"):
        work_line_create(actor=people.planner, workshop_id=people.factory.pk, name="B", capacity_per_day=0)
    assert ScheduleEntry.objects.count() == 0 and WorkLine.objects.count() == 1


def test_an_entry_ending_after_the_ex_factory_date_is_late(people, production_order, line):
    ex_factory = production_order.sales_order.ex_factory_date
    start = ex_factory - dt.timedelta(days=ex_factory.weekday())  # the Monday of that week
    plan(people, production_order, line, start, start + dt.timedelta(days=11), "300", reason="late on purpose")
    [row] = gantt(user=people.planner, lines=[line], start=start, weeks=2).rows
    assert row.bars[0].late


def test_rescheduling_needs_a_reason_and_leaves_old_and_new(people, production_order, line):
    entry = plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "500")
    with pytest.raises(ValidationFailed, match="Give the reason for changing the schedule"):
        schedule_entry_reschedule(actor=people.planner, entry_id=entry.pk, version=entry.version,
                                  start=monday(2), end=monday(2) + dt.timedelta(days=4), reason="")
    moved = schedule_entry_reschedule(actor=people.planner, entry_id=entry.pk, version=entry.version,
                                      start=monday(2), end=monday(2) + dt.timedelta(days=4),
                                      reason="Glaze delivered late")
    assert moved.start == monday(2) and moved.version == 2
    [event] = [e for e in timeline_for(production_order.sales_order) if e.changes.get("start")]
    assert event.changes["start"] == {"old": monday().isoformat(), "new": monday(2).isoformat()}
    assert event.reason == "Glaze delivered late"


def test_schedule_page_shows_bars_overloads_and_is_paginated(people, production_order, line, client_for,
                                                            django_assert_max_num_queries):
    plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "800")
    for n in range(20):
        WorkLine.objects.create(workshop=people.factory, name=f"L{n:02d}", capacity_per_day=100)
    client, start = client_for(people.planner), monday()
    with django_assert_max_num_queries(21):  # one of them: the materials of every bar shown, at once
        response = client.get(reverse("planning:schedule"), {"start": start.isoformat(), "weeks": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="overload"') == 5 and production_order.number in html
    assert "page 1 of 2" in html
    assert client_for(people.merch).get(reverse("planning:schedule")).status_code == 200
    assert client_for(people.sales).get(reverse("planning:schedule")).status_code == 403


def test_scheduling_through_the_page(people, production_order, line, client_for):
    data = {"entry-production_order": production_order.number, "entry-work_line": line.pk,
            "entry-start": monday().isoformat(), "entry-end": (monday() + dt.timedelta(days=4)).isoformat(),
            "entry-quantity": "400", "add_entry": "1"}
    assert client_for(people.merch).post(reverse("planning:schedule"), data).status_code == 403
    assert client_for(people.qc).post(reverse("planning:schedule"), data).status_code == 403
    assert ScheduleEntry.objects.count() == 0
    response = client_for(people.planner).post(reverse("planning:schedule"), data)
    assert response.status_code == 302
    assert ScheduleEntry.objects.get().quantity == Decimal("400")
    entry = ScheduleEntry.objects.get()
    url = reverse("planning:schedule_entry", args=[entry.pk])
    bad = client_for(people.planner).post(url, {"version": 1, "start": monday().isoformat(),
                                                "end": (monday() + dt.timedelta(days=1)).isoformat(), "reason": ""})
    assert bad.status_code == 400
    ok = client_for(people.planner).post(url, {"version": 1, "start": monday().isoformat(),
                                               "end": (monday() + dt.timedelta(days=1)).isoformat(),
                                               "reason": "Split: second half on line B"})
    assert ok.status_code == 302
    stale = client_for(people.planner).post(url, {"version": 1, "start": monday().isoformat(),
                                                  "end": (monday() + dt.timedelta(days=2)).isoformat(),
                                                  "reason": "again"})
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()


def test_a_merchandiser_sees_other_orders_only_as_booked(people, production_order, line, client_for):
    from gendan.sales.models import SalesOrder
    from gendan.sales.tests.conftest import make_in_production

    other = make_in_production(people, po="PO-OTHER").production_orders.get()
    # given: that order belongs to another team's customer
    SalesOrder.objects.filter(pk=other.sales_order_id).update(
        customer=people.other_customer, merchandiser=people.other_merch, salesperson=people.other_sales)
    plan(people, production_order, line, monday(), monday() + dt.timedelta(days=1), "100")
    plan(people, other, line, monday() + dt.timedelta(days=2), monday() + dt.timedelta(days=3), "100")
    html = client_for(people.merch).get(reverse("planning:schedule"), {"start": monday().isoformat()}).content.decode()
    assert production_order.number in html and other.number not in html and 'class="bar busy"' in html
    html = client_for(people.planner).get(reverse("planning:schedule"), {"start": monday().isoformat()}).content.decode()
    assert other.number in html and 'class="bar busy"' not in html


def test_a_public_holiday_on_a_weekday_needs_a_reason_too(people, production_order, line):
    from gendan.core.models import CalendarDay

    start = monday()  # a week of five working days, before its Wednesday becomes a holiday
    CalendarDay.objects.create(date=start + dt.timedelta(days=2), kind="holiday", name="元旦")
    with pytest.raises(ValidationFailed, match=r"over 1 non-working day\(s\)"):
        plan(people, production_order, line, start, start + dt.timedelta(days=4), "100")
    entry = plan(people, production_order, line, start, start + dt.timedelta(days=4), "400",
                 reason="The factory works on the holiday")
    [row] = gantt(user=people.planner, lines=[line], start=start, weeks=1).rows
    assert [c["load"] for c in row.cells[:5]] == [100, 100, 0, 100, 100]  # nothing planned on the holiday
    assert entry.non_working_reason


def test_only_planners_change_the_schedule_even_through_the_service(people, production_order, line):
    from gendan.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        schedule_entry_create(actor=people.merch, production_order_id=production_order.pk, work_line_id=line.pk,
                              start=monday(), end=monday() + dt.timedelta(days=4), quantity="100")
    assert ScheduleEntry.objects.count() == 0


def _material(production_order, code, eta):
    from gendan.catalog.models import Product
    from gendan.purchasing.models import MaterialRequirement

    component = Product.objects.create(code=code, kind="material", name_en=f"{code} carton", name_zh="纸箱")
    return MaterialRequirement.objects.create(production_order=production_order, component=component,
                                              required_quantity=Decimal("100"), need_date=monday(), eta=eta)


def test_work_planned_before_its_materials_arrive_is_flagged_not_refused(people, production_order, line,
                                                                         client_for):
    """Issue 11: the schedule warns when an entry starts before its materials' ETA (or when a
    material has no ETA at all) — on the Gantt bar and when it is planned or moved."""
    late = _material(production_order, "CTN-A", monday() + dt.timedelta(days=3))
    data = {"entry-production_order": production_order.number, "entry-work_line": line.pk,
            "entry-start": monday().isoformat(), "entry-end": (monday() + dt.timedelta(days=4)).isoformat(),
            "entry-quantity": "400", "add_entry": "1"}
    planned = client_for(people.planner).post(reverse("planning:schedule"), data, follow=True)
    html = planned.content.decode()
    eta = late.eta.isoformat()
    assert planned.status_code == 200 and ScheduleEntry.objects.count() == 1  # a warning, not a refusal
    assert f"before its material arrives (ETA {eta})" in html and 'data-materials="1"' in html
    entry = ScheduleEntry.objects.get()
    moved = client_for(people.planner).post(
        reverse("planning:schedule_entry", args=[entry.pk]),
        {"version": entry.version, "start": (monday() + dt.timedelta(days=3)).isoformat(),
         "end": (monday() + dt.timedelta(days=4)).isoformat(), "quantity": "400",
         "reason": "wait for the cartons"}, follow=True)
    assert "before its material" not in moved.content.decode()  # starts the day the cartons arrive
    _material(production_order, "CTN-B", None)
    bars = gantt(user=people.planner, lines=[line], start=monday(), weeks=1).rows[0].bars
    assert bars[0].materials.endswith("1 material has no ETA yet")


def test_received_materials_do_not_hold_the_schedule(people, production_order, line):
    received = _material(production_order, "CTN-C", monday() + dt.timedelta(days=10))
    received.status = "received"
    received.save(update_fields=["status"])
    plan(people, production_order, line, monday(), monday() + dt.timedelta(days=4), "400")
    bars = gantt(user=people.planner, lines=[line], start=monday(), weeks=1).rows[0].bars
    assert bars[0].materials == ""
