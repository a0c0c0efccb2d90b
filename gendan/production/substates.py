"""The order's production sub-state, derived from its production orders (``sales.substates``)."""

from __future__ import annotations

from gendan.production.models import ProductionOrder
from gendan.production.selectors import allocated_quantities
from gendan.production.workflows import DONE, STARTED
from gendan.sales import substates
from gendan.sales.models import SalesOrder

P = SalesOrder.ProductionStatus


def production_status(order: SalesOrder) -> str:
    """Follows the production orders (cancelled ones do not count): released once there is one,
    in production once one has started (also while it is on hold), finished when all are
    finished or closed and together they hold every ordered quantity."""
    rows = set(order.production_orders.exclude(status=ProductionOrder.Status.CANCELLED)
               .values_list("status", "held_from"))
    if not rows:
        return P.NOT_RELEASED
    statuses = {status for status, _held in rows}
    if statuses <= DONE:
        allocated = allocated_quantities(order)
        if all(allocated.get(line.pk, 0) >= line.quantity for line in order.lines.all()):
            return P.FINISHED
        return P.IN_PROGRESS
    if statuses & STARTED or any(held in STARTED for _status, held in rows):
        return P.IN_PROGRESS
    return P.RELEASED


def order_production_refresh(order: SalesOrder) -> None:
    order.production_status = production_status(order)


def register() -> None:
    substates.register("production", fields=("production_status",), refresh=order_production_refresh, rank=20)
