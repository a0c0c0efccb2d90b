"""Template and calendar use cases. A template edit is refused, with nothing saved, when it
would leave a cycle of "after"s or offsets that put a milestone before the one it follows.
Plans already generated keep their milestones; new orders use the edited template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.core.errors import ValidationFailed
from gendan.core.events import bilingual, changes_between, choice, event_record, snapshot
from gendan.core.guards import require
from gendan.core.models import CalendarDay, Event
from gendan.core.services import lock_row
from gendan.tracking import events
from gendan.tracking.models import MilestoneTemplate, TemplateStep
from gendan.tracking.scheduling import ScheduleError, Step, reference_anchors, template_check

STEP_FIELDS = ["sequence", "key", "name_zh", "name_en", "owner_role", "anchor", "offset_days", "day_kind",
               "predecessor_key", "completes_on", "required"]
TEMPLATE_FIELDS = ["name", "kind", "customer", "category", "is_default", "is_active", "transit_days",
                   "etd_after_ex_factory"]


# What a role that may not edit templates or the calendar is told.
NOT_ALLOWED = gettext_lazy("Your role may not edit T&A templates or the calendar.")


def _validate(template: MilestoneTemplate, steps: list[TemplateStep]) -> None:
    """Refuse steps that cannot be scheduled (cycle, unknown predecessor, crossed offsets)."""
    specs = [Step(s.key, s.anchor, s.offset_days, s.day_kind, s.predecessor_key or "",
                  s.name_zh or s.name_en or s.key) for s in steps]
    keys = [s.key for s in steps]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        msg = _("The key “%(key)s” is used twice in this template.") % {"key": duplicate}
        raise ValidationFailed(msg, fields={"key": msg})
    for s in specs:
        if s.anchor == "previous" and not s.predecessor_key:
            msg = _("“%(step)s” counts from the milestone it follows: choose that milestone under “after”.") % {
                "step": s.name}
            raise ValidationFailed(msg, fields={"predecessor_key": msg})
    try:
        template_check(specs, reference_anchors(transit_days=template.transit_days,
                                                etd_after_ex_factory=template.etd_after_ex_factory))
    except ScheduleError as exc:
        field = "offset_days" if exc.kind == "offsets" else "predecessor_key"
        raise ValidationFailed(str(exc), fields={field: str(exc)}) from None


def template_step_save(*, actor: User, template_id: int, step_id: int | None, data: Mapping[str, Any]
                       ) -> TemplateStep:
    """Add a milestone to a template or change one; the whole template is checked again."""
    require(actor, "tracking.change_milestonetemplate", message=NOT_ALLOWED)
    with transaction.atomic():
        template = lock_row(MilestoneTemplate.objects.all(), template_id, not_found="No such template.")
        steps = list(template.steps.all())
        step = next((s for s in steps if s.pk == step_id), None) if step_id else None
        if step_id and step is None:
            raise ValidationFailed(_("That milestone is no longer in the template; reload the page."))
        before = snapshot(step, STEP_FIELDS) if step else None
        old_key = step.key if step else None
        if step is None:
            step = TemplateStep(template=template)
            steps.append(step)
        for name in STEP_FIELDS:
            setattr(step, name, data.get(name) if data.get(name) is not None else getattr(step, name))
        step.predecessor_key = data.get("predecessor_key") or ""
        step.completes_on = data.get("completes_on") or ""
        step.required = bool(data.get("required"))
        if old_key and old_key != step.key:  # renaming a key: the steps after it follow the new key
            for other in steps:
                if other is not step and other.predecessor_key == old_key:
                    other.predecessor_key = step.key
        _validate(template, steps)
        for other in steps:
            if other is not step and old_key and other.predecessor_key == step.key and other.pk:
                other.save(update_fields=["predecessor_key"])
        step.save()
        template.version += 1
        template.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=template, verb=Event.Verb.UPDATED if before else Event.Verb.CREATED,
                     changes=changes_between(before, step) if before else {},
                     kind=events.TEMPLATE_STEP_SAVED, params={"name": bilingual(step.name_zh, step.name_en)})
    return step


def template_step_delete(*, actor: User, template_id: int, step_id: int) -> None:
    require(actor, "tracking.change_milestonetemplate", message=NOT_ALLOWED)
    with transaction.atomic():
        template = lock_row(MilestoneTemplate.objects.all(), template_id, not_found="No such template.")
        steps = list(template.steps.all())
        step = next((s for s in steps if s.pk == step_id), None)
        if step is None:
            return
        followers = [s for s in steps if s.predecessor_key == step.key]
        if followers:
            raise ValidationFailed(_("“%(name)s” is followed by %(others)s: change their “after” first.") % {
                "name": step.display_name, "others": ", ".join(f"“{s.display_name}”" for s in followers)})
        step.delete()
        template.version += 1
        template.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=template, verb=Event.Verb.DELETED, kind=events.TEMPLATE_STEP_REMOVED,
                     params={"name": bilingual(step.name_zh, step.name_en)})


def template_update(*, actor: User, template_id: int, data: Mapping[str, Any],
                    expected_version: int | None = None) -> MilestoneTemplate:
    require(actor, "tracking.change_milestonetemplate", message=NOT_ALLOWED)
    with transaction.atomic():
        template = lock_row(MilestoneTemplate.objects.all(), template_id, expected_version=expected_version,
                            not_found="No such template.")
        before = snapshot(template, TEMPLATE_FIELDS)
        for name in TEMPLATE_FIELDS:
            if name in data:
                setattr(template, name, data[name])
        if template.is_default and (template.customer_id or template.category_id):
            msg = _("A default template is for every customer and category: clear the customer and category, "
                    "or untick “default”.")
            raise ValidationFailed(msg, fields={"is_default": msg})
        _validate(template, list(template.steps.all()))
        if template.is_default:
            MilestoneTemplate.objects.filter(kind=template.kind, is_default=True).exclude(pk=template.pk).update(
                is_default=False)
        template.version += 1
        try:
            with transaction.atomic():
                template.save()
        except IntegrityError:
            raise ValidationFailed(_("Another template is already the default of this kind.")) from None
        event_record(actor=actor, obj=template, verb=Event.Verb.UPDATED, changes=changes_between(before, template))
    return template


def template_copy(*, actor: User, template_id: int) -> MilestoneTemplate:
    """Copy a template (e.g. the default) to adapt it for one customer or product category."""
    require(actor, "tracking.add_milestonetemplate", message=NOT_ALLOWED)
    with transaction.atomic():
        source = MilestoneTemplate.objects.get(pk=template_id)
        copy = MilestoneTemplate.objects.create(
            name=_("%(name)s (copy)") % {"name": source.name}, kind=source.kind, is_default=False,
            customer=source.customer, category=source.category, transit_days=source.transit_days,
            etd_after_ex_factory=source.etd_after_ex_factory)
        TemplateStep.objects.bulk_create([
            TemplateStep(template=copy, **{name: getattr(s, name) for name in STEP_FIELDS})
            for s in source.steps.all()])
        event_record(actor=actor, obj=copy, verb=Event.Verb.CREATED, kind=events.TEMPLATE_COPIED,
                     params={"name": source.name})
    return copy


def calendar_day_set(*, actor: User, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Mark a date as a holiday or a make-up working day (调休). Existing plans keep their
    dates; plans generated afterwards count with the new calendar."""
    require(actor, "core.add_calendarday", message=NOT_ALLOWED)
    weekend = date.weekday() >= 5
    if kind == CalendarDay.Kind.WORKDAY and not weekend:
        msg = _("%(date)s is a weekday: it is a working day already. Make-up working days are weekend days.") % {
            "date": date.isoformat()}
        raise ValidationFailed(msg, fields={"kind": msg})
    with transaction.atomic():
        day, created = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        event_record(actor=actor, obj=day, verb=Event.Verb.CREATED if created else Event.Verb.UPDATED,
                     kind=events.CALENDAR_DAY_SET,
                     params={"date": date.isoformat(), "kind": choice(CalendarDay, "kind", kind), "name": name})
    return day


def calendar_day_delete(*, actor: User, day_id: int) -> None:
    require(actor, "core.delete_calendarday", message=NOT_ALLOWED)
    with transaction.atomic():
        day = CalendarDay.objects.filter(pk=day_id).first()
        if day is None:
            return
        event_record(actor=actor, obj=day, verb=Event.Verb.DELETED, message=day.date.isoformat())
        day.delete()
