"""Forms of the order and quotation pages. They parse and present what the user typed; the
services decide whether it is right (their refusals come back onto these forms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.core.listing import TypeaheadInput
from gendan.core.models import Currency
from gendan.parties.models import Incoterm, PaymentMethod
from gendan.parties.selectors import assignable_users, customer_queryset
from gendan.sales.models import Quotation, SalesOrder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TERMS = ["currency", "incoterm", "incoterm_place", "payment_method", "deposit_percent", "payment_days",
         "payment_terms_note"]


def _blank_first(choices, label):
    return [("", label), *choices]


def _plain(value) -> str:
    """1000.000 → "1000", 2.500 → "2.5": what a person would type."""
    return format(Decimal(value or 0).normalize(), "f")


def _style(form: forms.Form) -> None:
    """Style fields added after ``BootstrapLikeMixin.__init__`` ran, like the ones it styled."""
    for field in form.fields.values():
        if isinstance(field.widget, (forms.CheckboxInput, forms.HiddenInput)):
            continue
        if "input" not in field.widget.attrs.get("class", "").split():
            field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " input").strip()
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 2


class TermsFieldsMixin:
    """Currency, Incoterm and payment terms. On a new document they may stay blank: the
    service then takes the customer's terms."""

    def add_terms_fields(self, *, optional: bool) -> None:
        blank = _("— the customer's —")
        self.fields["currency"] = forms.ModelChoiceField(
            label=_("currency"), queryset=Currency.objects.filter(is_active=True), required=not optional,
            empty_label=blank if optional else "—")
        self.fields["incoterm"] = forms.ChoiceField(
            label=_("Incoterm"), required=not optional,
            choices=_blank_first(Incoterm.choices, blank) if optional else Incoterm.choices)
        self.fields["incoterm_place"] = forms.CharField(label=_("Incoterm named place"), max_length=80,
                                                        required=False)
        self.fields["payment_method"] = forms.ChoiceField(
            label=_("payment terms"), required=not optional,
            choices=_blank_first(PaymentMethod.choices, blank) if optional else PaymentMethod.choices)
        self.fields["deposit_percent"] = forms.DecimalField(label=_("deposit %"), max_digits=5, decimal_places=2,
                                                            min_value=0, max_value=100, required=not optional)
        self.fields["payment_days"] = forms.IntegerField(label=_("payment days"), min_value=0, max_value=360,
                                                         required=not optional)
        self.fields["payment_terms_note"] = forms.CharField(label=_("payment terms note"), max_length=200,
                                                            required=False)
        if optional:
            for name in TERMS:
                self.fields[name].help_text = _("Leave blank to use the customer's terms.") \
                    if name in ("currency", "payment_method") else ""


# --- sales orders ------------------------------------------------------------------------


