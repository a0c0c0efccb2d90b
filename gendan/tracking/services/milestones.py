"""Milestone use cases: complete, skip, reschedule, note + follow-up, reassign — by the
people on the chase board — and completion / forecasts from other modules' events.

Every change locks the plan, leaves an event on the order (so the order's timeline shows
it) and refreshes forecasts and risk in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import CoreError, NotAllowed, ValidationFailed
from gendan.core.events import bilingual, choice, event_record
from gendan.core.guards import OK, Check, no, parse_date, reason_required, refuse
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope
from gendan.tracking import events
from gendan.tracking.errors import TrackingError
from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.services.plans import plan_refresh
from gendan.tracking.workflows import MILESTONE, is_open, open_states

MS = OrderMilestone.Status
CHANGE_PERM = "tracking.change_ordermilestone"


# --- who may act -------------------------------------------------------------------------


def milestone_edit_check(user: User, milestone: OrderMilestone) -> Check:
    """May ``user`` complete, skip, reschedule or note ``milestone``? Its owner, anyone of its
    owner role when it has no owner, the order's merchandiser, and managers — while it is open."""
    if not user.has_perm(CHANGE_PERM):
        return no(CoreError.FORBIDDEN, _("Your role cannot update T&A milestones."))
    if not is_open(MILESTONE, milestone):
        return no(TrackingError.NOT_OPEN, _("This milestone is already %(status)s.") % {
            "status": milestone.get_status_display()})
    if (milestone.owner_id == user.pk or user.is_superuser or user.has_role(Role.MANAGER)
            or milestone.order.merchandiser_id == user.pk
            or (milestone.owner_id is None and user.has_role(milestone.owner_role))):
        return OK
    return no(TrackingError.NOT_OWNER, _("Only %(owner)s or the order's merchandiser can update this milestone.") % {
        "owner": milestone.owner or milestone.get_owner_role_display()})


def milestone_complete_check(user: User, milestone: OrderMilestone) -> Check:
    """May ``user`` mark ``milestone`` done by hand? As for any edit, and only when no event
    completes it: a milestone that records another module's fact (the goods left, the deposit
    came in …) follows that fact (``tracking.facts``)."""
    check = milestone_edit_check(user, milestone)
    if not check:
        return check
    fact = milestone.completed_by_event
    if fact:
        return no(TrackingError.COMPLETED_BY_EVENT, _(
            "“%(name)s” is completed when %(fact)s; it cannot be marked done by hand. Record that in its module, "
            "or skip the milestone with a reason.") % {"name": milestone.display_name, "fact": fact})
    return OK


