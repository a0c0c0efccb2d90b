"""Forms of the bank statements pages: the upload, the line's confirmation (pre-filled with the
proposal, every value finance may change) and setting a line aside. They only parse what
people type; the services decide."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField
from gendan.core.models import Currency
from gendan.parties.models import Customer
from gendan.receivables.models import BankStatementLine

MAX_ALLOCATION_ROWS = 10
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_currency_choices() -> list[tuple[str, str]]:
    """The active currencies as (code, code), one query."""
    return [(c, c) for c in Currency.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)]


class BankUploadForm(BootstrapLikeMixin, forms.Form):
    currency = forms.ChoiceField(label=_("currency of the account"))
    file = forms.FileField(label=_("bank statement (CSV, Excel .xlsx or MT940)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "—"), *active_currency_choices()]


class StatementListFilterForm(BootstrapLikeMixin, forms.Form):
    """The bank statements list's filters (``receivables.views_bank.StatementListView``): the
    dates select the statements whose period touches them."""

    account = forms.CharField(label=_("account"), required=False, max_length=60)
    currency = forms.ChoiceField(label=_("currency"), required=False)
    date_from = BusinessDateField(label=_("period from"), required=False, widget=DATE)
    date_to = BusinessDateField(label=_("period to"), required=False, widget=DATE)
    unmatched = forms.BooleanField(label=_("with lines to match"), required=False)
    q = forms.CharField(label=_("file"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", _("all")), *active_currency_choices()]


class StatementFilterForm(BootstrapLikeMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all lines")), *BankStatementLine.Status.choices])


class LineConfirmForm(BootstrapLikeMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer who paid"), queryset=Customer.objects.none())
    bank_reference = forms.CharField(label=_("bank reference"), max_length=80, required=False)
    bank_charges = forms.DecimalField(label=_("bank charges"), max_digits=16, decimal_places=2, required=False,
                                      min_value=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers if customers is not None else Customer.objects.none()


class AllocationRowForm(BootstrapLikeMixin, forms.Form):
    """One order the money pays: the order's number as printed (SO2603-0001) and the amount in
    the statement's currency. The view resolves the numbers within the user's orders."""

    order = forms.CharField(label=_("order no."), max_length=30, required=False)
    amount = forms.DecimalField(label=_("amount"), max_digits=16, decimal_places=2, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("order") and data.get("amount") in (None, ""):
            self.add_error("amount", _("Enter the amount for this order."))
        if data.get("amount") and not data.get("order"):
            self.add_error("order", _("Choose the order."))
        return data


AllocationFormSet = formset_factory(AllocationRowForm, extra=1, max_num=MAX_ALLOCATION_ROWS,
                                    absolute_max=MAX_ALLOCATION_ROWS, validate_max=True)


def allocations_of(formset, orders_by_number: dict[str, int]) -> list[dict] | None:
    """The rows as the service takes them; None (with the row's error set) when an order number
    is not one of the user's orders in the statement's currency."""
    rows, ok = [], True
    for form in formset.forms:
        number = (form.cleaned_data.get("order") or "").strip().upper()
        if not number or not form.cleaned_data.get("amount"):
            continue
        order_id = orders_by_number.get(number)
        if order_id is None:
            form.add_error("order", _("No confirmed order %(no)s in this currency.") % {"no": number})
            ok = False
            continue
        rows.append({"order_id": order_id, "amount": form.cleaned_data["amount"]})
    return rows if ok else None


def order_numbers_of(formset) -> list[str]:
    return [str(f.cleaned_data.get("order") or "").strip().upper() for f in formset.forms
            if getattr(f, "cleaned_data", None) and f.cleaned_data.get("order")]


class SetAsideForm(BootstrapLikeMixin, forms.Form):
    note = forms.CharField(label=_("why (interest, refund, not a customer's payment …)"), max_length=300)
