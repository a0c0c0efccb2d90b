"""Receipt pages: the list, recording money received (finance only) with its allocation to
orders, and the receipt's page with "allocate what is left"; the order page's payment request."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.guards import parse_id
from gendan.core.listing import Column, ListPageView
from gendan.core.money import format_money
from gendan.core.xlsx import MONEY
from gendan.finance.forms import AllocateForm, ReceiptFilterForm, ReceiptForm
from gendan.finance.models import Receipt
from gendan.finance.selectors import receipt_get_for_user, receipt_list, receipt_queryset
from gendan.finance.services import payment_request_send, receipt_allocate, receipt_record
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset
from gendan.sales.views.order_actions import run_order_action

# --- reads ------------------------------------------------------------------------------------


def open_orders(user, customer_id: int | None = None) -> QuerySet[SalesOrder]:
    """Orders money can go to: confirmed (not cancelled or closed) and not fully paid."""
    S = SalesOrder.Status
    qs = order_queryset(user).exclude(status__in=[S.DRAFT, S.CANCELLED, S.CLOSED]).filter(
        received_amount__lt=F("total_amount"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("customer__code", "number")


# --- the list -------------------------------------------------------------------------------


class ReceiptListView(ListPageView):
    title = gettext_lazy("Receipts")
    export_name = "receipts"
    export_totals_by = "currency_id"
    default_sort = "-received_on"
    create_url_name = "finance:receipt_create"
    create_permission = "finance.add_receipt"
    columns = [
        Column("number", gettext_lazy("receipt no."), sort="number", link=True),
        Column("received_on", gettext_lazy("value date"), sort="received_on"),
        Column("customer", gettext_lazy("customer"), value=lambda r: f"{r.customer.code} {r.customer.display_name}",
               sort="customer__code"),
        Column("currency_id", gettext_lazy("currency"), sort="currency"),
        Column("amount", gettext_lazy("amount received"), sort="amount", numeric=True, format=MONEY, total=True),
        Column("bank_charges", gettext_lazy("bank charges"), sort="bank_charges", numeric=True, format=MONEY, total=True),
        Column("allocated_amount", gettext_lazy("allocated"), sort="allocated_amount", numeric=True, format=MONEY, total=True),
        Column("unallocated_amount", gettext_lazy("left to allocate"), sort="unallocated", numeric=True, format=MONEY, total=True),
        Column("bank_reference", gettext_lazy("bank reference")),
        Column("payer_name", gettext_lazy("payer")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("finance.view_receipt"):
            raise PermissionDenied
        return _with_left(receipt_queryset(self.request.user))

    def get_filter_form(self):
        return ReceiptFilterForm(self.request.GET or None,
                                 customers=customer_queryset(self.request.user).order_by("code"))

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "", False)}
        return _with_left(receipt_list(user=self.request.user, filters=filters))


def _with_left(qs: QuerySet[Receipt]) -> QuerySet[Receipt]:
    """Add what is left to allocate, so the list can sort by it."""
    return qs.annotate(unallocated=F("amount") + F("bank_charges") - F("allocated_amount"))


# --- recording a receipt ----------------------------------------------------------------------


_ALLOCATION_KEY = re.compile(r"^allocations\[(\d+)\]\.(\w+)$")


def _place_allocation_errors(form: ReceiptForm, exc: BusinessError, rows: list[dict]) -> None:
    """Put the service's ``allocations[i].<field>`` messages on the row the user filled in
    (``i`` counts the rows sent, the blank ones left out)."""
    for key in list(exc.fields):
        match = _ALLOCATION_KEY.match(key)
        if match and int(match.group(1)) < len(rows):
            name = f"alloc-{rows[int(match.group(1))]['row']}-{match.group(2)}"
            for message in exc.fields.pop(key):
                form.add_error(name if name in form.fields else None, message)


@login_required
def receipt_create(request):
    user = request.user
    if not user.has_perm("finance.add_receipt"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    customer_id = (data or request.GET).get("customer") or None
    customer_id = parse_id(customer_id)  # beyond 64 bits: no customer chosen (not an OverflowError)
    orders = open_orders(user, customer_id)
    form = ReceiptForm(data, request.FILES or None, customers=Customer.objects.filter(is_active=True).order_by("code")
                       if user.has_perm("parties.view_customer") else Customer.objects.none(),
                       orders=orders, initial={"customer": customer_id})
    status = 200
    if data is not None and "refresh" in data:
        # "Show this customer's orders": the form again, unsaved, with their orders to allocate to.
        form = ReceiptForm(initial=data.dict(), customers=form.fields["customer"].queryset, orders=orders)
    elif data is not None:
        status = 400
        if form.is_valid():
            rows = form.allocations()
            if form.is_valid():
                d = form.cleaned_data
                try:
                    receipt = receipt_record(
                        actor=user, customer_id=d["customer"].pk, currency=d["currency"].code, amount=d["amount"],
                        bank_charges=d.get("bank_charges") or 0, received_on=d["received_on"],
                        bank_reference=d["bank_reference"], payer_name=d.get("payer_name", ""),
                        note=d.get("note", ""), upload=d.get("bank_slip"),
                        allocations=[{k: r[k] for k in ("order_id", "amount", "exchange_rate")} for r in rows])
                except BusinessError as exc:
                    _place_allocation_errors(form, exc, rows)
                    add_business_error(form, exc)
                    status = error_status(exc)
                else:
                    messages.success(request, _("Receipt %(number)s recorded.") % {"number": receipt.number})
                    return redirect(receipt)
    return render(request, "finance/receipt_form.html", {
        "form": form, "title": _("Record money received"), "customer_id": customer_id}, status=status)


# --- the receipt's page -------------------------------------------------------------------------


def _receipt_context(request, receipt: Receipt, allocate_form=None, error: str = "") -> dict:
    user = request.user
    can_allocate = user.has_perm("finance.add_receipt") and receipt.unallocated_amount > 0
    if allocate_form is None and can_allocate:
        allocate_form = AllocateForm(orders=open_orders(user, receipt.customer_id),
                                     initial={"amount": receipt.unallocated_amount})
    return {
        "receipt": receipt,
        "title": str(receipt),
        "allocations": list(receipt.allocations.all()),
        "allocate_form": allocate_form if can_allocate else None,
        "action_error": error,
        "events": timeline_for(receipt),
    }


@login_required
def receipt_detail(request, pk: int):
    receipt = receipt_get_for_user(user=request.user, pk=pk)
    return render(request, "finance/receipt_detail.html", _receipt_context(request, receipt))


@login_required
@require_POST
def receipt_allocate_view(request, pk: int):
    receipt = receipt_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("finance.add_receipt"):
        raise PermissionDenied
    form = AllocateForm(request.POST, orders=open_orders(request.user, receipt.customer_id))
    status = 400
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            allocation = receipt_allocate(actor=request.user, receipt_id=receipt.pk, order_id=d["order"],
                                          amount=d["amount"], exchange_rate=d.get("exchange_rate"))
        except BusinessError as exc:
            add_business_error(form, exc)
            error = str(exc.message)
            status = error_status(exc)
        else:
            messages.success(request, _("%(amount)s allocated to %(order)s.") % {
                "amount": format_money(allocation.amount, receipt.currency_id), "order": allocation.order})
            return redirect(receipt)
    receipt = receipt_get_for_user(user=request.user, pk=pk)
    return render(request, "finance/receipt_detail.html", _receipt_context(request, receipt, form, error),
                  status=status)


# --- the order's page ---------------------------------------------------------------------------


@login_required
@require_POST
def order_request_payment(request, pk: int, kind: str):
    """Request the deposit or the balance from the order's page (``sales/orders/<id>/request/<kind>/``)."""
    if kind not in ("deposit", "balance"):
        raise Http404
    return run_order_action(
        request, pk, action=f"request_{kind}",
        success=_("Payment request recorded; the email goes out now. Its result shows on the order."),
        call=lambda order, d: payment_request_send(actor=request.user, order_id=order.pk, kind=kind,
                                                   message=d.get("message", "")))
