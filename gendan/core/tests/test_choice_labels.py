"""get_FOO_display keeps its labels (core/choice_labels.py) and answers exactly what Django's would."""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from gendan.core.choice_labels import choice_display
from gendan.sales.models import SalesOrder


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and getattr(field, "model", None) is model and field.concrete:
                yield model, field


def test_every_models_display_is_the_kept_one_and_answers_like_djangos():
    checked = 0
    for model, field in _choice_fields():
        method = getattr(model, f"get_{field.name}_display")
        if model.__dict__.get(f"get_{field.name}_display") is None:
            continue  # inherited from a parent model: checked there
        assert isinstance(model.__dict__[f"get_{field.name}_display"], partialmethod)
        assert model.__dict__[f"get_{field.name}_display"].func is choice_display, (model, field.name)
        values = [value for value, _ in field.flatchoices] + ["not-a-choice", None]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for value in values:
                    instance = model()
                    setattr(instance, field.attname, value)
                    assert method(instance) == Model._get_FIELD_display(instance, field), (model, field, value)
                    checked += 1
    assert checked > 500


def test_the_label_follows_the_active_language():
    order = SalesOrder(status=SalesOrder.Status.CONFIRMED)
    with translation.override("en"):
        assert order.get_status_display() == "confirmed"
    with translation.override("zh-hans"):
        assert order.get_status_display() == "已确认"
    with translation.override("en"):
        assert order.get_status_display() == "confirmed"

