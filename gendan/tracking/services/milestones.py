"""Milestone use cases: complete, skip, reschedule, note + follow-up, reassign — by the
people on the chase board — and completion / forecasts from other modules' events.

Every change locks the plan, leaves an event on the order (so the order's timeline shows
it) and refreshes forecasts and risk in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.services import check_version
from gendan.sales.rules import OK, Check
from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.services.plans import plan_refresh

MS = OrderMilestone.Status


def parse_date(value: Any, *, field: str, label: str) -> dt.date:
    """Accept a date or an ISO ``YYYY-MM-DD`` string; refuse anything else by name."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        msg = _("%(label)s: “%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01.") % {
            "label": label, "value": str(value)[:40]}
        raise ValidationFailed(msg, fields={field: msg}) from None


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        msg = _("Give a reason for %(what)s: it goes on the order's timeline.") % {"what": what}
        raise ValidationFailed(msg, fields={"reason": msg})
    if len(reason) > 300:
        msg = _("Keep the reason under 300 characters.")
        raise ValidationFailed(msg, fields={"reason": msg})
    return reason


# --- who may act -------------------------------------------------------------------------


def milestone_edit_check(user: User, milestone: OrderMilestone) -> Check:
    """May ``user`` complete, skip, reschedule or note ``milestone``? Its owner, anyone of its
    owner role when it has no owner, the order's merchandiser, and managers."""
    if not user.has_perm("tracking.change_ordermilestone"):
        return Check(False, _("Your role cannot update T&A milestones."), "forbidden")
    if milestone.status != MS.OPEN:
        return Check(False, _("This milestone is already %(status)s.") % {"status": milestone.get_status_display()},
                     "not_open")
    if (milestone.owner_id == user.pk or user.is_superuser or user.has_role(Role.MANAGER)
            or milestone.order.merchandiser_id == user.pk
            or (milestone.owner_id is None and user.has_role(milestone.owner_role))):
        return OK
    return Check(False, _("Only %(owner)s or the order's merchandiser can update this milestone.") % {
        "owner": milestone.owner or milestone.get_owner_role_display()}, "not_owner")


def _lock(actor: User, milestone_id: int, expected_version: int | None = None) -> OrderMilestone:
    """Lock the milestone's plan, then return the milestone — 404 when the order is out of
    the actor's scope, a coded refusal when they may not change it."""
    from gendan.sales.selectors import order_scope

    try:
        milestone = OrderMilestone.objects.select_related("order").get(pk=milestone_id)
    except (OrderMilestone.DoesNotExist, ValueError, TypeError):
        raise Http404("No such milestone.") from None
    if not type(milestone.order).objects.filter(order_scope(actor), pk=milestone.order_id).exists():
        raise Http404("No such milestone.")
    # Order first, then plan: the order's own services lock in that order and call the T&A
    # hooks, and a refresh may draft a delay notice (which locks the order) — same order, no deadlock.
    type(milestone.order).objects.select_for_update(of=("self",)).filter(pk=milestone.order_id).first()
    OrderPlan.objects.select_for_update().get(pk=milestone.plan_id)
    milestone.refresh_from_db()
    check_version(milestone, expected_version)
    check = milestone_edit_check(actor, milestone)
    if not check:
        if check.code in ("forbidden", "not_owner"):
            raise NotAllowed(check.reason, code=check.code)
        raise ValidationFailed(check.reason, code=check.code)
    return milestone


def _change_label(milestone: OrderMilestone, what: str = "") -> str:
    """How a milestone's change is named on the order's timeline, e.g. "T&A: 出厂"."""
    label = _("T&A: %(name)s") % {"name": milestone.display_name}
    return f"{label} · {what}" if what else label


def _refresh(milestone: OrderMilestone, actor: User) -> None:
    plan = OrderPlan.objects.select_related("order").get(pk=milestone.plan_id)
    plan_refresh(plan=plan, actor=actor)


def _save(milestone: OrderMilestone, fields: list[str]) -> None:
    milestone.version += 1
    milestone.save(update_fields=[*fields, "version"])


# --- by people ---------------------------------------------------------------------------


