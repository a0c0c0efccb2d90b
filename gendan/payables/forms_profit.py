"""Forms of the profit pages: the report's filters and an order cost."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.payables.models import OrderCost
from gendan.payables.selectors.profit import GROUPS


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (an <input type="month">): its first day."""

    widget = forms.DateInput(attrs={"type": "month"})

    def clean(self, value):
        import datetime as dt

        value = super().clean(value)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(f"{str(value).strip()[:7]}-01")
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        if not 2000 <= day.year <= 2099:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return day


class ProfitReportForm(forms.Form):
    group_by = forms.ChoiceField(label=_("group by"), choices=list(GROUPS.items()), required=False)
    month_from = MonthField(label=_("confirmed from (month)"), required=False)
    month_to = MonthField(label=_("confirmed to (month)"), required=False)
    customer = forms.ChoiceField(label=_("customer"), required=False)
    salesperson = forms.ChoiceField(label=_("salesperson"), required=False)

    def __init__(self, *args, customers=(), salespeople=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", _("all"))] + [(c.pk, f"{c.code} {c.display_name}") for c in customers]
        self.fields["salesperson"].choices = [("", _("all"))] + [
            (u.pk, u.get_full_name() or u.username) for u in salespeople]


class OrderCostForm(forms.Form):
    kind = forms.ChoiceField(label=_("cost"), choices=OrderCost.Kind.choices)
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY")
    amount = forms.CharField(label=_("amount"), max_length=40)
    incurred_on = forms.CharField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=300, required=False)
