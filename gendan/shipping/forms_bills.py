"""The forms of the B/L and shipping-advice sections: they parse input; ``services.bills`` and
``services.advice`` decide. The draft form starts empty — the merchandiser types what the
forwarder's draft says; the page shows the expected value next to each field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.sales.forms import DATE
from gendan.shipping.models import BillOfLading
from gendan.shipping.rules import BILL_KINDS_FOR_MODE

_TEXT = {"rows": 3, "class": "input"}


class BillDraftForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=BillOfLading.Kind.choices)
    draft_received_on = forms.DateField(label=_("draft received on"), widget=DATE, required=False)
    bl_no = forms.CharField(label=_("B/L no."), max_length=60, required=False)
    shipper = forms.CharField(label=_("shipper"), widget=forms.Textarea(attrs=_TEXT), required=False)
    consignee = forms.CharField(label=_("consignee"), widget=forms.Textarea(attrs=_TEXT), required=False)
    notify_party = forms.CharField(label=_("notify party"), widget=forms.Textarea(attrs=_TEXT), required=False)
    port_of_loading = forms.CharField(label=_("port of loading"), max_length=80, required=False)
    port_of_discharge = forms.CharField(label=_("port of discharge"), max_length=80, required=False)
    place_of_delivery = forms.CharField(label=_("place of delivery"), max_length=80, required=False)
    vessel = forms.CharField(label=_("vessel"), max_length=80, required=False)
    voyage = forms.CharField(label=_("voyage / flight no."), max_length=30, required=False)
    marks = forms.CharField(label=_("marks and numbers"), widget=forms.Textarea(attrs=_TEXT), required=False)
    description = forms.CharField(label=_("description of goods"), widget=forms.Textarea(attrs=_TEXT),
                                  required=False)
    # Numbers as text: the service parses them (and refuses 1e999 or NaN naming the field).
    packages = forms.CharField(label=_("packages"), max_length=20, required=False)
    gross_kg = forms.CharField(label=_("gross weight (kg)"), max_length=20, required=False)
    cbm = forms.CharField(label=_("measurement (CBM)"), max_length=20, required=False)
    containers = forms.CharField(label=_("containers and seals"), widget=forms.Textarea(attrs=_TEXT),
                                 required=False, help_text=_("One container a line, e.g. "
                                                             "“CSQU3054383 / SEAL 123456, 40HQ”."))
    freight = forms.CharField(label=_("freight"), max_length=30, required=False)
    version = VersionField()

    def __init__(self, *args, shipment, bill=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = BILL_KINDS_FOR_MODE.get(shipment.transport_mode, ())
        self.fields["kind"].choices = [(k, BillOfLading.Kind(k).label) for k in kinds]
        self.fields["kind"].initial = bill.kind if bill else (kinds[0] if kinds else "")
        self.fields["version"].initial = bill.version if bill else None
        self.fields["version"].required = False

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("kind", "version")}


class BillConfirmForm(BootstrapLikeMixin, forms.Form):
    accept_reason = forms.CharField(label=_("why the differences are acceptable"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2, "class": "input"}))
    version = VersionField()

    def __init__(self, *args, bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = bill.version


class BillIssueForm(BootstrapLikeMixin, forms.Form):
    bl_no = forms.CharField(label=_("B/L no."), max_length=60)
    on_board_on = forms.DateField(label=_("on-board date"), widget=DATE)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE, required=False)
    originals = forms.CharField(label=_("originals issued"), max_length=10, required=False, initial="3")
    version = VersionField()

    def __init__(self, *args, bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = bill.version
        self.fields["bl_no"].initial = bill.bl_no
        if bill.kind != BillOfLading.Kind.OCEAN:
            del self.fields["originals"]  # a waybill has none


class BillReleaseForm(BootstrapLikeMixin, forms.Form):
    release_kind = forms.ChoiceField(label=_("released as"), choices=BillOfLading.Release.choices)
    version = VersionField()

    def __init__(self, *args, bill, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = bill.version
        self.fields["release_kind"].choices = [(k, BillOfLading.Release(k).label) for k in kinds]
