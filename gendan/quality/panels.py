"""The "Quality" section of the sales order page: inspections, samples and first articles."""

from __future__ import annotations

from gendan.production.models import ProductionOrder
from gendan.quality.models import FirstArticle, Inspection, Sample
from gendan.quality.rules import SHIPPABLE


def quality_count(request, order) -> int | None:
    """The order page's "samples & inspections" tab: how many of each the order has (one query)."""
    if not request.user.has_perm("quality.view_inspection"):
        return None
    return (Inspection.objects.filter(sales_order=order).order_by().values("pk")
            .union(Sample.objects.filter(sales_order=order).order_by().values("pk"), all=True).count())


def quality_panel(request, order) -> dict | None:
    """Three bounded queries; ``None`` for users who may not see quality records."""
    user = request.user
    if not user.has_perm("quality.view_inspection"):
        return None
    return {
        "inspections": list(Inspection.objects.filter(sales_order=order).order_by("-planned_on", "-id")[:20]),
        "samples": list(Sample.objects.filter(sales_order=order).order_by("-id")[:20]),
        "first_articles": list(FirstArticle.objects.filter(sales_order=order)
                               .select_related("production_order").order_by("-id")[:20]),
        "can_book": user.has_perm("quality.add_inspection") and order.status in SHIPPABLE,
        "can_request_sample": user.has_perm("quality.add_sample") and order.status in SHIPPABLE,
        "can_open_first_article": user.has_perm("quality.add_firstarticle"),
        "production_orders": [p for p in order.production_orders.all() if p.status != ProductionOrder.Status.CANCELLED],
    }
