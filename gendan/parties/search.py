"""Global-search providers for customers and suppliers (scoped through the selectors)."""

from __future__ import annotations

from gendan.parties import selectors


def search_customers(*, user, query: str, limit: int) -> list[dict]:
    qs = selectors.customer_list(user=user, search=query).order_by("code")[:limit]
    return [{"title": f"{c.code} {c.display_name}", "subtitle": c.country_name, "url": c.get_absolute_url()}
            for c in qs]


def search_suppliers(*, user, query: str, limit: int) -> list[dict]:
    qs = selectors.supplier_list(user=user, search=query).order_by("code")[:limit]
    return [{"title": f"{s.code} {s.display_name}", "subtitle": s.get_kind_display(), "url": s.get_absolute_url()}
            for s in qs]
