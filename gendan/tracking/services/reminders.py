"""Reminders: each person's daily digest of their chase board, each manager's daily
escalation of the required milestones overdue for ``GENDAN_ESCALATION_DAYS`` days on the
orders they are responsible for, and meeting notices the day before. Every email is bounded:
a digest or an escalation lists a capped number of rows, counts the rest and links to them,
so its size does not grow with the number of orders.

``chase_run`` (cron, every 15 minutes) asks the ``*_due`` functions below what is due and
enqueues one task per reminder (per person, per manager, per meeting); each task calls the
``*_send`` service here. A reminder is
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
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
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

    board_url = absolute_url(reverse("tracking:board"))

    def section(title, rows, total=None):
        # The board holds at most ``BOARD_GROUP_LIMIT`` rows per section: the digest lists them
        # and counts the rest, so its size does not grow with the number of orders.
        if rows:
            lines.extend([title, *rows])
            more = (total or 0) - len(rows)
            if more > 0:
                lines.append(_("… and %(n)s more on your chase board: %(url)s") % {"n": more, "url": board_url})
            lines.append("")

    counts = board.counts
    section(_("Overdue"), [_milestone_line(m, day) for m in board.overdue], counts.get("overdue"))
    section(_("Due today"), [_milestone_line(m, day) for m in board.due_today], counts.get("due_today"))
    section(_("Coming up"), [_milestone_line(m, day) for m in board.upcoming], counts.get("upcoming"))
    section(_("At risk (the forecast is behind the plan)"), [_milestone_line(m, day) for m in board.at_risk],
            counts.get("at_risk"))
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
    section(_("Samples, materials, credits, documents, rebates and supplier statements"), [
        f"- {i.due.isoformat() if i.due else ''} · {i.label}" + (f" ({i.order.number})" if i.order else "")
        + (f" · {_('late')}" if i.late else "") + (f"\n  {i.detail}" if i.detail else "")
        for i in board.export_items])
    section(_("Payments to chase"), [
        f"- {i.due.isoformat()} · {i.customer.code} · {i.label}" + (f"\n  {i.detail}" if i.detail else "")
        for i in board.money_items])
    section(_("Mentioned on an order"), [
        "- " + _("Mentioned on %(order)s") % {"order": m.order} + f" · {m.mentioned_by} · "
        + f"{m.communication.summary[:120]}\n  {absolute_url(m.get_absolute_url())}"
        for m in getattr(board, "mentions", [])])
    lines.append(_("Change when and whether you receive this email: %(url)s") % {
        "url": absolute_url("/tracking/reminders/settings/")})
    return subject, "\n".join(lines)


# --- escalations ----------------------------------------------------------------------------
#
# One email a day per manager, not one per milestone: on a large book of orders the old
# per-milestone escalation sent a manager thousands of emails in one run. The digest lists the
# required milestones overdue for ``GENDAN_ESCALATION_DAYS`` days in the manager's scope,
# grouped by the person (or department) who owns them and by order, worst first, at most
# ``ESCALATION_ROWS`` milestones with "and N more" and a link to the whole list.

ESCALATION_ROWS = 50  # milestones listed in one escalation email; the rest are counted and linked
ESCALATION_PEOPLE = 20  # people (or departments) counted in its summary


def escalation_key(manager_id: int, day: dt.date) -> str:
    return f"escalations:{manager_id}:{day:%Y%m%d}"


def escalation_queryset(*, manager: User, today: dt.date) -> QuerySet[OrderMilestone]:
    """The required open milestones of open plans overdue by at least ``GENDAN_ESCALATION_DAYS``
    days (against the expected date when one was given, else the planned date) of the orders
    ``manager`` is responsible for: their region's customers, or every customer for a manager
    of all regions. Worst (longest overdue) first."""
    cutoff = today - dt.timedelta(days=settings.GENDAN_ESCALATION_DAYS)
    qs = (OrderMilestone.objects.filter(status=OrderMilestone.Status.OPEN, required=True, plan__is_active=True)
          .filter(Q(expected_date__lte=cutoff) | Q(expected_date__isnull=True, planned_date__lte=cutoff)))
    if manager.region_id:
        qs = qs.filter(order__customer__region_id=manager.region_id)
    return qs.annotate(due=Coalesce("expected_date", "planned_date")).order_by("due", "order_id", "sequence")


def escalation_managers() -> QuerySet[User]:
    """Every manager who may receive escalations (active, with an email address)."""
    return User.objects.filter(groups__name=Role.MANAGER, is_active=True).exclude(email="").distinct()


def escalations_due(*, today: dt.date) -> list[int]:
    """Ids of the managers with something to escalate today who have not had today's email.
    One small query per manager (there are a handful), however many milestones are overdue."""
    managers = list(escalation_managers().order_by("pk"))
    settled = _settled_keys(ReminderLog.Kind.ESCALATION, [escalation_key(m.pk, today) for m in managers])
    return [m.pk for m in managers if escalation_key(m.pk, today) not in settled
            and escalation_queryset(manager=m, today=today).exists()]


def managers_for(customer) -> QuerySet[User]:
    """The managers responsible for a customer: those of its region and those of all regions."""
    region = Q(region__isnull=True) | (Q(region_id=customer.region_id) if customer.region_id else Q(pk__in=[]))
    return escalation_managers().filter(region)


def escalation_send(*, manager_id: int, today: dt.date) -> bool:
    """Email ``manager`` today's escalations, once a day (``ReminderLog``): nothing when there is
    nothing overdue in their scope, nothing more when today's email went out already."""
    manager = escalation_managers().filter(pk=manager_id).first()
    if manager is None:
        return False
    claim = reminder_claim(kind=ReminderLog.Kind.ESCALATION, key=escalation_key(manager.pk, today), user=manager)
    if claim is None:
        return False
    overdue = escalation_queryset(manager=manager, today=today)
    rows = list(overdue.select_related("order__customer", "owner")[:ESCALATION_ROWS])
    if not rows:
        reminder_finish(claim)
        return False
    with translation.override(manager.language):
        subject, body = escalation_compose(manager=manager, rows=rows, summary=escalation_summary(overdue),
                                           today=today)
    error = mail_send(to=[manager.email], subject=subject, body=body)
    reminder_finish(claim, error=error)
    return not error


