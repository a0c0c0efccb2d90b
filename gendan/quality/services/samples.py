"""Samples (样品): request a sample of an order, send it in rounds, record each round's receipt
(comments are due within 3 working days), the departments' sign-off (one rejection rejects it;
sales, QC and engineering where needed approve it), and cancel one no longer needed.

Every use case checks the actor's permission, locks what it changes, re-checks the workflow
table (``quality.workflows.SAMPLE``), and publishes its domain event (``quality.events``: its
row is the note on the order; the sample gets a row of the same kind; the T&A hears an approved
PP sample).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.calendar import add_working_days
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, TransitionNotAllowed, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import parse_date, reason_required, refuse, require
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.quality import rules
from gendan.quality.errors import QualityError
from gendan.quality.events import (
    SampleApproved,
    SampleCancelled,
    SampleReceived,
    SampleRejected,
    SampleRequested,
    SampleSent,
    SampleSignedOff,
)
from gendan.quality.models import Sample, SampleRound, SampleSignoff
from gendan.quality.selectors import sample_queryset
from gendan.quality.services.common import attach, check_uploads, count, invalid
from gendan.quality.workflows import ROUND_OUT, SAMPLE
from gendan.sales.services.orders import lock_order

SIGN_PERM = {SampleSignoff.Department.SALES: "quality.sign_sample_sales",
             SampleSignoff.Department.QC: "quality.sign_sample_qc",
             SampleSignoff.Department.ENGINEERING: "quality.sign_sample_engineering"}


def _lock(actor: User, sample_id: int, expected_version: int | None) -> Sample:
    return lock_row(sample_queryset(actor), sample_id, expected_version=expected_version, not_found="No such sample.")


def sample_request(*, actor: User, order_id: int, kind: str, quantity: Any, requested_on: Any,
                   description: str = "", production_order_id: int | None = None,
                   needs_engineering: bool = False) -> Sample:
    """Request a sample of an order (optionally for one of its production orders) by a date."""
    require(actor, "quality.add_sample")
    if kind not in Sample.Kind.values:
        raise invalid("kind", _("Choose the kind of sample."))
    quantity = count(quantity, field="quantity", label=_("The quantity"), minimum=1)
    requested_on = parse_date(requested_on, field="requested_on", required=True)
    if requested_on < timezone.localdate():
        raise invalid("requested_on", _("The date needed cannot be in the past."), CoreError.DATE_IN_PAST)
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.sample_request_check(order))
        production_order = None
        if production_order_id not in (None, ""):
            production_order = order.production_orders.filter(pk=production_order_id).first() \
                if str(production_order_id).isdigit() else None
            if production_order is None:
                raise invalid("production_order", _("Choose a production order of this order."),
                              CoreError.RECORD_MISMATCH)
        sample = Sample.objects.create(sales_order=order, production_order=production_order, kind=kind,
                                       quantity=quantity, requested_on=requested_on, created_by=actor,
                                       description=(description or "").strip()[:200],
                                       needs_engineering=bool(needs_engineering))
        event = SampleRequested(actor=actor, order=order, sample=sample)
        event_record(actor=actor, obj=sample, verb=Event.Verb.CREATED, kind=event.kind, params=event.params())
        publish(event)
    return sample


def sample_send(*, actor: User, sample_id: int, sent_on: Any, courier: str = "", tracking_no: str = "",
                expected_version: int | None = None) -> tuple[Sample, str]:
    """Send (the next round of) a sample. Returns the sample and a warning ("" if none): a
    shipping sample normally goes only after the final inspection passed."""
    require(actor, "quality.change_sample")
    sent_on = parse_date(sent_on, field="sent_on", required=True)
    if sent_on > timezone.localdate():
        raise invalid("sent_on", _("The sending date cannot be in the future."), CoreError.DATE_IN_FUTURE)
    courier, tracking_no = (courier or "").strip()[:60], (tracking_no or "").strip()[:60]
    with transaction.atomic():
        sample = _lock(actor, sample_id, expected_version)
        old = SAMPLE.move(sample, Sample.Status.SENT)
        round_no = sample.rounds.count() + 1
        SampleRound.objects.create(sample=sample, round_no=round_no, sent_on=sent_on, courier=courier,
                                   tracking_no=tracking_no)
        sample.version += 1
        sample.save(update_fields=["status", "version", "updated_at"])
        warning = rules.sample_shipping_warning(sample)
        event = SampleSent(actor=actor, order=sample.sales_order, sample=sample, reason=warning, round_no=round_no,
                           sent_on=sent_on, courier=courier, tracking_no=tracking_no)
        event_record(actor=actor, obj=sample, verb=Event.Verb.STATE_CHANGED, kind=event.kind, params=event.params(),
                     changes={"status": {"old": old, "new": Sample.Status.SENT}}, reason=warning)
        publish(event)
    return sample, warning


def sample_receive(*, actor: User, sample_id: int, received_on: Any, comments: str = "", photos: Iterable = (),
                   expected_version: int | None = None) -> Sample:
    """The customer (or factory) received the round: comments are due within 3 working days."""
    require(actor, "quality.change_sample")
    received_on = parse_date(received_on, field="received_on", required=True)
    photos = list(photos)
    check_uploads(photos, None)
    with transaction.atomic():
        sample = _lock(actor, sample_id, expected_version)
        if sample.status not in ROUND_OUT:
            raise TransitionNotAllowed(_("Only a sent sample can be received."))
        current = sample.rounds.order_by("-round_no").first()
        if received_on < current.sent_on or received_on > timezone.localdate():
            raise invalid("received_on", _("The receiving date must be between the sending date (%(sent)s) and "
                                           "today.") % {"sent": current.sent_on},
                          CoreError.DATES_OUT_OF_ORDER if received_on < current.sent_on else CoreError.DATE_IN_FUTURE)
        current.received_on, current.comments = received_on, (comments or "").strip()
        current.comments_due_on = add_working_days(received_on, 3)
        current.save(update_fields=["received_on", "comments", "comments_due_on", "updated_at"])
        sample.version += 1
        sample.save(update_fields=["version", "updated_at"])
        publish(SampleReceived(actor=actor, order=sample.sales_order, sample=sample, round_no=current.round_no,
                               received_on=received_on, comments_due_on=current.comments_due_on))
        attach(actor, sample, photos, None, "quality.change_sample")
    return sample


def sample_sign(*, actor: User, sample_id: int, department: str, verdict: str, comment: str = "",
                expected_version: int | None = None) -> Sample:
    """A department signs off the current round. One rejection rejects the sample (another
    round follows); when sales, QC (and engineering where needed) approved, it is approved
    (``SampleApproved``: a PP sample then completes its T&A milestone)."""
    if department not in SIGN_PERM:
        raise invalid("department", _("Choose the department signing."))
    require(actor, SIGN_PERM[department])
    if verdict not in SampleSignoff.Verdict.values:
        raise invalid("verdict", _("Approve or reject."))
    comment = (comment or "").strip()
    if verdict == SampleSignoff.Verdict.REJECTED and not comment:
        raise invalid("comment", _("Say what must change on the sample."), CoreError.COMMENT_REQUIRED)
    with transaction.atomic():
        sample = _lock(actor, sample_id, expected_version)
        if sample.status not in ROUND_OUT:
            raise TransitionNotAllowed(_("Only a sample that was sent can be signed off."))
        if department == SampleSignoff.Department.ENGINEERING and not sample.needs_engineering:
            raise invalid("department", _("This sample needs no engineering sign-off."),
                          QualityError.NO_ENGINEERING_SIGNOFF)
        current = sample.rounds.order_by("-round_no").first()
        if current.received_on is None:
            raise ValidationFailed(_("Record when this round of the sample was received before signing it off: "
                                     "the three working days for comments count from then."),
                                   code=QualityError.NOT_RECEIVED)
        if current.signoffs.filter(department=department).exists():
            raise ValidationFailed(_("This department already signed this round."), code=QualityError.ALREADY_SIGNED)
        SampleSignoff.objects.create(round=current, department=department, verdict=verdict, comment=comment[:300],
                                     signed_by=actor, signed_at=timezone.now())
        needed = {SampleSignoff.Department.SALES, SampleSignoff.Department.QC}
        if sample.needs_engineering:
            needed.add(SampleSignoff.Department.ENGINEERING)
        verdicts = dict(current.signoffs.values_list("department", "verdict"))
        old, event_type = sample.status, SampleSignedOff
        if verdict == SampleSignoff.Verdict.REJECTED:
            SAMPLE.move(sample, Sample.Status.REJECTED)
            event_type = SampleRejected
        elif needed <= {d for d, v in verdicts.items() if v == SampleSignoff.Verdict.APPROVED}:
            SAMPLE.move(sample, Sample.Status.APPROVED)
            event_type = SampleApproved
        sample.version += 1
        sample.save(update_fields=["status", "version", "updated_at"])
        event = event_type(actor=actor, order=sample.sales_order, sample=sample, reason=comment,
                           round_no=current.round_no, department=department, verdict=verdict)
        changes = {"status": {"old": old, "new": sample.status}} if old != sample.status else {}
        event_record(actor=actor, obj=sample, verb=Event.Verb.STATE_CHANGED if changes else Event.Verb.NOTE,
                     kind=event.kind, params=event.params(), reason=comment, changes=changes)
        publish(event)
    return sample


def sample_cancel(*, actor: User, sample_id: int, reason: str, expected_version: int | None = None) -> Sample:
    """Cancel a sample that is no longer needed (requested, out, or rejected), with the reason."""
    require(actor, "quality.change_sample")
    reason = reason_required(reason, _("cancelling the sample"))
    with transaction.atomic():
        sample = _lock(actor, sample_id, expected_version)
        old = SAMPLE.move(sample, Sample.Status.CANCELLED)
        sample.version += 1
        sample.save(update_fields=["status", "version", "updated_at"])
        event = SampleCancelled(actor=actor, order=sample.sales_order, sample=sample, reason=reason)
        event_record(actor=actor, obj=sample, verb=Event.Verb.STATE_CHANGED, reason=reason, kind=event.kind,
                     params=event.params(), changes={"status": {"old": old, "new": Sample.Status.CANCELLED}})
        publish(event)
    return sample
