"""The customer page's "orders" tab (``parties.sections``): the customer's orders the user may
see, open ones first, with the count of open orders on the tab (one query)."""

from __future__ import annotations

from django.urls import reverse

from gendan.parties import sections
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset

ROWS = 20
CLOSED = [SalesOrder.Status.COMPLETED, SalesOrder.Status.CLOSED, SalesOrder.Status.CANCELLED]


def _orders(request, customer):
    return order_queryset(request.user).filter(customer=customer)


def open_orders_count(request, customer) -> int | None:
    if not request.user.has_perm("sales.view_salesorder"):
        return None
    return _orders(request, customer).exclude(status__in=CLOSED).count()


def orders_section(request, customer) -> dict | None:
    if not request.user.has_perm("sales.view_salesorder"):
        return None
    orders = _orders(request, customer)
    show_all = request.GET.get("orders") == "all"
    shown = orders if show_all else orders.exclude(status__in=CLOSED)
    return {"orders": list(shown.order_by("-customer_po_date", "-id")[:ROWS]), "show_all": show_all,
            "total": orders.count(), "list_url": reverse("sales:order_list") + f"?customer={customer.pk}"}


def register() -> None:
    sections.register("orders", template="sales/_customer_orders.html", context=orders_section, tab="orders",
                      rank=10, count=open_orders_count)
