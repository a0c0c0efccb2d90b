"""Helpers for tests that deal with dates. The suite's clock is pinned (see the root
``conftest.py``); these build dates relative to the company's "today" and move the clock
to another day for a while, e.g. to enter an order "three working days ago".

They also hold the fixed clocks of ``make test-clocks`` (``CLOCKS``: instants that have hurt
before or will) and the company calendar the date-sensitive tests run on (``company_calendar()``:
the public holidays and make-up working days as published, seeded for every test marked
``dates``)."""

from __future__ import annotations

import contextlib
import datetime as dt

import time_machine
from django.utils import timezone

# The fixed clocks of `make test-clocks`: the tests marked `dates` run again at each instant
# (GENDAN_TEST_NOW=<name> or an ISO 8601 instant). Each name says why it hurts; the claims are
# checked in tests/test_clock.py.
CLOCKS = {
    # Friday 23:30 on the server (UTC) is Saturday 07:30 in Shanghai: "today" is a day off,
    # and the server's date is still Friday.
    "saturday-in-shanghai": "2026-03-13T23:30:00+00:00",
    # The last working day before the Spring Festival (a make-up Saturday): tomorrow starts
    # nine days off, so "+2 working days" is ten days away.
    "spring-festival-eve": "2026-02-14T16:00:00+08:00",
    # 31 December: tomorrow is another year (and a holiday); month and year arithmetic turns over.
    "new-years-eve": "2026-12-31T18:00:00+08:00",
    # 29 February 2028, early morning in Shanghai (still the 28th on the server): a date that
    # has no twin a year before or after.
    "leap-day": "2028-02-29T07:30:00+08:00",
    # A make-up working Saturday (调休) right after the Spring Festival, the last day of February:
    # a Saturday that is worked, and "working days ago" crosses the nine days off.
    "tiaoxiu-saturday": "2026-02-28T09:30:00+08:00",
}

# The company calendar of the date-sensitive tests: public holidays (first day, last day, name)
# and make-up working days as the State Council published them for 2026, and New Year 2027.
COMPANY_HOLIDAYS = [
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"), ("2026-10-01", "2026-10-07", "国庆节"),
    ("2027-01-01", "2027-01-03", "元旦"),
]
COMPANY_MAKE_UP_DAYS = [("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"),
                        ("2026-05-09", "劳动节调休"), ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休")]


def company_calendar() -> dict[dt.date, tuple[str, str]]:
    """``COMPANY_HOLIDAYS`` and ``COMPANY_MAKE_UP_DAYS`` as ``{date: (kind, name)}``."""
    days: dict[dt.date, tuple[str, str]] = {}
    for first, last, name in COMPANY_HOLIDAYS:
        day = dt.date.fromisoformat(first)
        while day <= dt.date.fromisoformat(last):
            days[day] = ("holiday", name)
            day += dt.timedelta(days=1)
    for day, name in COMPANY_MAKE_UP_DAYS:
        days[dt.date.fromisoformat(day)] = ("workday", name)
    return days


def seed_company_calendar() -> None:
    """Write the company calendar into ``CalendarDay`` (rows already there are kept)."""
    from gendan.core.models import CalendarDay

    CalendarDay.objects.bulk_create([CalendarDay(date=day, kind=kind, name=name)
                                     for day, (kind, name) in company_calendar().items()], ignore_conflicts=True)


def today() -> dt.date:
    """The company's date now (Asia/Shanghai), never the process's (UTC)."""
    return timezone.localdate()


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute`` on the company's clock, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def working_days_from(day: dt.date, n: int) -> dt.date:
    """``n`` working days after ``day`` (before it when ``n`` < 0) on the company calendar."""
    from gendan.core.calendar import add_working_days

    return add_working_days(day, n)


def working_days_ago(n: int) -> dt.date:
    return working_days_from(today(), -n)


def next_full_week(weeks_ahead: int = 1) -> dt.date:
    """The Monday of the ``weeks_ahead``-th coming week whose five weekdays are all worked on the
    company calendar. A test that loads a line Monday to Friday passes over a holiday week (the
    Spring Festival, National Day) instead of assuming next week is an ordinary one."""
    from gendan.core.calendar import WorkCalendar

    calendar, start = WorkCalendar(), today()
    day, found = start - dt.timedelta(days=start.weekday()), 0
    while found < weeks_ahead:
        day += dt.timedelta(days=7)
        if all(calendar.is_working_day(day + dt.timedelta(days=n)) for n in range(5)):
            found += 1
    return day


@contextlib.contextmanager
def on_day(day: dt.date, hour: int | None = None, minute: int = 0):
    """Run the block on ``day`` (company date), at the current time of day unless ``hour`` is
    given; the clock ticks and comes back to the present afterwards."""
    if hour is None:
        local = timezone.localtime()
        destination = timezone.make_aware(dt.datetime.combine(day, local.time().replace(microsecond=0)))
    else:
        destination = at(day, hour, minute)
    with time_machine.travel(destination, tick=True) as traveller:
        yield traveller
