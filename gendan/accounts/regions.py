"""Regions (销售区域 / export markets), kept by managers on a page: a region's code names it in
lists and imports and never changes once made; its names in both languages may."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from gendan.accounts.models import Region, User
from gendan.core.errors import FieldErrors
from gendan.core.events import event_record
from gendan.core.guards import require
from gendan.core.models import Event

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")


def region_list():
    """Every region with how many teams and regional managers it has (one query)."""
    return Region.objects.annotate(team_count=Count("team", distinct=True),
                                   manager_count=Count("managers", distinct=True)).order_by("code")


def _names(name_zh, name_en, errors: FieldErrors) -> tuple[str, str]:
    zh, en = str(name_zh or "").strip(), str(name_en or "").strip()
    for field, value in (("name_zh", zh), ("name_en", en)):
        if not value:
            errors.add(field, _("Enter the region's name in both languages."))
        elif len(value) > 60:
            errors.add(field, _("At most %(n)d characters.") % {"n": 60})
    return zh, en


def region_create(*, actor: User, code, name_zh, name_en) -> Region:
    require(actor, "accounts.add_region", message=_("Only a manager adds regions."))
    errors = FieldErrors()
    code = str(code or "").strip().lower()
    if not CODE.match(code):
        errors.add("code", _("A code is 1–20 lowercase letters, digits, “-” or “_”, e.g. “eu-west”."))
    zh, en = _names(name_zh, name_en, errors)
    if code and Region.objects.filter(code=code).exists():
        errors.add("code", _("There is already a region %(code)s.") % {"code": code})
    errors.raise_any()
    with transaction.atomic():
        region = Region.objects.create(code=code, name_zh=zh, name_en=en)
        event_record(actor=actor, obj=region, verb=Event.Verb.CREATED, changes={
            "name_zh": {"old": "", "new": zh}, "name_en": {"old": "", "new": en}})
    return region


def region_rename(*, actor: User, region_id: int, name_zh, name_en, reason: str = "") -> Region:
    require(actor, "accounts.change_region", message=_("Only a manager renames regions."))
    errors = FieldErrors()
    zh, en = _names(name_zh, name_en, errors)
    errors.raise_any()
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region_id)
        changes = {field: {"old": getattr(region, field), "new": new}
                   for field, new in (("name_zh", zh), ("name_en", en)) if getattr(region, field) != new}
        if changes:
            region.name_zh, region.name_en = zh, en
            region.save(update_fields=["name_zh", "name_en"])
            event_record(actor=actor, obj=region, verb=Event.Verb.UPDATED, changes=changes,
                         reason=str(reason or "").strip()[:300])
    return region
