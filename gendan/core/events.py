"""The event log: every create, edit and state change leaves a row in the same transaction.

Services call ``event_record`` (or publish a typed domain event, ``core.domain_events``);
``changes_between`` builds the old → new map for an edit. ``timeline_for`` is the one read
used by every timeline on every page.

A row's message is not frozen text: it is a ``kind`` whose text (an untranslated msgid,
registered with ``event_kind_register``) is filled with the row's ``params`` when it is
shown, in the reader's language (``event_message``). Parameters are plain JSON values, or
markers translated at read time: ``tr(msgid)``, ``choice(model, field, value)`` and
``bilingual(zh, en)``. Rows written before kinds existed keep their stored ``message`` as a
fallback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext

from gendan.core.models import Event
from gendan.core.request_cache import changes_committed


def field_value(obj: models.Model, name: str) -> str:
    """Return the value of ``obj.<name>`` as stored in an event: a plain string.

    Choice fields keep their code (translated when shown); foreign keys their label.
    """
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, name)
        return "" if related is None else str(related)
    value = getattr(obj, field.attname)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        # 10.500 from the database and 10.5 from a form are the same value: compare normalised.
        return format(value.normalize(), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: field_value(obj, name) for name in fields}


def changes_between(before: dict[str, str], obj: models.Model) -> dict[str, dict[str, str]]:
    """Return ``{field: {"old": …, "new": …}}`` for fields whose value differs from ``before``."""
    changes = {}
    for name, old in before.items():
        new = field_value(obj, name)
        if new != old:
            changes[name] = {"old": old, "new": new}
    return changes


# kind -> untranslated message text (msgid) with %(name)s placeholders
_KINDS: dict[str, str] = {}


def event_kind_register(kind: str, text: str) -> str:
    """Declare an event kind and its message text (an untranslated msgid: wrap it in
    ``gettext_noop`` so it is extracted for translation). Returns ``kind``."""
    if not kind or len(kind) > 60:
        raise ValueError(f"event kind {kind!r}: 1 to 60 characters")
    known = _KINDS.get(kind)
    if known is not None and known != text:
        raise ValueError(f"event kind {kind!r} declared twice with different texts")
    _KINDS[kind] = text
    return kind


def event_kinds() -> dict[str, str]:
    return dict(_KINDS)


def tr(msgid: str) -> dict:
    """A parameter translated when shown (mark ``msgid`` with ``gettext_noop``)."""
    return {"_t": str(msgid)}


def choice(model: type[models.Model] | models.Model, field: str, value) -> dict:
    """A parameter shown as the label of a choice field's value, in the reader's language."""
    return {"_c": [model._meta.label_lower, field, str(value)]}


def bilingual(zh: str, en: str) -> dict:
    """A parameter kept in both languages (a milestone's or a product's name): shown in Chinese
    to a Chinese reader, in English to everyone else, each falling back on the other."""
    return {"_n": [zh or en or "", en or zh or ""]}


def _param_text(value) -> str | int | float:
    if isinstance(value, dict):
        if "_t" in value:
            return gettext(value["_t"])
        if "_n" in value:
            zh, en = value["_n"]
            return zh if (get_language() or "zh-hans").startswith("zh") else en
        if "_c" in value:
            label, name, code = value["_c"]
            try:
                field = apps.get_model(label)._meta.get_field(name)
                return str(dict(field.flatchoices).get(code, code))
            except (LookupError, Exception):  # a model or field removed since the row was written
                return code
    if isinstance(value, list):
        return ", ".join(str(_param_text(v)) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # numbers stay numbers, so a text may say %(n)d
    return "" if value is None else str(value)


def render_params(params: dict) -> dict:
    return {name: _param_text(value) for name, value in (params or {}).items()}


def event_message(event: Event) -> str:
    """The row's message in the active language: its kind's text filled with its params; for
    rows without a (known) kind, the text stored when it was written."""
    text = _KINDS.get(event.kind) if event.kind else None
    if text:
        try:
            return gettext(text) % render_params(event.params)
        except (KeyError, ValueError, TypeError):  # a text changed since the row was written
            return event.message or gettext(text)
    return event.message


def _check_params(kind: str, params: dict) -> None:
    text = _KINDS.get(kind)
    if text is None:
        raise ValueError(f"event kind {kind!r} is not declared (event_kind_register)")
    try:
        text % render_params(params)  # every placeholder has its value
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"event kind {kind!r}: parameters {sorted(params)} do not fill its text ({exc})") from None


def event_record(
    *,
    actor,
    obj: models.Model,
    verb: str,
    changes: dict | None = None,
    reason: str = "",
    kind: str = "",
    params: dict | None = None,
    message: str = "",
) -> Event:
    """Write one event row for ``obj``. Call inside the transaction that made the change.

    ``kind`` + ``params`` say what happened (rendered in the reader's language when shown);
    ``message`` is for text that is not translatable (a person's own words)."""
    if kind:
        _check_params(kind, params or {})
    changes_committed()
    return Event.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=timezone.now(),
        verb=verb,
        changes=changes or {},
        reason=reason,
        kind=kind,
        params=params or {},
        message=str(message)[:300],
    )


def timeline_for(obj: models.Model, *, limit: int | None = 200) -> QuerySet[Event]:
    """Return the events of ``obj`` newest first, with their actors."""
    qs = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).select_related("actor", "content_type")
    return qs[:limit] if limit else qs


