"""Production stages per product category (裁剪、组装…), kept on a page by managers and
production planners. The daily progress is recorded per stage code, so a stage with progress
keeps its code and cannot be deleted; its names and its place in the order may change."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.catalog.models import ProductCategory
from gendan.core.errors import FieldErrors, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.planning.models import DEFAULT_STAGES, ProgressEntry, StageDefinition

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,29}$")


def _category(category_id) -> ProductCategory:
    category = ProductCategory.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise Http404(_("No such product category."))
    return category


def _names(data: dict, errors: FieldErrors) -> tuple[str, str]:
    zh, en = str(data.get("name_zh") or "").strip(), str(data.get("name_en") or "").strip()
    for field, value in (("name_zh", zh), ("name_en", en)):
        if not value:
            errors.add(field, _("Enter the stage's name in both languages."))
        elif len(value) > 40:
            errors.add(field, _("At most %(n)d characters.") % {"n": 40})
    return zh, en


def _sequence(value, errors: FieldErrors) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 1 <= number <= 999:
        errors.add("sequence", _("Enter a position from 1 to 999."))
        return None
    return number


def stages_start_from_default(*, actor, category_id: int) -> list[StageDefinition]:
    """Give a category its own stages, copied from the default set, to edit from there."""
    require(actor, "planning.add_stagedefinition", message=_("Only a manager or a planner edits the stages."))
    with transaction.atomic():
        category = _category(category_id)
        if category.stages.exists():
            raise ValidationFailed(_("%(category)s already has its own stages.") % {"category": category})
        stages = StageDefinition.objects.bulk_create([
            StageDefinition(category=category, code=code, name_zh=zh, name_en=en, sequence=(i + 1) * 10)
            for i, (code, zh, en) in enumerate(DEFAULT_STAGES)])
        event_record(actor=actor, obj=category, verb=Event.Verb.UPDATED, changes={
            "stages": {"old": "", "new": ", ".join(f"{s.name_zh} {s.name_en}" for s in stages)}})
    return stages


def stage_add(*, actor, category_id: int, code, name_zh, name_en, sequence=None) -> StageDefinition:
    require(actor, "planning.add_stagedefinition", message=_("Only a manager or a planner edits the stages."))
    errors = FieldErrors()
    code = str(code or "").strip().lower()
    if not CODE.match(code):
        errors.add("code", _("A code is 1–30 lowercase letters, digits, “-” or “_”, e.g. “printing”."))
    zh, en = _names({"name_zh": name_zh, "name_en": name_en}, errors)
    position = _sequence(sequence, errors)
    errors.raise_any()
    with transaction.atomic():
        category = _category(category_id)
        if category.stages.filter(code=code).exists():
            msg = _("%(category)s already has a stage %(code)s.") % {"category": category, "code": code}
            raise ValidationFailed(msg, fields={"code": msg})
        if position is None:
            position = (category.stages.aggregate(last=Max("sequence"))["last"] or 0) + 10
        stage = StageDefinition.objects.create(category=category, code=code, name_zh=zh, name_en=en,
                                               sequence=position)
        event_record(actor=actor, obj=category, verb=Event.Verb.UPDATED, changes={
            "stages": {"old": "", "new": f"{zh} {en} ({code})"}})
    return stage


def stage_change(*, actor, stage_id: int, name_zh, name_en, sequence) -> StageDefinition:
    require(actor, "planning.change_stagedefinition", message=_("Only a manager or a planner edits the stages."))
    errors = FieldErrors()
    zh, en = _names({"name_zh": name_zh, "name_en": name_en}, errors)
    position = _sequence(sequence, errors)
    if position is None and "sequence" not in errors:
        errors.add("sequence", _("Enter a position from 1 to 999."))
    errors.raise_any()
    with transaction.atomic():
        stage = StageDefinition.objects.select_for_update().select_related("category").filter(pk=stage_id).first()
        if stage is None:
            raise Http404(_("No such stage."))
        changes = {field: {"old": str(getattr(stage, field)), "new": str(new)}
                   for field, new in (("name_zh", zh), ("name_en", en), ("sequence", position))
                   if getattr(stage, field) != new}
        if changes:
            stage.name_zh, stage.name_en, stage.sequence = zh, en, position
            stage.save(update_fields=["name_zh", "name_en", "sequence"])
            event_record(actor=actor, obj=stage.category, verb=Event.Verb.UPDATED, changes=changes,
                         reason=stage.code)
    return stage


def stage_delete(*, actor, stage_id: int) -> None:
    """Remove a stage no progress was recorded at (the progress of a stage is its history)."""
    require(actor, "planning.delete_stagedefinition", message=_("Only a manager or a planner edits the stages."))
    with transaction.atomic():
        stage = StageDefinition.objects.select_for_update().select_related("category").filter(pk=stage_id).first()
        if stage is None:
            raise Http404(_("No such stage."))
        used = ProgressEntry.objects.filter(stage=stage.code,
                                            line__order_line__product__category_id=stage.category_id).count()
        if used:
            raise ValidationFailed(_(
                "Progress was recorded at %(stage)s %(n)d times: it stays. Rename it or move it instead.")
                % {"stage": f"{stage.name_zh} {stage.name_en}", "n": used})
        event_record(actor=actor, obj=stage.category, verb=Event.Verb.UPDATED, changes={
            "stages": {"old": f"{stage.name_zh} {stage.name_en} ({stage.code})", "new": ""}})
        stage.delete()
