"""Reads of re-issued purchase order versions (``services.versions``): a purchase order's
versions for its page, and the re-acknowledgements to chase — not received within two working
days of the re-issue (``production.selectors_versions.REACK_WORKING_DAYS``), or refused by the
supplier — for the buyer and the merchandisers of the orders it buys for (``tracking.reack_chase``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from gendan.accounts.roles import Role
from gendan.production.selectors_versions import VERSION_COLUMNS, reack_overdue_before
from gendan.purchasing.models import PurchaseCoverage, PurchaseOrder, PurchaseOrderVersion
from gendan.purchasing.workflows import REISSUABLE

V = PurchaseOrderVersion.Reack


def versions_of(purchase_order: PurchaseOrder) -> list[PurchaseOrderVersion]:
    return list(purchase_order.versions.select_related("created_by", "reack_by").order_by("-number"))


def reacks_to_chase(*, user, today: dt.date, limit: int) -> list[PurchaseOrderVersion]:
    """Re-acknowledgements the user chases: a buyer's own purchase orders, a merchandiser's
    orders' (refused, or awaited past two working days; one query)."""
    if not user.is_authenticated or not user.has_perm("purchasing.view_purchaseorder"):
        return []
    mine = Q()
    if user.has_role(Role.PURCHASING):
        mine |= Q(purchase_order__purchaser=user)
    if user.has_role(Role.MERCHANDISER):
        mine |= Q(Exists(PurchaseCoverage.objects.filter(
            line__purchase_order=OuterRef("purchase_order"),
            requirement__production_order__sales_order__merchandiser=user)))
    if mine == Q():
        return []
    due = Q(reack_status=V.AWAITING, created_at__lt=reack_overdue_before(today)) | Q(reack_status=V.REFUSED)
    return list(PurchaseOrderVersion.objects.filter(due, mine, purchase_order__status__in=REISSUABLE)
                .select_related("purchase_order__supplier")
                .only(*VERSION_COLUMNS, "purchase_order_id", "purchase_order__id", "purchase_order__number",
                      "purchase_order__supplier_id", "purchase_order__supplier__id", "purchase_order__supplier__code")
                .order_by("created_at", "pk")[:limit])
