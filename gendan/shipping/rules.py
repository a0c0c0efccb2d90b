"""The guard of a shipment: may goods of this order leave now, and if not, why not.

The page's "Ship" button, the API's ``allowed_actions`` and ``order_ship`` ask the same
function. Besides the order's state and what is left to ship, the order's gates on ``ship``
decide (``sales.gates``): finance's balance rule, quality's final inspection.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import Check, no
from gendan.sales.gates import ORDER_GATES, SHIP
from gendan.sales.models import SalesOrder
from gendan.shipping.errors import ShippingError

S = SalesOrder.Status


def shipment_check(order: SalesOrder) -> Check:
    if order.status not in (S.IN_PRODUCTION, S.READY):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only an order in production or ready can ship."))
    if not any(line.open_quantity > 0 for line in order.lines.all()):
        return no(ShippingError.NOTHING_TO_SHIP, _("Every line is already fully shipped."))
    return ORDER_GATES.check(SHIP, order)
