"""Pages of supplier invoices: the list (filters, Excel of what is shown), the form, the
invoice's page (VAT invoices, payments, cancel, timeline) and what we owe per supplier (the
open list and its aging, with Excel)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.events import timeline_for
from gendan.core.guards import parse_id
from gendan.core.listing import Column, GroupBy, ListPageView
from gendan.core.money import format_money
from gendan.core.views import run_action, run_service_form
from gendan.core.xlsx import xlsx_response
from gendan.payables.forms_invoices import (
    AgingFilterForm,
    InvoiceFilterForm,
    InvoiceForm,
    PaymentForm,
    ReasonForm,
    VatInvoiceForm,
)
from gendan.payables.models import SupplierInvoice
from gendan.payables.selectors.invoices import (
    aging_totals,
    bucket_labels,
    invoice_get,
    invoice_list,
    open_invoices,
    payables_aging,
    production_goods_status,
)
from gendan.payables.services.invoices import (
    ADD,
    ADD_VAT,
    CHANGE,
    supplier_invoice_cancel,
    supplier_invoice_record,
)
from gendan.payables.services.payments import PAY, supplier_payment_record
from gendan.payables.xlsx_payables import aging_rows
from gendan.production.models import ProductionOrder

VIEW = "payables.view_supplierinvoice"


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _vat_state(invoice) -> str:
    if not invoice.vat_required:
        return _("not expected")
    return _("received") if getattr(invoice, "vat_count", 0) else _("missing")


def _target(invoice) -> str:
    if invoice.production_order_id:
        return invoice.production_order.number
    if invoice.purchase_order_id:
        return invoice.purchase_order.number
    parts = [invoice.get_service_kind_display()] if invoice.service_kind else []
    if invoice.sales_order_id:
        parts.append(invoice.sales_order.number)
    if invoice.shipment_id:
        parts.append(invoice.shipment.number)
    return " · ".join(parts)


class InvoiceListPage(ListPageView):
    """The supplier invoices: filters supplier, kind, status, overdue, VAT missing; Excel export
    of exactly the filtered rows (``?export=xlsx``)."""

    template_name = "payables/invoices/list.html"
    title = gettext_lazy("Supplier invoices")
    export_name = "supplier-invoices"
    filter_form_class = InvoiceFilterForm
    default_sort = "-invoice_date"
    create_url_name = "payables:invoice_add"
    create_permission = ADD
    columns = [
        Column("number", gettext_lazy("our reference"), sort="number", link=True),
        Column("supplier", gettext_lazy("supplier"), value=lambda i: str(i.supplier), sort="supplier__code"),
        Column("supplier_invoice_no", gettext_lazy("supplier's invoice no."), sort="supplier_invoice_no"),
        Column("kind", gettext_lazy("for"), value=lambda i: i.get_kind_display(), sort="kind"),
        Column("target", gettext_lazy("against"), value=_target),
        Column("order", gettext_lazy("order"), value=lambda i: i.sales_order.number if i.sales_order_id else ""),
        Column("currency", gettext_lazy("currency"), value=lambda i: i.currency_id),
        Column("amount", gettext_lazy("amount incl. VAT"), sort="amount", numeric=True),
        Column("paid_amount", gettext_lazy("paid"), numeric=True),
        Column("open_amount", gettext_lazy("open"), value=lambda i: i.open_amount if i.status == "open" else 0,
               numeric=True),
        Column("invoice_date", gettext_lazy("invoice date"), sort="invoice_date"),
        Column("due_date", gettext_lazy("due date"), sort="due_date"),
        Column("vat", gettext_lazy("VAT invoice"), value=_vat_state),
        Column("status", gettext_lazy("status"), value=lambda i: i.get_status_display(), sort="status"),
    ]
    group_by = [
        GroupBy("supplier", gettext_lazy("supplier"), "supplier_id", display=lambda i: str(i.supplier)),
        GroupBy("kind", gettext_lazy("for"), "kind", display=lambda i: i.get_kind_display()),
        GroupBy("status", gettext_lazy("status"), "status", display=lambda i: i.get_status_display()),
        GroupBy("currency", gettext_lazy("currency"), "currency_id"),
        GroupBy.month("due_month", gettext_lazy("month of due date"), "due_date"),
    ]
    group_money = ("amount", "currency_id")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _need(request, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return invoice_list(user=self.request.user)

    def filter_queryset(self, qs, data):
        return invoice_list(user=self.request.user, filters=data, today=timezone.localdate())


@login_required
def invoice_add(request):
    """Record a supplier invoice (``?production_order=<id>`` / ``?purchase_order=<id>`` preset)."""
    _need(request, ADD)
    initial = {"invoice_date": timezone.localdate(), "vat_required": True}
    for name in ("supplier", "kind"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    production = parse_id(request.GET.get("production_order"))
    if production:
        po = ProductionOrder.objects.filter(pk=production).first()
        if po is not None:
            initial |= {"production_order": po.number, "supplier": po.supplier_id, "kind": "production",
                        "amount": po.total_cost}
    form = InvoiceForm(request.POST or None, initial=initial)
    return run_service_form(request, form=form, call=lambda f: supplier_invoice_record(
        actor=request.user, data=f.service_data()), template="payables/invoices/form.html",
        context={"title": _("Record a supplier invoice")}, success_message=_("Supplier invoice recorded."),
        success_url=lambda inv: inv.get_absolute_url())


def _detail_context(request, invoice) -> dict:
    user = request.user
    goods = production_goods_status(invoice.production_order) if invoice.production_order_id else None
    is_open = invoice.status == SupplierInvoice.Status.OPEN
    return {
        "invoice": invoice, "title": invoice.number, "target": _target(invoice), "goods": goods,
        "vat_invoices": list(invoice.vat_invoices.all()), "payments": list(invoice.payments.all()),
        "vat_total": sum((v.net_amount + v.tax_amount for v in invoice.vat_invoices.all()), 0),
        "events": timeline_for(invoice),
        "may_pay": user.has_perm(PAY) and is_open,
        "may_vat": user.has_perm(ADD_VAT) and invoice.status != SupplierInvoice.Status.CANCELLED,
        "may_cancel": user.has_perm(CHANGE) and is_open and invoice.paid_amount == 0,
        "payment_form": PaymentForm(initial={"amount": invoice.open_amount, "version": invoice.version,
                                             "paid_on": timezone.localdate()}),
        "vat_form": VatInvoiceForm(initial={"tax_rate": 13}),
        "reason_form": ReasonForm(initial={"version": invoice.version}),
    }


@login_required
def invoice_detail(request, pk: int):
    _need(request, VIEW)
    invoice = invoice_get(user=request.user, pk=pk)
    return render(request, "payables/invoices/detail.html", _detail_context(request, invoice))


def _action(request, pk: int, form_class, call, message, *, form_key: str):
    _need(request, VIEW)
    invoice = invoice_get(user=request.user, pk=pk)
    form = form_class(request.POST)

    def refused(exc, bound):
        context = _detail_context(request, invoice_get(user=request.user, pk=pk))
        context["error"] = exc
        context[form_key] = bound
        context["open_form"] = form_key
        return render(request, "payables/invoices/detail.html", context)

    return run_action(request, form=form, call=lambda data: call(invoice, data), success_message=message,
                      success_url=invoice.get_absolute_url(), refused=refused)


@login_required
@require_POST
def payment_add(request, pk: int):
    _need(request, PAY)
    return _action(request, pk, PaymentForm, lambda inv, d: supplier_payment_record(
        actor=request.user, invoice_id=inv.pk, version=d.get("version"), data=d),
        lambda p: _("Payment of %(amount)s recorded.") % {"amount": format_money(p.amount, p.invoice.currency_id)},
        form_key="payment_form")


@login_required
@require_POST
def vat_add(request, pk: int):
    from gendan.payables.services.invoices import vat_invoice_record

    _need(request, ADD_VAT)
    return _action(request, pk, VatInvoiceForm, lambda inv, d: vat_invoice_record(
        actor=request.user, invoice_id=inv.pk, data=d), _("VAT invoice recorded."), form_key="vat_form")


@login_required
@require_POST
def invoice_cancel(request, pk: int):
    _need(request, CHANGE)
    return _action(request, pk, ReasonForm, lambda inv, d: supplier_invoice_cancel(
        actor=request.user, invoice_id=inv.pk, reason=d["reason"], version=d.get("version")),
        _("Supplier invoice cancelled."), form_key="reason_form")


@login_required
def payables_open(request):
    """What we owe: per supplier and currency by days past due, and the open invoices with
    their due dates (``?supplier=<id>``); ``?export=xlsx`` exports the aging shown."""
    _need(request, VIEW)
    form = AgingFilterForm(request.GET or None)
    supplier = form.cleaned_data.get("supplier") if form.is_valid() else None
    today = timezone.localdate()
    rows = payables_aging(user=request.user, today=today, supplier=supplier)
    labels = bucket_labels()
    if request.GET.get("export") == "xlsx":
        headers, body = aging_rows(rows, labels)
        return xlsx_response(filename=f"payables-aging-{today:%Y%m%d}.xlsx", sheet_title=_("Payables aging")[:31],
                             headers=headers, rows=body)
    invoices = list(open_invoices(user=request.user, supplier=supplier)[:200])
    for inv in invoices:
        inv.days_overdue = (today - inv.due_date).days
    query = request.GET.copy()
    query["export"] = "xlsx"
    return render(request, "payables/invoices/open.html", {
        "title": _("What we owe suppliers"), "form": form, "rows": rows, "labels": labels,
        "totals": aging_totals(rows), "invoices": invoices, "export_querystring": query.urlencode()})
