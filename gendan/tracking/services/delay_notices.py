"""Delay notices (延期通知): when an order's predicted ex-factory date passes the promised
one, Gendan drafts a letter to the customer; the merchandiser reviews it, edits it and sends
it — or discards it with a reason. An order has at most one draft: a later prediction
updates it (and keeps the merchandiser's own wording when they have edited it).

Transitions (``tracking.workflows.DELAY_NOTICE``): draft → sent (``delay_notice_send``), draft →
discarded (``delay_notice_discard``). The email goes out after the transaction commits; the notice
keeps the address it went to and any error, and the order's timeline and communication log
show it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import Check, no, parse_date, reason_required, refuse
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset
from gendan.tracking import events
from gendan.tracking.errors import TrackingError
from gendan.tracking.models import Communication, DelayNotice, OrderPlan
from gendan.tracking.services.communications import communication_log_outbound
from gendan.tracking.workflows import DELAY_NOTICE

log = logging.getLogger("gendan.tracking")

S = DelayNotice.Status
SEND_PERM = "tracking.change_delaynotice"
VIEW_PERM = "tracking.view_delaynotice"
# Customers in these countries read Chinese; everyone else gets English with a Chinese copy.
CHINESE_COUNTRIES = {"CN", "TW", "HK", "MO"}


def _check(user: User, notice: DelayNotice, to: str) -> Check:
    if not user.has_perm(SEND_PERM):
        return no(CoreError.FORBIDDEN, _("Your role may not send delay notices."))
    if not DELAY_NOTICE.can(notice, to):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("This delay notice is %(status)s already.") % {
            "status": notice.get_status_display()})
    return DELAY_NOTICE.check(notice, to)


def can_send(user: User, notice: DelayNotice) -> Check:
    """May ``user`` edit and send ``notice`` (a draft, by the merchandiser or a manager)?"""
    return _check(user, notice, S.SENT)


def can_discard(user: User, notice: DelayNotice) -> Check:
    return _check(user, notice, S.DISCARDED)


# --- reads ----------------------------------------------------------------------------------


def delay_notice_queryset(user: User) -> QuerySet[DelayNotice]:
    """Delay notices of the orders ``user`` may see."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERM):
        return DelayNotice.objects.none()
    return DelayNotice.objects.filter(order__in=order_queryset(user).values("pk")).select_related(
        "order__customer", "order__merchandiser", "sent_by")


