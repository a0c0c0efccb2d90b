"""Reminders: each person's daily digest of their chase board, escalations of required
milestones overdue for ``GENDAN_ESCALATION_DAYS`` days to the responsible managers, and
meeting notices the day before.

``chase_run`` (cron, every 15 minutes) asks the ``*_due`` functions below what is due and
enqueues one task per reminder; each task calls the ``*_send`` service here. A reminder is
claimed in ``ReminderLog`` before its email goes out (unique kind + key), so running the job
twice, or two workers picking up the same task, sends it once. A reminder whose email failed
keeps its error and is tried again by the next run.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.calendar import is_working_day
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.tracking.models import ChasePreference, Meeting, OrderMilestone, ReminderLog
from gendan.tracking.selectors import board_for

log = logging.getLogger("gendan.tracking")


# --- bookkeeping ----------------------------------------------------------------------------


def reminder_claim(*, kind: str, key: str, user: User | None = None) -> ReminderLog | None:
    """Claim the reminder ``kind``/``key`` for sending; None when it was sent or is being
    sent already. A claim whose email failed before is taken again (a retry)."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(kind=kind, key=key, user=user)
    except IntegrityError:
        retried = (ReminderLog.objects.filter(kind=kind, key=key, sent_at__isnull=True).exclude(error="")
                   .update(error="", created_at=timezone.now()))
        return ReminderLog.objects.get(kind=kind, key=key) if retried else None


def reminder_finish(claim: ReminderLog, *, error: str = "") -> None:
    if error:
        ReminderLog.objects.filter(pk=claim.pk).update(error=error[:300] or "failed")
    else:
        ReminderLog.objects.filter(pk=claim.pk).update(sent_at=timezone.now(), error="")


def _settled_keys(kind: str, keys: list[str]) -> set[str]:
    """Keys of reminders sent or being sent (not those that failed and wait for a retry)."""
    return set(ReminderLog.objects.filter(kind=kind, key__in=keys, error="").values_list("key", flat=True))


def mail_send(*, to: list[str], subject: str, body: str) -> str:
    """Send one plain-text email; return "" or the error (the caller records it)."""
    try:
        EmailMessage(subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL).send()
    except Exception as exc:  # SMTP down or refused: recorded on the reminder, retried next run
        log.warning("reminder email to %s failed: %s", to, exc)
        return str(exc)[:300] or exc.__class__.__name__
    return ""


def absolute_url(path: str) -> str:
    return getattr(settings, "GENDAN_SITE_URL", "").rstrip("/") + path


# --- preferences ----------------------------------------------------------------------------


def default_digest_time() -> dt.time:
    hours, minutes = (int(p) for p in str(settings.GENDAN_DIGEST_TIME).split(":"))
    return dt.time(hours, minutes)


def preference_for(user: User) -> ChasePreference:
    """The person's reminder settings; an unsaved row with the defaults when they chose none."""
    pref = ChasePreference.objects.filter(user=user).first()
    return pref or ChasePreference(user=user, digest_enabled=True, digest_time=None,
                                   horizon_days=settings.GENDAN_BOARD_HORIZON_DAYS)


def chase_preference_update(*, actor: User, digest_enabled: bool, digest_time: dt.time | None,
                            horizon_days: int) -> ChasePreference:
    """Save the actor's own reminder settings (everyone may set their own)."""
    if not isinstance(horizon_days, int) or not 1 <= horizon_days <= 60:
        msg = _("Look ahead between 1 and 60 days.")
        raise ValidationFailed(msg, fields={"horizon_days": msg})
    if digest_time is not None and not isinstance(digest_time, dt.time):
        msg = _("Enter the time as hours and minutes, e.g. 07:30.")
        raise ValidationFailed(msg, fields={"digest_time": msg})
    with transaction.atomic():
        pref, _created = ChasePreference.objects.select_for_update().get_or_create(user=actor)
        before = {"digest_enabled": pref.digest_enabled, "digest_time": pref.digest_time,
                  "horizon_days": pref.horizon_days}
        pref.digest_enabled, pref.digest_time, pref.horizon_days = digest_enabled, digest_time, horizon_days
        pref.save()
        changes = {k: {"old": str(v), "new": str(getattr(pref, k))} for k, v in before.items()
                   if v != getattr(pref, k)}
        if changes:
            event_record(actor=actor, obj=pref, verb=Event.Verb.UPDATED, changes=changes)
    return pref


