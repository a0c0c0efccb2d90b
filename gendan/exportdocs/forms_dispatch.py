"""The forms of the shipment page's "check & dispatch" section: they parse input;
``services.presentation``, ``services.certificates`` and ``services.dispatch`` decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.exportdocs.models import CertificateItem, DocumentDispatch, DocumentKind
from gendan.exportdocs.services.certificates import CERTIFICATE_KINDS
from gendan.sales.forms import DATE

_TEXT = {"rows": 2, "class": "input"}
# The documents a dispatch lists, in the order of a bank's form.
DISPATCH_KINDS = ("draft", "commercial_invoice", "packing_list", "bill_of_lading", "insurance",
                  "certificate_of_origin", "beneficiary_certificate", "inspection_certificate",
                  "fumigation_certificate", "test_report", "shipping_advice", "other")
RESULTS = [(s, label) for s, label in DocumentDispatch.Status.choices if s != DocumentDispatch.Status.SENT]


class DiscrepancyAcceptForm(BootstrapLikeMixin, forms.Form):
    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    document = forms.CharField(max_length=24, widget=forms.HiddenInput)
    field = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("why the discrepancy is acceptable"), max_length=1000,
                             widget=forms.Textarea(attrs=_TEXT))


class CertificateAddForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("certificate"), choices=[(k, DocumentKind(k).label) for k in CERTIFICATE_KINDS])
    origin_form = forms.ChoiceField(label=_("form (certificate of origin)"), required=False,
                                    choices=[("", "—"), *CertificateItem.Form.choices])
    issuer = forms.CharField(label=_("issued by"), max_length=160, required=False)
    needed_by = BusinessDateField(label=_("needed by"), widget=DATE, required=False)
    notes = forms.CharField(label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs=_TEXT))


class CertificateApplyForm(BootstrapLikeMixin, forms.Form):
    applied_on = BusinessDateField(label=_("applied on"), widget=DATE)
    version = VersionField()

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = certificate.version


class CertificateReceiveForm(BootstrapLikeMixin, forms.Form):
    received_on = BusinessDateField(label=_("received on"), widget=DATE)
    certificate_no = forms.CharField(label=_("certificate no."), max_length=60)
    file = forms.FileField(label=_("file (PDF or image)"))
    goods_description = forms.CharField(label=_("description of goods (as on the certificate)"), required=False,
                                        max_length=2000, widget=forms.Textarea(attrs=_TEXT))
    packages = forms.CharField(label=_("packages"), max_length=12, required=False)
    marks = forms.CharField(label=_("marks and numbers"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs=_TEXT))
    signed = forms.BooleanField(label=_("signed"), required=False, initial=True)
    currency = forms.CharField(label=_("currency"), max_length=3, required=False)
    insured_amount = forms.CharField(label=_("insured amount"), max_length=30, required=False)
    date = forms.CharField(label=_("date of the policy"), max_length=10, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    version = VersionField()

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = certificate.version
        keep = {"certificate_of_origin": ("goods_description", "packages", "marks", "signed"),
                "insurance": ("currency", "insured_amount", "date")}.get(certificate.kind, ())
        for name in ("goods_description", "packages", "marks", "signed", "currency", "insured_amount", "date"):
            if name not in keep:
                del self.fields[name]

    def data_for_service(self) -> dict:
        skip = ("received_on", "certificate_no", "file", "version")
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class VersionForm(forms.Form):
    version = VersionField()


class DispatchForm(BootstrapLikeMixin, forms.Form):
    """The dispatch: the documents with their originals and copies (one pair of fields a kind),
    the date, and the courier's or the bank's fields for the order's channel."""

    sent_on = BusinessDateField(label=_("sent on"), widget=DATE)
    courier = forms.CharField(label=_("courier company"), max_length=80, required=False)
    awb_no = forms.CharField(label=_("AWB no."), max_length=60, required=False)
    tracking_url = forms.CharField(label=_("tracking link"), max_length=300, required=False)
    bank = forms.CharField(label=_("bank"), max_length=160, required=False)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=60, required=False)
    notes = forms.CharField(label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs=_TEXT))

    def __init__(self, *args, channel: str, counts: dict, kinds=DISPATCH_KINDS, bank: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel == DocumentDispatch.Channel.COURIER:
            del self.fields["bank"], self.fields["bank_reference"]
        else:
            del self.fields["courier"], self.fields["awb_no"], self.fields["tracking_url"]
            self.fields["bank"].initial = bank
        self.kinds = [kind for kind in DISPATCH_KINDS if kind in kinds]
        for kind in self.kinds:
            originals, copies = counts.get(kind, (0, 0))
            label = DocumentKind(kind).label
            self.fields[f"originals_{kind}"] = forms.IntegerField(
                label=_("%(document)s: originals") % {"document": label}, min_value=0, max_value=10,
                initial=originals, required=False)
            self.fields[f"copies_{kind}"] = forms.IntegerField(
                label=_("%(document)s: copies") % {"document": label}, min_value=0, max_value=10,
                initial=copies, required=False)

    def documents(self) -> list[dict]:
        data = self.cleaned_data
        return [{"kind": kind, "originals": data.get(f"originals_{kind}") or 0, "copies": data.get(f"copies_{kind}") or 0}
                for kind in self.kinds if data.get(f"originals_{kind}") or data.get(f"copies_{kind}")]

    def service_fields(self) -> dict:
        keep = ("courier", "awb_no", "tracking_url", "bank", "bank_reference", "notes")
        return {k: v for k, v in self.cleaned_data.items() if k in keep}


class DispatchResultForm(BootstrapLikeMixin, forms.Form):
    status = forms.ChoiceField(label=_("result"), choices=RESULTS)
    result_on = BusinessDateField(label=_("on"), widget=DATE)
    paid_amount = forms.CharField(label=_("amount paid"), max_length=30, required=False)
    maturity_date = BusinessDateField(label=_("maturity date (accepted)"), widget=DATE, required=False)
    bank_discrepancies = forms.CharField(label=_("the bank's discrepancies (refused)"), max_length=4000,
                                         required=False, widget=forms.Textarea(attrs=_TEXT))
    version = VersionField()

    def __init__(self, *args, dispatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = dispatch.version
        if dispatch.channel == DocumentDispatch.Channel.COURIER:
            self.fields["status"].choices = [(DocumentDispatch.Status.DELIVERED, DocumentDispatch.Status.DELIVERED.label)]
            for name in ("paid_amount", "maturity_date", "bank_discrepancies"):
                del self.fields[name]
        else:
            self.fields["status"].choices = [c for c in RESULTS if c[0] != DocumentDispatch.Status.DELIVERED]
