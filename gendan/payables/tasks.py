"""Background tasks of payables (django_tasks): thin wrappers that load by id and call a
service. The statement's e-mail is enqueued after the commit that issued or sent it."""

from __future__ import annotations

import logging

from django_tasks import task

from gendan.payables.services.statements import statement_email

log = logging.getLogger("gendan.payables")


@task()
def send_supplier_statement(statement_id: int) -> bool:
    sent = statement_email(statement_id=statement_id)
    log.info("supplier statement=%s sent=%s", statement_id, sent)
    return sent