def delay_notice_get_for_user(*, user: User, pk: int) -> DelayNotice:
    try:
        return delay_notice_queryset(user).get(pk=pk)
    except (DelayNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("No such delay notice.") from None


def delay_notice_drafts(*, user: User, mine_only: bool = True) -> QuerySet[DelayNotice]:
    """Drafts waiting for review; by default those of the orders the user follows."""
    qs = delay_notice_queryset(user).filter(status=S.DRAFT)
    return qs.filter(order__merchandiser=user) if mine_only else qs


# --- the letter -----------------------------------------------------------------------------


def recipients(order: SalesOrder) -> list[str]:
    """The customer's main contact(s), else the first contact with an email, else the
    customer's own address (the same people as payment requests)."""
    contacts = list(order.customer.contacts.all())
    primary = [c.email for c in contacts if c.email and c.is_primary]
    if primary:
        return primary
    emails = [c.email for c in contacts if c.email]
    if emails:
        return emails[:1]
    return [order.customer.email] if getattr(order.customer, "email", "") else []


def _letter(order: SalesOrder, promised: dt.date, new: dt.date, reason: str) -> tuple[str, str]:
    company = settings.GENDAN_COMPANY_NAME.get(translation.get_language(), settings.GENDAN_COMPANY_NAME["en"])
    subject = _("Revised ex-factory date for your PO %(po)s (our order %(order)s)") % {
        "po": order.customer_po_no, "order": order.number}
    body = "\n".join([
        _("Dear customer,"),
        "",
        _("We regret to inform you that your order %(po)s (our order %(order)s) cannot leave the factory on "
          "%(promised)s as promised. The new ex-factory date is %(new)s.") % {
            "po": order.customer_po_no, "order": order.number, "promised": promised.isoformat(),
            "new": new.isoformat()},
        "",
        _("Reason: %(reason)s") % {"reason": reason},
        "",
        _("We apologise for the inconvenience and are doing everything we can to keep the new date. "
          "Please let us know if this affects your plans."),
        "",
        _("Best regards,"),
        company,
    ])
    return subject, body


def compose(order: SalesOrder, promised: dt.date, new: dt.date, reason: str) -> tuple[str, str]:
    """Subject and letter in the customer's language: Chinese for Chinese-speaking countries,
    else English followed by a Chinese copy."""
    if order.customer.country in CHINESE_COUNTRIES:
        with translation.override("zh-hans"):
            return _letter(order, promised, new, reason)
    with translation.override("en"):
        subject, body = _letter(order, promised, new, reason)
    with translation.override("zh-hans"):
        zh_subject, zh_body = _letter(order, promised, new, reason)
    if zh_subject == subject:  # no Chinese translation installed: one copy is enough
        return subject, body
    return f"{subject} / {zh_subject}", f"{body}\n\n— 中文 —\n\n{zh_body}"


def _promised_date(order: SalesOrder) -> dt.date:
    """The date promised to the customer: the T&A plan's, else the order's ex-factory date."""
    try:
        return order.plan.promised_ex_factory
    except OrderPlan.DoesNotExist:
        return order.ex_factory_date


# --- writes ---------------------------------------------------------------------------------


def delay_notice_draft(*, order: SalesOrder, new_date: dt.date, reason: str, actor: User | None = None
                       ) -> DelayNotice:
    """Create or update the order's draft delay notice. Called by the T&A forecast when the
    predicted ex-factory date passes the promised one (``actor`` None), or by a person.
    A letter the merchandiser has edited keeps their wording; only the dates are updated."""
    new_date = parse_date(new_date, field="new_date", required=True)
    reason = reason_required(reason, _("the delay"))  # the customer reads it in the letter
    promised = _promised_date(order)
    if new_date <= promised:
        msg = _("The new date %(new)s is not after the promised ex-factory date %(promised)s: no delay to notify.") \
            % {"new": new_date.isoformat(), "promised": promised.isoformat()}
        raise ValidationFailed(msg, fields={"new_date": msg})
    with transaction.atomic():
        SalesOrder.objects.select_for_update(of=("self",)).filter(pk=order.pk).first()  # one draft per order
        notice = DelayNotice.objects.select_for_update().filter(order=order, status=S.DRAFT).first()
        subject, body = compose(order, promised, new_date, reason)
        if notice is None:
            notice = DelayNotice.objects.create(order=order, promised_date=promised, new_date=new_date,
                                                reason=reason, subject=subject, body=body)
            verb, changes = Event.Verb.CREATED, {}
        else:
            if (notice.new_date, notice.reason, notice.promised_date) == (new_date, reason, promised):
                return notice
            untouched = (notice.subject, notice.body) == compose(order, notice.promised_date, notice.new_date,
                                                                 notice.reason)
            changes = {"new_date": {"old": notice.new_date.isoformat(), "new": new_date.isoformat()}}
            notice.promised_date, notice.new_date, notice.reason = promised, new_date, reason
            if untouched:
                notice.subject, notice.body = subject, body
            notice.version += 1
            notice.save()
            verb = Event.Verb.UPDATED
        params = {"promised": promised.isoformat(), "new": new_date.isoformat()}
        event_record(actor=actor, obj=notice, verb=verb, changes=changes, kind=events.DELAY_NOTICE_DRAFTED,
                     params=params)
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.DELAY_NOTICE_DRAFTED, params=params)
    return notice


def _lock(actor: User, notice_id: int, expected_version: int | None) -> DelayNotice:
    """The notice, locked — 404 outside the actor's orders, 409 for a stale version."""
    visible = delay_notice_queryset(actor).values("pk")
    return lock_row(DelayNotice.objects.select_related("order__customer").filter(pk__in=visible), notice_id,
                    expected_version=expected_version, not_found="No such delay notice.")


