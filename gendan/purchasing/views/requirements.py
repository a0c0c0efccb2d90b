"""Material requirement pages: one production order's requirements (confirm the BOM,
re-derive, tick requirements to order), editing a requirement's supplier and ETA, and the
shortage list — what purchasing must chase."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.catalog.models import plain_decimal
from gendan.core.errors import BusinessError, CoreError, error_status
from gendan.core.forms import add_business_error
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_action
from gendan.core.xlsx import QUANTITY
from gendan.purchasing import rules, selectors
from gendan.purchasing.errors import PurchasingError
from gendan.purchasing.forms import RequirementForm, ShortageFilterForm
from gendan.purchasing.models import MaterialRequirement
from gendan.purchasing.services.requirements import bom_confirm, requirement_update, requirements_derive
from gendan.purchasing.views.orders import Button


def _page(request, production_order, *, error: str = "", status: int = 200):
    rows = selectors.requirements_of(user=request.user, production_order=production_order)
    today = timezone.localdate()
    for row in rows:
        row.short_reason = row.shortage_reason(today)
        row.chase = selectors.chase_phone(row)
    user = request.user
    confirm = rules.bom_confirm_check(production_order, user=user)
    return render(request, "purchasing/requirement_list.html", {
        "production_order": production_order, "rows": rows, "title": _("Materials of %(po)s") % {
            "po": production_order},
        "confirm": Button(confirm.allowed, confirm.reason) if confirm.code not in (
            CoreError.FORBIDDEN, PurchasingError.ALREADY_CONFIRMED)
        else None,
        "may_derive": hasattr(production_order, "bom_confirmation") and (
            user.has_perm("purchasing.change_materialrequirement") or user.has_perm("purchasing.confirm_bom")),
        "may_edit": user.has_perm("purchasing.change_materialrequirement"),
        "may_order": user.has_perm("purchasing.change_purchaseorder"),
        "action_error": error,
    }, status=status)


@login_required
def requirement_list(request, pk: int):
    production_order = selectors.production_order_for_requirements(user=request.user, pk=pk)
    return _page(request, production_order)


def _run(request, pk: int, call, success: str):
    production_order = selectors.production_order_for_requirements(user=request.user, pk=pk)

    def refused(exc: BusinessError, _form):
        fresh = selectors.production_order_for_requirements(user=request.user, pk=pk)
        return _page(request, fresh, error=str(exc.message))

    return run_action(request, call=lambda _data: call(production_order), success_message=success,
                      success_url=reverse("purchasing:requirement_list", args=[pk]), refused=refused)


@login_required
@require_POST
def bom_confirm_view(request, pk: int):
    return _run(request, pk, success=_("BOM confirmed; material requirements derived."),
                call=lambda po: bom_confirm(actor=request.user, production_order_id=po.pk,
                                            note=request.POST.get("note", "")))


@login_required
@require_POST
def requirements_derive_view(request, pk: int):
    return _run(request, pk, success=_("Material requirements derived again from the BOM."),
                call=lambda po: requirements_derive(actor=request.user, production_order=po))


@login_required
def requirement_edit(request, pk: int):
    requirement = selectors.requirement_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("purchasing.change_materialrequirement"):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = RequirementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                requirement_update(actor=request.user, requirement_id=requirement.pk,
                                   expected_version=data.get("version"), supplier=data.get("supplier"),
                                   eta=data.get("eta"), purchaser=data.get("purchaser"), reason=data.get("reason", ""))
                messages.success(request, _("Material requirement saved."))
                return redirect("purchasing:requirement_list", pk=requirement.production_order_id)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
        else:
            status = 400
    else:
        form = RequirementForm(initial={"version": requirement.version, "supplier": requirement.supplier_id,
                                        "eta": requirement.eta, "purchaser": requirement.purchaser_id})
    return render(request, "purchasing/requirement_form.html", {
        "requirement": requirement, "form": form, "title": str(requirement)}, status=status)


def _qty(r: MaterialRequirement, name: str) -> str:
    return f"{plain_decimal(getattr(r, name))} {r.unit}"


class ShortageListView(ListPageView):
    """Requirements short or late — what purchasing must chase, with whom to call."""

    title = gettext_lazy("Material shortages and late ETAs")
    export_name = "material-shortages"
    default_sort = "need_date"
    filter_form_class = ShortageFilterForm
    columns = [
        Column("need_date", gettext_lazy("needed by"), sort="need_date"),
        Column("material", gettext_lazy("material"), value=lambda r: str(r.component), sort="component__code",
               link=True),
        Column("production_order", gettext_lazy("production order"), value=lambda r: r.production_order.number,
               sort="production_order__number"),
        Column("sales_order", gettext_lazy("sales order"), value=lambda r: str(r.production_order.sales_order)),
        Column("required", gettext_lazy("required"), value=lambda r: _qty(r, "required_quantity"), numeric=True,
               export=[Column("required_quantity", gettext_lazy("required"), format=QUANTITY)]),
        Column("received", gettext_lazy("received"), value=lambda r: _qty(r, "received_quantity"), numeric=True,
               export=[Column("received_quantity", gettext_lazy("received"), format=QUANTITY),
                       Column("unit", gettext_lazy("unit"))]),
        Column("eta", gettext_lazy("material ETA"), sort="eta"),
        Column("why", gettext_lazy("why short"), value=lambda r: r.shortage_reason()),
        Column("status", gettext_lazy("status"), value=lambda r: r.get_status_display(), sort="status"),
        Column("supplier", gettext_lazy("supplier"), value=lambda r: str(r.supplier or ""), sort="supplier__code"),
        Column("chase", gettext_lazy("call"), value=selectors.chase_phone),
        Column("purchaser", gettext_lazy("purchaser"), value=lambda r: str(r.purchaser or "")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("purchasing.view_materialrequirement"):
            raise PermissionDenied
        qs = selectors.with_supplier_contacts(selectors.requirement_queryset(self.request.user))
        if (self.request.GET.get("status") or "") != "all":
            qs = qs.filter(selectors.shortage_q())
        else:
            qs = qs.exclude(status=MaterialRequirement.Status.RECEIVED).exclude(
                production_order__status__in=selectors.INACTIVE_PRODUCTION)
        return qs

    def filter_queryset(self, qs, data):
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(component__code__icontains=q) | Q(component__name_zh__icontains=q)
                           | Q(component__name_en__icontains=q) | Q(production_order__number__icontains=q)
                           | Q(supplier__code__icontains=q) | Q(supplier__name_zh__icontains=q))
        if data.get("supplier"):
            qs = qs.filter(supplier=data["supplier"])
        if data.get("mine"):
            qs = qs.filter(purchaser=self.request.user)
        return qs
