"""Daily progress (每日生产进度表): the cumulative quantity of a production order line done at a
stage on a day. The last stage's quantity is the line's produced quantity.

Rules (checked for every entry, whether typed in the grid or imported):
- the stage is one of the line's stages (its product category's, or the default set);
- the date is not in the future and not before the production order existed;
- the quantity is a number ≥ 0 and not above the line's ordered quantity;
- progress does not go backwards: below the previous day's quantity (or above the next
  recorded day's) is a correction and needs a reason;
- the expected finish is not before the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.events import bilingual, event_record
from gendan.core.guards import refuse
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.planning import events
from gendan.planning.models import ProgressEntry
from gendan.planning.rules import can_plan
from gendan.planning.stages import Stage, line_category_id, stages_by_category
from gendan.production.models import ProductionOrderLine


@dataclass
class ProgressInput:
    """One entry as typed or imported; ``key`` names it in errors (e.g. the sheet row)."""

    line_id: int
    stage: str
    date: dt.date
    cumulative_quantity: object
    expected_finish: dt.date | None = None
    reason: str = ""
    key: str = ""


@dataclass
class ProgressResult:
    saved: list[ProgressEntry]
    unchanged: int


class _DryRun(Exception):
    pass


def progress_save(*, actor, entries: list[ProgressInput], dry_run: bool = False) -> ProgressResult:
    """Record ``entries`` all or nothing. An entry equal to what is recorded changes nothing
    (importing the same sheet twice is harmless). Raise ``ValidationFailed`` whose ``fields``
    are ``"<key>.<field>"`` for every refused entry; nothing is saved then. ``dry_run``
    checks everything the same way and saves nothing (the import preview). Only a planner
    or a manager records progress (``rules.can_plan``)."""
    refuse(can_plan(actor))
    try:
        with transaction.atomic():
            result = _save(actor=actor, entries=entries, forecast=not dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _save(*, actor, entries: list[ProgressInput], forecast: bool) -> ProgressResult:
    line_ids = sorted({e.line_id for e in entries if isinstance(e.line_id, int)})
    lines = {line.pk: line for line in ProductionOrderLine.objects.select_for_update(of=("self",))
             .select_related("production_order__sales_order", "order_line__product").filter(pk__in=line_ids)
             .order_by("pk")}
    stages = stages_by_category(line_category_id(line) for line in lines.values())
    today = timezone.localdate()
    errors = FieldErrors()
    saved: list[ProgressEntry] = []
    unchanged = 0
    touched_orders: dict[int, object] = {}
    # Earlier days first, so a sheet with several days of one line checks each against the one before.
    for entry in sorted(entries, key=lambda e: (e.date if isinstance(e.date, dt.date) else dt.date.max)):
        prefix = f"{entry.key}." if entry.key else ""
        line = lines.get(entry.line_id)
        if line is None:
            errors.add(f"{prefix}line", _("No such production order line."))
            continue
        line_stages = stages[line_category_id(line)]
        problems = _check(entry, line, line_stages, today)
        if problems:
            for field, (message, code) in problems.items():
                errors.add(f"{prefix}{field}", message, code)
            continue
        outcome = _apply(actor=actor, entry=entry, line=line, stages=line_stages)
        if outcome is None:
            unchanged += 1
        else:
            saved.append(outcome)
            touched_orders[line.production_order_id] = line.production_order
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(_("Nothing saved. %(first)s") % {"first": first}, code=errors.code, fields=dict(errors))
    for production_order in touched_orders.values() if forecast else ():
        publish(events.ProductionProgressRecorded(
            actor=actor, order=production_order.sales_order, production_order=production_order,
            expected_finish=production_order_expected_finish(production_order.pk)))
    return ProgressResult(saved=saved, unchanged=unchanged)


def _check(entry: ProgressInput, line, line_stages: list[Stage], today: dt.date) -> dict[str, tuple[str, str]]:
    """The entry's problems, field → (message, code): ``validation_failed`` for a value wrong in
    itself, a rule code (``core.errors.RULE_CODES``) for a value against the line's stages and
    quantity, today's date or the quantities recorded."""
    problems: dict[str, tuple[str, str]] = {}
    codes = [s.code for s in line_stages]
    if entry.stage not in codes:
        problems["stage"] = (_("“%(stage)s” is not a stage of this product; its stages are %(list)s.") % {
            "stage": entry.stage, "list": ", ".join(_stage_text(s) for s in line_stages)}, CoreError.RECORD_MISMATCH)
    started = timezone.localtime(line.production_order.created_at).date()
    if not isinstance(entry.date, dt.date):
        problems["date"] = (_("Give the date of the progress."), CoreError.VALIDATION_FAILED)
    elif entry.date > today:
        problems["date"] = (_("The date %(date)s is in the future; record progress on or after the day it was made.") % {
            "date": entry.date.isoformat()}, CoreError.DATE_IN_FUTURE)
    elif entry.date < started:
        problems["date"] = (_("The date %(date)s is before production order %(po)s existed (%(started)s).") % {
            "date": entry.date.isoformat(), "po": line.production_order.number, "started": started.isoformat()},
            CoreError.DATES_OUT_OF_ORDER)
    try:
        qty = to_decimal(entry.cumulative_quantity if entry.cumulative_quantity not in (None, "") else "x")
    except MoneyError:
        problems["cumulative_quantity"] = (_("Enter the cumulative quantity done as a number."),
                                           CoreError.VALIDATION_FAILED)
        return problems
    entry.cumulative_quantity = qty
    if qty < 0:
        problems["cumulative_quantity"] = (_("The cumulative quantity may not be negative."),
                                           CoreError.VALIDATION_FAILED)
    elif qty > line.quantity:
        problems["cumulative_quantity"] = (_(
            "%(qty)s is more than the %(ordered)s ordered on production order line %(n)s.") % {
            "qty": _fmt(qty), "ordered": _fmt(line.quantity), "n": line.order_line.line_no},
            CoreError.VALUES_INCONSISTENT)
    if entry.expected_finish is not None and isinstance(entry.date, dt.date) and entry.expected_finish < entry.date:
        problems["expected_finish"] = (_("The expected finish may not be before the progress date."),
                                       CoreError.DATES_OUT_OF_ORDER)
    if problems or entry.reason.strip():
        return problems
    recorded = ProgressEntry.objects.filter(line=line, stage=entry.stage)
    before = recorded.filter(date__lt=entry.date).order_by("-date").first()
    same_day = recorded.filter(date=entry.date).first()
    after = recorded.filter(date__gt=entry.date).order_by("date").first()
    if before is not None and qty < before.cumulative_quantity:
        problems["cumulative_quantity"] = (_(
            "Progress can't go backwards: %(qty)s is below the %(prev)s recorded on %(date)s. "
            "A correction needs a reason.") % {"qty": _fmt(qty), "prev": _fmt(before.cumulative_quantity),
                                               "date": before.date.isoformat()}, CoreError.VALUES_INCONSISTENT)
    elif same_day is not None and qty < same_day.cumulative_quantity:
        problems["cumulative_quantity"] = (_(
            "Progress can't go backwards: %(qty)s is below the %(prev)s already recorded for that day. "
            "A correction needs a reason.") % {"qty": _fmt(qty), "prev": _fmt(same_day.cumulative_quantity)},
            CoreError.VALUES_INCONSISTENT)
    elif after is not None and qty > after.cumulative_quantity:
        problems["cumulative_quantity"] = (_(
            "%(qty)s is above the %(next)s recorded later, on %(date)s. A correction needs a reason.") % {
            "qty": _fmt(qty), "next": _fmt(after.cumulative_quantity), "date": after.date.isoformat()},
            CoreError.VALUES_INCONSISTENT)
    return problems


