"""What shipping plugs into a sales order: its shipment sub-state and the "ship" action.
Registered in ``ShippingConfig.ready``."""

from __future__ import annotations

from gendan.sales import actions
from gendan.sales.models import SalesOrder
from gendan.shipping import substates
from gendan.shipping.rules import shipment_check

S = SalesOrder.Status


def register() -> None:
    substates.register()
    actions.register("ship", perm="sales.ship_salesorder", rank=80,
                     check=lambda user, order: shipment_check(order),
                     shown=lambda order, checks: order.status in (S.IN_PRODUCTION, S.READY))
