"""Background tasks of dunning (``django_tasks``): the customer's reminder and each manager's
escalation, enqueued by ``services.dunning`` after the run commits. Thin: load by id, call the
service (which refuses to send a reminder twice)."""

from __future__ import annotations

import logging

from django_tasks import task

from gendan.receivables.services.dunning import dunning_escalation_email, dunning_notice_email

log = logging.getLogger("gendan.receivables")


@task()
def send_dunning_notice(notice_id: int) -> bool:
    sent = dunning_notice_email(notice_id=notice_id)
    log.info("dunning notice=%s sent=%s", notice_id, sent)
    return sent


@task()
def send_dunning_escalation(manager_id: int, run_id: int, notice_ids: list[int]) -> bool:
    sent = dunning_escalation_email(manager_id=manager_id, run_id=run_id, notice_ids=notice_ids)
    log.info("dunning escalation manager=%s run=%s sent=%s", manager_id, run_id, sent)
    return sent
