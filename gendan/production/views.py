"""Production order pages: the list (filters, export), the production order's page with its
guarded step buttons, the draft's edit form, the PDF, and "add a production order" from a
sales order in production. Each POST calls one service; a refusal shows the page again with
the service's message and status (409 rule or stale page, 403 role, 400 input)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.listing import Column, GroupBy, ListPageView
from gendan.core.views import run_action
from gendan.core.xlsx import MONEY, QUANTITY
from gendan.production import rules, services
from gendan.production.actions import production_order_buttons
from gendan.production.bom import bill_of_materials
from gendan.production.forms import (
    AcceptForm,
    AddProductionOrderForm,
    FinishForm,
    ProductionOrderEditForm,
    ProductionOrderFilterForm,
    ReackForm,
    ReasonForm,
)
from gendan.production.models import ProductionOrder
from gendan.production.pdf import render_production_order
from gendan.production.selectors import (
    line_totals,
    may_edit,
    order_quantities,
    production_order_get_for_user,
    production_order_queryset,
)
from gendan.production.selectors_versions import versions_of
from gendan.production.services.versions import change_lines
from gendan.production.workflows import OPEN
from gendan.sales.forms import VersionForm
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_get_for_user


def _produced(p: ProductionOrder) -> str:
    if not p.qty:
        return ""
    return f"{p.produced.normalize():f} / {p.qty.normalize():f}"


# What a row of the list reads: its columns (``due`` is the committed or requested date, the
# change flag the revision and its reason, a supplier's name in the reader's language).
LIST_READS = ("number", "kind", "status", "due_date", "committed_due_date", "currency", "total_cost",
              "change_revision_no", "change_reason", "sales_order__number", "sales_order__customer__code",
              "supplier__code", "supplier__name_zh", "supplier__name_en")


class ProductionOrderListView(ListPageView):
    title = gettext_lazy("Production orders")
    export_name = "production-orders"
    export_totals_by = "currency_id"
    default_sort = "-number"
    filter_form_class = ProductionOrderFilterForm
    columns = [
        Column("number", gettext_lazy("production order no."), sort="number", link=True),
        Column("sales_order", gettext_lazy("sales order"), value=lambda p: str(p.sales_order), sort="sales_order__number"),
        Column("customer", gettext_lazy("customer"), value=lambda p: p.sales_order.customer.code,
               sort="sales_order__customer__code"),
        Column("supplier", gettext_lazy("workshop / factory"), value=lambda p: f"{p.supplier.code} {p.supplier.display_name}",
               sort="supplier__code"),
        Column("kind", gettext_lazy("kind"), value=lambda p: p.get_kind_display(), sort="kind"),
        Column("status", gettext_lazy("status"), value=lambda p: p.get_status_display(), sort="status"),
        Column("due_date", gettext_lazy("due date"), value=lambda p: p.due, sort="due_date"),
        Column("produced", gettext_lazy("produced / quantity"), value=_produced, numeric=True, export=[
            Column("produced_qty", gettext_lazy("produced"), value=lambda p: p.produced if p.qty else None,
                   format=QUANTITY, total=True),
            Column("qty", gettext_lazy("quantity"), value=lambda p: p.qty or None, format=QUANTITY, total=True)]),
        Column("total_cost", gettext_lazy("amount"), value=lambda p: p.total_cost if p.currency_id else "",
               sort="total_cost", numeric=True, export=[
                   Column("currency_id", gettext_lazy("currency")),
                   Column("total_cost", gettext_lazy("amount"), value=lambda p: p.total_cost if p.currency_id else None,
                          format=MONEY, total=True)]),
        Column("change_flag", gettext_lazy("changed by order revision")),
    ]
    # grouping (core.listing): counts per group; the amounts are sums over each order's lines,
    # added up per currency in the grouped export
    group_by = [
        GroupBy("supplier", gettext_lazy("workshop / factory"), "supplier_id",
                display=lambda p: f"{p.supplier.code} {p.supplier.display_name}"),
        GroupBy("status", gettext_lazy("status"), "status", display=lambda p: p.get_status_display()),
        GroupBy("kind", gettext_lazy("kind"), "kind", display=lambda p: p.get_kind_display()),
        GroupBy("customer", gettext_lazy("customer"), "sales_order__customer_id",
                display=lambda p: p.sales_order.customer.code),
        GroupBy.month("due_month", gettext_lazy("month of due date"), "due_date"),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("production.view_productionorder"):
            raise PermissionDenied
        # only the columns the list, its groups and its export show (issue 10: a page read 279
        # full rows of five models)
        return (production_order_queryset(self.request.user).select_related(None)
                .select_related("sales_order__customer", "supplier").only(*LIST_READS)
                .annotate(**line_totals()))

    def filter_queryset(self, qs, data):
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(sales_order__number__icontains=q)
                           | Q(sales_order__customer_po_no__icontains=q) | Q(supplier__code__icontains=q)
                           | Q(supplier__name_zh__icontains=q) | Q(supplier__name_en__icontains=q))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("supplier"):
            qs = qs.filter(supplier=data["supplier"])
        if data.get("due_from"):
            qs = qs.filter(due_date__gte=data["due_from"])
        if data.get("due_to"):
            qs = qs.filter(due_date__lte=data["due_to"])
        if data.get("overdue"):
            qs = qs.filter(status__in=OPEN, due_date__lt=timezone.localdate())
        if data.get("changed"):
            qs = qs.exclude(change_revision_no=None)
        return qs


# The forms of the step buttons that ask for something (prefix = action name).
ACTION_FORMS = {"accept": AcceptForm, "override_first_article": ReasonForm, "finish": FinishForm,
                "hold": ReasonForm, "cancel": ReasonForm, "reack_accept": ReackForm, "reack_refuse": ReasonForm}


def _page_context(request, production_order: ProductionOrder, *, bound: dict | None = None, open_action: str = "",
                  error: str = "") -> dict:
    forms = {name: form_class(prefix=name) for name, form_class in ACTION_FORMS.items()}
    forms.update(bound or {})
    lines = list(production_order.lines.all())
    return {
        "po": production_order,
        "title": str(production_order),
        "lines": lines,
        "quantities": order_quantities(production_order.sales_order),
        "materials": bill_of_materials(production_order),
        "buttons": production_order_buttons(user=request.user, production_order=production_order),
        "first_article": rules.first_article(production_order),
        "forms": forms,
        "open_action": open_action,
        "error": error,
        "events": timeline_for(production_order),
        "versions": [(v, change_lines(v.changes)) for v in versions_of(production_order)],
    }


@login_required
def production_order_detail(request, pk: int):
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    return render(request, "production/production_order_detail.html", _page_context(request, production_order))


def _version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


def _call(action: str, request, pk: int, data: dict):
    user, version = request.user, _version(request)
    common = {"actor": user, "production_order_id": pk, "expected_version": version}
    calls: dict[str, Callable] = {
        "issue": lambda: services.production_order_issue(**common),
        "accept": lambda: services.production_order_accept(committed_due_date=data["committed_due_date"], **common),
        "override_first_article": lambda: services.production_order_override_first_article(
            reason=data["reason"], **common),
        "start": lambda: services.production_order_start(**common),
        "finish": lambda: services.production_order_finish(reason=data.get("reason", ""), **common),
        "close": lambda: services.production_order_close(**common),
        "hold": lambda: services.production_order_hold(reason=data["reason"], **common),
        "resume": lambda: services.production_order_resume(**common),
        "cancel": lambda: services.production_order_cancel(reason=data["reason"], **common),
        "reack_accept": lambda: services.production_order_reacknowledge(
            committed_due_date=data.get("committed_due_date"), note=data.get("note", ""), **common),
        "reack_refuse": lambda: services.production_order_reack_refuse(reason=data["reason"], **common),
    }
    return calls[action]()


SUCCESS = {
    "issue": gettext_lazy("Production order issued; the PDF is being emailed to the distribution list."),
    "accept": gettext_lazy("Accepted by the factory with its committed due date."),
    "override_first_article": gettext_lazy("First-article rule overridden; the reason is on the timeline."),
    "start": gettext_lazy("Production started."),
    "finish": gettext_lazy("Production finished."),
    "close": gettext_lazy("Production order closed."),
    "hold": gettext_lazy("Production order put on hold."),
    "resume": gettext_lazy("Production order resumed."),
    "cancel": gettext_lazy("Production order cancelled."),
    "reack_accept": gettext_lazy("The factory's re-acknowledgement is recorded."),
    "reack_refuse": gettext_lazy("The factory's refusal is recorded; the production order stays open and is "
                                 "escalated on the board."),
}


@login_required
@require_POST
def production_order_action(request, pk: int, action: str):
    if action not in SUCCESS:
        raise Http404
    production_order = production_order_get_for_user(user=request.user, pk=pk)  # 404 outside the scope
    form = ACTION_FORMS[action](request.POST, prefix=action) if action in ACTION_FORMS else None
    return run_action(request, form=form, call=lambda data: _call(action, request, production_order.pk, data),
                      success_message=SUCCESS[action], success_url=production_order.get_absolute_url(),
                      refused=lambda exc, form: _refused(request, pk, action=action, form=form, exc=exc))


def _refused(request, pk: int, *, action: str, exc: BusinessError, form=None) -> HttpResponse:
    """The production order's page as it stands, with the refused step's form open and its message
    (the status is the one mapping's, set by ``run_action``)."""
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    context = _page_context(request, production_order, bound={action: form} if form is not None else None,
                            open_action=action, error=str(exc.message))
    return render(request, "production/production_order_detail.html", context)


@login_required
def production_order_edit(request, pk: int):
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    if not may_edit(request.user, production_order.sales_order):
        raise PermissionDenied
    status, error = 200, ""
    if request.method == "POST":
        form = ProductionOrderEditForm(request.POST, production_order=production_order)
        if form.is_valid():
            try:
                services.production_order_update(
                    actor=request.user, production_order_id=production_order.pk, data=form.header(),
                    lines=form.line_values(), expected_version=form.cleaned_data.get("version"))
            except BusinessError as exc:
                form.place_line_errors(exc)
                add_business_error(form, exc)
                status, error = error_status(exc), str(exc.message)
            else:
                messages.success(request, _("Production order saved."))
                return redirect(production_order)
        else:
            status = 400
    else:
        form = ProductionOrderEditForm(production_order=production_order)
    check = rules.edit_check(production_order)
    return render(request, "production/production_order_form.html", {
        "po": production_order, "form": form, "title": _("Edit %(po)s") % {"po": production_order},
        "editable": check, "error": error}, status=status)


@login_required
def production_order_version_pdf(request, pk: int, number: int):
    """The PDF of a re-issued version, as it was e-mailed to the factory."""
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    version = production_order.versions.filter(number=number).exclude(pdf="").first()
    if version is None:
        raise Http404("No such version.")
    with version.pdf.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{production_order.number}-v{number}.pdf"'
    return response


@login_required
def production_order_pdf(request, pk: int):
    """The issued PDF; for a draft, a preview rendered now (not stored)."""
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    if production_order.pdf:
        with production_order.pdf.open("rb") as fh:
            content = fh.read()
    else:
        content = render_production_order(production_order=production_order)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{production_order.number}.pdf"'
    return response


@login_required
def production_order_add(request, order_pk: int):
    """Add a production order for the quantity of an order in production that no production
    order holds yet."""
    order = order_get_for_user(user=request.user, pk=order_pk)
    if not request.user.has_perm("production.add_productionorder") or not may_edit(request.user, order):
        raise PermissionDenied
    quantities = order_quantities(order)
    unallocated = {row.line.pk: row.unallocated for row in quantities}
    check = rules.add_check(order, unallocated)
    status, error = 200, ""
    form = AddProductionOrderForm(request.POST or None, user=request.user, order=order, open_quantities=unallocated)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.production_order_add(
                    actor=request.user, order_id=order.pk, supplier=form.cleaned_data["supplier"],
                    due_date=form.cleaned_data["due_date"], lines=form.quantities(),
                    notes=form.cleaned_data.get("notes", ""), expected_version=form.cleaned_data.get("version"))
            except BusinessError as exc:
                form.place_line_errors(exc)
                add_business_error(form, exc)
                status, error = error_status(exc), str(exc.message)
            else:
                messages.success(request, _("Production order %(po)s added as a draft: complete and issue it.")
                                 % {"po": created})
                return redirect(created)
        else:
            status = 400
    return render(request, "production/production_order_add.html", {
        "order": order, "form": form, "check": check, "rows": quantities, "error": error,
        "title": _("Add a production order to %(order)s") % {"order": order}}, status=status)


def reack_panel(request, order) -> dict | None:
    """The order page's note of the production orders waiting for the factory's re-acknowledgement
    of a change order's new version (read from the order's production orders, which its page's
    selector prefetches; nothing when none waits)."""
    if not request.user.has_perm("production.view_productionorder"):
        return None
    waiting = sorted(((p.pk, p.number) for p in order.production_orders.all()
                      if p.status == ProductionOrder.Status.AWAITING_REACK), key=lambda row: row[1])
    return {"waiting": waiting, "n": len(waiting)} if waiting else None


def order_panel(request, order) -> dict | None:
    """The sales order page's production section: ordered vs allocated vs produced per line
    and the order's production orders (three queries)."""
    user = request.user
    if not user.has_perm("production.view_productionorder"):
        return None
    production_orders = list(ProductionOrder.objects.filter(sales_order=order).select_related("supplier")
                             .annotate(qty=Sum("lines__quantity"), produced=Sum("lines__produced_quantity"))
                             .order_by("number"))
    rows = order_quantities(order)
    if order.status == SalesOrder.Status.DRAFT:
        return None
    can_add = user.has_perm("production.add_productionorder") and may_edit(user, order)
    return {"rows": rows, "production_orders": production_orders,
            "add": rules.add_check(order, {r.line.pk: r.unallocated for r in rows}) if can_add else None}