LINE_CHANGE = re.compile(r"^line (\d+)[ .](\w+)$")


def _line_model(model):
    """The model of an order's lines (its ``lines`` relation), or None."""
    try:
        return model._meta.get_field("lines").related_model if model is not None else None
    except Exception:  # a model without lines
        return None


def change_rows(event: Event) -> list[dict[str, str]]:
    """Return the event's changes with translated field labels and choice labels, for display."""
    model = event.content_type.model_class()
    rows = []
    for name, change in (event.changes or {}).items():
        label, old, new = name, change.get("old", ""), change.get("new", "")
        # A change of a child row (e.g. a contact) names its model: {"model": "parties.contact"}.
        row_model = apps.get_model(change["model"]) if change.get("model") else model
        field_name = name.rsplit(".", 1)[-1]
        line = LINE_CHANGE.match(name)  # "line 3.eta" / "line 1 unit_cost": a field of the order's line 3
        if line:
            field_name = line.group(2)
            row_model = apps.get_model(change["model"]) if change.get("model") else _line_model(model)
        if row_model is not None:
            try:
                field = row_model._meta.get_field(field_name)
            except Exception:  # a field removed since the event was written
                field = None
            if field is not None:
                label = str(getattr(field, "verbose_name", "") or "")
                if not label and getattr(field, "related_model", None) is not None:  # a reverse relation
                    label = str(field.related_model._meta.verbose_name_plural)
                label = label or name
                if line:
                    label = f"{gettext('line %(n)d') % {'n': int(line.group(1))}} {label}"
                elif row_model is not model:
                    label = f"{row_model._meta.verbose_name}: {label}"
                if getattr(field, "choices", None):
                    choices = {str(k): str(v) for k, v in field.flatchoices}
                    old, new = choices.get(old, old), choices.get(new, new)
                elif isinstance(field, models.BooleanField):
                    yes_no = {"1": gettext("yes"), "0": gettext("no")}
                    old, new = yes_no.get(old, old), yes_no.get(new, new)
        rows.append({"field": label, "old": old, "new": new})
    return rows


def events_bulk_created(*, actor, objs: list[models.Model], kind: str = "", params: dict | None = None,
                        message: str = "") -> None:
    """Record ``created`` events for objects inserted in bulk (imports, demo data)."""
    if not objs:
        return
    if kind:
        _check_params(kind, params or {})
    changes_committed()
    ct = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    now = timezone.now()
    Event.objects.bulk_create(
        [Event(content_type=ct, object_id=o.pk, object_repr=str(o)[:200], actor=actor, created_at=now,
               verb=Event.Verb.CREATED, kind=kind, params=params or {}, message=message[:300]) for o in objs],
        batch_size=2000,
    )