# --- the daily digest -----------------------------------------------------------------------


def digest_key(user_id: int, day: dt.date) -> str:
    return f"digest:{user_id}:{day:%Y%m%d}"


def digests_due(*, now: dt.datetime) -> list[int]:
    """Ids of the people whose digest time has passed today and who have not had it yet.
    None on days the company does not work (weekends, holidays; make-up days do count)."""
    local = timezone.localtime(now)
    if not is_working_day(local.date()):
        return []
    default_time = default_digest_time()
    prefs = {p.user_id: p for p in ChasePreference.objects.all()}
    people = list(User.objects.filter(is_active=True, groups__isnull=False).exclude(email="").distinct()
                  .values_list("pk", flat=True))
    due = []
    for pk in people:
        pref = prefs.get(pk)
        if pref is not None and not pref.digest_enabled:
            continue
        if local.time() >= ((pref.digest_time if pref else None) or default_time):
            due.append(pk)
    settled = _settled_keys(ReminderLog.Kind.DIGEST, [digest_key(pk, local.date()) for pk in due])
    return [pk for pk in due if digest_key(pk, local.date()) not in settled]


def digest_send(*, user_id: int, day: dt.date) -> bool:
    """Email ``day``'s digest of the person's chase board, once. Nothing is sent (but the day
    counts as done) when the board is empty."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    claim = reminder_claim(kind=ReminderLog.Kind.DIGEST, key=digest_key(user.pk, day), user=user)
    if claim is None:
        return False
    pref = preference_for(user)
    board = board_for(user=user, today=day, horizon_days=pref.horizon_days)
    if board.is_empty:
        reminder_finish(claim)
        return False
    with translation.override(user.language):
        subject, body = digest_compose(user=user, board=board, day=day)
    error = mail_send(to=[user.email], subject=subject, body=body)
    reminder_finish(claim, error=error)
    return not error


def _milestone_line(m, today: dt.date) -> str:
    due = m.date_due
    late = (today - due).days
    text = f"- {m.order.number} {m.order.customer.code} · {m.display_name} · {due.isoformat()}"
    if late > 0:
        text += " " + _("(%(n)s days late)") % {"n": late}
    return text


def digest_compose(*, user: User, board, day: dt.date) -> tuple[str, str]:
    """Subject and body of a digest, in the active language."""
    subject = _("Your chase list for %(day)s: %(overdue)s overdue, %(today)s due today") % {
        "day": day.isoformat(), "overdue": board.overdue_count, "today": len(board.due_today)}
    lines = [_("Good morning %(name)s, this is what needs chasing.") % {"name": user}, ""]

    def section(title, rows):
        if rows:
            lines.extend([title, *rows, ""])

    section(_("Overdue"), [_milestone_line(m, day) for m in board.overdue])
    section(_("Due today"), [_milestone_line(m, day) for m in board.due_today])
    section(_("Coming up"), [_milestone_line(m, day) for m in board.upcoming])
    section(_("At risk (the forecast is behind the plan)"), [_milestone_line(m, day) for m in board.at_risk])
    section(_("Unanswered customer messages"), [
        f"- {c.customer.code} {c.order.number if c.order else ''} · "
        + _("reply due %(date)s") % {"date": c.reply_due.isoformat()} + f" · {c.summary[:80]}"
        for c in board.unanswered])
    section(_("Follow-ups"), [
        f"- {c.customer.code} {c.order.number if c.order else ''} · {c.follow_up_date.isoformat()} · {c.summary[:80]}"
        for c in board.follow_ups])
    section(_("Meeting action items"), [
        f"- {a.due_date.isoformat()} · {a.description}" + (f" ({a.order.number})" if a.order else "")
        for a in board.action_items])
    lines.append(_("Change when and whether you receive this email: %(url)s") % {
        "url": absolute_url("/tracking/reminders/settings/")})
    return subject, "\n".join(lines)


# --- escalations ----------------------------------------------------------------------------


def escalation_key(milestone_id: int) -> str:
    return f"escalation:{milestone_id}"


def escalations_due(*, today: dt.date) -> list[int]:
    """Required open milestones of open plans overdue by at least ``GENDAN_ESCALATION_DAYS``
    days (against the expected date when one was given, else the planned date), not yet
    escalated."""
    cutoff = today - dt.timedelta(days=settings.GENDAN_ESCALATION_DAYS)
    # The "already escalated" test is a correlated EXISTS on the reminder key, so the query
    # stays one statement however many milestones have been escalated over the years.
    settled = ReminderLog.objects.filter(kind=ReminderLog.Kind.ESCALATION, key=OuterRef("reminder_key"), error="")
    return list(OrderMilestone.objects.filter(status=OrderMilestone.Status.OPEN, required=True, plan__is_active=True)
                .filter(Q(expected_date__lte=cutoff) | Q(expected_date__isnull=True, planned_date__lte=cutoff))
                .annotate(reminder_key=Concat(Value("escalation:"), Cast("pk", CharField())))
                .exclude(Exists(settled)).order_by("pk").values_list("pk", flat=True))


def managers_for(customer) -> QuerySet[User]:
    """The managers responsible for a customer: those of its region and those of all regions."""
    region = Q(region__isnull=True) | (Q(region_id=customer.region_id) if customer.region_id else Q(pk__in=[]))
    return User.objects.filter(region, groups__name=Role.MANAGER, is_active=True).exclude(email="").distinct()


def escalation_send(*, milestone_id: int, today: dt.date) -> bool:
    """Email the managers responsible about an overdue required milestone, once."""
    milestone = (OrderMilestone.objects.select_related("order__customer", "order__merchandiser", "owner")
                 .filter(pk=milestone_id, status=OrderMilestone.Status.OPEN).first())
    if milestone is None:
        return False
    managers = list(managers_for(milestone.order.customer))
    claim = reminder_claim(kind=ReminderLog.Kind.ESCALATION, key=escalation_key(milestone.pk))
    if claim is None:
        return False
    errors = []
    for manager in managers:
        with translation.override(manager.language):
            subject, body = escalation_compose(milestone=milestone, today=today)
        error = mail_send(to=[manager.email], subject=subject, body=body)
        if error:
            errors.append(f"{manager.email}: {error}")
    reminder_finish(claim, error="; ".join(errors))
    return bool(managers) and not errors


def escalation_compose(*, milestone: OrderMilestone, today: dt.date) -> tuple[str, str]:
    order = milestone.order
    late = (today - milestone.date_due).days
    subject = _("Overdue %(days)s days: %(milestone)s of order %(order)s (%(customer)s)") % {
        "days": late, "milestone": milestone.display_name, "order": order.number, "customer": order.customer.code}
    lines = [
        _("A required milestone is overdue and needs your attention."),
        "",
        _("Order: %(order)s, customer %(customer)s, PO %(po)s") % {
            "order": order.number, "customer": order.customer.display_name, "po": order.customer_po_no},
        _("Milestone: %(name)s") % {"name": milestone.display_name},
        _("Due: %(date)s (%(days)s days ago)") % {"date": milestone.date_due.isoformat(), "days": late},
        _("Responsible: %(owner)s") % {"owner": milestone.owner or milestone.get_owner_role_display()},
        _("Merchandiser: %(name)s") % {"name": order.merchandiser or "—"},
        _("Ex-factory date: %(date)s") % {"date": order.ex_factory_date.isoformat()},
        "",
        absolute_url(order.get_absolute_url()),
    ]
    return subject, "\n".join(lines)


# --- meeting notices ------------------------------------------------------------------------


def notice_key(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}:{timezone.localtime(meeting.starts_at):%Y%m%d}"


def meeting_notices_due(*, now: dt.datetime) -> list[int]:
    """Planned meetings starting between now and the end of tomorrow whose notice is not out."""
    local = timezone.localtime(now)
    end = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=2), dt.time.min))
    meetings = list(Meeting.objects.filter(status=Meeting.Status.PLANNED, notice_sent_at__isnull=True,
                                           starts_at__gt=now, starts_at__lt=end))
    settled = _settled_keys(ReminderLog.Kind.MEETING_NOTICE, [notice_key(m) for m in meetings])
    return [m.pk for m in meetings if notice_key(m) not in settled]
