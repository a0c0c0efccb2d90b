"""Forms of the receipt pages (recording money received with allocations to orders,
allocating what is left of a receipt) and of the payment request on the order's page."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField
from gendan.core.models import Currency
from gendan.core.money import format_money

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALLOCATION_ROWS = 5


def order_choices(orders) -> list:
    """Orders to allocate to, grouped by customer: "SO… · PO … · outstanding USD 1,000.00"."""
    groups: dict[str, list] = {}
    for order in orders:
        label = _("%(order)s · PO %(po)s · outstanding %(amount)s") % {
            "order": order, "po": order.customer_po_no,
            "amount": format_money(order.outstanding_amount, order.currency_id)}
        groups.setdefault(f"{order.customer.code} {order.customer.display_name}", []).append((order.pk, label))
    return [("", "—"), *groups.items()]


class AllocationFieldsMixin:
    def add_allocation_fields(self, index: int | None, orders_choices: list) -> None:
        p = "" if index is None else f"alloc-{index}-"
        self.fields[f"{p}order"] = forms.TypedChoiceField(label=_("order"), choices=orders_choices, coerce=int,
                                                          required=False, empty_value=None)
        self.fields[f"{p}amount"] = forms.DecimalField(
            label=_("amount (receipt currency)"), required=False, max_digits=18, decimal_places=2, min_value=0)
        self.fields[f"{p}exchange_rate"] = forms.DecimalField(
            label=_("exchange rate"), required=False, max_digits=18, decimal_places=8, min_value=0,
            help_text=_("Order currency per 1 of the receipt currency; only when they differ."))
        for name in (f"{p}order", f"{p}amount", f"{p}exchange_rate"):
            self.fields[name].widget.attrs["class"] = "input"


class ReceiptForm(AllocationFieldsMixin, BootstrapLikeMixin, forms.Form):
    sections = [
        (_("Money received"), ["customer", "currency", "amount", "bank_charges", "received_on"]),
        (_("Bank statement"), ["bank_reference", "payer_name", "note", "bank_slip"]),
    ]

    customer = forms.ModelChoiceField(label=_("customer"), queryset=None)
    currency = forms.ModelChoiceField(label=_("currency"), queryset=Currency.objects.filter(is_active=True))
    amount = forms.DecimalField(label=_("amount received"), max_digits=18, decimal_places=2,
                                min_value=Decimal("0.01"),
                                help_text=_("The net amount on the bank statement."))
    bank_charges = forms.DecimalField(label=_("bank charges deducted"), max_digits=18, decimal_places=2, min_value=0,
                                      required=False, initial=0)
    received_on = BusinessDateField(label=_("value date"), widget=DATE)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=80)
    payer_name = forms.CharField(label=_("payer as on the statement"), max_length=160, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    bank_slip = forms.FileField(label=_("bank slip"), required=False)

    def __init__(self, *args, customers, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.fields["received_on"].initial = timezone.localdate()
        choices = order_choices(orders)
        for i in range(ALLOCATION_ROWS):
            self.add_allocation_fields(i, choices)

    def allocation_rows(self) -> list[tuple[int, list]]:
        """(row index, [bound fields]) for the template."""
        return [(i, [self[f"alloc-{i}-{n}"] for n in ("order", "amount", "exchange_rate")])
                for i in range(ALLOCATION_ROWS)]

    def fieldsets(self):
        # The allocation rows are laid out as a table by the template, not as fieldsets.
        return [(legend, [bf for bf in fields if not bf.name.startswith("alloc-")])
                for legend, fields in super().fieldsets() if any(not bf.name.startswith("alloc-") for bf in fields)]

    def allocations(self) -> list[dict]:
        rows = []
        for i in range(ALLOCATION_ROWS):
            order, amount = self.cleaned_data.get(f"alloc-{i}-order"), self.cleaned_data.get(f"alloc-{i}-amount")
            if order is None and amount in (None, ""):
                continue
            if order is None:
                self.add_error(f"alloc-{i}-order", _("Choose the order."))
                continue
            if amount in (None, ""):
                self.add_error(f"alloc-{i}-amount", _("Enter the amount to allocate."))
                continue
            rows.append({"order_id": order, "amount": amount,
                         "exchange_rate": self.cleaned_data.get(f"alloc-{i}-exchange_rate"), "row": i})
        return rows


class AllocateForm(AllocationFieldsMixin, BootstrapLikeMixin, forms.Form):
    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_allocation_fields(None, order_choices(orders))
        self.fields["order"].required = True
        self.fields["amount"].required = True


class ReceiptFilterForm(BootstrapLikeMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=None, required=False, empty_label=_("all"))
    currency = forms.ModelChoiceField(label=_("currency"), queryset=Currency.objects.filter(is_active=True),
                                      required=False, empty_label=_("all"))
    date_from = BusinessDateField(label=_("value date from"), required=False, widget=DATE)
    date_to = BusinessDateField(label=_("value date to"), required=False, widget=DATE)
    unallocated = forms.BooleanField(label=_("money left to allocate"), required=False)
    q = forms.CharField(label=_("search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("receipt no., bank reference, payer")}))

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class PaymentRequestForm(BootstrapLikeMixin, forms.Form):
    """Request the deposit / balance from the order's page: a message added to the email."""

    message = forms.CharField(label=_("message to add"), required=False, widget=forms.Textarea)
