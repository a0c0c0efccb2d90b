"""The quality sections of the sales order page, each on its own tab: the inspections (验货)
on "inspections", the samples and first articles (样品 / 首件确认) on "samples"."""

from __future__ import annotations

from gendan.production.models import ProductionOrder
from gendan.quality.models import FirstArticle, Inspection, Sample
from gendan.quality.rules import SHIPPABLE

_SAMPLE_PERMS = ("quality.view_sample", "quality.view_firstarticle")


def inspection_count(request, order):
    """The "inspections" tab's number: the order's inspections (counted with the other tabs');
    ``None`` for who may not see inspections (the tab is left out)."""
    if not request.user.has_perm("quality.view_inspection"):
        return None
    return Inspection.objects.filter(sales_order=order)


def inspection_panel(request, order) -> dict | None:
    """One bounded query; ``None`` for users who may not see inspections."""
    user = request.user
    if not user.has_perm("quality.view_inspection"):
        return None
    return {
        "inspections": list(Inspection.objects.filter(sales_order=order).order_by("-planned_on", "-id")[:20]),
        "can_book": user.has_perm("quality.add_inspection") and order.status in SHIPPABLE,
    }


def sample_count(request, order):
    """The "samples" tab's number: the order's samples and first articles that the user may
    see (counted, added up, with the other tabs'); ``None`` for who may see neither."""
    user = request.user
    kinds = [model for perm, model in zip(_SAMPLE_PERMS, (Sample, FirstArticle), strict=True) if user.has_perm(perm)]
    if not kinds:
        return None
    return tuple(model.objects.filter(sales_order=order) for model in kinds)


def sample_panel(request, order) -> dict | None:
    """Two bounded queries; ``None`` for users who may see neither samples nor first articles."""
    user = request.user
    see_samples, see_first_articles = (user.has_perm(perm) for perm in _SAMPLE_PERMS)
    if not (see_samples or see_first_articles):
        return None
    return {
        "show_samples": see_samples,
        "show_first_articles": see_first_articles,
        "samples": list(Sample.objects.filter(sales_order=order).order_by("-id")[:20]) if see_samples else [],
        "first_articles": list(FirstArticle.objects.filter(sales_order=order)
                               .select_related("production_order").order_by("-id")[:20])
        if see_first_articles else [],
        "can_request_sample": user.has_perm("quality.add_sample") and order.status in SHIPPABLE,
        "can_open_first_article": user.has_perm("quality.add_firstarticle"),
        "production_orders": [p for p in order.production_orders.all() if p.status != ProductionOrder.Status.CANCELLED],
    }
