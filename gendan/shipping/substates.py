"""The order's shipment sub-state, derived from what its shipments took (``sales.substates``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from gendan.sales import substates
from gendan.sales.models import SalesOrder


def shipment_status_from(shipped, ordered, tolerance_percent=0) -> str:
    """The rule, on plain values: not shipped, partly shipped or fully shipped — fully once
    what left reaches the quantity ordered less the order's tolerance ("more or less 5 %")."""
    if (shipped or 0) <= 0:
        return SalesOrder.ShipmentStatus.NOT_SHIPPED
    if shipped < (ordered or 0) * (1 - Decimal(tolerance_percent or 0) / 100):
        return SalesOrder.ShipmentStatus.PARTIAL
    return SalesOrder.ShipmentStatus.SHIPPED


def shipment_status(order: SalesOrder) -> str:
    """The lines' shipped against ordered quantities."""
    totals = order.lines.aggregate(q=Sum("quantity"), s=Sum("shipped_quantity"))
    return shipment_status_from(totals["s"] or 0, totals["q"] or 0, order.quantity_tolerance_percent)


def order_shipment_refresh(order: SalesOrder) -> None:
    order.shipment_status = shipment_status(order)


def register() -> None:
    substates.register("shipment", fields=("shipment_status",), refresh=order_shipment_refresh, rank=30)
