"""What shipping plugs into a sales order: its shipment sub-state, the "ship" action and the
release of the original B/L. Registered in ``ShippingConfig.ready``."""

from __future__ import annotations

from gendan.sales import actions
from gendan.sales.models import SalesOrder
from gendan.shipping import substates
from gendan.shipping.rules import order_bills_release_check, shipment_check, shipped_bills

S = SalesOrder.Status


def register() -> None:
    substates.register()
    actions.register("ship", perm="sales.ship_salesorder", rank=80,
                     check=lambda user, order: shipment_check(order),
                     shown=lambda order, checks: order.status in (S.IN_PRODUCTION, S.READY))
    # The order's "release the original B/L": its shipments' bills through ``bills.order_release_bills``.
    actions.register("release_original_bl", perm="shipping.release_billoflading", rank=90,
                     check=lambda user, order: order_bills_release_check(order, _bills_to_check(order)),
                     shown=lambda order, checks: order.shipment_status != SalesOrder.ShipmentStatus.NOT_SHIPPED
                     and not order.original_bl_released_at and order.status != S.CANCELLED)


def _bills_to_check(order: SalesOrder) -> list:
    """The bills ``order_bills_release_check`` reads: none for an order it refuses before reading
    them (released already, nothing shipped), so that it is asked without reading them."""
    if order.original_bl_released_at or order.shipment_status == SalesOrder.ShipmentStatus.NOT_SHIPPED:
        return []
    return shipped_bills(order)
