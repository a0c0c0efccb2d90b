"""What planning tells the rest of the house, and what it writes on timelines.

Typed domain events (``core.domain_events``), published inside the service's transaction; the
T&A hears them in ``tracking/reactions/planning.py`` (planning does not know the T&A):

- ``ProductionProgressRecorded`` — daily progress was saved for a production order; carries the
  latest expected finish the factory gave (the forecast of "production finished");
- ``ScheduleChanged`` — a production order was scheduled or rescheduled; carries the span of
  all its schedule entries (the forecasts of "production started" / "production finished");
- ``ExFactoryExpected`` — a production exception gave a new ex-factory date for an order.

Timeline rows are a kind and its parameters, shown in the reader's language
(``core.events``); the texts are msgids (``gettext_noop``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import event_kind_register
from gendan.core.models import Event

# --- timeline rows ----------------------------------------------------------------------------

WORK_LINE_CREATED = event_kind_register(
    "planning.work_line_created", gettext_noop("Line %(name)s, %(capacity)s units/day"))
SCHEDULED = event_kind_register(
    "planning.scheduled", gettext_noop("Scheduled on %(line)s %(start)s – %(end)s: %(qty)s"))
RESCHEDULED = event_kind_register(
    "planning.rescheduled", gettext_noop("Rescheduled on %(line)s: %(start)s – %(end)s"))
PROGRESS = event_kind_register(
    "planning.progress", gettext_noop("Progress %(date)s, line %(n)s, %(stage)s: %(qty)s of %(ordered)s"))
PRODUCED = event_kind_register(
    "planning.produced", gettext_noop("%(po)s line %(n)s: %(qty)s of %(ordered)s produced"))
EXCEPTION_REPORTED = event_kind_register(
    "planning.exception_reported", gettext_noop("Production exception #%(pk)s (%(kind)s): %(text)s"))
EXCEPTION_RESOLVED = event_kind_register(
    "planning.exception_resolved", gettext_noop("Production exception #%(pk)s resolved"))
INSTRUCTION_GENERATED = event_kind_register(
    "planning.instruction_generated", gettext_noop("%(n)d schedule entries"))
INSTRUCTION_REGENERATED = event_kind_register(
    "planning.instruction_regenerated", gettext_noop("Regenerated from the schedule: %(n)d entries"))


# --- domain events --------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ProductionProgressRecorded(DomainEvent):
    """Progress of ``production_order`` (of sales order ``order``) was saved. ``expected_finish``:
    the latest expected finish given for any of its lines and stages, or None."""

    record_row: ClassVar[bool] = False  # the progress rows are on the production order already

    order: Any
    production_order: Any
    expected_finish: dt.date | None = None


@dataclass(kw_only=True)
class ScheduleChanged(DomainEvent):
    """``production_order`` was scheduled or rescheduled; its entries now run from ``first_day``
    to ``last_day``. ``reason``: why (the planner's words, or what was scheduled)."""

    record_row: ClassVar[bool] = False  # the schedule rows are on the entry and the orders already

    order: Any
    production_order: Any
    first_day: dt.date
    last_day: dt.date


@dataclass(kw_only=True)
class ExFactoryExpected(DomainEvent):
    """Production exception ``exception`` expects ``order`` to leave the factory on ``on``; the
    row on the order's timeline says so (``reason``: the exception's description)."""

    kind: ClassVar[str] = "planning.exception_ex_factory"
    text: ClassVar[str] = gettext_noop("Production exception #%(pk)s: ex-factory expected %(date)s; "
                                       "tell the customer.")
    verb: ClassVar[str] = Event.Verb.NOTE

    order: Any
    exception: Any
    on: dt.date

    def params(self) -> dict:
        return {"pk": self.exception.pk, "date": self.on.isoformat()}
