"""The order list: filters (the customer typed, with suggestions in the user's scope), sorting,
the column chooser, grouping with subtotals per currency, saved views, the Excel export — all
of ``core.listing.ListPageView``; this module declares the order list's columns and groupings."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy

from gendan.core.listing import Column, GroupBy, ListPageView, Typeahead, display
from gendan.core.xlsx import MONEY
from gendan.parties.models import Customer
from gendan.sales import selectors
from gendan.sales.forms import OrderFilterForm
from gendan.sales.templatetags.sales_ui import ORDER_CELLS


def _plan_risk(order) -> str:
    """The order's T&A risk (empty for a draft, which has no plan, or a finished plan)."""
    try:
        plan = order.plan
    except ObjectDoesNotExist:
        return ""
    return plan.get_risk_display() if plan.is_active else ""


def customers_for_order_filter(view) -> Customer:
    """The customers whose names the order list may suggest to the user: every customer for the
    departments that serve every order, else the customers of the orders they see."""
    user = view.request.user
    if selectors.order_scope(user) == Q():
        return Customer.objects.order_by("code")
    # Ids first: a subquery over the scoped orders makes PostgreSQL scan them all (bench/README.md).
    ids = list(selectors.order_queryset(user).order_by().values_list("customer_id", flat=True).distinct())
    return Customer.objects.filter(pk__in=ids).order_by("code")


def _region(order) -> str:
    region = order.customer.region
    return region.display_name if region is not None else ""


# What a page of the order list reads of each row: its columns and the names shown (a full row of
# the order, its customer and its people is about 120 columns; issue 10). By relation, what reading
# it adds when a shown column or the grouping selects it (``Column.select``, ``GroupBy.select``).
LIST_READS = ("number", "customer_po_no", "customer_po_date", "ex_factory_date", "currency", "total_amount",
              "received_amount", "status", "payment_status", "production_status", "shipment_status",
              "customer__code", "customer__name_zh", "customer__name_en", "customer__region",
              *(f"{person}__{field}" for person in ("merchandiser", "salesperson")
                for field in ("username", "first_name", "last_name", "full_name")))
LIST_READS_WITH = {
    "plan": ("plan__risk", "plan__risk_kind", "plan__risk_params", "plan__risk_reason", "plan__is_active"),
    "customer__region": ("customer__region__code", "customer__region__name_zh", "customer__region__name_en"),
}


class OrderListView(ListPageView):
    template_name = "sales/order_list.html"
    results_template_name = "sales/_order_results.html"
    title = gettext_lazy("Sales orders")
    export_name = "orders"
    export_totals_by = "currency_id"
    default_sort = "-po_date"
    create_url_name = "sales:order_create"
    create_permission = "sales.add_salesorder"
    columns = [
        Column("number", gettext_lazy("order no."), value=str, sort="number", link=True),
        Column("customer", gettext_lazy("customer"), value=lambda o: f"{o.customer.code} {o.customer.display_name}",
               sort="customer__code"),
        Column("customer_po_no", gettext_lazy("customer PO no."), sort="customer_po_no"),
        Column("po_date", gettext_lazy("PO date"), value=lambda o: o.customer_po_date, sort="customer_po_date"),
        Column("ex_factory_date", gettext_lazy("ex-factory"), sort="ex_factory_date"),
        # shown on the page inside the total ("USD 1,234.00"); a column of its own in the export
        Column("currency_id", gettext_lazy("currency"), default=False),
        Column("total_amount", gettext_lazy("total"), sort="total_amount", numeric=True, format=MONEY, total=True),
        Column("status", gettext_lazy("status"), value=lambda o: o.get_status_display(), sort="status"),
        Column("payment_status", gettext_lazy("payment"), value=lambda o: o.get_payment_status_display(),
               sort="payment_status"),
        Column("production_status", gettext_lazy("production"), value=lambda o: o.get_production_status_display(),
               sort="production_status"),
        Column("shipment_status", gettext_lazy("shipment"), value=lambda o: o.get_shipment_status_display(),
               sort="shipment_status"),
        Column("merchandiser", gettext_lazy("merchandiser"), sort="merchandiser__username"),
        Column("risk", gettext_lazy("T&A risk"), value=lambda o: _plan_risk(o), sort="plan__risk", select=("plan",)),
        # optional columns (the column chooser)
        Column("salesperson", gettext_lazy("salesperson"), sort="salesperson__username", default=False),
        Column("region", gettext_lazy("region"), value=_region, sort="customer__region__code", default=False,
               select=("customer__region",)),
        Column("received_amount", gettext_lazy("received"), sort="received_amount", numeric=True, format=MONEY,
               total=True, default=False),
    ]
    group_by = [
        GroupBy("customer", gettext_lazy("customer"), "customer_id",
                display=lambda o: f"{o.customer.code} {o.customer.display_name}"),
        GroupBy("merchandiser", gettext_lazy("merchandiser"), "merchandiser_id",
                display=lambda o: str(o.merchandiser) if o.merchandiser_id else "—"),
        GroupBy("status", gettext_lazy("status"), "status", display=lambda o: o.get_status_display()),
        GroupBy("currency", gettext_lazy("currency"), "currency_id"),
        GroupBy("region", gettext_lazy("region"), "customer__region_id",
                display=lambda o: _region(o) or "—", select=("customer__region",)),
        GroupBy.month("exf_month", gettext_lazy("month of ex-factory date"), "ex_factory_date"),
    ]
    group_money = ("total_amount", "currency_id")
    typeahead = {"customer": Typeahead(customers_for_order_filter)}

    def get_base_queryset(self):
        if not self.request.user.has_perm("sales.view_salesorder"):
            raise PermissionDenied
        return selectors.order_queryset(self.request.user)

    def get_filter_form(self):
        return OrderFilterForm(self.request.GET or None)

    def row_cells(self, obj, columns):
        # the cells sales_ui.order_row makes from the order itself are not computed twice
        return ["" if c.key in ORDER_CELLS else display(c.get(obj)) for c in columns]

    def select_for_columns(self, qs, columns):
        qs = super().select_for_columns(qs.select_related(None).select_related("customer", "merchandiser",
                                                                                "salesperson"), columns)
        group = self.get_group()
        selected = {p for c in columns for part in (c.export or [c]) for p in (part.select or c.select)}
        selected |= set(group.select) if group is not None and group.select else set()
        if group is not None and group.select:
            qs = qs.select_related(*group.select)
        return qs.only(*LIST_READS, *(f for path in selected for f in LIST_READS_WITH.get(path, ())))

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "", False)}
        filters.pop("customer", None)  # typed: matched by code or name in the user's scope below
        qs = selectors.order_list(user=self.request.user, filters=filters)
        qs, _rest = self.typeahead_filter(qs, data, "customer", "customer")
        return qs