def escalation_summary(overdue: QuerySet[OrderMilestone]) -> dict:
    """Counts of the whole escalation (not only the rows listed): milestones, orders, and per
    owner (a person, or a department for an unassigned milestone), most first."""
    plain = overdue.order_by()
    per_owner = list(plain.values("owner", "owner_role").annotate(n=Count("pk"), orders=Count("order", distinct=True))
                     .order_by("-n", "owner", "owner_role")[:ESCALATION_PEOPLE + 1])
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r["owner"] for r in per_owner if r["owner"]])}
    roles = dict(Role.choices)
    return {
        "milestones": plain.count(),
        "orders": plain.values("order").distinct().count(),
        "owners": [(names.get(r["owner"]) if r["owner"] else roles.get(r["owner_role"], r["owner_role"]),
                    r["n"], r["orders"]) for r in per_owner[:ESCALATION_PEOPLE]],
        "more_owners": len(per_owner) > ESCALATION_PEOPLE,
    }


def _owner_label(m: OrderMilestone) -> str:
    return str(m.owner) if m.owner_id else str(m.get_owner_role_display())


def escalation_groups(rows: list[OrderMilestone], today: dt.date) -> list[tuple[str, list[tuple]]]:
    """``rows`` grouped by owner, then by order, each group worst first:
    [(owner, [(order, [(milestone, days overdue), …]), …]), …]."""
    by_owner: dict[str, dict[int, list]] = {}
    orders = {}
    for m in rows:
        orders[m.order_id] = m.order
        by_owner.setdefault(_owner_label(m), {}).setdefault(m.order_id, []).append((m, (today - m.date_due).days))

    def worst(items) -> int:
        return max(days for _m, days in items)

    groups = []
    for owner, per_order in by_owner.items():
        ordered = sorted(per_order.items(), key=lambda kv: (-worst(kv[1]), orders[kv[0]].number))
        groups.append((owner, [(orders[pk], items) for pk, items in ordered]))
    groups.sort(key=lambda g: (-max(worst(items) for _o, items in g[1]), g[0]))
    return groups


def escalation_compose(*, manager: User, rows: list[OrderMilestone], summary: dict,
                       today: dt.date) -> tuple[str, str]:
    """Subject and body of a manager's daily escalation, in the active language."""
    worst = (today - rows[0].date_due).days
    subject = _("Escalation %(day)s: %(n)s overdue milestones on %(orders)s orders (worst %(days)s days)") % {
        "day": today.isoformat(), "n": summary["milestones"], "orders": summary["orders"], "days": worst}
    lines = [_("Good morning %(name)s, these required milestones are overdue by %(days)s days or more.") % {
        "name": manager, "days": settings.GENDAN_ESCALATION_DAYS}, "", _("Who owns them:")]
    lines += ["- " + _("%(owner)s: %(n)s milestones on %(orders)s orders") % {"owner": owner, "n": n, "orders": o}
              for owner, n, o in summary["owners"]]
    if summary["more_owners"]:
        lines.append("- …")
    for owner, per_order in escalation_groups(rows, today):
        lines += ["", owner]
        for order, items in per_order:
            names = ", ".join(_("%(name)s (%(days)s days)") % {"name": m.display_name, "days": days}
                              for m, days in items)
            lines.append(f"- {order.number} {order.customer.code} · {names}")
            lines.append(f"  {absolute_url(order.get_absolute_url())}#plan")
    more = summary["milestones"] - len(rows)
    everything = absolute_url(reverse("tracking:milestone_list")) + "?state=overdue&sort=due"
    lines.append("")
    if more > 0:
        lines.append(_("… and %(n)s more. The whole list: %(url)s") % {"n": more, "url": everything})
    else:
        lines.append(_("The whole list: %(url)s") % {"url": everything})
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
