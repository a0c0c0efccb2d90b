"""What every way of letting goods leave shares: how much of an order line may still ship (its
quantity ± the order's tolerance, less what already left), and what the order does once a
shipment left — its shipment sub-state, "shipped" after the last open quantity (then
"completed" when already paid), and the ``Shipped`` / ``OrderShipped`` event the T&A hears.

Used by ``order_ship`` (one step: record and ship) and ``warehouse.shipment_depart`` (the
planned, loaded shipment leaves)."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.workflows import ORDER
from gendan.shipping.events import OrderShipped, Shipped
from gendan.shipping.models import Shipment

S = SalesOrder.Status
HUNDRED = Decimal(100)


def tolerance(order: SalesOrder) -> Decimal:
    """The order's "more or less" clause as a fraction (0.05 for ±5 %)."""
    return (order.quantity_tolerance_percent or Decimal(0)) / HUNDRED


def ceiling(line: SalesOrderLine, order: SalesOrder) -> Decimal:
    """The most of ``line`` that may ship in all: its quantity plus the tolerance."""
    return line.quantity * (1 + tolerance(order))


def shippable(line: SalesOrderLine, order: SalesOrder) -> Decimal:
    """How much of ``line`` may still leave (never below zero)."""
    return max(ceiling(line, order) - line.shipped_quantity, Decimal(0))


def order_after_departure(*, actor: User, order: SalesOrder, shipment: Shipment) -> None:
    """The order after ``shipment`` left (its lines' shipped quantities already added), inside
    the transaction holding the order's lock: sub-states, "shipped" after the last open
    quantity, the version, and the event on the order's timeline."""
    old = order.status
    order_refresh_substates(order, actor=actor)
    fully_shipped = order.shipment_status == SalesOrder.ShipmentStatus.SHIPPED
    if fully_shipped and order.status != S.SHIPPED:
        ORDER.move(order, S.SHIPPED)
    order.version += 1
    order.save(update_fields=["status", "version", "updated_at"])
    if fully_shipped and old != S.SHIPPED:
        publish(OrderShipped(actor=actor, order=order, shipment=shipment,
                             changes={"status": {"old": old, "new": S.SHIPPED}}))
        order_refresh_substates(order, actor=actor)  # completes it (its own event) when already paid
    else:
        publish(Shipped(actor=actor, order=order, shipment=shipment))