class OrderHeaderForm(TermsFieldsMixin, BootstrapLikeMixin, forms.Form):
    """The order's header for a new draft (``mode="create"``), an edited draft (``"edit"``) or a
    change order (``"revise"``: no merchandiser or notes, a reason instead)."""

    sections = [
        (_("Customer and PO"), ["customer", "customer_po_no", "customer_po_date", "merchandiser"]),
        (_("Dates"), ["ex_factory_date", "requested_delivery_date"]),
        (_("Terms"), [*TERMS, "port_of_loading", "port_of_destination"]),
        (_("Requirements"), ["packing_requirements", "shipping_marks", "special_requirements",
                              "requires_first_article", "requires_final_inspection", "notes"]),
        (_("Reason for the change"), ["reason"]),
    ]

    customer = forms.ModelChoiceField(label=_("customer"), queryset=None)
    customer_po_no = forms.CharField(label=_("customer PO no."), max_length=60)
    customer_po_date = BusinessDateField(label=_("customer PO date"), widget=DATE)
    merchandiser = forms.ModelChoiceField(label=_("merchandiser"), queryset=None, required=False)
    ex_factory_date = BusinessDateField(label=_("ex-factory date"), widget=DATE)
    requested_delivery_date = BusinessDateField(label=_("requested delivery date"), widget=DATE, required=False)
    port_of_loading = forms.CharField(label=_("port of loading"), max_length=80, required=False)
    port_of_destination = forms.CharField(label=_("port of destination"), max_length=80, required=False)
    packing_requirements = forms.CharField(label=_("packing requirements"), widget=forms.Textarea, required=False)
    shipping_marks = forms.CharField(label=_("shipping marks"), widget=forms.Textarea, required=False)
    special_requirements = forms.CharField(label=_("special requirements"), widget=forms.Textarea, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea, required=False)
    # Blank: the customer's quality profile decides (new orders), or unchanged (drafts).
    requires_first_article = forms.TypedChoiceField(
        label=_("first article approval required"), required=False, coerce=lambda v: v == "1", empty_value=None,
        choices=[("", _("— the customer's —")), ("1", _("yes")), ("0", _("no"))])
    requires_final_inspection = forms.TypedChoiceField(
        label=_("final inspection required before shipment"), required=False, coerce=lambda v: v == "1",
        empty_value=None, choices=[("", _("— the customer's —")), ("1", _("yes")), ("0", _("no"))])
    reason = forms.CharField(label=_("reason for the change"), max_length=300,
                             help_text=_("The customer's request, a date slip … It goes on the timeline."))
    version = VersionField()

    def __init__(self, *args, mode: str, user, order: SalesOrder | None = None, **kwargs):
        self.mode = mode
        if order is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(order)
        super().__init__(*args, **kwargs)
        self.add_terms_fields(optional=mode == "create")
        self.order_fields([name for _legend, names in self.sections for name in names] + ["version"])
        if mode == "create":
            self.fields["customer"].queryset = customer_queryset(user).filter(is_active=True).order_by("code")
            self.fields["merchandiser"].help_text = _("Leave blank to use the customer's merchandiser.")
            self.fields["merchandiser"].empty_label = _("— the customer's —")
        else:
            del self.fields["customer"]
        if mode == "revise":
            del self.fields["merchandiser"], self.fields["notes"]
            del self.fields["requires_first_article"], self.fields["requires_final_inspection"]
        else:
            del self.fields["reason"]
        if "merchandiser" in self.fields:
            self.fields["merchandiser"].queryset = assignable_users(Role.MERCHANDISER)
        if mode == "create":
            self.fields["customer_po_date"].initial = timezone.localdate()
        if self.is_bound and self.data.get("confirm_large_amount"):
            self.offer_large_amount_confirmation()
        _style(self)

    def offer_large_amount_confirmation(self) -> None:
        """Add the checkbox a total above ``GENDAN_LARGE_ORDER_AMOUNT`` needs (the service refused
        it with ``large_amount_unconfirmed``): the second submit, with it ticked, saves."""
        self.fields["confirm_large_amount"] = forms.BooleanField(
            label=_("I have checked the quantities and prices: the order is really this large"), required=False)

    @property
    def confirm_large_amount(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("confirm_large_amount"))

    @staticmethod
    def initial_from(order: SalesOrder) -> dict:
        names = ["customer_po_no", "customer_po_date", "ex_factory_date", "requested_delivery_date",
                 "port_of_loading", "port_of_destination", "packing_requirements", "shipping_marks",
                 "special_requirements", "notes", "incoterm", "incoterm_place", "payment_method",
                 "deposit_percent", "payment_days", "payment_terms_note"]
        initial = {name: getattr(order, name) for name in names}
        initial.update(currency=order.currency_id, merchandiser=order.merchandiser_id, version=order.version,
                       requires_first_article="1" if order.requires_first_article else "0",
                       requires_final_inspection="1" if order.requires_final_inspection else "0")
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("customer", "version", "reason", "confirm_large_amount")
                and not (k.startswith("requires_") and v is None)}
        if self.mode == "create":
            # Blank terms and merchandiser: the service takes the customer's.
            data = {k: v for k, v in data.items() if not (k in (*TERMS, "merchandiser") and v in (None, ""))}
        return data


class OrderFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("order no., PO no., customer")}))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=_blank_first(SalesOrder.Status.choices, _("all")))
    # typed (code or name), with suggestions from the customers in the user's scope (core.listing.Typeahead)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100,
                               widget=TypeaheadInput(attrs={"placeholder": _("code or name")}))
    merchandiser = forms.ModelChoiceField(label=_("merchandiser"), queryset=None, required=False,
                                          empty_label=_("all"))
    po_from = BusinessDateField(label=_("PO date from"), required=False, widget=DATE)
    po_to = BusinessDateField(label=_("PO date to"), required=False, widget=DATE)
    exf_from = BusinessDateField(label=_("ex-factory from"), required=False, widget=DATE)
    exf_to = BusinessDateField(label=_("ex-factory to"), required=False, widget=DATE)
    payment_overdue = forms.BooleanField(label=_("overdue payment"), required=False)
    risk = forms.ChoiceField(label=_("T&A risk"), required=False, choices=[
        ("", _("all")), ("on_track", _("on track")), ("at_risk", _("at risk")), ("late", _("late"))])
    blocked = forms.ChoiceField(label=_("blocked by rule"), required=False, choices=[
        ("", _("—")), ("deposit", _("deposit rule")), ("balance", _("balance rule")),
        ("inspection", _("inspection rule"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchandiser"].queryset = assignable_users(Role.MERCHANDISER)


# --- order actions -------------------------------------------------------------------------


class WrittenConfirmationForm(BootstrapLikeMixin, forms.Form):
    file = forms.FileField(label=_("customer's PO / fax / email file"),
                           help_text=_("A PDF, image, e-mail (.eml / .msg) or Office file; its content is checked."))
    confirmed_at = forms.DateTimeField(label=_("received at"), widget=DATETIME)
    summary = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class VerbalConfirmationForm(BootstrapLikeMixin, forms.Form):
    contact_name = forms.CharField(label=_("person confirming"), max_length=80)
    phone_number = forms.CharField(label=_("number called"), max_length=60)
    confirmed_at = forms.DateTimeField(label=_("when"), widget=DATETIME)
    summary = forms.CharField(label=_("what was confirmed"), widget=forms.Textarea,
                              help_text=_("Items, quantities, prices, dates."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class OptionalReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class ReissueForm(BootstrapLikeMixin, forms.Form):
    """Re-issuing a PI / contract: the page says what happens (``reissue_effect``) and asks."""

    confirm_replace = forms.BooleanField(label=_("Replace the current version"), required=False)


class CancelForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=300)
    deposit_disposition = forms.ChoiceField(
        label=_("money received"), required=False,
        choices=_blank_first([c for c in SalesOrder.DepositDisposition.choices if c[0]], _("— choose —")))


class VersionForm(forms.Form):
    version = VersionField()


class QuantityPerLineMixin:
    """One quantity input per order line (``line-<id>``), defaulting to what is still open."""

    def add_line_fields(self, lines, defaults: dict[int, object]) -> None:
        self.order_lines = list(lines)
        for line in self.order_lines:
            self.fields[f"line-{line.pk}"] = forms.DecimalField(
                label=f"#{line.line_no} {line.description}", min_value=0, max_digits=14, decimal_places=3,
                required=False, initial=_plain(defaults.get(line.pk, 0)),
                widget=forms.NumberInput(attrs={"class": "input", "step": "any"}))

    def line_rows(self):
        """(order line, bound field) pairs for the template."""
        return [(line, self[f"line-{line.pk}"]) for line in self.order_lines]

    def quantities(self) -> dict[int, object]:
        return {line.pk: self.cleaned_data.get(f"line-{line.pk}") or 0 for line in self.order_lines}

    def place_line_errors(self, exc) -> None:
        """Put the service's ``lines[i].quantity`` messages next to line ``i + 1``."""
        for line in self.order_lines:
            key = f"lines[{line.line_no - 1}].quantity"
            for message in exc.fields.pop(key, []):
                self.add_error(f"line-{line.pk}", message)


# --- quotations ----------------------------------------------------------------------------


class QuotationHeaderForm(TermsFieldsMixin, BootstrapLikeMixin, forms.Form):
    sections = [
        (_("Quotation"), ["customer", "quoted_on", "valid_until"]),
        (_("Terms"), TERMS),
        (_("Packing and notes"), ["packing", "notes"]),
    ]

    customer = forms.ModelChoiceField(label=_("customer"), queryset=None)
    quoted_on = BusinessDateField(label=_("date"), widget=DATE)
    valid_until = BusinessDateField(label=_("valid until"), widget=DATE)
    packing = forms.CharField(label=_("packing"), widget=forms.Textarea, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea, required=False)
    version = VersionField()

    def __init__(self, *args, user, quotation=None, **kwargs):
        self.creating = quotation is None
        if quotation is not None and not kwargs.get("initial"):
            kwargs["initial"] = {name: getattr(quotation, name) for name in (
                "quoted_on", "valid_until", "packing", "notes", "incoterm", "incoterm_place", "payment_method",
                "deposit_percent", "payment_days", "payment_terms_note")}
            kwargs["initial"].update(currency=quotation.currency_id, version=quotation.version)
        super().__init__(*args, **kwargs)
        self.add_terms_fields(optional=self.creating)
        if self.creating:
            self.fields["customer"].queryset = customer_queryset(user).filter(is_active=True).order_by("code")
            today = timezone.localdate()
            self.fields["quoted_on"].initial = today
            self.fields["valid_until"].initial = today + dt.timedelta(days=30)
            for name in ("quoted_on", "valid_until"):  # blank: today and 30 days (the service's defaults)
                self.fields[name].required = False
        else:
            del self.fields["customer"]
        _style(self)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("customer", "version")}
        if self.creating:
            data = {k: v for k, v in data.items()
                    if not (k in (*TERMS, "quoted_on", "valid_until") and v in (None, ""))}
        return data


class QuotationFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("quotation no., customer")}))
    status = forms.ChoiceField(label=_("status"), required=False)
    # typed (code or name), with suggestions from the customers in the user's scope (core.listing.Typeahead)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100,
                               widget=TypeaheadInput(attrs={"placeholder": _("code or name")}))

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank_first(Quotation.Status.choices, _("all"))
        self.fields["customer"].queryset = customers


class QuotationAcceptForm(BootstrapLikeMixin, forms.Form):
    customer_po_no = forms.CharField(label=_("customer PO no."), max_length=60)
    customer_po_date = BusinessDateField(label=_("customer PO date"), widget=DATE)
    ex_factory_date = BusinessDateField(label=_("ex-factory date"), widget=DATE)
    note = forms.CharField(label=_("customer's answer"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_po_date"].initial = timezone.localdate()


class QuotationRejectForm(BootstrapLikeMixin, forms.Form):
    note = forms.CharField(label=_("customer's answer"), max_length=300, required=False)
