"""Reads of re-issued production order versions (``services.versions``): a production order's
versions for its page, and the re-acknowledgements to chase — not received within
``REACK_WORKING_DAYS`` working days of the re-issue, or refused by the factory — for the order's
merchandiser's board and daily digest (``tracking.reack_chase``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from gendan.core.calendar import add_working_days
from gendan.production.models import ProductionOrder, ProductionOrderVersion
from gendan.sales.selectors import order_link_columns

REACK_WORKING_DAYS = 2
# What a re-acknowledgement's line on the board shows (tracking.reack_chase), of either kind of version.
VERSION_COLUMNS = ("id", "number", "reack_status", "reack_reason", "reack_at", "created_at")
P = ProductionOrder.Status
V = ProductionOrderVersion.Reack


def reack_due(issued_on: dt.date) -> dt.date:
    """The last day the re-acknowledgement of a version issued on ``issued_on`` is waited for."""
    return add_working_days(issued_on, REACK_WORKING_DAYS)


def reack_overdue_before(today: dt.date) -> dt.datetime:
    """Versions issued before this instant are overdue today (their due day has passed)."""
    day = today
    for _n in range(60):  # the calendar's longest holiday is far shorter
        if reack_due(day) < today:
            break
        day -= dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def versions_of(production_order: ProductionOrder) -> list[ProductionOrderVersion]:
    """A production order's re-issued versions, newest first (one query)."""
    return list(production_order.versions.select_related("created_by", "reack_by").order_by("-number"))


def reacks_to_chase(*, user, today: dt.date, limit: int) -> list[ProductionOrderVersion]:
    """Re-acknowledgements the user chases: of the production orders of the orders they follow
    as merchandiser, refused, or awaited past ``REACK_WORKING_DAYS`` working days (one query)."""
    if not user.is_authenticated or not user.has_perm("production.view_productionorder"):
        return []
    due = Q(reack_status=V.AWAITING, created_at__lt=reack_overdue_before(today)) | Q(reack_status=V.REFUSED)
    return list(ProductionOrderVersion.objects.filter(due, production_order__status__in=[P.AWAITING_REACK, P.ON_HOLD],
                                                      production_order__sales_order__merchandiser=user)
                .select_related("production_order__sales_order__customer", "production_order__supplier")
                .only(*VERSION_COLUMNS, "production_order_id", "production_order__id", "production_order__number",
                      "production_order__supplier_id", "production_order__supplier__id",
                      "production_order__supplier__code", "production_order__sales_order_id",
                      *order_link_columns("production_order__sales_order"))
                .order_by("created_at", "pk")[:limit])


def awaiting_reack_count(order) -> int:
    """How many production orders of the order wait for the factory's re-acknowledgement."""
    return ProductionOrder.objects.filter(sales_order=order, status=P.AWAITING_REACK).aggregate(n=Count("pk"))["n"]
