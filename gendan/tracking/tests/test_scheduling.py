"""Back-scheduling with calendar and working days, the company calendar (holidays, 调休),
template checks and forecast propagation — the arithmetic every plan relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from gendan.core.calendar import WorkCalendar, add_working_days, non_working_days, working_days_between
from gendan.core.models import CalendarDay
from gendan.tracking.scheduling import Point, ScheduleError, Step, forecast, schedule, template_check

D = dt.date


@pytest.fixture
def national_day_2026(db):
    """国庆 2026 as entered from a State Council notice: 1–7 Oct off, Sat 10 Oct worked (调休)."""
    for day in range(1, 8):
        CalendarDay.objects.create(date=D(2026, 10, day), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 10), kind=CalendarDay.Kind.WORKDAY, name="国庆调休")


def test_working_days_skip_weekends_and_holidays_and_count_a_make_up_saturday(national_day_2026):
    cal = WorkCalendar()
    assert cal.is_working_day(D(2026, 9, 30))  # Wednesday
    assert not cal.is_working_day(D(2026, 10, 5))  # Monday, but a holiday
    assert cal.is_working_day(D(2026, 10, 10))  # Saturday, made up
    assert not cal.is_working_day(D(2026, 10, 11))  # Sunday
    # Wed 30 Sep + 1 working day: 1–7 Oct are off, Thu 8 Oct is the next working day.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # Fri 9 Oct + 1: Saturday 10 Oct is a 调休 working day.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    # Backwards: 2 working days before Mon 12 Oct are Sat 10 and Fri 9.
    assert add_working_days(D(2026, 10, 12), -2) == D(2026, 10, 9)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 8, 9, 10, 12
    assert D(2026, 10, 10) not in non_working_days(D(2026, 10, 1), D(2026, 10, 11))
    assert len(non_working_days(D(2026, 10, 1), D(2026, 10, 11))) == 8  # 1–7 and Sun 11


def test_schedule_counts_backwards_from_ex_factory_in_calendar_and_working_days(national_day_2026):
    steps = [
        Step("po", "order_date", 0),
        Step("pi", "previous", 2, "working", "po"),
        Step("materials", "ex_factory", -10, "working", "pi"),
        Step("final", "ex_factory", -1, "calendar", "materials"),
        Step("ship", "etd", 1, "working", "final"),
    ]
    anchors = {"order_date": D(2026, 9, 29), "ex_factory": D(2026, 10, 20), "etd": D(2026, 10, 23),
               "eta": D(2026, 11, 20), "delivery": D(2026, 10, 23)}
    planned = schedule(steps, anchors, WorkCalendar())
    assert planned["po"] == D(2026, 9, 29)
    assert planned["pi"] == D(2026, 10, 8)  # Tue 29 Sep + 2 working days: Wed 30, (holidays), Thu 8 Oct
    # Tue 20 Oct − 10 working days: 19,16,15,14,13,12,10(调休),9,8, then 30 Sep.
    assert planned["materials"] == D(2026, 9, 30)
    assert planned["final"] == D(2026, 10, 19)
    assert planned["ship"] == D(2026, 10, 26)  # Fri 23 + 1 working day = Mon 26


@pytest.mark.django_db
def test_a_cycle_of_predecessors_is_refused_naming_the_circle():
    steps = [Step("a", "order_date", 0, predecessor_key="c", name="A"),
             Step("b", "previous", 1, predecessor_key="a", name="B"),
             Step("c", "previous", 1, predecessor_key="b", name="C")]
    with pytest.raises(ScheduleError) as exc:
        schedule(steps, {"order_date": D(2026, 1, 5)}, WorkCalendar(D(2026, 1, 1), D(2026, 2, 1)))
    assert exc.value.kind == "cycle"
    assert "A → C → B → A" in str(exc.value)  # A follows C, which follows B, which follows A


@pytest.mark.django_db
def test_offsets_that_put_a_milestone_before_the_one_it_follows_are_refused():
    steps = [Step("materials", "ex_factory", -10, name="Materials in"),
             Step("start", "ex_factory", -20, predecessor_key="materials", name="Production start")]
    anchors = {"order_date": D(2030, 1, 7), "ex_factory": D(2030, 3, 1), "etd": D(2030, 3, 5),
               "eta": D(2030, 4, 5), "delivery": D(2030, 3, 4)}
    with pytest.raises(ScheduleError) as exc:
        template_check(steps, anchors)
    assert "“Production start” (2030-02-09) before “Materials in” (2030-02-19)" in str(exc.value)


def test_a_late_milestone_moves_every_milestone_after_it_but_not_the_ones_before():
    today = D(2026, 11, 24)
    points = [
        Point("a", "", D(2026, 11, 10), None, D(2026, 11, 10), "done"),
        Point("b", "a", D(2026, 11, 20), None, None, "open"),  # 4 days overdue → forecast today
        Point("c", "b", D(2026, 12, 1), None, None, "open"),
        Point("d", "c", D(2026, 12, 10), None, None, "open"),
        Point("x", "a", D(2026, 12, 5), None, None, "open"),  # another branch, not after b
    ]
    result = forecast(points, today)
    assert result["a"] == D(2026, 11, 10)
    assert result["b"] == today
    assert result["c"] == D(2026, 12, 5)  # +4 days
    assert result["d"] == D(2026, 12, 14)  # +4 days, through the chain
    assert result["x"] == D(2026, 12, 5)  # untouched


def test_an_expected_date_set_by_the_owner_moves_the_chain_and_an_early_finish_pulls_nothing_forward():
    today = D(2026, 11, 24)
    points = [
        Point("a", "", D(2026, 11, 30), D(2026, 12, 7), None, "open"),  # owner now expects +7
        Point("b", "a", D(2026, 12, 3), None, None, "open"),
        Point("c", "", D(2026, 12, 1), None, D(2026, 11, 20), "done"),  # finished 11 days early
        Point("d", "c", D(2026, 12, 8), None, None, "open"),
    ]
    result = forecast(points, today)
    assert result["a"] == D(2026, 12, 7)
    assert result["b"] == D(2026, 12, 10)
    assert result["d"] == D(2026, 12, 8)


def test_slack_between_the_forward_chain_and_the_backward_chain_absorbs_a_delay():
    today = D(2026, 11, 24)
    points = [
        Point("etas", "", D(2026, 11, 20), None, None, "open", "previous"),  # 4 days overdue
        Point("materials", "etas", D(2026, 12, 10), None, None, "open", "ex_factory"),  # counted back
        Point("start", "materials", D(2026, 12, 14), None, None, "open", "ex_factory"),
        Point("late_etas", "", D(2026, 11, 20), D(2026, 12, 12), None, "open", "previous"),
        Point("materials2", "late_etas", D(2026, 12, 10), None, None, "open", "ex_factory"),
        Point("start2", "materials2", D(2026, 12, 14), None, None, "open", "ex_factory"),
    ]
    result = forecast(points, today)
    assert result["etas"] == today
    assert result["materials"] == D(2026, 12, 10)  # 16 days of slack: nothing moves
    assert result["start"] == D(2026, 12, 14)
    # ETAs confirmed only on 12 Dec: materials a day after, and production 3 days after that.
    assert result["materials2"] == D(2026, 12, 13)
    assert result["start2"] == D(2026, 12, 17)
