"""Background task of the ledger part (Django's tasks API): e-mail a recorded statement of
account. ``services.statements`` enqueues it after the commit (on demand and the monthly run);
``manage.py db_worker`` runs it, or it runs at once under the immediate backend (tests).
Sending twice is harmless: a sent statement is not sent again."""

from __future__ import annotations

import logging

from django_tasks import task

from gendan.receivables.services.statements import statement_email

log = logging.getLogger("gendan.receivables")


@task()
def send_statement(send_id: int) -> bool:
    sent = statement_email(send_id=send_id)
    log.info("statement send=%s sent=%s", send_id, sent)
    return sent
