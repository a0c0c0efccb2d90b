"""Django's plainest widget templates, rendered in Python: the same HTML, a tenth of the work.

Every ``<input>``, ``<select>`` with its ``<option>`` s and ``<textarea>`` of a form goes through
the template engine: ``text.html`` includes ``input.html``, which includes ``attrs.html``, which
loops over the attributes; a select includes ``select_option.html`` once per option. A list
page's filter bar (a dozen fields) cost ≈ 16 000 function calls that way — a quarter of a short
list page (issue 10, bench/README.md).

``FastTemplates`` (``FORM_RENDERER``) writes those few templates' output directly — stripped,
as Django's renderer strips a template's output, and escaped as the engine does (``conditional_escape``: a safe string stays as it is) — and hands everything
else to the templates: any other widget template, an option with a template of its own, a value
or label that is neither text nor a number (the engine would localise a date or a number; this
does not try). Which templates are plain ``{% include "…/input.html" %}`` is read from Django's
own files when the module loads, so a Django upgrade that changes one falls back by itself;
``core/tests/test_widget_render.py`` renders every kind both ways and compares the HTML.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

_DIR = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"
_PREFIX = "django/forms/widgets/"


def _read(name: str) -> str:
    try:
        return (_DIR / name).read_text()
    except OSError:
        return ""


# The templates as this module writes them; anything else is rendered by the engine.
_EXPECTED = {
    "input.html": '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
                  'value="{{ widget.value|stringformat:\'s\' }}"{% endif %}'
                  '{% include "django/forms/widgets/attrs.html" %}>\n',
    "attrs.html": "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
                  "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",
    "select.html": '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
                   "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
                   '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
                   "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
                   "  </optgroup>{% endif %}{% endfor %}\n</select>\n",
    "select_option.html": "<option value=\"{{ widget.value|stringformat:'s' }}\""
                          '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',
    "textarea.html": '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
                     "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n",
}
_SAME = {name for name, text in _EXPECTED.items() if _read(name) == text}
_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
# text.html, number.html, date.html, checkbox.html …: the input (the renderer strips the newlines).
_INPUTS = ({_PREFIX + p.name for p in _DIR.glob("*.html") if p.read_text() == _INCLUDE_INPUT}
           if {"input.html", "attrs.html"} <= _SAME else set())
_OPTION = _PREFIX + "select_option.html"


class _Fallback(Exception):
    """A value this module does not render exactly as the engine would: use the template."""


def _text(value) -> str:
    """``{{ value }}`` for text (the engine would localise a number or a date: not written here)."""
    if isinstance(value, str | Promise):
        return conditional_escape(value if isinstance(value, str) else str(value))
    raise _Fallback


def _value(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``"%s" % value``, escaped unless it is safe."""
    if isinstance(value, str | Promise):
        return _text(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return conditional_escape(str(value))
    raise _Fallback


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_value(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != _OPTION:
                raise _Fallback
            out.append(f'\n  <option value="{_value(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{_text(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_WRITERS = {}
if {"input.html", "attrs.html"} <= _SAME:
    _WRITERS[_PREFIX + "input.html"] = _input
    _WRITERS.update(dict.fromkeys(_INPUTS, _input))
    if {"select.html", "select_option.html"} <= _SAME:
        _WRITERS[_PREFIX + "select.html"] = _select
    if "textarea.html" in _SAME:
        _WRITERS[_PREFIX + "textarea.html"] = _textarea


class FastTemplates(DjangoTemplates):
    """Django's default form renderer, with its plainest widget templates written in Python."""

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        if writer is not None and request is None and set(context) == {"widget"}:
            try:
                return writer(context["widget"])
            except (_Fallback, KeyError):
                pass
        return super().render(template_name, context, request)
