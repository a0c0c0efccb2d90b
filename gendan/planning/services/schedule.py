"""The production schedule (生产排期): work lines with a daily capacity, and schedule entries
that place a production order on a line from a start to an end day.

Overloads (more planned per day than the line's capacity) and entries ending after the sales
order's ex-factory date are shown, not refused: the planner decides. Refused: a line of
another workshop, end before start, a quantity ≤ 0 or beyond what the production order
makes, a span over non-working days without a reason, a date change without a reason.
Planned start / end become the order's production milestones' forecasts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils.translation import gettext as _

from gendan.core.calendar import non_working_days
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import reason_required, refuse
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.planning import events
from gendan.planning.models import ScheduleEntry, WorkLine
from gendan.planning.rules import can_plan
from gendan.production.models import ProductionOrder
from gendan.production.services import OPEN as OPEN_PRODUCTION

WORKSHOP_KINDS = (Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY)


def work_line_create(*, actor, workshop_id: int, name: str, capacity_per_day) -> WorkLine:
    """Add a line to an own workshop or an outsourced factory."""
    refuse(can_plan(actor))
    workshop = Supplier.objects.filter(pk=workshop_id, kind__in=WORKSHOP_KINDS, is_active=True).first()
    if workshop is None:
        msg = _("A line belongs to an active own workshop or outsourced factory.")
        raise ValidationFailed(msg, fields={"workshop": msg})
    name = (name or "").strip()
    if not name:
        msg = _("Give the line a name.")
        raise ValidationFailed(msg, fields={"name": msg})
    try:
        capacity = int(capacity_per_day)
    except (TypeError, ValueError):
        capacity = 0
    if capacity <= 0:
        msg = _("The capacity is a whole number of units per day above 0.")
        raise ValidationFailed(msg, fields={"capacity_per_day": msg})
    with transaction.atomic():
        if WorkLine.objects.filter(workshop=workshop, name=name).exists():
            msg = _("%(workshop)s already has a line “%(name)s”.") % {"workshop": workshop.code, "name": name}
            raise ValidationFailed(msg, fields={"name": msg})
        line = WorkLine.objects.create(workshop=workshop, name=name, capacity_per_day=capacity)
        event_record(actor=actor, obj=line, verb=Event.Verb.CREATED, kind=events.WORK_LINE_CREATED,
                     params={"name": name, "capacity": capacity})
    return line


def _fmt(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _checked_span(start, end, reason: str) -> None:
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        msg = _("Give the start and end dates.")
        raise ValidationFailed(msg, fields={"start": msg})
    if end < start:
        msg = _("The end (%(end)s) is before the start (%(start)s).") % {"end": end, "start": start}
        raise ValidationFailed(msg, fields={"end": msg})
    off = non_working_days(start, end)
    if off:
        reason_required(reason, _("planning %(start)s – %(end)s over %(n)d non-working day(s) (%(days)s)") % {
            "start": start, "end": end, "n": len(off), "days": ", ".join(d.strftime("%m-%d") for d in off[:6])})


def _checked_quantity(production_order: ProductionOrder, raw, *, exclude_pk: int | None = None) -> Decimal:
    try:
        qty = to_decimal(raw if raw not in (None, "") else "x")
    except MoneyError:
        msg = _("Enter the quantity as a number.")
        raise ValidationFailed(msg, fields={"quantity": msg}) from None
    if qty <= 0:
        msg = _("The quantity must be above 0.")
        raise ValidationFailed(msg, fields={"quantity": msg})
    total = production_order.lines.aggregate(total=Sum("quantity"))["total"] or Decimal("0")
    planned = (production_order.schedule_entries.exclude(pk=exclude_pk).aggregate(total=Sum("quantity"))["total"]
               or Decimal("0"))
    if planned + qty > total:
        msg = _("%(po)s makes %(total)s; %(planned)s are already scheduled, so at most %(left)s can be added.") % {
            "po": production_order.number, "total": _fmt(total), "planned": _fmt(planned),
            "left": _fmt(total - planned)}
        raise ValidationFailed(msg, fields={"quantity": msg})
    return qty


def schedule_entry_create(*, actor, production_order_id: int, work_line_id: int, start: dt.date, end: dt.date,
                          quantity, reason: str = "") -> ScheduleEntry:
    """Plan (part of) a production order on a line of its workshop."""
    refuse(can_plan(actor))
    with transaction.atomic():
        production_order = (ProductionOrder.objects.select_for_update().select_related("sales_order")
                            .filter(pk=production_order_id).first())
        if production_order is None or production_order.status not in OPEN_PRODUCTION:
            msg = _("Only an open production order can be scheduled.")
            raise ValidationFailed(msg, fields={"production_order": msg})
        line = WorkLine.objects.select_related("workshop").filter(pk=work_line_id, is_active=True).first()
        if line is None or line.workshop_id != production_order.supplier_id:
            msg = _("Choose an active line of the workshop that makes %(po)s.") % {"po": production_order.number}
            raise ValidationFailed(msg, fields={"work_line": msg})
        _checked_span(start, end, reason)
        qty = _checked_quantity(production_order, quantity)
        entry = ScheduleEntry.objects.create(production_order=production_order, work_line=line, start=start, end=end,
                                             quantity=qty, non_working_reason=reason.strip()[:300],
                                             created_by=actor)
        params = {"line": str(line), "start": start.isoformat(), "end": end.isoformat(), "qty": _fmt(qty)}
        event_record(actor=actor, obj=entry, verb=Event.Verb.CREATED, reason=entry.non_working_reason,
                     kind=events.SCHEDULED, params=params)
        event_record(actor=actor, obj=production_order, verb=Event.Verb.NOTE, reason=entry.non_working_reason,
                     kind=events.SCHEDULED, params=params)
        # The T&A's forecasts say why they moved: what was scheduled (in the planner's language).
        _schedule_changed(actor=actor, production_order=production_order,
                          reason=_("Scheduled on %(line)s %(start)s – %(end)s: %(qty)s") % params)
    return entry


def schedule_entry_reschedule(*, actor, entry_id: int, version: int | None, start: dt.date, end: dt.date,
                              reason: str, quantity=None) -> ScheduleEntry:
    """Move an entry (and optionally change its quantity); the reason is required and kept
    with the old → new dates on the entry, the production order and the sales order."""
    refuse(can_plan(actor))
    with transaction.atomic():
        entry = lock_row(ScheduleEntry.objects.select_related("production_order__sales_order", "work_line"), entry_id,
                         expected_version=version, not_found="No such schedule entry.")
        reason = reason_required(reason, _("changing the schedule (the factory, the materials, the customer…)"))
        _checked_span(start, end, reason)
        qty = entry.quantity if quantity in (None, "") else _checked_quantity(entry.production_order, quantity,
                                                                                 exclude_pk=entry.pk)
        changes = {}
        for name, new in (("start", start), ("end", end), ("quantity", qty)):
            old = getattr(entry, name)
            if old != new:
                changes[name] = {"old": _fmt(old),
                                 "new": _fmt(new)}
        if not changes:
            return entry
        entry.start, entry.end, entry.quantity = start, end, qty
        if non_working_days(start, end):
            entry.non_working_reason = reason.strip()[:300]
        entry.version += 1
        entry.save(update_fields=["start", "end", "quantity", "non_working_reason", "version", "updated_at"])
        production_order = entry.production_order
        params = {"line": str(entry.work_line), "start": start.isoformat(), "end": end.isoformat()}
        for obj in (entry, production_order, production_order.sales_order):
            event_record(actor=actor, obj=obj, verb=Event.Verb.UPDATED, changes=changes, reason=reason.strip(),
                         kind=events.RESCHEDULED, params=params)
        _schedule_changed(actor=actor, production_order=production_order, reason=reason.strip())
    return entry


def _schedule_changed(*, actor, production_order: ProductionOrder, reason: str) -> None:
    span = production_order.schedule_entries.aggregate(first=Min("start"), last=Max("end"))
    if span["first"]:
        publish(events.ScheduleChanged(actor=actor, order=production_order.sales_order,
                                       production_order=production_order, first_day=span["first"],
                                       last_day=span["last"], reason=reason))


def daily_load(entries, start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], Decimal]:
    """Units planned per (line id, day) from ``start`` to ``end``: each entry's quantity spread
    evenly over its working days (over all its days when it has none)."""
    load: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    entries = list(entries)
    if not entries:
        return load
    # One calendar read for the whole span, not one per entry.
    off = set(non_working_days(min(e.start for e in entries), max(e.end for e in entries)))
    for entry in entries:
        span = [entry.start + dt.timedelta(days=n) for n in range((entry.end - entry.start).days + 1)]
        days = [day for day in span if day not in off] or span
        share = entry.quantity / len(days)
        for day in days:
            if start <= day <= end:
                load[(entry.work_line_id, day)] += share
    return load
