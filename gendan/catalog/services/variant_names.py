"""The company's English names of colour and size words (``VariantName``), edited as one list per
axis: "白 = White", one per line. What is not in the list falls back to the built-in dictionary
when a document is printed (``catalog.variant_names``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog import events
from gendan.catalog.models import ProductVariant, VariantName
from gendan.catalog.services.access import PERMS_VARIANTS
from gendan.catalog.variant_names import dictionary_english, has_cjk
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import require

AXES = (VariantName.Axis.COLOUR, VariantName.Axis.SIZE)
_MAX = VariantName._meta.get_field("name").max_length
_MAX_EN = VariantName._meta.get_field("name_en").max_length
MAX_LINES = 500


def variant_names_text(axis: str) -> str:
    """The list as the page shows it: the saved names, then the words used on variants that have
    no English name yet (with the dictionary's suggestion, or blank to fill in)."""
    saved = dict(VariantName.objects.filter(axis=axis).values_list("name", "name_en"))
    used = (ProductVariant.objects.order_by(axis).values_list(axis, flat=True).distinct()[:MAX_LINES])
    missing = {name: dictionary_english(axis, name) for name in used if has_cjk(name) and name not in saved}
    return "\n".join(f"{name} = {english}".rstrip() for name, english in [*saved.items(), *missing.items()])


def parse_variant_names(text: str, *, field: str) -> dict[str, str]:
    """{name as typed: English} from "name = English" lines. Every mistake is reported at once,
    by line number; a line with nothing after "=" is left out."""
    result: dict[str, str] = {}
    errors: list[str] = []
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        errors.append(_("At most %(max)s lines, please (you gave %(count)s).") % {"max": MAX_LINES, "count": len(lines)})
    for number, raw in enumerate(lines[:MAX_LINES], start=1):
        line = raw.strip()
        if not line:
            continue
        name, sep, english = (part.strip() for part in line.replace("＝", "=").partition("="))
        if not sep or not name:
            errors.append(_("Line %(n)s: write the name, “=” and the English name, e.g. 白 = White.") % {"n": number})
            continue
        if len(name) > _MAX or len(english) > _MAX_EN:
            errors.append(_("Line %(n)s: a name has at most %(max)s characters.") % {"n": number, "max": _MAX})
            continue
        if name in result:
            errors.append(_("Line %(n)s: “%(name)s” is listed twice.") % {"n": number, "name": name})
            continue
        if english:
            result[name] = english
    if errors:
        raise ValidationFailed(errors[0], fields={field: errors})
    return result


def variant_names_save(*, actor: User, names: dict[str, dict[str, str]]) -> int:
    """Replace the company's list for each axis given (``{"colour": {"白": "White"}, …}``); return
    how many entries changed. Each change goes on the entry's timeline (old → new)."""
    require(actor, *PERMS_VARIANTS)
    changed = 0
    with transaction.atomic():
        for axis, wanted in names.items():
            if axis not in AXES:
                raise ValidationFailed(_("Unknown list: %(axis)s.") % {"axis": axis}, fields={"axis": [axis]})
            current = {v.name: v for v in VariantName.objects.select_for_update().filter(axis=axis)}
            for name, entry in current.items():
                if name not in wanted:
                    _record(actor, entry, entry.name_en, "")
                    entry.delete()
                    changed += 1
            for name, english in wanted.items():
                entry = current.get(name)
                if entry is None:
                    entry = VariantName.objects.create(axis=axis, name=name, name_en=english)
                    _record(actor, entry, "", english)
                    changed += 1
                elif entry.name_en != english:
                    old, entry.name_en = entry.name_en, english
                    entry.save(update_fields=["name_en", "updated_at"])
                    _record(actor, entry, old, english)
                    changed += 1
    return changed


def _record(actor: User, entry: VariantName, old: str, new: str) -> None:
    event_record(actor=actor, obj=entry, verb="updated", changes={"name_en": [old, new]},
                 kind=events.VARIANT_NAME_SET, params={"name": entry.name, "old": old or "—", "new": new or "—"})
