"""Background tasks (django_tasks): thin wrappers that call a service by id / value."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from gendan.planning.services.import_jobs import import_job_run
from gendan.planning.services.instructions import default_week, instructions_generate


@task()
def instructions_weekly(kind: str, week: str | None = None) -> int:
    """Generate and email the instructions of ``kind`` for ``week`` (ISO date; default next week)."""
    week_start = dt.date.fromisoformat(week) if week else default_week(kind)
    return len(instructions_generate(actor=None, kind=kind, week_start=week_start))


@task()
def progress_import_run(job_id: int) -> str:
    """Check or import the large progress sheet of ``ImportJob`` ``job_id`` (once, however often
    the task is delivered); return the job's status."""
    job = import_job_run(job_id=job_id)
    return job.status if job else "missing"