def _lock(actor: User, milestone_id: int, expected_version: int | None = None) -> OrderMilestone:
    """Lock the milestone's order, its plan, then the milestone, and return it — 404 when the
    order is out of the actor's scope, 409 for a stale version, a coded refusal when they may
    not change it."""
    try:
        order_id = OrderMilestone.objects.values_list("order_id", flat=True).get(pk=milestone_id)
    except (OrderMilestone.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such milestone.") from None
    # Order first, then plan: the order's own services lock in that order and tell the T&A
    # what happened, and a refresh may draft a delay notice (which locks the order) — same
    # order, no deadlock.
    lock_row(SalesOrder.objects.filter(order_scope(actor)), order_id, not_found="No such milestone.")
    OrderPlan.objects.select_for_update().filter(order_id=order_id).first()
    milestone = lock_row(OrderMilestone.objects.select_related("order"), milestone_id,
                         expected_version=expected_version, not_found="No such milestone.")
    refuse(milestone_edit_check(actor, milestone))
    return milestone


def _name(milestone: OrderMilestone) -> dict:
    """The milestone's name as an event parameter: shown in the reader's language."""
    return bilingual(milestone.name_zh, milestone.name_en)


def _change(field: str, old, new) -> dict:
    """An old → new change of one of the milestone's fields, for the order's timeline."""
    return {field: {"old": str(old or ""), "new": str(new or ""), "model": "tracking.ordermilestone"}}


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
        refuse(milestone_complete_check(actor, milestone))
        day = parse_date(on, field="on") or today
        if day > today:
            msg = _("A milestone cannot be done in the future (%(date)s).") % {"date": day.isoformat()}
            raise ValidationFailed(msg, fields={"on": msg})
        if day < milestone.order.customer_po_date:
            msg = _("%(date)s is before the customer's order (%(po)s).") % {
                "date": day.isoformat(), "po": milestone.order.customer_po_date.isoformat()}
            raise ValidationFailed(msg, fields={"on": msg})
        before = milestone.predecessor
        if before is not None and is_open(MILESTONE, before):
            if not (reason or "").strip():
                msg = _("“%(name)s” comes after “%(before)s”, which is not done yet. Complete that first, "
                        "or give a reason for completing this one before it.") % {
                    "name": milestone.display_name, "before": before.display_name}
                raise ValidationFailed(msg, fields={"reason": msg}, code=TrackingError.PREDECESSOR_OPEN)
            reason = reason_required(reason, _("completing it before “%(before)s”") % {"before": before.display_name})
        MILESTONE.move(milestone, MS.DONE)
        milestone.actual_date, milestone.completed_by = day, actor
        _save(milestone, ["status", "actual_date", "completed_by"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=(reason or "").strip(),
                     changes=_change("actual_date", "", day.isoformat()), kind=events.MILESTONE_DONE,
                     params={"name": _name(milestone), "date": day.isoformat(),
                             "planned": milestone.planned_date.isoformat()})
        _refresh(milestone, actor)
    return milestone


def milestone_skip(*, actor: User, milestone_id: int, reason: str,
                   expected_version: int | None = None) -> OrderMilestone:
    """Mark a milestone as not needed for this order, with a reason."""
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        reason = reason_required(reason, _("skipping a milestone"))
        if milestone.required and not (actor.has_role(Role.MANAGER) or actor.is_superuser
                                       or milestone.order.merchandiser_id == actor.pk):
            raise NotAllowed(_("“%(name)s” is required: only the order's merchandiser or a manager can "
                               "skip it.") % {"name": milestone.display_name})
        MILESTONE.move(milestone, MS.SKIPPED)
        milestone.skip_reason = reason[:300]  # the whole reason is on the order's timeline
        _save(milestone, ["status", "skip_reason"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=reason,
                     kind=events.MILESTONE_SKIPPED, params={"name": _name(milestone)})
        _refresh(milestone, actor)
    return milestone


def milestone_reschedule(*, actor: User, milestone_id: int, expected_date: Any, reason: str,
                         expected_version: int | None = None) -> OrderMilestone:
    """Move the date the owner now expects to finish; every milestone after it moves too."""
    today = timezone.localdate()
    with transaction.atomic():
        milestone = _lock(actor, milestone_id, expected_version)
        day = parse_date(expected_date, field="expected_date", required=True)
        if day < today:
            msg = _("The new date %(date)s is in the past; give the date you now expect.") % {
                "date": day.isoformat()}
            raise ValidationFailed(msg, code=CoreError.DATE_IN_PAST, fields={"expected_date": msg})
        if (day - today).days > 730:
            msg = _("The new date %(date)s is more than two years away.") % {"date": day.isoformat()}
            raise ValidationFailed(msg, code=CoreError.DATE_TOO_FAR, fields={"expected_date": msg})
        reason = reason_required(reason, _("rescheduling"))
        old = milestone.date_due
        milestone.expected_date = day
        _save(milestone, ["expected_date"])
        event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, reason=reason,
                     changes=_change("expected_date", old.isoformat(), day.isoformat()),
                     kind=events.MILESTONE_EXPECTED,
                     params={"name": _name(milestone), "new": day.isoformat(), "old": old.isoformat()})
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
        follow_up = parse_date(follow_up_date, field="follow_up_date")
        if follow_up is not None and follow_up < today:
            msg = _("The follow-up date %(date)s is in the past.") % {"date": follow_up.isoformat()}
            raise ValidationFailed(msg, fields={"follow_up_date": msg})
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        milestone.notes = f"{milestone.notes}\n{stamp} {actor}: {note[:1000]}".strip()
        milestone.follow_up_date = follow_up
        _save(milestone, ["notes", "follow_up_date"])
        # The note itself is the person's words: a parameter, shown as typed.
        params = {"name": _name(milestone), "note": note[:200]}
        if follow_up:
            event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, kind=events.MILESTONE_NOTE_FOLLOW_UP,
                         params={**params, "date": follow_up.isoformat()})
        else:
            event_record(actor=actor, obj=milestone.order, verb=Event.Verb.NOTE, kind=events.MILESTONE_NOTE,
                         params=params)
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
                     changes=_change("owner", old, owner or ""), kind=events.MILESTONE_ASSIGNED,
                     params={"name": _name(milestone), "owner": str(owner) if owner is not None
                             else choice(OrderMilestone, "owner_role", milestone.owner_role)})
    return milestone


