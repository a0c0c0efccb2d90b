"""Meetings with minutes and action items — the weekly production meeting (seed 001 第一篇 6:
每周召开生产协调会，会议纪要落实到人).

A meeting is planned (title, time, place, attendees, agenda); the attendees are emailed a
notice the day before by the reminder job; after it is held its minutes are recorded with
action items — who does what by when, optionally for an order. Open action items are on
their owner's chase board until the owner (or the organiser, or a manager) marks them done.

Transitions (``tracking.workflows.MEETING``): planned → held (``meeting_minutes_record``),
planned → cancelled (``meeting_cancel``). Minutes of a held meeting may be completed later (more
action items), which is an edit, not a transition.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import OK, Check, no, parse_id, reason_required, refuse, require
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.sales.selectors import order_queryset
from gendan.tracking import events
from gendan.tracking.errors import TrackingError
from gendan.tracking.models import ActionItem, Meeting, ReminderLog
from gendan.tracking.services.reminders import (
    absolute_url,
    mail_send,
    notice_key,
    reminder_claim,
    reminder_finish,
)
from gendan.tracking.workflows import MEETING, is_open

log = logging.getLogger("gendan.tracking")

S = Meeting.Status
ADD_PERM = "tracking.add_meeting"
VIEW_PERM = "tracking.view_meeting"


# --- guards ---------------------------------------------------------------------------------


def can_edit_meeting(user: User, meeting: Meeting) -> Check:
    """May ``user`` change or cancel ``meeting``? While it may still be held or cancelled."""
    if not user.has_perm(ADD_PERM):
        return no(CoreError.FORBIDDEN, _("Your role may not plan meetings."))
    if not is_open(MEETING, meeting):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a planned meeting can be changed; this one is %(status)s.")
                  % {"status": meeting.get_status_display()})
    return OK


def can_record_minutes(user: User, meeting: Meeting) -> Check:
    """May ``user`` record ``meeting``'s minutes: the move to held, or more minutes of a held one?"""
    if not user.has_perm(ADD_PERM):
        return no(CoreError.FORBIDDEN, _("Your role may not record minutes."))
    if meeting.status != S.HELD and not MEETING.can(meeting, S.HELD):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("The meeting was cancelled; there are no minutes to record."))
    return OK


def can_complete_action(user: User, item: ActionItem) -> Check:
    if item.done_at is not None:
        return no(TrackingError.ACTION_DONE, _("This action was already done."))
    if user.pk in (item.owner_id, item.meeting.organiser_id) or user.has_role(Role.MANAGER) or user.is_superuser:
        return OK
    return no(CoreError.FORBIDDEN,
              _("Only the owner of the action, the meeting's organiser or a manager may mark it done."))


# --- reads ----------------------------------------------------------------------------------


def meeting_queryset(user: User) -> QuerySet[Meeting]:
    """Meetings are internal and visible to every role that may see meetings at all."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERM):
        return Meeting.objects.none()
    return Meeting.objects.select_related("organiser")


def meeting_get_for_user(*, user: User, pk: int) -> Meeting:
    try:
        return meeting_queryset(user).prefetch_related(
            "attendees",
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner", "order")),
        ).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None


def action_items_open_for(user: User) -> QuerySet[ActionItem]:
    """The person's open action items, oldest due first (also on the chase board)."""
    return ActionItem.objects.filter(owner=user, done_at__isnull=True).select_related("meeting", "order")


# --- writes ---------------------------------------------------------------------------------


def _attendees(attendee_ids: Iterable[Any]) -> list[User]:
    ids = {n for n in (parse_id(i) for i in attendee_ids) if n is not None}
    people = list(User.objects.filter(pk__in=ids, is_active=True))
    if not people:
        msg = _("Invite at least one attendee.")
        raise ValidationFailed(msg, fields={"attendees": msg})
    if len(people) != len(ids):
        msg = _("Some attendees are not active users.")
        raise ValidationFailed(msg, fields={"attendees": msg})
    return people