def _clean_letter(subject: str, body: str) -> tuple[str, str]:
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("The email needs a subject.")
    elif len(subject.strip()) > 200:
        errors["subject"] = _("The subject may have at most 200 characters.")
    if not (body or "").strip():
        errors["body"] = _("The letter is empty.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    return subject.strip(), body.strip()


def delay_notice_update(*, actor: User, notice_id: int, subject: str, body: str, expected_version: int | None
                        ) -> DelayNotice:
    """Save the merchandiser's wording of a draft without sending it."""
    subject, body = _clean_letter(subject, body)
    with transaction.atomic():
        notice = _lock(actor, notice_id, expected_version)
        refuse(can_send(actor, notice))
        changes = {k: {"old": getattr(notice, k)[:100], "new": v[:100]} for k, v in
                   (("subject", subject), ("body", body)) if getattr(notice, k) != v}
        if not changes:
            return notice
        notice.subject, notice.body = subject, body
        notice.version += 1
        notice.save(update_fields=["subject", "body", "version", "updated_at"])
        event_record(actor=actor, obj=notice, verb=Event.Verb.UPDATED, changes=changes)
    return notice


def delay_notice_send(*, actor: User, notice_id: int, subject: str, body: str, expected_version: int | None
                      ) -> DelayNotice:
    """Send the (edited) letter to the customer's main contact. Refused when someone changed
    the draft since ``expected_version`` (409) or the customer has no email address."""
    subject, body = _clean_letter(subject, body)
    with transaction.atomic():
        notice = _lock(actor, notice_id, expected_version)
        refuse(can_send(actor, notice))
        order = notice.order
        to = recipients(order)
        if not to:
            raise ValidationFailed(_("%(customer)s has no email address: add a contact with an email first.") % {
                "customer": order.customer.code}, code=TrackingError.NO_RECIPIENT)
        old = DELAY_NOTICE.move(notice, S.SENT)
        notice.subject, notice.body = subject, body
        notice.sent_by, notice.sent_to = actor, ", ".join(to)[:300]
        notice.version += 1
        notice.save()
        params = {"to": notice.sent_to, "promised": notice.promised_date.isoformat(),
                  "new": notice.new_date.isoformat()}
        event_record(actor=actor, obj=notice, verb=Event.Verb.STATE_CHANGED, kind=events.DELAY_NOTICE_SENT,
                     params=params, changes={"status": {"old": old, "new": S.SENT}})
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.DELAY_NOTICE_SENT, params=params)
        communication_log_outbound(actor=actor, order=order, channel=Communication.Channel.EMAIL,
                                   summary=f"{subject}\n\n{body}")
        transaction.on_commit(lambda: delay_notice_email(notice_id=notice.pk))
    return notice


def delay_notice_email(*, notice_id: int) -> None:
    """Send the email of a sent notice (after commit; a delivered one is not sent again)."""
    notice = DelayNotice.objects.get(pk=notice_id)
    if notice.sent_at is not None or notice.status != S.SENT:
        return
    email = EmailMessage(subject=notice.subject, body=notice.body, to=notice.sent_to.split(", "),
                         from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP down: the notice stays sent (recorded), the error is shown on its page
        log.warning("delay notice %s: email failed: %s", notice.pk, exc)
        DelayNotice.objects.filter(pk=notice.pk).update(email_error=str(exc)[:300])
        return
    DelayNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now(), email_error="")


def delay_notice_discard(*, actor: User, notice_id: int, reason: str, expected_version: int | None = None
                         ) -> DelayNotice:
    """Drop a draft the customer should not get (e.g. the delay was recovered), with the reason."""
    reason = reason_required(reason, _("not sending the delay notice"))
    with transaction.atomic():
        notice = _lock(actor, notice_id, expected_version)
        refuse(can_discard(actor, notice))
        old = DELAY_NOTICE.move(notice, S.DISCARDED)
        notice.version += 1
        notice.save(update_fields=["status", "version", "updated_at"])
        event_record(actor=actor, obj=notice, verb=Event.Verb.STATE_CHANGED, reason=reason,
                     changes={"status": {"old": old, "new": S.DISCARDED}})
        event_record(actor=actor, obj=notice.order, verb=Event.Verb.NOTE, reason=reason,
                     kind=events.DELAY_NOTICE_DISCARDED)
    return notice