def _stage_text(stage: Stage) -> str:
    """The stage as a person reads it, with the code an import gives: "裁剪 (cutting)"."""
    return stage.code if stage.name in ("", stage.code) else f"{stage.name} ({stage.code})"


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _apply(*, actor, entry: ProgressInput, line, stages: list[Stage]) -> ProgressEntry | None:
    """Insert or update the day's entry; None when it is already recorded as given."""
    last_stage = stages[-1].code
    stage = next(s for s in stages if s.code == entry.stage)
    qty: Decimal = entry.cumulative_quantity  # type: ignore[assignment]
    existing = ProgressEntry.objects.filter(line=line, stage=entry.stage, date=entry.date).first()
    if existing is not None and existing.cumulative_quantity == qty and (
            entry.expected_finish is None or existing.expected_finish == entry.expected_finish):
        return None
    old = existing.cumulative_quantity if existing is not None else None
    if existing is None:
        existing = ProgressEntry(line=line, production_order_id=line.production_order_id, stage=entry.stage,
                                 date=entry.date)
    existing.cumulative_quantity = qty
    if entry.expected_finish is not None:
        existing.expected_finish = entry.expected_finish
    existing.correction_reason = entry.reason.strip()[:300]
    existing.recorded_by = actor
    existing.save()
    production_order = line.production_order
    # Shown as the field of the change in the timeline, in the recorder's language: "#1 裁剪".
    field = f"#{line.order_line.line_no} {stage.name}"
    changes = {field: {"old": _fmt(old) if old is not None else "", "new": _fmt(qty)}}
    event_record(actor=actor, obj=production_order, verb=Event.Verb.UPDATED, changes=changes,
                 reason=existing.correction_reason, kind=events.PROGRESS, params={
                     "date": entry.date.isoformat(), "n": line.order_line.line_no,
                     "stage": bilingual(stage.name_zh, stage.name_en), "qty": _fmt(qty),
                     "ordered": _fmt(line.quantity)})
    if entry.stage == last_stage:
        latest = ProgressEntry.objects.filter(line=line, stage=last_stage).order_by("-date").first()
        produced = latest.cumulative_quantity
        if produced != line.produced_quantity:
            change = {"produced_quantity": {"old": _fmt(line.produced_quantity), "new": _fmt(produced)}}
            line.produced_quantity = produced
            line.save(update_fields=["produced_quantity"])
            event_record(actor=actor, obj=production_order.sales_order, verb=Event.Verb.UPDATED, changes=change,
                         reason=existing.correction_reason, kind=events.PRODUCED, params={
                             "po": production_order.number, "n": line.order_line.line_no,
                             "qty": _fmt(produced), "ordered": _fmt(line.quantity)})
    return existing


def production_order_expected_finish(production_order_id: int) -> dt.date | None:
    """The latest expected finish given for any line and stage of the production order (newest entries)."""
    latest: dict[tuple[int, str], dt.date] = {}
    rows = (ProgressEntry.objects.filter(production_order_id=production_order_id, expected_finish__isnull=False)
            .order_by("date").values_list("line_id", "stage", "expected_finish"))
    for line_id, stage, finish in rows:
        latest[(line_id, stage)] = finish
    return max(latest.values()) if latest else None

