"""The order list's "T&A risk" filter (``sales.selectors.register_order_filter``), registered in
``TrackingConfig.ready``: the risk kept on the order's plan, so the list never reads milestones."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from gendan.sales.selectors import register_order_filter
from gendan.tracking.models import OrderPlan


def risk_q(risk: str) -> Q:
    """Orders whose active plan has ``risk``. A correlated EXISTS, probed per order in scope
    through the plan's unique order_id: a join lets SQLite start from every late plan of the
    company instead (bench/README.md)."""
    return Q(Exists(OrderPlan.objects.filter(order=OuterRef("pk"), risk=risk, is_active=True)))


def register() -> None:
    register_order_filter("risk", risk_q)
