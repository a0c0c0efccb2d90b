"""The guard of a shipment: may goods of this order leave now, and if not, why not.

The page's "Ship" button, the API's ``allowed_actions`` and ``order_ship`` ask the same
function. Besides the order's state and what is left to ship, the order's gates on ``ship``
decide (``sales.gates``): finance's balance rule, quality's final inspection.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.sales.gates import ORDER_GATES, SHIP
from gendan.sales.models import SalesOrder
from gendan.shipping.errors import ShippingError
from gendan.shipping.workflows import OPEN

S = SalesOrder.Status


def shipment_check(order: SalesOrder) -> Check:
    if order.status not in (S.IN_PRODUCTION, S.READY):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only an order in production or ready can ship."))
    if not any(line.open_quantity > 0 for line in order.lines.all()):
        return no(ShippingError.NOTHING_TO_SHIP, _("Every line is already fully shipped."))
    return ORDER_GATES.check(SHIP, order)


# --- bookings (订舱) ----------------------------------------------------------------------

BOOKABLE = (S.CONFIRMED, S.IN_PRODUCTION, S.READY)


def booking_request_check(order: SalesOrder) -> Check:
    """Space is booked for a confirmed order, in production or ready to ship."""
    if order.status not in BOOKABLE:
        return no(ShippingError.ORDER_NOT_BOOKABLE,
                  _("Space is booked for a confirmed order, in production or ready to ship (this one is %(status)s).")
                  % {"status": order.get_status_display()})
    return OK


def booking_amend_check(booking) -> Check:
    """A cancelled booking stays as it was."""
    if booking.status not in OPEN:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("A cancelled booking cannot be amended."))
    return OK
