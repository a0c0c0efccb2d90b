"""Reads of production orders, scoped to the user: a production order is visible to whoever
may see its sales order (and holds ``production.view_productionorder``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from gendan.accounts.roles import Role
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.readiness import Unfinished
from gendan.sales.selectors import order_queryset, order_scope

# Roles that issue and edit every order's production orders; a merchandiser only those of the
# orders they follow.
PRODUCTION_ROLES = (Role.PRODUCTION_PLANNER, Role.MANAGER, Role.ADMIN)


def production_order_queryset(user) -> QuerySet[ProductionOrder]:
    """Production orders of the sales orders ``user`` may see; none without the view permission."""
    if not user.is_authenticated or not user.has_perm("production.view_productionorder"):
        return ProductionOrder.objects.none()
    qs = ProductionOrder.objects.all()
    if order_scope(user) != Q():  # departments that serve every order need no subquery over them
        qs = qs.filter(sales_order__in=order_queryset(user).values("pk"))
    return qs.select_related("sales_order__customer", "sales_order__merchandiser", "supplier", "currency")


def line_totals() -> dict:
    """``qty`` and ``produced`` of a production order as correlated subqueries: a list computes
    them for the rows of its page only, where ``Sum`` over a join groups every production
    order before the page is cut (100 000 orders: 3 s → see bench/README.md)."""
    def total(field: str):
        return Subquery(ProductionOrderLine.objects.filter(production_order=OuterRef("pk")).order_by()
                        .values("production_order").annotate(total=Sum(field)).values("total"))

    return {"qty": total("quantity"), "produced": total("produced_quantity")}


def production_order_get_for_user(*, user, pk: int) -> ProductionOrder:
    """The production order with its lines (order line, product, colour × size cells); 404 when
    it does not exist or the user may not see it — the same answer for both."""
    try:
        return production_order_queryset(user).select_related("created_by", "issued_by").prefetch_related(
            Prefetch("lines", queryset=ProductionOrderLine.objects.select_related("order_line__product")
                     .prefetch_related("order_line__cells"))
        ).get(pk=pk)
    except (ProductionOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such production order.") from None


def may_edit(user, order: SalesOrder) -> bool:
    """Whether ``user`` issues and edits the production orders of ``order``: the production
    planner and the manager for every order, a merchandiser for the orders they follow."""
    if not user.has_perm("production.change_productionorder"):
        return False
    return user.is_superuser or user.has_role(*PRODUCTION_ROLES) or order.merchandiser_id == user.pk


@dataclass(frozen=True)
class LineQuantities:
    """Ordered, allocated (on production orders that are not cancelled) and produced quantity
    of one order line."""

    line: SalesOrderLine
    ordered: Decimal
    allocated: Decimal
    produced: Decimal

    @property
    def unallocated(self) -> Decimal:
        return self.ordered - self.allocated


def allocated_quantities(order: SalesOrder) -> dict[int, Decimal]:
    """Quantity per order line already given to (non-cancelled) production orders."""
    return {line_id: a for line_id, (a, _p) in _allocation(order).items()}


def _allocation(order: SalesOrder) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (ProductionOrderLine.objects.filter(order_line__order=order)
            .exclude(production_order__status=ProductionOrder.Status.CANCELLED)
            .values("order_line_id").annotate(a=Sum("quantity"), p=Sum("produced_quantity"))
            .values_list("order_line_id", "a", "p"))
    totals: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for line_id, allocated, produced in rows:
        # SQLite sums decimals as floats: back to the field's three places.
        totals[line_id] = (Decimal(str(allocated)).quantize(Decimal("0.001")),
                           Decimal(str(produced)).quantize(Decimal("0.001")))
    return totals


def order_quantities(order: SalesOrder) -> list[LineQuantities]:
    """Per order line, in line order: ordered vs allocated vs produced (one query, two when the
    order's lines are not prefetched)."""
    totals = _allocation(order)
    return [LineQuantities(line, line.quantity, *totals.get(line.pk, (Decimal(0), Decimal(0))))
            for line in sorted(order.lines.all(), key=lambda line: line.line_no)]


def production_unfinished(order: SalesOrder) -> list[Unfinished]:
    """The order's production orders not finished (``sales.readiness``): not cancelled, not
    finished or closed — on hold, issued, in production … — each with what it produced of what
    it was ordered, for "mark ready" to show and to ask a reason for."""
    done = {ProductionOrder.Status.FINISHED, ProductionOrder.Status.CLOSED, ProductionOrder.Status.CANCELLED}
    prefetched = getattr(order, "_prefetched_objects_cache", {}).get("production_orders")
    if prefetched is not None and all(p.status in done for p in prefetched):
        return []  # the order's page read its production orders: none unfinished, nothing to total
    rows = (ProductionOrder.objects.filter(sales_order=order).exclude(status__in=done).select_related("supplier")
            .annotate(**line_totals()).order_by("number"))
    return [Unfinished(what=f"{p.number} ({p.supplier})", status=p.get_status_display(), done=p.produced or Decimal(0),
                       total=p.qty or Decimal(0)) for p in rows]
