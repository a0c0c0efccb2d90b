"""Forms of the credits pages: the register form (every MT700 field, the documents required as
rows), the list's filters, and the small forms of the credit's page (examine, amendments,
cancel). They only parse what people type; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.core.guards import parse_id
from gendan.exportdocs.models import DocumentKind, LetterOfCredit
from gendan.exportdocs.selectors.credits import LC_METHODS
from gendan.exportdocs.services.credits import CREDIT_FIELDS, REQUIRABLE_KINDS
from gendan.parties.models import Customer, Incoterm
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset

L = LetterOfCredit
SHIPMENTS = L.Shipments.choices


def _text(label, *, required=False, max_length=160, area=False):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea if area else None)


class CreditForm(BootstrapLikeMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.none())
    orders = forms.ModelMultipleChoiceField(label=_("orders paid by this credit"), queryset=SalesOrder.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    number = _text(_("L/C no."), required=True, max_length=40)
    issuing_bank = _text(_("issuing bank"), required=True)
    advising_bank = _text(_("advising bank"))
    confirming_bank = _text(_("confirming bank"))
    issued_on = BusinessDateField(label=_("date of issue"), required=False)
    received_on = BusinessDateField(label=_("received on"), required=False)
    applicant = _text(_("applicant"), required=True, max_length=1000, area=True)
    beneficiary = _text(_("beneficiary"), required=True, max_length=1000, area=True)
    currency = forms.CharField(label=_("currency"), max_length=3)
    amount = forms.DecimalField(label=_("amount"), max_digits=16, decimal_places=2)
    about = forms.BooleanField(label=_("\"about\" (±10 %)"), required=False)
    amount_tolerance_pct = forms.DecimalField(label=_("amount tolerance ±%"), required=False, max_digits=6,
                                              decimal_places=2)
    quantity = forms.DecimalField(label=_("quantity"), required=False, max_digits=14, decimal_places=3)
    quantity_unit = _text(_("quantity unit"), max_length=12)
    unit_price = forms.DecimalField(label=_("unit price"), required=False, max_digits=16, decimal_places=4)
    goods_description = _text(_("description of goods (45A)"), required=True, max_length=4000, area=True)
    incoterm = forms.ChoiceField(label=_("Incoterm"), required=False, choices=[("", "—"), *Incoterm.choices])
    incoterm_place = _text(_("Incoterm named place"), max_length=80)
    port_of_loading = _text(_("port of loading (44E)"), max_length=80)
    port_of_discharge = _text(_("port of discharge (44F)"), max_length=80)
    latest_shipment_date = BusinessDateField(label=_("latest shipment date (44C)"))
    expiry_date = BusinessDateField(label=_("expiry date (31D)"))
    expiry_place = _text(_("place of expiry"), max_length=80)
    presentation_days = forms.IntegerField(label=_("presentation period (days)"), initial=21, required=False)
    partial_shipments = forms.ChoiceField(label=_("partial shipments (43P)"), choices=SHIPMENTS, required=False)
    transhipment = forms.ChoiceField(label=_("transhipment (43T)"), choices=SHIPMENTS, required=False)
    additional_conditions = _text(_("additional conditions (47A)"), max_length=8000, area=True)
    charges = _text(_("charges (71B)"), max_length=2000, area=True)
    tenor = forms.ChoiceField(label=_("tenor"), choices=L.Tenor.choices, required=False)
    usance_days = forms.IntegerField(label=_("usance days"), required=False)
    usance_from = forms.ChoiceField(label=_("usance counted from"), required=False,
                                    choices=[("", "—"), *L.UsanceFrom.choices])
    insurance_pct = forms.DecimalField(label=_("insurance cover %"), initial=110, required=False, max_digits=5,
                                       decimal_places=2)
    version = VersionField()

    sections = [
        (_("Credit"), ["customer", "orders", "number", "issuing_bank", "advising_bank", "confirming_bank",
                       "issued_on", "received_on", "applicant", "beneficiary"]),
        (_("Amount"), ["currency", "amount", "about", "amount_tolerance_pct", "quantity", "quantity_unit",
                       "unit_price", "tenor", "usance_days", "usance_from"]),
        (_("Goods and shipment"), ["goods_description", "incoterm", "incoterm_place", "port_of_loading",
                                   "port_of_discharge", "latest_shipment_date", "partial_shipments",
                                   "transhipment"]),
        (_("Presentation"), ["expiry_date", "expiry_place", "presentation_days", "insurance_pct",
                             "additional_conditions", "charges"]),
    ]

    def __init__(self, *args, user, customer=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        orders = order_queryset(user).filter(payment_method__in=LC_METHODS).exclude(
            status__in=[SalesOrder.Status.CANCELLED, SalesOrder.Status.CLOSED])
        chosen = customer or self.data.get("customer") or self.initial.get("customer")
        if chosen:
            orders = orders.filter(customer_id=parse_id(getattr(chosen, "pk", chosen)) or 0)
        self.fields["orders"].queryset = orders.order_by("-id")
        customer_ids = order_queryset(user).filter(payment_method__in=LC_METHODS).values("customer_id")
        self.fields["customer"].queryset = Customer.objects.filter(pk__in=customer_ids).order_by("code")
        if editing:
            del self.fields["customer"]

    def service_data(self, documents: list[dict]) -> dict:
        d = self.cleaned_data
        data = {name: d[name] for name in CREDIT_FIELDS if name in d and name != "documents_required"}
        for name in ("issued_on", "received_on", "partial_shipments", "transhipment", "tenor"):
            if data.get(name) in (None, ""):
                data.pop(name, None)
        data["documents_required"] = documents
        data["orders"] = [o.pk for o in d.get("orders") or []]
        if "customer" in d:
            data["customer"] = d["customer"].pk
        return data


class DocumentRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("document"), required=False,
                             choices=[("", "—"), *[(k, DocumentKind(k).label) for k in REQUIRABLE_KINDS]])
    originals = forms.IntegerField(label=_("originals"), required=False, min_value=0, max_value=10)
    copies = forms.IntegerField(label=_("copies"), required=False, min_value=0, max_value=10)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


DocumentRowsFormSet = formset_factory(DocumentRowForm, extra=3, max_num=20, absolute_max=30)


def documents_of(formset) -> list[dict]:
    """The rows with a kind, as the service reads them."""
    return [{"kind": f.cleaned_data["kind"], "originals": f.cleaned_data.get("originals"),
             "copies": f.cleaned_data.get("copies"), "note": f.cleaned_data.get("note", "")}
            for f in formset.forms if getattr(f, "cleaned_data", None) and f.cleaned_data.get("kind")]


class CreditFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("all")), *L.Status.choices])
    customer = forms.ModelChoiceField(label=_("customer"), required=False, queryset=Customer.objects.none())
    expiring = forms.IntegerField(label=_("expiring within (days)"), required=False, min_value=0, max_value=3650)

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class VersionForm(forms.Form):
    version = VersionField()


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, required=False, widget=forms.Textarea)
    version = VersionField()


class AmendmentRequestForm(BootstrapLikeMixin, forms.Form):
    text = forms.CharField(label=_("what must change"), required=False, max_length=4000, widget=forms.Textarea)
    email = forms.BooleanField(label=_("email it to the customer's contacts"), required=False)
    version = VersionField()


CHANGE_ROWS = 4
_CHANGEABLE = [(name, name) for name in CREDIT_FIELDS if name not in ("number", "documents_required")]


def documents_required_lines(rows) -> str:
    """46A as the amendment form shows it: one line "kind originals copies note" a document."""
    return "\n".join(" ".join(str(part) for part in (r.get("kind", ""), r.get("originals", 1), r.get("copies", 0),
                                                        r.get("note", "")) if part != "") for r in rows or [])


def documents_required_rows(text: str) -> list[dict]:
    """The lines "kind originals copies note" as the rows ``documents_required_parse`` reads (a
    line of a kind alone is one original, no copies); the service checks kinds and counts."""
    rows = []
    for line in (text or "").splitlines():
        parts = line.split(None, 3)
        if parts:
            rows.append(dict(zip(("kind", "originals", "copies", "note"), parts, strict=False)))
    return rows


class AmendmentReceiveForm(BootstrapLikeMixin, forms.Form):
    """The bank's advised changes: up to four rows of (field, new value), and the documents
    required (46A) as lines; lines left as they are change nothing."""

    received_on = BusinessDateField(label=_("advised on"), required=False)
    documents_required = forms.CharField(
        label=_("documents required (46A)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line a document: kind, originals, copies, note (e.g. “commercial_invoice 3 3 signed”). "
                    "Leave the lines as they are when the amendment does not change them."))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(name, str(L._meta.get_field(name).verbose_name)) for name, _n in _CHANGEABLE]
        for i in range(CHANGE_ROWS):
            self.fields[f"field_{i}"] = forms.ChoiceField(label=_("field"), required=False, choices=choices)
            self.fields[f"value_{i}"] = forms.CharField(label=_("new value"), required=False, max_length=4000)

    def changes(self) -> dict:
        d = self.cleaned_data
        changes = {d[f"field_{i}"]: d.get(f"value_{i}", "") for i in range(CHANGE_ROWS) if d.get(f"field_{i}")}
        rows = documents_required_rows(d.get("documents_required", ""))
        if rows:
            changes["documents_required"] = rows
        return changes
