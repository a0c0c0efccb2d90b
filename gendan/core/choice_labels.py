"""``get_FOO_display()`` without translating every choice on each call.

Django's ``Model._get_FIELD_display`` rebuilds ``dict(make_hashable(field.flatchoices))`` on every
call, and hashing a lazily translated label translates it: a field with nine choices costs nine
``gettext`` calls to show one label — about 0.1–0.2 ms. A list page shows four or five such labels
on each of its 50 rows (the order list: status, payment, production, shipment, T&A risk), so it
spent 25–40 ms per page there (bench/README.md, "Speed under load").

``install()`` (``CoreConfig.ready``) gives every model's Django-made ``get_FOO_display`` a
version that keeps the field's ``{value: label}`` dict, translated once per language (the answer
is in the language active when it is called), and rebuilds it when the field's choices object is
replaced. Same answer as Django's for every value, known or not (``core/tests/test_choice_labels.py``);
methods a model defines itself are left alone, and so are callable choices (read afresh each time).
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_DJANGO_DISPLAY = Model._get_FIELD_display
_CACHE_ATTR = "_gendan_choice_labels"


def _labels(field) -> dict:
    """The field's ``{value: label}`` in the active language."""
    choices = field.choices
    if isinstance(choices, CallableChoiceIterator):  # may differ from one call to the next
        return {make_hashable(value): label for value, label in field.flatchoices}
    cached = getattr(field, _CACHE_ATTR, None)
    if cached is None or cached[0] is not choices:
        cached = (choices, {make_hashable(value): label for value, label in field.flatchoices}, {})
        setattr(field, _CACHE_ATTR, cached)
    language = get_language()
    translated = cached[2].get(language)
    if translated is None:
        translated = cached[2][language] = {value: force_str(label, strings_only=True)
                                            for value, label in cached[1].items()}
    return translated


def choice_display(instance, field):
    """What ``Model._get_FIELD_display`` answers, from the field's kept labels."""
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def _is_djangos(method) -> bool:
    return isinstance(method, partialmethod) and method.func is _DJANGO_DISPLAY


def install() -> int:
    """Replace Django's ``get_FOO_display`` on every installed model; returns how many."""
    replaced = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None) or getattr(field, "model", None) is not model:
                continue
            name = f"get_{field.name}_display"
            if _is_djangos(model.__dict__.get(name)):
                setattr(model, name, partialmethod(choice_display, field=field))
                replaced += 1
    return replaced
