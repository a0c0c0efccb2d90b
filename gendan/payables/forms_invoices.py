"""Forms of the invoices part: they only read what the person typed; every rule is the
services' (``services.invoices``, ``payments``, ``statements``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.core.models import Currency
from gendan.parties.models import Supplier
from gendan.payables.models import SupplierInvoice, SupplierStatement
from gendan.production.models import ProductionOrder
from gendan.purchasing.models import PurchaseOrder
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment

MONEY = {"max_digits": 16, "decimal_places": 2}


def _currencies():
    return Currency.objects.filter(is_active=True).order_by("code")


class InvoiceFilterForm(BootstrapLikeMixin, forms.Form):
    supplier = forms.ModelChoiceField(Supplier.objects.order_by("code"), required=False, label=_("supplier"))
    kind = forms.ChoiceField(choices=[("", "—"), *SupplierInvoice.Kind.choices], required=False, label=_("for"))
    status = forms.ChoiceField(choices=[("", "—"), *SupplierInvoice.Status.choices], required=False,
                               label=_("status"))
    overdue = forms.BooleanField(required=False, label=_("overdue"))
    vat_missing = forms.BooleanField(required=False, label=_("VAT invoice missing"))
    q = forms.CharField(required=False, max_length=60, label=_("number"))


class InvoiceForm(BootstrapLikeMixin, forms.Form):
    sections = [(_("Supplier and what the invoice is for"),
                 ["supplier", "kind", "production_order", "purchase_order", "service_kind", "sales_order",
                  "shipment"]),
                (_("Invoice"), ["supplier_invoice_no", "currency", "amount", "tax_amount", "invoice_date",
                                "due_date", "vat_required", "note"])]
    supplier = forms.ModelChoiceField(Supplier.objects.filter(is_active=True).order_by("code"), label=_("supplier"))
    kind = forms.ChoiceField(choices=SupplierInvoice.Kind.choices, label=_("for"))
    production_order = forms.CharField(required=False, max_length=30, label=_("production order"),
                                       help_text=_("Its number, e.g. MO2603-0001."))
    purchase_order = forms.CharField(required=False, max_length=30, label=_("purchase order"),
                                     help_text=_("Its number, e.g. CG2603-0001."))
    service_kind = forms.ChoiceField(choices=[("", "—"), *SupplierInvoice.ServiceKind.choices], required=False,
                                     label=_("service"))
    sales_order = forms.CharField(required=False, max_length=30, label=_("order"),
                                  help_text=_("For a service: the order it belongs to (its number)."))
    shipment = forms.CharField(required=False, max_length=30, label=_("shipment"),
                               help_text=_("For a service: the shipment it belongs to (its number)."))
    supplier_invoice_no = forms.CharField(max_length=60, label=_("supplier's invoice no."))
    currency = forms.ModelChoiceField(_currencies(), required=False, label=_("currency"),
                                      help_text=_("Empty: the order's currency (CNY for services)."))
    amount = forms.DecimalField(label=_("amount incl. VAT"), **MONEY)
    tax_amount = forms.DecimalField(label=_("of which VAT"), required=False, **MONEY)
    invoice_date = BusinessDateField(label=_("invoice date"), widget=forms.DateInput(attrs={"type": "date"}))
    due_date = BusinessDateField(label=_("due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: by the supplier's terms (days after the invoice date)."))
    vat_required = forms.BooleanField(label=_("VAT special invoice expected"), required=False, initial=True)
    note = forms.CharField(max_length=300, required=False, label=_("note"))

    LOOKUPS = {"production_order": ProductionOrder, "purchase_order": PurchaseOrder, "sales_order": SalesOrder,
               "shipment": Shipment}

    def clean(self):
        data = super().clean()
        for name, model in self.LOOKUPS.items():
            text = str(data.get(name) or "").strip()
            if not text:
                data[name] = None
                continue
            found = model.objects.filter(number__iexact=text).first()
            if found is None:
                self.add_error(name, _("No %(what)s numbered “%(no)s”.") % {
                    "what": model._meta.verbose_name, "no": text})
            data[name] = found
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {k: d.get(k) for k in ("kind", "service_kind", "supplier_invoice_no", "note")}
        for name in ("supplier", "production_order", "purchase_order", "sales_order", "shipment", "currency"):
            data[name] = d[name].pk if d.get(name) is not None else None
        data["amount"] = d.get("amount")
        data["tax_amount"] = d.get("tax_amount") if d.get("tax_amount") is not None else "0"
        data["invoice_date"] = d.get("invoice_date")
        data["due_date"] = d.get("due_date")
        data["vat_required"] = bool(d.get("vat_required"))
        return data


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(max_length=300, label=_("reason"))
    version = VersionField()


class VatInvoiceForm(BootstrapLikeMixin, forms.Form):
    number = forms.CharField(max_length=30, label=_("VAT invoice no."))
    issued_on = BusinessDateField(label=_("issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    net_amount = forms.DecimalField(label=_("amount excl. VAT"), **MONEY)
    tax_rate = forms.DecimalField(label=_("VAT rate %"), max_digits=5, decimal_places=2, initial=13)
    tax_amount = forms.DecimalField(label=_("VAT"), required=False, help_text=_("Empty: amount × rate."), **MONEY)


class PaymentForm(BootstrapLikeMixin, forms.Form):
    amount = forms.DecimalField(label=_("amount"), **MONEY)
    paid_on = BusinessDateField(label=_("paid on"), initial=timezone.localdate,
                                widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(max_length=80, required=False, label=_("bank reference"))
    override_reason = forms.CharField(max_length=300, required=False,
                                      label=_("reason for paying before inspection and receipt"),
                                      help_text=_("Only to pay a factory's balance before its goods passed "
                                                  "inspection and were received."))
    version = VersionField()


class StatementIssueForm(BootstrapLikeMixin, forms.Form):
    supplier = forms.ModelChoiceField(Supplier.objects.filter(is_active=True).order_by("code"), label=_("supplier"))
    month = forms.CharField(max_length=7, label=_("month"), help_text="YYYY-MM",
                            widget=forms.TextInput(attrs={"type": "month"}))
    currency = forms.ModelChoiceField(_currencies(), label=_("currency"), initial="CNY")
    send = forms.BooleanField(required=False, label=_("e-mail it to the supplier"))


class StatementFilterForm(BootstrapLikeMixin, forms.Form):
    supplier = forms.ModelChoiceField(Supplier.objects.order_by("code"), required=False, label=_("supplier"))
    status = forms.ChoiceField(choices=[("", "—"), *SupplierStatement.Status.choices], required=False,
                               label=_("status"))


class ReplyForm(BootstrapLikeMixin, forms.Form):
    outcome = forms.ChoiceField(choices=[("confirmed", _("confirmed by the supplier")),
                                         ("disputed", _("disputed"))], label=_("supplier's reply"))
    note = forms.CharField(max_length=400, required=False, label=_("supplier's reply"))
    disputes = forms.CharField(required=False, widget=forms.Textarea, label=_("lines in dispute"),
                               help_text=_("One line each: line ref; amount (empty: the line's); reason."))

    def dispute_rows(self) -> list[dict]:
        rows = []
        for raw in (self.cleaned_data.get("disputes") or "").splitlines():
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.replace("；", ";").split(";", 2)]
            parts += [""] * (3 - len(parts))
            rows.append({"line_ref": parts[0], "amount": parts[1], "reason": parts[2]})
        return rows


class SettleForm(BootstrapLikeMixin, forms.Form):
    settlement = forms.CharField(max_length=300, label=_("how it was settled"))


class AgingFilterForm(BootstrapLikeMixin, forms.Form):
    supplier = forms.ModelChoiceField(Supplier.objects.order_by("code"), required=False, label=_("supplier"))
