"""The guard of a shipment: may goods of this order leave now, and if not, why not.

The page's "Ship" button, the API's ``allowed_actions`` and ``order_ship`` ask the same
function. Besides the order's state and what is left to ship, the order's gates on ``ship``
decide (``sales.gates``): finance's balance rule, quality's final inspection.
"""

from __future__ import annotations

from decimal import Decimal

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


# --- finished goods in, loading and ex-factory (成品入库 / 装柜 / 出厂) ------------------------------

CONTAINER_MODES = (Shipment.Mode.SEA_FCL, Shipment.Mode.RAIL, Shipment.Mode.TRUCK)
RECEIVING = (S.CONFIRMED, S.IN_PRODUCTION, S.READY)


def goods_receive_check(order: SalesOrder) -> Check:
    """Finished goods are received for a confirmed order, in production or ready to ship."""
    if order.status not in RECEIVING:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _(
            "Finished goods are received for a confirmed order, in production or ready to ship (this one is "
            "%(status)s).") % {"status": order.get_status_display()})
    return OK


def container_start_check(shipment: Shipment, order: SalesOrder) -> Check:
    """May the warehouse open a container for ``shipment``? A planned shipment (or one being
    loaded) by sea FCL, rail or truck, of an order the gates let ship."""
    if shipment.status not in (Shipment.Status.PLANNED, Shipment.Status.LOADING):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _(
            "Containers are loaded for a planned shipment or one being loaded (shipment %(no)s is %(status)s).")
            % {"no": shipment.number, "status": shipment.get_status_display()})
    if shipment.transport_mode not in CONTAINER_MODES:
        return no(ShippingError.NO_CONTAINER_FOR_MODE, _(
            "Shipment %(no)s goes by %(mode)s: its goods leave without a container loaded here.")
            % {"no": shipment.number, "mode": shipment.get_transport_mode_display()})
    return shipment_check(order)


def container_change_check(container: Container) -> Check:
    """A container's lines and seal change only while it is being loaded."""
    if container.status != Container.Status.LOADING:
        return no(ShippingError.CONTAINER_NOT_LOADING, _("Container %(no)s is %(status)s: it no longer changes.")
                  % {"no": container.container_no, "status": container.get_status_display()})
    return OK


def container_cancel_check(container: Container, shipment: Shipment) -> Check:
    """A container is given up (its cartons back in the warehouse) until the shipment left."""
    if container.status == Container.Status.CANCELLED:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Container %(no)s is already cancelled.")
                  % {"no": container.container_no})
    if shipment.status not in (Shipment.Status.PLANNED, Shipment.Status.LOADING):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Shipment %(no)s is %(status)s: its containers stay.")
                  % {"no": shipment.number, "status": shipment.get_status_display()})
    return OK


def shipment_depart_check(shipment: Shipment, order: SalesOrder, *, containers, stock) -> Check:
    """May the goods of ``shipment`` leave the factory (出厂) now? The shipment planned or
    loading; the order's gates (balance, final inspection …); with containers (sea FCL, or any
    shipment that has one): at least one, every live one sealed with its VGM; without: each
    line's quantity in the warehouse. ``containers``: the shipment's containers; ``stock``:
    ``selectors.order_line_stock`` of its order lines."""
    check = SHIPMENT.check(shipment, Shipment.Status.SHIPPED)
    if not check:
        return check
    check = shipment_check(order)
    if not check:
        return check
    live = [c for c in containers if c.status != Container.Status.CANCELLED]
    if live or shipment.transport_mode == Shipment.Mode.SEA_FCL:
        if not live:
            return no(ShippingError.CONTAINER_NOT_SEALED, _("No container is loaded for shipment %(no)s yet.")
                      % {"no": shipment.number})
        for container in live:
            if container.status != Container.Status.LOADED or not container.vgm_kg:
                return no(ShippingError.CONTAINER_NOT_SEALED, _(
                    "Container %(no)s is not sealed yet: enter its seal no. and VGM first.")
                    % {"no": container.container_no})
        return OK
    for line in shipment.lines.all():
        held = stock.get(line.order_line_id)
        in_stock = held.in_stock if held is not None else 0
        if line.quantity > in_stock:
            return no(ShippingError.NOT_IN_WAREHOUSE, _(
                "Line %(n)s: %(qty)s are to leave, but only %(stock)s are received and free in the warehouse.")
                % {"n": line.order_line.line_no, "qty": f"{line.quantity.normalize():f}",
                   "stock": f"{Decimal(in_stock).normalize():f}"})
    return OK