def _clean_meeting(*, title: str, starts_at) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the meeting a title, e.g. “Weekly production meeting”.")
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = _("Enter when the meeting starts as a date and time, e.g. 2026-03-05 09:00.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)


def meeting_create(*, actor: User, title: str, starts_at: dt.datetime, attendee_ids: Iterable[Any],
                   location: str = "", agenda: str = "") -> Meeting:
    """Plan a meeting; its attendees get a notice the day before (``chase_run``)."""
    require(actor, ADD_PERM, message=_("Your role may not plan meetings."))
    _clean_meeting(title=title, starts_at=starts_at)
    if starts_at < timezone.now():
        msg = _("A meeting is planned for the future; record a past meeting's minutes on its page.")
        raise ValidationFailed(msg, code=CoreError.DATE_IN_PAST, fields={"starts_at": msg})
    people = _attendees(attendee_ids)
    with transaction.atomic():
        meeting = Meeting.objects.create(title=title.strip(), starts_at=starts_at, location=location.strip(),
                                         agenda=agenda.strip(), organiser=actor)
        meeting.attendees.set(people)
        event_record(actor=actor, obj=meeting, verb=Event.Verb.CREATED, kind=events.MEETING_PLANNED, params={
            "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "n": len(people)})
    return meeting


def meeting_update(*, actor: User, meeting_id: int, title: str, starts_at: dt.datetime,
                   attendee_ids: Iterable[Any], location: str = "", agenda: str = "") -> Meeting:
    """Change a planned meeting. Moving it to another day sends the notice again."""
    _clean_meeting(title=title, starts_at=starts_at)
    people = _attendees(attendee_ids)
    with transaction.atomic():
        meeting = _lock(actor, meeting_id)
        refuse(can_edit_meeting(actor, meeting))
        old = {"title": meeting.title, "starts_at": meeting.starts_at, "location": meeting.location,
               "agenda": meeting.agenda}
        old_people = set(meeting.attendees.values_list("pk", flat=True))
        meeting.title, meeting.starts_at = title.strip(), starts_at
        meeting.location, meeting.agenda = location.strip(), agenda.strip()
        changes = {k: {"old": str(v), "new": str(getattr(meeting, k))} for k, v in old.items()
                   if v != getattr(meeting, k)}
        if old_people != {p.pk for p in people}:
            changes["attendees"] = {"old": str(len(old_people)), "new": str(len(people))}
        if not changes:
            return meeting
        if "starts_at" in changes and timezone.localtime(old["starts_at"]).date() != \
                timezone.localtime(starts_at).date():
            meeting.notice_sent_at = None
            ReminderLog.objects.filter(kind=ReminderLog.Kind.MEETING_NOTICE, key=notice_key(meeting)).delete()
        meeting.save()
        meeting.attendees.set(people)
        event_record(actor=actor, obj=meeting, verb=Event.Verb.UPDATED, changes=changes)
    return meeting


def _lock(actor: User, meeting_id: int) -> Meeting:
    return lock_row(meeting_queryset(actor), meeting_id, not_found="No such meeting.")


def meeting_cancel(*, actor: User, meeting_id: int, reason: str) -> Meeting:
    """Cancel a planned meeting, with the reason (the attendees read it)."""
    reason = reason_required(reason, _("cancelling the meeting"))
    with transaction.atomic():
        meeting = _lock(actor, meeting_id)
        refuse(can_edit_meeting(actor, meeting))
        old = MEETING.move(meeting, S.CANCELLED)
        meeting.save(update_fields=["status", "updated_at"])
        event_record(actor=actor, obj=meeting, verb=Event.Verb.STATE_CHANGED, reason=reason,
                     changes={"status": {"old": old, "new": S.CANCELLED}})
    return meeting


def _clean_actions(actor: User, actions: Iterable[Mapping[str, Any]], *, held_on: dt.date) -> list[dict]:
    """Check the action items; errors are keyed ``actions[i].<field>`` (i counts the rows sent)."""
    cleaned, errors = [], FieldErrors()
    orders = order_queryset(actor)
    for i, row in enumerate(actions):
        description = (row.get("description") or "").strip()
        owner = User.objects.filter(pk=row.get("owner_id"), is_active=True).first() if row.get("owner_id") else None
        due = row.get("due_date")
        order = None
        if not description:
            errors.add(f"actions[{i}].description", _("Say what has to be done."))
        if owner is None:
            errors.add(f"actions[{i}].owner", _("Choose who does it."))
        if not isinstance(due, dt.date):
            errors.add(f"actions[{i}].due_date", _("Enter the due date, e.g. 2026-03-09."))
        elif due < held_on:
            errors.add(f"actions[{i}].due_date", _("The due date is before the meeting."), CoreError.DATES_OUT_OF_ORDER)
        if row.get("order_id") or (row.get("order_number") or "").strip():
            found = orders.filter(pk=row["order_id"]) if row.get("order_id") else \
                orders.filter(number__iexact=row["order_number"].strip())
            order = found.first()
            if order is None:
                errors.add(f"actions[{i}].order", _("No such order among those you may see."))
        cleaned.append({"description": description[:300], "owner": owner, "due_date": due, "order": order})
    errors.raise_any()
    return cleaned


def meeting_minutes_record(*, actor: User, meeting_id: int, minutes: str,
                           actions: Iterable[Mapping[str, Any]] = ()) -> Meeting:
    """Record the minutes of a meeting (planned → held) and its new action items
    (``description``, ``owner_id``, ``due_date``, optional ``order_id`` or ``order_number``)."""
    if not (minutes or "").strip():
        msg = _("Write the minutes: what was reported and decided.")
        raise ValidationFailed(msg, fields={"minutes": msg})
    with transaction.atomic():
        meeting = _lock(actor, meeting_id)
        refuse(can_record_minutes(actor, meeting))
        rows = _clean_actions(actor, actions, held_on=timezone.localtime(meeting.starts_at).date())
        old_status = meeting.status
        if old_status != S.HELD:  # more minutes of a held meeting are an edit, not a transition
            MEETING.move(meeting, S.HELD)
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes", "status", "updated_at"])
        items = ActionItem.objects.bulk_create([ActionItem(meeting=meeting, **row) for row in rows])
        changes = {"status": {"old": old_status, "new": S.HELD}} if old_status != S.HELD else {}
        event_record(actor=actor, obj=meeting, verb=Event.Verb.STATE_CHANGED if changes else Event.Verb.UPDATED,
                     changes=changes, kind=events.MINUTES_RECORDED, params={"n": len(items)})
        for item in items:
            if item.order is not None:
                # The meeting's title and the action are people's words: parameters, shown as typed.
                event_record(actor=actor, obj=item.order, verb=Event.Verb.NOTE, kind=events.ACTION_ITEM_ADDED,
                             params={"meeting": meeting.title, "action": item.description, "owner": str(item.owner),
                                     "due": item.due_date.isoformat()})
    return meeting


def action_item_complete(*, actor: User, action_item_id: int) -> ActionItem:
    """Mark an action item done; it leaves its owner's chase board."""
    with transaction.atomic():
        item = lock_row(ActionItem.objects.select_related("meeting", "order"), action_item_id,
                        not_found="No such action item.")
        if not (actor.has_perm(VIEW_PERM) or item.owner_id == actor.pk):
            raise Http404("No such action item.")
        refuse(can_complete_action(actor, item))
        item.done_at = timezone.now()
        item.save(update_fields=["done_at", "updated_at"])
        params = {"action": item.description}
        event_record(actor=actor, obj=item.meeting, verb=Event.Verb.NOTE, kind=events.ACTION_ITEM_DONE, params=params)
        if item.order_id:
            event_record(actor=actor, obj=item.order, verb=Event.Verb.NOTE, kind=events.ACTION_ITEM_DONE,
                         params=params)
    return item


# --- the notice (sent by the reminder job the day before) -------------------------------------


def meeting_notice_send(*, meeting_id: int) -> bool:
    """Email the notice of a planned meeting to its attendees, each in their language.
    Idempotent: returns False (and sends nothing) when it was sent already or is being sent."""
    meeting = Meeting.objects.select_related("organiser").prefetch_related("attendees").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != S.PLANNED or meeting.notice_sent_at is not None:
        return False
    claim = reminder_claim(kind=ReminderLog.Kind.MEETING_NOTICE, key=notice_key(meeting), user=meeting.organiser)
    if claim is None:
        return False
    errors = []
    for person in meeting.attendees.all():
        if not person.email:
            continue
        with translation.override(person.language):
            subject, body = meeting_notice_compose(meeting)
        error = mail_send(to=[person.email], subject=subject, body=body)
        if error:
            errors.append(f"{person.email}: {error}")
    reminder_finish(claim, error="; ".join(errors))
    if not errors:
        Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=timezone.now())
    return not errors


def meeting_notice_compose(meeting: Meeting) -> tuple[str, str]:
    """Subject and body of the notice, in the active language."""
    when = timezone.localtime(meeting.starts_at)
    subject = _("Meeting notice: %(title)s, %(when)s") % {"title": meeting.title,
                                                          "when": when.strftime("%Y-%m-%d %H:%M")}
    lines = [
        _("You are invited to the meeting “%(title)s”.") % {"title": meeting.title},
        "",
        _("When: %(when)s") % {"when": when.strftime("%Y-%m-%d %H:%M")},
        _("Where: %(place)s") % {"place": meeting.location or "—"},
        _("Organised by: %(name)s") % {"name": meeting.organiser},
        _("Attendees: %(names)s") % {"names": ", ".join(str(p) for p in meeting.attendees.all())},
    ]
    if meeting.agenda:
        lines += ["", _("Agenda:"), meeting.agenda]
    lines += ["", _("Prepare your orders' status and bring your open action items."),
              absolute_url(meeting.get_absolute_url())]
    return subject, "\n".join(lines)
