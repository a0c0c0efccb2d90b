"""Global-search provider for products (scoped through the selectors)."""

from __future__ import annotations

from gendan.catalog import selectors


def search_products(*, user, query: str, limit: int) -> list[dict]:
    """Products whose item no., Chinese or English name, model or series contains ``query``."""
    qs = selectors.product_list(user=user, search=query).order_by("code")[:limit]
    return [
        {"title": f"{p.code} {p.display_name}",
         "subtitle": " · ".join(x for x in (p.get_kind_display(), p.model_no, p.series) if x),
         "url": p.get_absolute_url()}
        for p in qs
    ]
