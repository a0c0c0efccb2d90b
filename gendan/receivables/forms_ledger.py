"""Forms of the ledger part: the statement's period and language, the aging's filter, the aging
buckets. Plain text fields where the service checks the value, so its message (naming the
field) is the one shown."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.models import Currency
from gendan.receivables.selectors.aging import GROUPS

LANGUAGES = [("", _("the customer's language")), ("zh", _("Chinese and English")), ("en", _("English"))]


class StatementForm(forms.Form):
    start = forms.CharField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.CharField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    lang = forms.ChoiceField(label=_("language"), choices=LANGUAGES, required=False)


class AgingFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("group by"), required=False,
                              choices=[(key, value[0]) for key, value in GROUPS.items()])
    currency = forms.ChoiceField(label=_("currency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", _("all"))] + [
            (c, c) for c in Currency.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)]


class AgingPolicyForm(forms.Form):
    bounds = forms.CharField(label=_("bucket limits (days overdue)"), max_length=60,
                             help_text=_("Upper limits of the overdue buckets, increasing, e.g. 30,60,90 → "
                                         "not due / 1–30 / 31–60 / 61–90 / > 90."))