def milestone_complete(*, actor: User, milestone_id: int, on: Any = None, reason: str = "",
                       expected_version: int | None = None) -> OrderMilestone:
    """Mark a milestone done (actual date ``on``, default today). Before its predecessor is
    done only with a reason."""
    today = timezone.localdate()
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        day = today if on in (None, "") else parse_date(on, field="on", label=_("done on"))
        if day > today:
            msg = _("A milestone cannot be done in the future (%(date)s).") % {"date": day.isoformat()}
            raise ValidationFailed(msg, fields={"on": msg})
        if day < milestone.order.customer_po_date:
            msg = _("%(date)s is before the customer's order (%(po)s).") % {
                "date": day.isoformat(), "po": milestone.order.customer_po_date.isoformat()}
            raise ValidationFailed(msg, fields={"on": msg})
        before = milestone.predecessor
        if before is not None and before.status == MS.OPEN:
            if not (reason or "").strip():
                msg = _("“%(name)s” comes after “%(before)s”, which is not done yet. Complete that first, "
                        "or give a reason for completing this one before it.") % {
                    "name": milestone.display_name, "before": before.display_name}
                raise ValidationFailed(msg, fields={"reason": msg}, code="predecessor_open")
            reason = _reason(reason, _("completing it before “%(before)s”") % {"before": before.display_name})
        milestone.status, milestone.actual_date, milestone.completed_by = MS.DONE, day, actor
        _save(milestone, ["status", "actual_date", "completed_by"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=(reason or "").strip(),
                     changes={_change_label(milestone): {"old": "", "new": day.isoformat()}},
                     message=_("T&A: “%(name)s” done %(date)s (planned %(planned)s).") % {
                         "name": milestone.display_name, "date": day.isoformat(),
                         "planned": milestone.planned_date.isoformat()})
        _refresh(milestone, actor)
    return milestone


def milestone_skip(*, actor: User, milestone_id: int, reason: str,
                   expected_version: int | None = None) -> OrderMilestone:
    """Mark a milestone as not needed for this order, with a reason."""
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        reason = _reason(reason, _("skipping a milestone"))
        if milestone.required and not (actor.has_role(Role.MANAGER) or actor.is_superuser
                                       or milestone.order.merchandiser_id == actor.pk):
            raise NotAllowed(_("“%(name)s” is required: only the order's merchandiser or a manager can "
                                     "skip it.") % {"name": milestone.display_name})
        milestone.status, milestone.skip_reason = MS.SKIPPED, reason
        _save(milestone, ["status", "skip_reason"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=reason,
                     message=_("T&A: “%(name)s” skipped.") % {"name": milestone.display_name})
        _refresh(milestone, actor)
    return milestone


def milestone_reschedule(*, actor: User, milestone_id: int, expected_date: Any, reason: str,
                         expected_version: int | None = None) -> OrderMilestone:
    """Move the date the owner now expects to finish; every milestone after it moves too."""
    today = timezone.localdate()
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        day = parse_date(expected_date, field="expected_date", label=_("new date"))
        if day < today:
            msg = _("The new date %(date)s is in the past; give the date you now expect.") % {
                "date": day.isoformat()}
            raise ValidationFailed(msg, fields={"expected_date": msg})
        if (day - today).days > 730:
            msg = _("The new date %(date)s is more than two years away.") % {"date": day.isoformat()}
            raise ValidationFailed(msg, fields={"expected_date": msg})
        reason = _reason(reason, _("rescheduling"))
        old = milestone.date_due
        milestone.expected_date = day
        _save(milestone, ["expected_date"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=reason,
                     changes={_change_label(milestone): {"old": old.isoformat(), "new": day.isoformat()}},
                     message=_("T&A: “%(name)s” now expected %(new)s (was %(old)s).") % {
                         "name": milestone.display_name, "new": day.isoformat(), "old": old.isoformat()})
        _refresh(milestone, actor)
    return milestone


def milestone_note(*, actor: User, milestone_id: int, note: str, follow_up_date: Any = None,
                   expected_version: int | None = None) -> OrderMilestone:
    """Add a chase note and, optionally, the date to follow up (the item shows on the board then)."""
    today = timezone.localdate()
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        note = (note or "").strip()
        if not note:
            msg = _("Write the note: what was said, what was promised.")
            raise ValidationFailed(msg, fields={"note": msg})
        follow_up = None
        if follow_up_date not in (None, ""):
            follow_up = parse_date(follow_up_date, field="follow_up_date", label=_("follow up on"))
            if follow_up < today:
                msg = _("The follow-up date %(date)s is in the past.") % {"date": follow_up.isoformat()}
                raise ValidationFailed(msg, fields={"follow_up_date": msg})
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        milestone.notes = f"{milestone.notes}\n{stamp} {actor}: {note[:1000]}".strip()
        milestone.follow_up_date = follow_up
        _save(milestone, ["notes", "follow_up_date"])
        message = _("T&A note on “%(name)s”: %(note)s") % {"name": milestone.display_name, "note": note[:200]}
        if follow_up:
            message += " " + _("(follow up %(date)s)") % {"date": follow_up.isoformat()}
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, message=message)
    return milestone


def milestone_assign(*, actor: User, milestone_id: int, owner: User | None,
                     expected_version: int | None = None) -> OrderMilestone:
    """Give a milestone to a person of its owner role (or back to the whole department)."""
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        if owner is not None and not (owner.is_active and owner.has_role(milestone.owner_role)):
            msg = _("%(user)s is not in the %(role)s department.") % {
                "user": owner, "role": milestone.get_owner_role_display()}
            raise ValidationFailed(msg, fields={"owner": msg})
        old = str(milestone.owner or "")
        milestone.owner = owner
        _save(milestone, ["owner"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE,
                     changes={_change_label(milestone, _("owner")): {"old": old, "new": str(owner or "")}},
                     message=_("T&A: “%(name)s” given to %(owner)s.") % {
                         "name": milestone.display_name, "owner": owner or milestone.get_owner_role_display()})
    return milestone


# --- from other modules (tracking.hooks) -------------------------------------------------


def milestones_complete_from_event(*, order, key: str, actor, event=None, on: dt.date | None = None) -> None:
    """Complete the open milestones of ``order`` that ``key`` completes. Idempotent: a
    milestone already done (or skipped) is left as it is."""
    plan = OrderPlan.objects.select_for_update().filter(order=order).first()
    if plan is None:
        return
    day = on or timezone.localdate()
    targets = list(plan.milestones.filter(completes_on=key, status=MS.OPEN))
    if not targets:
        return
    for milestone in targets:
        milestone.status, milestone.actual_date = MS.DONE, day
        milestone.completed_event = event
        milestone.completed_by = actor if getattr(actor, "is_authenticated", False) else None
        milestone.version += 1
    OrderMilestone.objects.bulk_update(targets, ["status", "actual_date", "completed_event", "completed_by",
                                                 "version"])
    event_record(actor=actor, obj=order, verb=Event.Verb.NOTE,
                 message=_("T&A: %(names)s done %(date)s (automatically).") % {
                     "names": ", ".join(f"“{m.display_name}”" for m in targets), "date": day.isoformat()})
    plan_refresh(plan=plan, actor=actor)


def milestone_forecast_from_module(*, order, key: str, actor, on: dt.date, reason: str) -> None:
    """Set the expected date of the open milestone ``key`` (or the one ``key`` completes)."""
    plan = OrderPlan.objects.select_for_update().filter(order=order).first()
    if plan is None:
        return
    milestone = (plan.milestones.filter(key=key, status=MS.OPEN).first()
                 or plan.milestones.filter(completes_on=key, status=MS.OPEN).first())
    if milestone is None or milestone.date_due == on:
        return
    old = milestone.date_due
    milestone.expected_date = on
    milestone.version += 1
    milestone.save(update_fields=["expected_date", "version"])
    event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=(reason or "")[:300],
                 changes={_change_label(milestone): {"old": old.isoformat(), "new": on.isoformat()}},
                 message=_("T&A: “%(name)s” now expected %(new)s (was %(old)s).") % {
                     "name": milestone.display_name, "new": on.isoformat(), "old": old.isoformat()})
    plan_refresh(plan=plan, actor=actor)
