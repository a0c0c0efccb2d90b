"""The dunning levels form: one row per level (``level-<n>-<field>``), read into the list the
service validates (``dunning_levels_save``), plus an empty row to add a level."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField
from gendan.receivables.services.dunning import LEVEL_FIELDS, MAX_LEVELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

BOOLEANS = ("email_customer", "board_task", "escalate_manager", "credit_hold")


def levels_from_post(data) -> list[dict]:
    """The rows of the posted form in order; a row marked ``delete`` or left empty (the added row
    without days nor text) is left out."""
    rows = []
    for n in range(1, MAX_LEVELS + 2):
        prefix = f"level-{n}-"
        if not any(key.startswith(prefix) for key in data):
            continue
        if data.get(prefix + "delete"):
            continue
        row = {name: data.get(prefix + name, "") for name in LEVEL_FIELDS if name not in BOOLEANS}
        row.update({name: bool(data.get(prefix + name)) for name in BOOLEANS})
        if not any(str(row[name]).strip() for name in LEVEL_FIELDS if name not in BOOLEANS):
            continue
        rows.append(row)
    return rows


def levels_as_rows(levels) -> list[dict]:
    """The saved levels as form rows, plus one empty row to add a level."""
    rows = [{"n": lv.level, **{name: getattr(lv, name) for name in LEVEL_FIELDS}} for lv in levels]
    if len(rows) < MAX_LEVELS:
        rows.append({"n": len(rows) + 1, "new": True, **dict.fromkeys(LEVEL_FIELDS, "")})
    return rows


class RunFilterForm(BootstrapLikeMixin, forms.Form):
    """The dunning runs list's filters (``receivables.views_dunning.RunListView``)."""

    date_from = BusinessDateField(label=_("run from"), required=False, widget=DATE)
    date_to = BusinessDateField(label=_("run to"), required=False, widget=DATE)
    level = forms.TypedChoiceField(label=_("with reminders at level"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("any")), *((n, str(n)) for n in range(1, MAX_LEVELS + 1))])
    holds = forms.BooleanField(label=_("put customers on hold"), required=False)
    started = forms.ChoiceField(label=_("started by"), required=False, choices=[
        ("", _("all")), ("schedule", _("schedule")), ("person", _("a person"))])
