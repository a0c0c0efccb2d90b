"""Production order pages (minimal): the list and the production order's page. The follow-up
(materials, samples, progress, inspections) builds on these."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from gendan.core.events import timeline_for
from gendan.core.forms import BootstrapLikeMixin
from gendan.core.listing import Column, ListPageView
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.sales.selectors import order_queryset


def production_order_queryset(user) -> QuerySet[ProductionOrder]:
    """Production orders of the sales orders ``user`` may see; none without the view permission.
    (Belongs in ``production/selectors.py`` once that module exists.)"""
    if not user.is_authenticated or not user.has_perm("production.view_productionorder"):
        return ProductionOrder.objects.none()
    return ProductionOrder.objects.filter(sales_order__in=order_queryset(user).values("pk")).select_related(
        "sales_order__customer", "supplier")


def production_order_get_for_user(*, user, pk: int) -> ProductionOrder:
    try:
        return production_order_queryset(user).prefetch_related(
            Prefetch("lines", queryset=ProductionOrderLine.objects.select_related("order_line"))
        ).get(pk=pk)
    except (ProductionOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such production order.") from None


class ProductionOrderFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("production order no., order no., factory")}))
    status = forms.ChoiceField(label=gettext_lazy("status"), required=False,
                               choices=[("", gettext_lazy("all")), *ProductionOrder.Status.choices])
    kind = forms.ChoiceField(label=gettext_lazy("kind"), required=False,
                             choices=[("", gettext_lazy("all")), *ProductionOrder.Kind.choices])
    changed = forms.BooleanField(label=gettext_lazy("changed by a change order"), required=False)


class ProductionOrderListView(ListPageView):
    title = gettext_lazy("Production orders")
    export_name = "production-orders"
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
        Column("due_date", gettext_lazy("due date"), sort="due_date"),
        Column("change_flag", gettext_lazy("changed by order revision")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("production.view_productionorder"):
            raise PermissionDenied
        return production_order_queryset(self.request.user)

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
        if data.get("changed"):
            qs = qs.exclude(change_flag="")
        return qs


@login_required
def production_order_detail(request, pk: int):
    production_order = production_order_get_for_user(user=request.user, pk=pk)
    return render(request, "production/production_order_detail.html", {
        "po": production_order,
        "title": str(production_order),
        "lines": list(production_order.lines.all()),
        "events": timeline_for(production_order),
    })
