"""Global-search providers for sales orders (order no., customer PO no., customer code / name)
and quotations, scoped through the sales selectors."""

from __future__ import annotations

from django.db.models import Q

from gendan.sales import selectors


def search_orders(*, user, query: str, limit: int) -> list[dict]:
    qs = selectors.order_list(user=user, filters={"q": query}).order_by("-customer_po_date", "-id")[:limit]
    return [{"title": f"{o} · PO {o.customer_po_no}",
             "subtitle": f"{o.customer.code} {o.customer.display_name} · {o.get_status_display()}",
             "url": o.get_absolute_url()} for o in qs]


def search_quotations(*, user, query: str, limit: int) -> list[dict]:
    qs = selectors.quotation_queryset(user).filter(
        Q(number__icontains=query) | Q(customer__code__icontains=query) | Q(customer__name_en__icontains=query)
        | Q(customer__name_zh__icontains=query)).order_by("-quoted_on", "-id")[:limit]
    return [{"title": str(q), "subtitle": f"{q.customer.code} {q.customer.display_name} · {q.get_status_display()}",
             "url": q.get_absolute_url()} for q in qs]
