"""The calls that make an order's T&A plan follow what really happens: the T&A's reactions to
other apps' domain events (``tracking/reactions/<app>.py``) make them.

``milestone_reached`` — something happened that completes a milestone (the deposit was
received, the final inspection passed…). ``milestone_forecast`` — a module learned a new
expected date for one (a material ETA, a booked inspection date, a factory's committed due
date); the forecast of every later milestone moves with it.

Call both inside the transaction that made the change; they write in it. A plan without
that milestone key ignores the call and an order without a plan too, so calling is always
safe, and calling twice changes nothing the second time (idempotent).
"""

from __future__ import annotations

import datetime as dt

from gendan.tracking.keys import Milestone
from gendan.tracking.services.milestones import (
    milestone_forecast_from_module,
    milestones_complete_from_event,
    milestones_reopen_from_event,
)

__all__ = ["Milestone", "milestone_forecast", "milestone_reached", "milestone_reopened"]


def milestone_reached(*, order, key: str, actor, event=None, on: dt.date | None = None) -> None:
    """Complete milestone ``key`` of ``order``'s plan (actual date ``on``, default today),
    linked to ``event`` (a ``core.Event``) when given."""
    milestones_complete_from_event(order=order, key=key, actor=actor, event=event, on=on)


def milestone_forecast(*, order, key: str, actor, on: dt.date, reason: str) -> None:
    """Set the forecast date of milestone ``key`` to ``on`` and move the milestones after it."""
    milestone_forecast_from_module(order=order, key=key, actor=actor, on=on, reason=reason)


def milestone_reopened(*, order, key: str, actor, reason: str) -> None:
    """Reopen milestone ``key`` of ``order``'s plan (done by an event that was since undone:
    the order's only confirmed booking was cancelled), with ``reason`` on the timeline."""
    milestones_reopen_from_event(order=order, key=key, actor=actor, reason=reason)
