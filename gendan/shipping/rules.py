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
from gendan.shipping.models import Container, Shipment
from gendan.shipping.workflows import OPEN, SHIPMENT

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


# --- the shipping plan (出货计划) ---------------------------------------------------------------

PLANNABLE = (S.CONFIRMED, S.IN_PRODUCTION, S.READY)


def shipment_plan_check(order: SalesOrder) -> Check:
    """A shipment is planned for a confirmed order, in production or ready to ship."""
    if order.status not in PLANNABLE:
        return no(ShippingError.ORDER_NOT_PLANNABLE,
                  _("A shipment is planned for a confirmed order, in production or ready to ship (this one is "
                    "%(status)s).") % {"status": order.get_status_display()})
    return OK


def shipment_edit_check(shipment: Shipment, *, lines: bool = False) -> Check:
    """The lines of a shipment change while it is planned; its mode, ports and date while it is
    planned or being loaded."""
    editable = (Shipment.Status.PLANNED,) if lines else (Shipment.Status.PLANNED, Shipment.Status.LOADING)
    if shipment.status in editable:
        return OK
    if lines and shipment.status == Shipment.Status.LOADING:
        return no(ShippingError.SHIPMENT_NOT_EDITABLE,
                  _("Shipment %(no)s is being loaded: its lines no longer change (cancel its containers and the "
                    "shipment, and plan a new one).") % {"no": shipment.number})
    return no(ShippingError.SHIPMENT_NOT_EDITABLE, _("Shipment %(no)s is %(status)s and no longer changes.")
              % {"no": shipment.number, "status": shipment.get_status_display()})


def shipment_cancel_check(shipment: Shipment) -> Check:
    """A planned shipment is cancelled; one being loaded once each of its containers is cancelled."""
    from_table = SHIPMENT.check(shipment, Shipment.Status.CANCELLED)
    if not from_table:
        return from_table
    if shipment.status == Shipment.Status.LOADING and shipment.containers.exclude(
            status=Container.Status.CANCELLED).exists():
        return no(ShippingError.CONTAINERS_NOT_CANCELLED,
                  _("Shipment %(no)s is being loaded: cancel its containers first.") % {"no": shipment.number})
    return OK


def notice_issue_check(shipment: Shipment) -> Check:
    """The shipping notice goes out for a planned shipment or one being loaded."""
    if shipment.status in (Shipment.Status.PLANNED, Shipment.Status.LOADING):
        return OK
    return no(ShippingError.NOTICE_NOT_ISSUABLE, _("Shipment %(no)s is %(status)s: no shipping notice is issued.")
              % {"no": shipment.number, "status": shipment.get_status_display()})
