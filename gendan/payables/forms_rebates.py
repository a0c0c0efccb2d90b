"""Forms of the rebate pages: thin — the services validate (declaration no., dates, amounts)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BusinessDateField
from gendan.payables.models import TaxRebate


class RebateFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all"))] + list(TaxRebate.Status.choices))
    q = forms.CharField(label=_("search"), required=False, max_length=60)
    declared_from = BusinessDateField(label=_("declared from"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    declared_to = BusinessDateField(label=_("declared to"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))


class RebateForm(forms.Form):
    shipment = forms.ChoiceField(label=_("shipment"))
    declaration_no = forms.CharField(label=_("customs declaration no."), max_length=40,
                                     help_text=_("18 digits, as printed on the customs declaration (报关单)."))
    declared_on = forms.CharField(label=_("declaration date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, shipments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipment"].choices = [("", "—")] + [
            (s.pk, f"{s.number} · {s.order.number or ''} · {s.order.customer.code} · "
                   f"{s.shipped_on.isoformat() if s.shipped_on else ''}") for s in shipments]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class FileForm(VersionForm):
    filed_on = forms.CharField(label=_("filed on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReceiveForm(VersionForm):
    amount = forms.CharField(label=_("rebate received (CNY)"), max_length=40)
    received_on = forms.CharField(label=_("received on"), widget=forms.DateInput(attrs={"type": "date"}))


class ChaseForm(forms.Form):
    production_order = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1,
                                          max_value=2**63 - 1)
