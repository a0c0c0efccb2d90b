"""The order's production sub-state, derived from its production orders (``sales.substates``)."""

from __future__ import annotations

from gendan.production.models import ProductionOrder
from gendan.production.selectors import allocated_quantities
from gendan.production.workflows import DONE, STARTED
from gendan.sales import substates
from gendan.sales.models import SalesOrder

P = SalesOrder.ProductionStatus


def production_status_from(rows: set[tuple[str, str]], *, covered) -> str:
    """The rule, on plain values: ``rows`` are the (status, held_from) pairs of the order's
    production orders that are not cancelled; ``covered()`` says whether together they hold
    every ordered quantity (asked only when every one is finished or closed). Released once
    there is one, in production once one has started (also while it is on hold), finished when
    all are finished or closed and cover the order."""
    if not rows:
        return P.NOT_RELEASED
    statuses = {status for status, _held in rows}
    if statuses <= DONE:
        return P.FINISHED if covered() else P.IN_PROGRESS
    if statuses & STARTED or any(held in STARTED for _status, held in rows):
        return P.IN_PROGRESS
    return P.RELEASED


def production_status(order: SalesOrder) -> str:
    """The order's production sub-state, read from its production orders."""
    waiting = ProductionOrder.Status.AWAITING_REACK
    # One awaiting its re-acknowledgement (or on hold from there) counts as where it was re-issued from.
    rows = {(status, reack_from if waiting in (status, held) else held)
            for status, held, reack_from in order.production_orders.exclude(status=ProductionOrder.Status.CANCELLED)
            .values_list("status", "held_from", "reack_from")}

    def covered() -> bool:
        allocated = allocated_quantities(order)
        return all(allocated.get(line.pk, 0) >= line.quantity for line in order.lines.all())

    return production_status_from(rows, covered=covered)


def order_production_refresh(order: SalesOrder) -> None:
    order.production_status = production_status(order)


def register() -> None:
    substates.register("production", fields=("production_status",), refresh=order_production_refresh, rank=20)
