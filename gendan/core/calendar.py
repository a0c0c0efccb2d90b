"""The company's working-day calendar: weekends from ``GENDAN_WEEKEND_DAYS`` (Saturday and
Sunday by default), public holidays and make-up working days (调休) from ``CalendarDay``.

Used by T&A working-day offsets, the production schedule and sample deadlines (it sits in
``core`` so every app above may count working days). A
``WorkCalendar`` loads the exceptions of a date window once, so scheduling a plan of
twenty milestones costs one query, not twenty.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from gendan.core.models import CalendarDay
from gendan.core.request_cache import per_request

ONE_DAY = dt.timedelta(days=1)


def weekend_days() -> frozenset[int]:
    """Weekday numbers (Monday = 0) that are not worked unless made up."""
    return frozenset(getattr(settings, "GENDAN_WEEKEND_DAYS", (5, 6)))


class WorkCalendar:
    """Working days between ``start`` and ``end`` (exceptions outside are read on demand)."""

    def __init__(self, start: dt.date | None = None, end: dt.date | None = None):
        self._weekend = weekend_days()
        self._loaded: tuple[dt.date, dt.date] | None = None
        self._exceptions: dict[dt.date, str] = {}
        if start and end:
            self._load(start, end)

    def _load(self, start: dt.date, end: dt.date) -> None:
        if self._loaded:
            start, end = min(start, self._loaded[0]), max(end, self._loaded[1])
        self._exceptions = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))
        self._loaded = (start, end)

    def _ensure(self, day: dt.date) -> None:
        if self._loaded is None or not (self._loaded[0] <= day <= self._loaded[1]):
            # Load a generous window around the day: schedules walk day by day.
            self._load(day - dt.timedelta(days=200), day + dt.timedelta(days=200))

    def is_working_day(self, day: dt.date) -> bool:
        self._ensure(day)
        kind = self._exceptions.get(day)
        if kind == CalendarDay.Kind.HOLIDAY:
            return False
        if kind == CalendarDay.Kind.WORKDAY:
            return True
        return day.weekday() not in self._weekend

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """Return the date ``n`` working days after ``day`` (before it when ``n`` < 0).

        ``n`` = 0 returns ``day`` itself when it is worked, else the next working day.
        """
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            return day
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def non_working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Every day from ``start`` to ``end`` (inclusive) that is not worked."""
        days, day = [], start
        while day <= end:
            if not self.is_working_day(day):
                days.append(day)
            day += ONE_DAY
        return days


def _calendar() -> WorkCalendar:
    """One calendar for a whole GET (a page counting working days for each of its rows reads the
    exceptions once, core/request_cache.py); a fresh one anywhere else."""
    return per_request("core.calendar", WorkCalendar)


def is_working_day(day: dt.date) -> bool:
    return _calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return _calendar().add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return WorkCalendar(start, end).working_days_between(start, end)


def non_working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return WorkCalendar(start, end).non_working_days(start, end)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every worked day from ``start`` to ``end`` (inclusive)."""
    calendar = WorkCalendar(start, end)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)
            if calendar.is_working_day(start + dt.timedelta(days=n))]
