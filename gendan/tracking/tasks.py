"""Background tasks (Django's tasks API, ``django_tasks``): thin wrappers that load by id and
call a reminder service. ``manage.py chase_run`` enqueues them; ``manage.py db_worker`` runs
them (the database backend), or they run at once under the immediate backend (tests).

Each service claims its reminder in ``ReminderLog`` before sending, so a task enqueued twice
sends its email once. Arguments are JSON: ids and ISO dates.
"""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from gendan.tracking.services.meetings import meeting_notice_send
from gendan.tracking.services.reminders import digest_send, escalation_send

log = logging.getLogger("gendan.tracking")


@task()
def send_digest(user_id: int, day: str) -> bool:
    sent = digest_send(user_id=user_id, day=dt.date.fromisoformat(day))
    log.info("digest user=%s day=%s sent=%s", user_id, day, sent)
    return sent


@task()
def send_escalation_digest(manager_id: int, day: str) -> bool:
    sent = escalation_send(manager_id=manager_id, today=dt.date.fromisoformat(day))
    log.info("escalation manager=%s day=%s sent=%s", manager_id, day, sent)
    return sent


@task()
def send_meeting_notice(meeting_id: int) -> bool:
    sent = meeting_notice_send(meeting_id=meeting_id)
    log.info("meeting notice meeting=%s sent=%s", meeting_id, sent)
    return sent