# --- from other modules (tracking.hooks) -------------------------------------------------


def milestones_complete_from_event(*, order, key: str, actor, event=None, on: dt.date | None = None,
                                   plan: OrderPlan | None = None,
                                   milestones: list[OrderMilestone] | None = None) -> None:
    """Complete the open milestones of ``order`` that ``key`` completes. Idempotent: a
    milestone already done (or skipped) is left as it is. ``plan`` with ``milestones``: the plan
    the caller holds (``plan_generate`` just made it) and every one of its milestones as they
    stand — neither is read again."""
    if plan is None or milestones is None:
        plan = OrderPlan.objects.select_for_update().filter(order=order).first()
        milestones = None
        if plan is not None and isinstance(order, SalesOrder):
            # The order in hand is the plan's, locked by the caller: the refresh's cut-off check
            # and its timeline rows read it, not the row again.
            plan.order = order
    if plan is None:
        return
    today = timezone.localdate()
    day = on or today
    if day > today:  # nothing is done in the future: the date is where the milestone is now heading
        milestone_forecast_from_module(order=order, key=key, actor=actor, on=day, reason="")
        return
    if milestones is None:
        milestones = list(plan.milestones.all())  # the refresh below reads them all: read once
    sources = MILESTONE.sources(MS.DONE)
    targets = [m for m in milestones if m.completes_on == key and m.status in sources]
    if not targets:
        return
    by = actor if getattr(actor, "is_authenticated", False) else None
    for milestone in targets:
        MILESTONE.move(milestone, MS.DONE)
        milestone.actual_date = day
        milestone.completed_event = event
        milestone.completed_by = by
        milestone.version += 1
    # The same values for every milestone the event completes: one UPDATE (bulk_update's CASE per
    # field and row costs more to build than the statement).
    OrderMilestone.objects.filter(pk__in=[m.pk for m in targets]).update(
        status=MS.DONE, actual_date=day, completed_event=event, completed_by=by, version=F("version") + 1)
    # Each name in quotes, in the reader's language.
    names = [bilingual(f"“{m.name_zh or m.name_en}”", f"“{m.name_en or m.name_zh}”") for m in targets]
    event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.MILESTONES_DONE_AUTOMATICALLY,
                 params={"names": names, "date": day.isoformat()})
    plan_refresh(plan=plan, actor=actor, milestones=milestones)


def milestone_forecast_from_module(*, order, key: str, actor, on: dt.date, reason: str) -> None:
    """Set the expected date of the open milestone ``key`` (or the one ``key`` completes)."""
    plan = OrderPlan.objects.select_for_update().filter(order=order).first()
    if plan is None:
        return
    open_ = plan.milestones.filter(status__in=open_states(MILESTONE))
    milestone = open_.filter(key=key).first() or open_.filter(completes_on=key).first()
    if milestone is None or milestone.date_due == on:
        return
    old = milestone.date_due
    milestone.expected_date = on
    milestone.version += 1
    milestone.save(update_fields=["expected_date", "version"])
    event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=(reason or "")[:300],
                 changes=_change("expected_date", old.isoformat(), on.isoformat()), kind=events.MILESTONE_EXPECTED,
                 params={"name": _name(milestone), "new": on.isoformat(), "old": old.isoformat()})
    plan_refresh(plan=plan, actor=actor)


def milestones_reopen_from_event(*, order, key: str, actor, reason: str) -> None:
    """Reopen the done milestones of ``order`` that ``key`` completes, because what completed
    them was undone (the only confirmed booking cancelled). Idempotent: open or skipped
    milestones are left as they are. The plan's forecasts and risk follow."""
    plan = OrderPlan.objects.select_for_update().filter(order=order).first()
    if plan is None:
        return
    targets = list(plan.milestones.filter(completes_on=key, status=MS.DONE))
    if not targets:
        return
    for milestone in targets:
        old = milestone.actual_date
        milestone.status = MS.OPEN  # the undo of an automatic completion: outside MILESTONE's table
        milestone.actual_date = None
        milestone.completed_event = None
        milestone.completed_by = None
        milestone.version += 1
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=(reason or "")[:300],
                     changes=_change("actual_date", old.isoformat() if old else "", ""),
                     kind=events.MILESTONE_REOPENED, params={"name": _name(milestone), "why": (reason or "")[:200]})
    OrderMilestone.objects.bulk_update(targets, ["status", "actual_date", "completed_event", "completed_by",
                                                 "version"])
    plan_refresh(plan=plan, actor=actor)
