"""Amendments of a credit (改证): requested from the customer after the examination, advised
by the bank with its changes, then accepted (the credit takes the changes as a new version,
``amendment_no`` + 1, and is examined again at once) or refused with a reason (UCP 600 Art. 10:
the credit stays as it was).

An amendment's ``changes`` are ``{field: {"from": shown before, "to": the new value}}`` for
the register's fields (``services.credits.CREDIT_FIELDS``), validated like the register before
anything is saved. Every step goes on the credit's timeline and its orders'; the request may be
emailed to the customer's contacts after commit.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import FieldErrors, TransitionNotAllowed, ValidationFailed
from gendan.core.events import field_value
from gendan.core.guards import parse_date, reason_required, refuse, require
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.credits import (
    AmendmentAccepted,
    AmendmentReceived,
    AmendmentRefused,
    AmendmentRequested,
    credit_publish,
)
from gendan.exportdocs.models import CreditAmendment, LetterOfCredit
from gendan.exportdocs.services.credits import (
    CREDIT,
    CREDIT_FIELDS,
    LIVE,
    credit_fields_apply,
    credit_validate,
    documents_required_text,
    lock_credit,
)
from gendan.exportdocs.services.examination import credit_examine_locked

log = logging.getLogger("gendan.exportdocs")

A = CreditAmendment.Status
C = LetterOfCredit.Status
ADD = "exportdocs.add_creditamendment"
CHANGE = "exportdocs.change_creditamendment"
DECIDE = "exportdocs.examine_letterofcredit"
MAX_TEXT = 4000


def _live(credit: LetterOfCredit) -> None:
    if credit.status not in LIVE:
        refuse(CREDIT.check(credit, C.RECEIVED))


def amendment_request_text(credit: LetterOfCredit) -> str:
    """What must change, from the examination's findings that need an amendment (one per line)."""
    return "\n".join(f"- {f['message']}" for f in credit.findings or [] if f.get("amendment"))


def _next_sequence(credit: LetterOfCredit) -> int:
    return (credit.amendments.aggregate(n=Max("sequence"))["n"] or 0) + 1


def amendment_request(*, by: User, credit: LetterOfCredit | int, text: str = "", email: bool = False,
                      version: int | None = None) -> CreditAmendment:
    """Ask the customer to have the credit amended: ``text`` (default: the findings that need an
    amendment). ``email``: send it to the customer's contacts after commit."""
    require(by, ADD)
    with transaction.atomic():
        credit = lock_credit(credit, version)
        _live(credit)
        body = (text or "").strip() or amendment_request_text(credit)
        if not body:
            raise ValidationFailed(_("The examination found nothing that needs an amendment: write what must "
                                     "change."), code=ExportDocsError.NOTHING_TO_AMEND,
                                   fields={"text": _("Write what must change.")})
        if len(body) > MAX_TEXT:
            raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_TEXT}, fields={"text": _(
                "At most %(n)d characters.") % {"n": MAX_TEXT}})
        amendment = CreditAmendment.objects.create(credit=credit, sequence=_next_sequence(credit),
                                                   status=A.REQUESTED, request_text=body, created_by=by)
        credit_publish(AmendmentRequested, credit=credit, amendment=amendment, actor=by, reason=body[:1000])
        if email:
            transaction.on_commit(lambda: amendment_request_email(amendment_id=amendment.pk))
    return amendment


def amendment_recipients(credit: LetterOfCredit) -> list[str]:
    return [c.email for c in credit.customer.contacts.order_by("-is_primary", "name") if c.email]


def amendment_request_email(*, amendment_id: int) -> bool:
    """Email the request to the customer's contacts (after commit). Returns whether it went."""
    amendment = CreditAmendment.objects.select_related("credit__customer").get(pk=amendment_id)
    credit = amendment.credit
    recipients = amendment_recipients(credit)
    if not recipients:
        return False
    company = str(settings.GENDAN_COMPANY_NAME.get("en", ""))
    body = "\n".join([f"Dear {credit.customer.name_en or credit.customer.display_name},", "",
                      f"Please have L/C No. {credit.number} (issued by {credit.issuing_bank}) amended as follows:",
                      "", amendment.request_text, "", "Thank you.", "", company])
    try:
        EmailMessage(subject=f"L/C {credit.number}: amendment request", body=body, to=recipients,
                     from_email=settings.DEFAULT_FROM_EMAIL).send(fail_silently=False)
    except Exception as exc:  # the mail server is down: the request stays recorded on the timeline
        log.warning("amendment %s: email failed: %s", amendment_id, exc)
        return False
    return True


def _value(credit: LetterOfCredit, name: str):
    """The value of ``name`` as an amendment stores it (JSON): what the register parses back."""
    if name == "documents_required":
        return credit.documents_required
    if name == "currency":
        return credit.currency_id
    if name == "about":
        return credit.about
    return field_value(credit, name)


def _shown(credit: LetterOfCredit, name: str) -> str:
    if name == "documents_required":
        return documents_required_text(credit.documents_required)
    if name == "currency":
        return credit.currency_id or ""
    return field_value(credit, name)


