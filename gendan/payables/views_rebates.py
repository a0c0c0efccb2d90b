"""Pages of export tax rebates: the list (with Excel), the blocked list (with Excel and the
chase action), recording a rebate, and a rebate's page (lines of the expected amount, its VAT
invoices, what is missing, check again / file / receive / chase, timeline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.forms import add_business_error
from gendan.core.guards import parse_id
from gendan.core.models import Event
from gendan.core.views import run_action
from gendan.core.xlsx import xlsx_response
from gendan.payables.forms_rebates import ChaseForm, FileForm, RebateFilterForm, RebateForm, ReceiveForm
from gendan.payables.models import TaxRebate, VatInvoice
from gendan.payables.selectors.rebates import (
    blocked_rebates,
    rebate_compute,
    rebate_get_for_user,
    rebate_list,
    shipments_without_rebate,
)
from gendan.payables.services.rebates import (
    ADD,
    CHANGE,
    VIEW,
    rebate_chase,
    rebate_check,
    rebate_file,
    rebate_receive,
    rebate_record,
)

PER_PAGE = 50


def filters_in_words(form) -> list[tuple[str, str]]:
    """The filters a bound, valid form applies, as (label, value shown) for the export's title."""
    if not form.is_bound or not form.is_valid():
        return []
    out = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", []) or []).get(value, value) if hasattr(field, "choices") else value
        out.append((str(field.label), str(shown)))
    return out


def _need(request, *perms: str) -> None:
    if not any(request.user.has_perm(p) for p in perms):
        raise PermissionDenied


def _columns():
    return [
        (_("customs declaration no."), lambda r: r.declaration_no),
        (_("declaration date"), lambda r: r.declared_on),
        (_("shipment"), lambda r: r.shipment.number),
        (_("order"), lambda r: r.shipment.order.number or ""),
        (_("customer"), lambda r: r.shipment.order.customer.code),
        (_("status"), lambda r: r.get_status_display()),
        (_("rebate expected (CNY)"), lambda r: r.expected_amount),
        (_("rebate received (CNY)"), lambda r: r.received_amount if r.status == TaxRebate.Status.RECEIVED else None),
        (_("difference (CNY)"), lambda r: (r.received_amount - r.expected_amount)
         if r.status == TaxRebate.Status.RECEIVED else None),
        (_("filed on"), lambda r: r.filed_on),
        (_("received on"), lambda r: r.received_on),
    ]


@login_required
def rebate_list_page(request):
    """The rebates the user may see, filtered; ``?export=xlsx``: the filtered rows as shown."""
    _need(request, VIEW)
    form = RebateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = rebate_list(user=request.user, filters=filters)
    columns = _columns()
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(filename=f"tax-rebates-{stamp}.xlsx", sheet_title=str(_("Tax rebates"))[:31],
                             title=str(_("Tax rebates")), filters=filters_in_words(form),
                             exported_by=str(request.user), headers=[str(label) for label, _get in columns],
                             rows=([get(r) for _label, get in columns] for r in qs.iterator(chunk_size=2000)))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    for rebate in page.object_list:
        rebate.difference = rebate.received_amount - rebate.expected_amount
    query = request.GET.copy()
    query.pop("page", None)
    export = query.copy()
    export["export"] = "xlsx"
    to_declare = list(shipments_without_rebate(user=request.user, limit=20)) if request.user.has_perm(ADD) else []
    return render(request, "payables/rebate_list.html", {
        "title": _("Tax rebates"), "form": form, "page": page, "querystring": query.urlencode(),
        "export_querystring": export.urlencode(), "to_declare": to_declare, "may_add": request.user.has_perm(ADD),
        "may_profit": request.user.has_perm("payables.view_profitestimate")
        and request.user.has_perm("sales.view_cost")})


@login_required
def rebate_blocked_page(request):
    """Rebates waiting for a factory's VAT invoice: factory, production order, since, days."""
    _need(request, VIEW)
    today = timezone.localdate()
    rows = blocked_rebates(user=request.user, today=today, limit=500)
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        headers = [str(h) for h in (_("customs declaration no."), _("shipment"), _("order"), _("customer"),
                                    _("factory"), _("production order"), _("waiting since"), _("days"))]
        data = [[b.rebate.declaration_no, b.rebate.shipment.number, b.rebate.shipment.order.number or "",
                 b.rebate.shipment.order.customer.code, m.supplier_name, m.production_order_no, b.since, b.days]
                for b in rows for m in b.missing]
        return xlsx_response(filename=f"tax-rebates-blocked-{stamp}.xlsx",
                             sheet_title=str(_("Blocked tax rebates"))[:31],
                             title=str(_("Tax rebates blocked by a missing VAT invoice")), exported_by=str(request.user),
                             headers=headers, rows=data)
    return render(request, "payables/rebate_blocked.html", {
        "title": _("Tax rebates blocked by a missing VAT invoice"), "rows": rows,
        "may_chase": request.user.has_perm(ADD) or request.user.has_perm(CHANGE)})


