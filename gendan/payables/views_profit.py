"""Pages of the order profit: the order page's panel (roles that may see cost), adding an
order cost there (finance, manager), and the report per customer, salesperson or month with
its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.core.errors import BusinessError
from gendan.core.xlsx import xlsx_response
from gendan.parties.models import Customer
from gendan.payables.forms_profit import OrderCostForm, ProfitReportForm
from gendan.payables.selectors.profit import GROUPS, may_see_profit, order_profit, profit_report
from gendan.payables.services.profit import ADD_COST, order_cost_add
from gendan.payables.views_rebates import filters_in_words
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user, order_queryset


def profit_order_count(request, order) -> int | None:
    """The "money" tab of the order page keeps the profit for who may see it (adds no number)."""
    return 0 if may_see_profit(request.user) and order.confirmed_at else None


def profit_order_panel(request, order) -> dict | None:
    """The order page's profit panel: estimate vs actual per line, margin, what is missing;
    hidden from roles that may not see cost, and for orders not yet confirmed."""
    if not may_see_profit(request.user) or not order.confirmed_at:
        return None
    profit = order_profit(order)
    form = OrderCostForm(initial={"currency": order.currency_id, "incurred_on": timezone.localdate().isoformat()})
    return {"profit": profit, "may_add_cost": request.user.has_perm(ADD_COST),
            "cost_form": getattr(request, "_order_cost_form", None) or form,
            "costs": list(order.extra_costs.select_related("recorded_by").order_by("-incurred_on", "-id")[:50])}


@login_required
@require_POST
def order_cost_add_page(request, order_pk: int):
    order = order_get_for_user(user=request.user, pk=order_pk)
    if not request.user.has_perm(ADD_COST) or not may_see_profit(request.user):
        raise PermissionDenied
    form = OrderCostForm(request.POST)
    error = None
    if form.is_valid():
        try:
            order_cost_add(actor=request.user, order_id=order.pk, **form.cleaned_data)
        except BusinessError as exc:
            error = exc
            for name, msgs in exc.fields.items():
                for msg in msgs:
                    form.add_error(name if name in form.fields else None, msg)
        else:
            messages.success(request, _("Cost added to the order's profit."))
            return redirect(order.get_absolute_url() + "?tab=money#profit-panel")
    else:
        error = BusinessError(_("Please correct the errors below."))
    request._order_cost_form = form
    messages.error(request, str(error.message))
    response = panels.order_page(request, order_get_for_user(user=request.user, pk=order_pk))
    response.status_code = error.status
    return response


def _report_form(request):
    orders = order_queryset(request.user).filter(confirmed_at__isnull=False)
    customers = Customer.objects.filter(pk__in=orders.order_by().values("customer_id")).order_by("code")
    salespeople = User.objects.filter(pk__in=orders.order_by().values("salesperson_id")).order_by("username")
    return ProfitReportForm(request.GET or None, customers=customers, salespeople=salespeople)


@login_required
def profit_report_page(request):
    """Profit per customer, salesperson or month of confirmation: orders, selling, costs, rebate,
    profit and margin (actual), estimated profit; totals; ``?export=xlsx`` the rows as shown."""
    if not may_see_profit(request.user):
        raise PermissionDenied
    form = _report_form(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    group_by = data.get("group_by") or "customer"
    filters = {"month_from": data.get("month_from"), "month_to": data.get("month_to"),
               "customer": data.get("customer") or None, "salesperson": data.get("salesperson") or None}
    rows, total = profit_report(user=request.user, group_by=group_by, filters=filters)
    if request.GET.get("export") == "xlsx":
        headers = [str(GROUPS[group_by]), _("orders"), _("selling (CNY)"), _("costs (CNY)"), _("tax rebate (CNY)"),
                   _("profit (CNY)"), _("margin %"), _("estimated profit (CNY)"), _("orders with costs missing")]
        lines = [[r.label, r.orders, r.selling, r.costs, r.rebate, r.profit, r.margin_pct, r.estimated_profit,
                  r.incomplete] for r in [*rows, total]]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(filename=f"order-profit-{group_by}-{stamp}.xlsx", sheet_title=str(_("Order profit"))[:31],
                             title=str(_("Order profit")), filters=filters_in_words(form),
                             exported_by=str(request.user), headers=[str(h) for h in headers], rows=lines)
    query = request.GET.copy()
    query["export"] = "xlsx"
    return render(request, "payables/profit_report.html", {
        "title": _("Order profit"), "form": form, "rows": rows, "total": total, "group_label": GROUPS[group_by],
        "export_querystring": query.urlencode()})
