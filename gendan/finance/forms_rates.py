"""The form that books an exchange rate. The service (``finance.rates.rate_set``) checks every
value and names the field it refuses; the form only renders."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.models import Currency


class RateForm(forms.Form):
    currency = forms.ChoiceField(label=_("currency"))
    valid_from = forms.CharField(label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    cny_per_unit = forms.CharField(label=_("CNY per unit"), max_length=40)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [
            (c, c) for c in Currency.objects.filter(is_active=True).exclude(code="CNY").order_by("code")
            .values_list("code", flat=True)]


class RateFilterForm(forms.Form):
    currency = forms.CharField(required=False, max_length=3)