@login_required
def rebate_add(request):
    """Record the customs declaration of a shipped shipment (``?shipment=<id>`` preselects it)."""
    _need(request, ADD)
    shipments = list(shipments_without_rebate(user=request.user, limit=500))
    initial = {"declared_on": timezone.localdate().isoformat()}
    chosen = parse_id(request.GET.get("shipment"))
    if chosen:
        initial["shipment"] = chosen
    form = RebateForm(request.POST or None, shipments=shipments, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rebate = rebate_record(actor=request.user, shipment_id=form.cleaned_data["shipment"],
                                       declaration_no=form.cleaned_data["declaration_no"],
                                       declared_on=form.cleaned_data["declared_on"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Tax rebate recorded."))
                return redirect("payables:rebate_detail", pk=rebate.pk)
        else:
            status = 400
    return render(request, "payables/rebate_form.html", {"title": _("Record a tax rebate"), "form": form},
                  status=status)


def _detail_context(request, rebate: TaxRebate) -> dict:
    user = request.user
    comp = rebate_compute(rebate.shipment, rebate=rebate)
    vat_invoices = list(VatInvoice.objects.filter(rebate=rebate).select_related(
        "supplier_invoice__supplier", "supplier_invoice__production_order"))
    order = rebate.shipment.order
    events = (Event.objects.filter(content_type=ContentType.objects.get_for_model(order), object_id=order.pk,
                                   kind__startswith="payables.rebate_", params__shipment=rebate.shipment.number)
              .select_related("actor").order_by("-created_at", "-id")[:50])
    open_ = rebate.status in (TaxRebate.Status.WAITING, TaxRebate.Status.READY)
    return {
        "rebate": rebate, "title": _("Tax rebate %(no)s") % {"no": rebate.declaration_no}, "order": order,
        "comp": comp, "vat_invoices": vat_invoices, "events": events,
        "difference": rebate.received_amount - rebate.expected_amount
        if rebate.status == TaxRebate.Status.RECEIVED else None,
        "may_check": open_ and (user.has_perm(ADD) or user.has_perm(CHANGE)),
        "may_chase": open_ and bool(comp.missing) and (user.has_perm(ADD) or user.has_perm(CHANGE)),
        "may_file": open_ and user.has_perm(CHANGE),
        "may_receive": rebate.status == TaxRebate.Status.FILED and user.has_perm(CHANGE),
        "file_form": FileForm(initial={"version": rebate.version, "filed_on": timezone.localdate().isoformat()}),
        "receive_form": ReceiveForm(initial={"version": rebate.version, "amount": rebate.expected_amount,
                                             "received_on": timezone.localdate().isoformat()}),
    }


@login_required
def rebate_detail(request, pk: int):
    rebate = rebate_get_for_user(user=request.user, pk=pk)
    return render(request, "payables/rebate_detail.html", _detail_context(request, rebate))


def _action(request, pk: int, form_class, call, message: str, *, form_key: str):
    rebate = rebate_get_for_user(user=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None

    def refused(exc, bound):
        context = _detail_context(request, rebate_get_for_user(user=request.user, pk=pk))
        context["error"] = exc
        if bound is not None:
            context[form_key] = bound
        return render(request, "payables/rebate_detail.html", context)

    return run_action(request, form=form, call=lambda data: call(rebate, data), success_message=message,
                      success_url=request.POST.get("next") if request.POST.get("next", "").startswith("/payables/")
                      else reverse("payables:rebate_detail", args=[rebate.pk]), refused=refused)


@login_required
@require_POST
def rebate_check_page(request, pk: int):
    return _action(request, pk, None,
                   lambda r, d: rebate_check(actor=request.user, rebate_id=r.pk,
                                             version=request.POST.get("version") or None),
                   _("VAT invoices checked again."), form_key="file_form")


@login_required
@require_POST
def rebate_file_page(request, pk: int):
    return _action(request, pk, FileForm,
                   lambda r, d: rebate_file(actor=request.user, rebate_id=r.pk, filed_on=d["filed_on"],
                                            version=d.get("version")),
                   _("Tax rebate filed."), form_key="file_form")


@login_required
@require_POST
def rebate_receive_page(request, pk: int):
    return _action(request, pk, ReceiveForm,
                   lambda r, d: rebate_receive(actor=request.user, rebate_id=r.pk, amount=d["amount"],
                                               received_on=d["received_on"], version=d.get("version")),
                   _("Tax rebate received."), form_key="receive_form")


@login_required
@require_POST
def rebate_chase_page(request, pk: int):
    return _action(request, pk, ChaseForm,
                   lambda r, d: rebate_chase(actor=request.user, rebate_id=r.pk,
                                             production_order_id=d.get("production_order")),
                   _("The factory was asked for its VAT invoice."), form_key="chase_form")
