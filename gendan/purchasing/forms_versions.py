"""The forms of the supplier's re-acknowledgement of a re-issued purchase order version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReackForm(BootstrapLikeMixin, forms.Form):
    new_eta = BusinessDateField(label=_("new ETA of the changed lines (if it moved)"), widget=DATE, required=False)
    note = forms.CharField(label=_("what the supplier said"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))


class RefuseForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))
