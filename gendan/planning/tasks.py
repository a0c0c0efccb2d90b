"""Background tasks (django_tasks): thin wrappers that call a service by id / value."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from gendan.planning.services.instructions import default_week, instructions_generate


@task()
def instructions_weekly(kind: str, week: str | None = None) -> int:
    """Generate and email the instructions of ``kind`` for ``week`` (ISO date; default next week)."""
    week_start = dt.date.fromisoformat(week) if week else default_week(kind)
    return len(instructions_generate(actor=None, kind=kind, week_start=week_start))
