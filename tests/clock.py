"""Helpers for tests that deal with dates. The suite's clock is pinned (see the root
``conftest.py``); these build dates relative to the company's "today" and move the clock
to another day for a while, e.g. to enter an order "three working days ago"."""

from __future__ import annotations

import contextlib
import datetime as dt

import time_machine
from django.utils import timezone


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
