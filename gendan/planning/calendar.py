"""Working days for the schedule: ``gendan.tracking.calendar`` when it is installed, else
Monday to Friday (every Saturday and Sunday non-working, no holidays)."""

from __future__ import annotations

import datetime as dt

try:  # the lead's company calendar (holidays, 调休 working weekends)
    from gendan.tracking.calendar import non_working_days as _non_working_days
except ImportError:  # pragma: no cover - until tracking ships its calendar
    _non_working_days = None


def non_working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the non-working days from ``start`` to ``end`` (both included)."""
    if _non_working_days is not None:
        return list(_non_working_days(start, end))
    days, day = [], start
    while day <= end:
        if day.weekday() >= 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the working days from ``start`` to ``end`` (both included)."""
    off = set(non_working_days(start, end))
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)
            if start + dt.timedelta(days=n) not in off]
