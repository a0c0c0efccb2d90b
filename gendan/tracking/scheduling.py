"""The T&A arithmetic, free of the database: resolve a template's steps into planned dates
(backwards from the ex-factory date), check a template for cycles and crossed offsets, and
move forecasts along the chain of predecessors.

Kept pure so the services, the template editor, the demo generator (2 M milestones) and
the tests share one implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.core.calendar import WorkCalendar


class ScheduleError(ValueError):
    """A template that cannot be scheduled: a cycle, an unknown predecessor, crossed offsets."""

    def __init__(self, message: str, *, step_key: str = "", kind: str = "offsets"):
        super().__init__(message)
        self.step_key = step_key
        self.kind = kind  # "cycle", "predecessor" or "offsets": which field the user must change


@dataclass(frozen=True)
class Step:
    key: str
    anchor: str
    offset_days: int
    day_kind: str = "calendar"
    predecessor_key: str = ""
    name: str = ""

    @classmethod
    def of(cls, row) -> Step:
        return cls(row.key, row.anchor, row.offset_days, row.day_kind, row.predecessor_key or "",
                   getattr(row, "display_name", "") or row.key)


def steps_in_dependency_order(steps: list[Step]) -> list[Step]:
    """Return ``steps`` so that every step comes after its predecessor.

    Raises ``ScheduleError`` for an unknown predecessor or a cycle (A after B after A).
    """
    by_key = {s.key: s for s in steps}
    for step in steps:
        if step.predecessor_key and step.predecessor_key not in by_key:
            raise ScheduleError(_("Milestone “%(step)s” follows “%(after)s”, which is not in the template.")
                                % {"step": step.name, "after": step.predecessor_key}, step_key=step.key,
                                kind="predecessor")
        if step.predecessor_key == step.key:
            raise ScheduleError(_("Milestone “%(step)s” cannot follow itself.") % {"step": step.name},
                                step_key=step.key, kind="cycle")
    ordered: list[Step] = []
    state: dict[str, str] = {}  # key -> "visiting" | "done"

    def visit(step: Step, path: list[str]) -> None:
        if state.get(step.key) == "done":
            return
        if state.get(step.key) == "visiting":
            cycle = " → ".join(by_key[k].name for k in [*path[path.index(step.key):], step.key])
            raise ScheduleError(_("The milestones follow each other in a circle: %(cycle)s. "
                                  "Break the circle by changing one “after”.") % {"cycle": cycle},
                                step_key=step.key, kind="cycle")
        state[step.key] = "visiting"
        if step.predecessor_key:
            visit(by_key[step.predecessor_key], [*path, step.key])
        state[step.key] = "done"
        ordered.append(step)

    for step in steps:
        visit(step, [])
    return ordered


def shift(day: dt.date, offset: int, day_kind: str, calendar: WorkCalendar) -> dt.date:
    if day_kind == "working":
        return calendar.add_working_days(day, offset)
    return day + dt.timedelta(days=offset)


def schedule(steps: list[Step], anchors: dict[str, dt.date], calendar: WorkCalendar) -> dict[str, dt.date]:
    """Return the planned date of every step: its anchor date (or its predecessor's planned
    date for anchor ``previous``) plus the offset, in calendar or working days."""
    planned: dict[str, dt.date] = {}
    for step in steps_in_dependency_order(steps):
        if step.anchor == "previous":
            base = planned[step.predecessor_key] if step.predecessor_key else anchors["order_date"]
        else:
            base = anchors[step.anchor]
        planned[step.key] = shift(base, step.offset_days, step.day_kind, calendar)
    return planned


def reference_anchors(*, transit_days: int = 30, etd_after_ex_factory: int = 4, lead_days: int = 75,
                      ) -> dict[str, dt.date]:
    """Anchors of a typical order (75 days' lead time), used to check a template's offsets."""
    order_date = dt.date(2030, 1, 7)  # a Monday far from any holiday entered today
    ex_factory = order_date + dt.timedelta(days=lead_days)
    etd = ex_factory + dt.timedelta(days=etd_after_ex_factory)
    return {"order_date": order_date, "ex_factory": ex_factory, "etd": etd,
            "eta": etd + dt.timedelta(days=transit_days), "delivery": ex_factory + dt.timedelta(days=3)}


def template_check(steps: list[Step], anchors: dict[str, dt.date]) -> None:
    """Refuse a template whose offsets put a milestone before the one it follows (for an
    order with the given anchors), or that has a cycle. Raises ``ScheduleError``."""
    planned = schedule(steps, anchors, WorkCalendar(min(anchors.values()) - dt.timedelta(days=400),
                                                    max(anchors.values()) + dt.timedelta(days=400)))
    by_key = {s.key: s for s in steps}
    for step in steps:
        if step.predecessor_key and planned[step.key] < planned[step.predecessor_key]:
            before = by_key[step.predecessor_key]
            raise ScheduleError(
                _("The offsets put “%(step)s” (%(date)s) before “%(after)s” (%(after_date)s), which it follows: "
                  "change one of the offsets or the order of the milestones.")
                % {"step": step.name, "date": planned[step.key].isoformat(), "after": before.name,
                   "after_date": planned[before.key].isoformat()}, step_key=step.key)


@dataclass
class Point:
    """One milestone for forecasting: what is known about it."""

    key: str
    predecessor_key: str
    planned: dt.date
    expected: dt.date | None
    actual: dt.date | None
    status: str  # open | done | skipped
    anchor: str = "previous"


def forecast(points: list[Point], today: dt.date) -> dict[str, dt.date]:
    """Return each milestone's forecast date.

    Done: its actual date. Skipped: its plan. Open: the later of its expected (or planned)
    date and what its predecessor allows, and never before today (an open milestone cannot
    be done in the past). What the predecessor allows depends on how the two are planned:

    - counted from the predecessor, or from the same anchor (the production chain counted
      back from ex-factory): the gap between them is work that takes time, so the
      milestone slips by as many days as its predecessor;
    - counted from different anchors (the chain forward from the order meeting the chain
      back from ex-factory): the gap is slack; the milestone moves only when its
      predecessor's forecast reaches it, then at least a day after it.

    A predecessor finishing early pulls nothing forward.
    """
    by_key = {p.key: p for p in points}
    result: dict[str, dt.date] = {}

    def value(point: Point, depth: int = 0) -> dt.date:
        if point.key in result:
            return result[point.key]
        if point.status == "done":
            day = point.actual or point.planned
        elif point.status == "skipped":
            day = point.planned
        else:
            day = point.expected or point.planned
            before = by_key.get(point.predecessor_key) if point.predecessor_key and depth < 100 else None
            if before is not None:
                before_day = value(before, depth + 1)
                if point.anchor == "previous" or point.anchor == before.anchor:
                    slip = (before_day - before.planned).days
                    if slip > 0:
                        day = max(day, point.planned + dt.timedelta(days=slip))
                else:
                    gap = 0 if point.planned == before.planned else 1
                    day = max(day, before_day + dt.timedelta(days=gap))
            day = max(day, today)
        result[point.key] = day
        return day

    for point in points:
        value(point)
    return result
