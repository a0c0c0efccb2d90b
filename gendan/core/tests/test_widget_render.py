"""core.widget_render: every widget the fast renderer writes comes out byte for byte as Django's
templates write it — escaping, safe strings, lazy labels, groups, multiple choice, boolean and
missing attributes — and what it does not write (a date value, a number label, another
template) is left to the templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from gendan.core import widget_render
from gendan.core.widget_render import FastTemplates

SLOW, FAST = DjangoTemplates(), FastTemplates()

CHOICES = [("", _("all")), ("a&b", "A & <b>"), (3, "three"), ("safe", mark_safe("<em>safe</em>"))]
GROUPED = [("", "—"), (_("fruit"), [("apple", "Apple"), ("pear", 'Pear "quoted"')]), ("x", "X")]
ATTRS = {"class": 'in "put"', "required": True, "disabled": False, "data-n": 5, "placeholder": _("code or name"),
         "min": Decimal("1.50"), "autocomplete": "off"}


def _widgets():
    yield forms.TextInput(), "q", "R&D <café>"
    yield forms.TextInput(attrs=ATTRS), "q", None
    yield forms.TextInput(attrs=ATTRS), "q", mark_safe("<b>kept</b>")
    yield forms.NumberInput(), "n", 12
    yield forms.NumberInput(), "n", Decimal("12.50")
    yield forms.NumberInput(), "n", "12.5"
    yield forms.EmailInput(), "e", "a@b.c"
    yield forms.HiddenInput(), "version", 3
    yield forms.PasswordInput(), "p", "secret"
    yield forms.DateInput(attrs={"type": "date"}), "d", "2026-03-11"
    yield forms.DateInput(attrs={"type": "date"}), "d", dt.date(2026, 3, 11)
    yield forms.DateInput(attrs={"type": "date"}), "d", None
    yield forms.DateTimeInput(), "dt", dt.datetime(2026, 3, 11, 7, 30)
    yield forms.CheckboxInput(), "c", True
    yield forms.CheckboxInput(), "c", False
    yield forms.CheckboxInput(attrs={"class": "x"}), "c", "on"
    yield forms.Textarea(), "t", "line 1\n<line 2> & more"
    yield forms.Textarea(attrs={"rows": 3}), "t", ""
    yield forms.Textarea(), "t", None
    yield forms.Select(choices=CHOICES), "s", "a&b"
    yield forms.Select(choices=CHOICES), "s", 3
    yield forms.Select(choices=CHOICES, attrs=ATTRS), "s", None
    yield forms.Select(choices=GROUPED), "s", "pear"
    yield forms.Select(choices=[(1, 1), (2, 2)]), "s", 2  # number labels: the templates'
    yield forms.SelectMultiple(choices=CHOICES), "m", ["a&b", "3"]
    yield forms.NullBooleanSelect(), "nb", True
    yield forms.RadioSelect(choices=CHOICES), "r", "a&b"  # not written: the templates'
    yield forms.CheckboxSelectMultiple(choices=CHOICES), "cm", ["3"]
    yield forms.ClearableFileInput(), "f", None
    yield forms.SelectDateWidget(), "sd", dt.date(2026, 3, 11)
    yield forms.SplitDateTimeWidget(), "sdt", dt.datetime(2026, 3, 11, 7, 30)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_widget_renders_the_same_html_as_the_templates(language):
    with override(language):
        for widget, name, value in _widgets():
            slow = widget.render(name, value, renderer=SLOW)
            fast = widget.render(name, value, renderer=FAST)
            assert fast == slow, (type(widget).__name__, value)


def test_the_plain_templates_are_written_in_python():
    assert {"django/forms/widgets/input.html", "django/forms/widgets/text.html",
            "django/forms/widgets/select.html", "django/forms/widgets/checkbox.html",
            "django/forms/widgets/date.html", "django/forms/widgets/textarea.html"} <= set(widget_render._WRITERS)


@pytest.mark.django_db
def test_a_list_filter_bar_renders_the_same_whole():
    from gendan.sales.forms import OrderFilterForm

    for data in (None, {"q": "<x>", "status": "confirmed", "po_from": "2026-03-01", "risk": "late",
                        "payment_overdue": "on", "blocked": "deposit"}):
        with override("zh-hans"):
            slow = OrderFilterForm(data, renderer=SLOW)
            fast = OrderFilterForm(data, renderer=FAST)
            assert [str(f) for f in fast] == [str(f) for f in slow]


def test_the_plain_widgets_do_not_reach_the_template_engine(monkeypatch):
    def no_template(self, name):
        raise AssertionError(f"template {name} rendered")

    monkeypatch.setattr(FastTemplates, "get_template", no_template)
    for widget, value in [(forms.TextInput(attrs=ATTRS), "x"), (forms.DateInput(attrs={"type": "date"}), "2026-03-11"),
                          (forms.CheckboxInput(), True), (forms.Textarea(), "t"),
                          (forms.Select(choices=GROUPED), "pear"), (forms.SelectMultiple(choices=CHOICES), ["a&b"])]:
        assert widget.render("f", value, renderer=FAST).startswith("<")