def amendment_changes_check(credit: LetterOfCredit, changes: Mapping) -> dict:
    """The bank's advised changes validated like the register, as ``{field: {"from", "to"}}``;
    refuses unknown fields and an amendment that changes nothing."""
    errors = FieldErrors()
    if not isinstance(changes, Mapping) or not changes:
        raise ValidationFailed(_("Enter the changes the bank advised."), code=ExportDocsError.AMENDMENT_NO_CHANGES,
                               fields={"changes": _("Enter the changes the bank advised.")})
    for name in changes:
        if name not in CREDIT_FIELDS or name == "number":
            errors.add(f"changes.{name}", _("“%(field)s” is not a field an amendment changes.") % {
                "field": str(name)[:40]}, ExportDocsError.AMENDMENT_NO_CHANGES)
    errors.raise_any()
    amended = copy.copy(credit)  # its own state: setting the currency must not touch the credit's cache
    amended._state = copy.copy(credit._state)
    amended._state.fields_cache = dict(credit._state.fields_cache)
    credit_fields_apply(amended, changes, errors)
    credit_validate(amended, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), code=errors.code,
                               fields={f"changes.{k}" if not k.startswith("changes.") else k: v
                                       for k, v in errors.items()})
    result = {name: {"from": _shown(credit, name), "to": _value(amended, name), "shown": _shown(amended, name)}
              for name in changes if _shown(credit, name) != _shown(amended, name)}
    if not result:
        raise ValidationFailed(_("The advised values are the credit's own: nothing changes."),
                               code=ExportDocsError.AMENDMENT_NO_CHANGES,
                               fields={"changes": _("Nothing changes.")})
    return result


def _event_changes(changes: dict) -> dict:
    return {name: {"old": c["from"], "new": c["shown"], "model": "exportdocs.letterofcredit"}
            for name, c in changes.items()}


def amendment_receive(*, by: User, credit: LetterOfCredit | int, changes: Mapping, received_on=None,
                      amendment: CreditAmendment | int | None = None, version: int | None = None) -> CreditAmendment:
    """Record the amendment the bank advised: ``changes`` maps credit fields to their new values.
    It completes the oldest one requested (or ``amendment``), else is a new one; we then decide."""
    require(by, CHANGE)
    with transaction.atomic():
        credit = lock_credit(credit, version)
        _live(credit)
        advised_on = parse_date(received_on, field="received_on") or timezone.localdate()
        checked = amendment_changes_check(credit, changes)
        requested = credit.amendments.select_for_update().filter(status=A.REQUESTED)
        if amendment is not None:
            requested = requested.filter(pk=getattr(amendment, "pk", amendment))
        found = requested.order_by("sequence").first()
        if amendment is not None and found is None:
            raise TransitionNotAllowed(_("That amendment is not waiting for the bank's advice."))
        found = found or CreditAmendment(credit=credit, sequence=_next_sequence(credit), created_by=by)
        found.status, found.changes, found.received_on = A.RECEIVED, checked, advised_on
        found.save()
        credit_publish(AmendmentReceived, credit=credit, amendment=found, actor=by, changes=_event_changes(checked))
    return found


def _lock_amendment(credit_id: int, amendment: CreditAmendment | int) -> CreditAmendment:
    pk = getattr(amendment, "pk", amendment)
    return CreditAmendment.objects.select_for_update().get(pk=pk, credit_id=credit_id)


def _lock(amendment: CreditAmendment | int, version: int | None) -> tuple[LetterOfCredit, CreditAmendment]:
    pk = getattr(amendment, "pk", amendment)
    credit_id = CreditAmendment.objects.filter(pk=pk).values_list("credit_id", flat=True).first()
    if credit_id is None:
        raise Http404(_("No such amendment."))
    credit = lock_credit(credit_id, version)
    found = _lock_amendment(credit.pk, pk)
    if found.status != A.RECEIVED:
        raise TransitionNotAllowed(_("Amendment %(seq)d is “%(status)s”: only an amendment the bank advised is "
                                     "accepted or refused.") % {"seq": found.sequence,
                                                                 "status": found.get_status_display()})
    return credit, found


def amendment_accept(*, by: User, amendment: CreditAmendment | int, version: int | None = None) -> CreditAmendment:
    """Accept the advised amendment: the credit takes its changes (a new version, one more
    amendment accepted) and is examined again at once. ``version`` is the credit's."""
    require(by, DECIDE)
    with transaction.atomic():
        credit, found = _lock(amendment, version)
        _live(credit)
        errors = FieldErrors()
        credit_fields_apply(credit, {name: c["to"] for name, c in found.changes.items()}, errors)
        credit_validate(credit, errors)
        errors.raise_any()
        credit.amendment_no += 1
        credit.version += 1
        credit.save()
        found.status, found.decided_at, found.decided_by = A.ACCEPTED, timezone.now(), by
        found.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        credit_publish(AmendmentAccepted, credit=credit, amendment=found, actor=by,
                       changes=_event_changes(found.changes))
        credit_examine_locked(by=by, credit=credit)
    return found


def amendment_refuse(*, by: User, amendment: CreditAmendment | int, reason: str,
                     version: int | None = None) -> CreditAmendment:
    """Refuse the advised amendment with the reason: the credit stays as it was."""
    require(by, DECIDE)
    text = reason_required(reason, _("refusing the amendment"))
    with transaction.atomic():
        credit, found = _lock(amendment, version)
        found.status, found.decided_at, found.decided_by, found.reason = A.REFUSED, timezone.now(), by, text
        found.save(update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"])
        credit_publish(AmendmentRefused, credit=credit, amendment=found, actor=by, reason=text)
    return found



