"""Reads of purchasing, scoped to the user: requirements follow their sales order's scope
(``sales.selectors.order_scope``); purchase orders are seen whole by purchasing, managers and
the departments that serve every order, and by a merchandiser when they buy for one of theirs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.parties.models import Contact
from gendan.production.models import ProductionOrder
from gendan.purchasing.models import (
    GoodsReceipt,
    MaterialRequirement,
    PurchaseCoverage,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierProgressNote,
)
from gendan.purchasing.workflows import OPEN
from gendan.sales.selectors import order_link_columns, order_queryset, order_scope

R = MaterialRequirement.Status
INACTIVE_PRODUCTION = [ProductionOrder.Status.CANCELLED, ProductionOrder.Status.CLOSED]


def shortage_q(today: dt.date | None = None) -> Q:
    """Requirements purchasing must chase: not received and the ETA is after the need date,
    the ETA passed, or no ETA when the material is needed now (``MaterialRequirement.shortage_reason``)."""
    today = today or timezone.localdate()
    return (~Q(status=R.RECEIVED) & ~Q(production_order__status__in=INACTIVE_PRODUCTION)
            & (Q(eta__gt=F("need_date")) | Q(eta__lt=today) | Q(eta__isnull=True, need_date__lte=today)))


def requirement_queryset(user: User) -> QuerySet[MaterialRequirement]:
    if not user.is_authenticated or not user.has_perm("purchasing.view_materialrequirement"):
        return MaterialRequirement.objects.none()
    qs = MaterialRequirement.objects.select_related(
        "component", "supplier", "purchaser", "production_order__sales_order__customer")
    scope = order_scope(user)
    if scope != Q():
        qs = qs.filter(production_order__sales_order__in=order_queryset(user).values("pk"))
    return qs


def with_supplier_contacts(qs: QuerySet[MaterialRequirement]) -> QuerySet[MaterialRequirement]:
    """Prefetch who to call at each supplier (main contact first) — one query for the page."""
    return qs.prefetch_related(Prefetch("supplier__contacts", queryset=Contact.objects.order_by("-is_primary", "name"),
                                        to_attr="contact_list"))


def chase_phone(requirement: MaterialRequirement) -> str:
    """The number purchasing calls: the supplier's main contact, else the supplier's phone."""
    supplier = requirement.supplier
    if supplier is None:
        return ""
    for contact in getattr(supplier, "contact_list", []):
        number = contact.mobile or contact.phone
        if number:
            return f"{contact.name} {number}"
    return supplier.phone


def production_order_for_requirements(*, user: User, pk: int) -> ProductionOrder:
    """The production order whose requirements the user may see; 404 otherwise."""
    if not user.has_perm("purchasing.view_materialrequirement"):
        raise Http404
    try:
        return (ProductionOrder.objects.filter(sales_order__in=order_queryset(user).values("pk"))
                .select_related("sales_order__customer", "supplier", "bom_confirmation__confirmed_by")
                .prefetch_related("lines__order_line").get(pk=pk))
    except (ProductionOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such production order.") from None


def requirements_of(*, user: User, production_order: ProductionOrder) -> list[MaterialRequirement]:
    return list(with_supplier_contacts(requirement_queryset(user).filter(production_order=production_order))
                .order_by("component__code"))


def requirement_get_for_user(*, user: User, pk: int) -> MaterialRequirement:
    try:
        return requirement_queryset(user).get(pk=pk)
    except (MaterialRequirement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such material requirement.") from None


def purchase_order_queryset(user: User) -> QuerySet[PurchaseOrder]:
    if not user.is_authenticated or not user.has_perm("purchasing.view_purchaseorder"):
        return PurchaseOrder.objects.none()
    qs = PurchaseOrder.objects.select_related("supplier", "currency", "purchaser")
    # The purchasing department buys for every order; anyone else — a regional manager included —
    # sees the purchase orders of the sales orders they see: the rule of the production orders.
    if user.is_superuser or user.has_role(Role.PURCHASING) or order_scope(user) == Q():
        return qs
    mine = PurchaseCoverage.objects.filter(
        line__purchase_order=OuterRef("pk"),
        requirement__production_order__sales_order__in=order_queryset(user).values("pk"))
    return qs.filter(Exists(mine))


def late_q(today: dt.date | None = None) -> Q:
    """Purchase orders still expecting goods on a line whose ETA has passed."""
    today = today or timezone.localdate()
    late_lines = PurchaseOrderLine.objects.filter(purchase_order=OuterRef("pk"), eta__lt=today,
                                                  received_quantity__lt=F("quantity"))
    return Q(status__in=list(OPEN)) & Q(Exists(late_lines))


def purchase_order_get_for_user(*, user: User, pk: int) -> PurchaseOrder:
    """The purchase order with its lines, coverage, receipts and notes; 404 outside the scope."""
    try:
        return purchase_order_queryset(user).prefetch_related(
            Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("material").prefetch_related(
                Prefetch("coverages", queryset=PurchaseCoverage.objects.select_related(
                    "requirement__production_order__sales_order")))),
            Prefetch("receipts", queryset=GoodsReceipt.objects.select_related("received_by")
                     .prefetch_related("lines__line")),
            Prefetch("progress_notes", queryset=SupplierProgressNote.objects.select_related("recorded_by", "line")),
            "supplier__contacts",
        ).get(pk=pk)
    except (PurchaseOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such purchase order.") from None


def materials_open(*, user: User, order) -> QuerySet[MaterialRequirement] | None:
    """Material requirements of the order's live production orders not yet received; ``None`` for
    a role that does not see materials."""
    if not user.has_perm("purchasing.view_materialrequirement"):
        return None
    return (MaterialRequirement.objects.filter(production_order__sales_order=order)
            .exclude(production_order__status__in=INACTIVE_PRODUCTION).exclude(status=R.RECEIVED))


def materials_panel(*, user: User, order) -> dict | None:
    """The sales order page's "Materials" panel: each production order's BOM state and its
    requirements, the short ones first with who to chase."""
    if not user.has_perm("purchasing.view_materialrequirement"):
        return None
    productions = [p for p in order.production_orders.all() if p.status not in INACTIVE_PRODUCTION]
    if not productions:
        return None
    confirmed = set(ProductionOrder.objects.filter(pk__in=[p.pk for p in productions], bom_confirmation__isnull=False)
                    .values_list("pk", flat=True))
    rows = list(with_supplier_contacts(MaterialRequirement.objects.filter(production_order__in=productions)
                                       .select_related("component", "supplier", "purchaser", "production_order"))
                .order_by("need_date", "component__code")[:200])
    today = timezone.localdate()
    for row in rows:
        row.short_reason = row.shortage_reason(today)
        row.chase = chase_phone(row)
    rows.sort(key=lambda r: (not r.short_reason, r.need_date, r.component.code))
    pending = [r for r in rows if r.status != R.RECEIVED]
    return {"productions": [{"po": p, "bom_confirmed": p.pk in confirmed} for p in productions],
            "rows": pending, "received": len(rows) - len(pending), "total": len(rows),
            "short": sum(1 for r in rows if r.short_reason),
            "may_confirm": user.has_perm("purchasing.confirm_bom")}


# --- shortages on the chase board -----------------------------------------------------------


def shortages_for_board(*, user: User, today: dt.date, limit: int) -> list[dict]:
    """Material shortages (``shortage_q``) the user chases, one row per production order: a
    purchaser's own requirements (and those nobody buys yet), a merchandiser's orders'. Each row:
    the production order, how many materials are short, the earliest need date, the latest ETA,
    one requirement's reason. Two queries (the rows, then their production orders)."""
    if not user.has_perm("purchasing.view_materialrequirement"):
        return []
    mine = Q()
    if user.has_role(Role.PURCHASING):
        mine |= Q(purchaser=user) | Q(purchaser__isnull=True)
    if user.has_role(Role.MERCHANDISER):
        mine |= Q(production_order__sales_order__merchandiser=user)
    if mine == Q():
        return []
    rows = list(MaterialRequirement.objects.filter(shortage_q(today)).filter(mine)
                .values("production_order_id").annotate(n=Count("id"), need=Min("need_date"), eta=Max("eta"))
                .order_by("need", "production_order_id")[:limit])
    orders = ProductionOrder.objects.select_related("sales_order__customer").only(
        "id", "number", "sales_order_id", *order_link_columns("sales_order")).in_bulk(
        [r["production_order_id"] for r in rows])
    return [{**r, "production_order": orders[r["production_order_id"]]} for r in rows
            if r["production_order_id"] in orders]
