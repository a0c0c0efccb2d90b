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
from gendan.sales.errors import SalesError
from gendan.sales.gates import ORDER_GATES, RELEASE_ORIGINAL_BL, SHIP
from gendan.sales.models import SalesOrder
from gendan.shipping.errors import ShippingError
from gendan.shipping.models import BillOfLading, Container, Shipment
from gendan.shipping.workflows import BILL, OPEN, SHIPMENT

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


# --- bills of lading and the shipping advice ---------------------------------------------------

BL = BillOfLading.Status
SEA_MODES = (Shipment.Mode.SEA_FCL, Shipment.Mode.SEA_LCL)
# The transport document each mode has (rail, truck and courier: none kept in Gendan).
BILL_KINDS_FOR_MODE = {Shipment.Mode.SEA_FCL: (BillOfLading.Kind.OCEAN, BillOfLading.Kind.SEA_WAYBILL),
                       Shipment.Mode.SEA_LCL: (BillOfLading.Kind.OCEAN, BillOfLading.Kind.SEA_WAYBILL),
                       Shipment.Mode.AIR: (BillOfLading.Kind.AIR_WAYBILL,)}
WAYBILLS = (BillOfLading.Kind.SEA_WAYBILL, BillOfLading.Kind.AIR_WAYBILL)


def bill_draft_check(shipment: Shipment, bill: BillOfLading | None) -> Check:
    """May a (new) draft of the shipment's B/L be entered? Not for a cancelled shipment, nor once
    the draft was confirmed (the bill is then issued from it)."""
    if shipment.status == Shipment.Status.CANCELLED:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("The shipment was cancelled."))
    if not BILL_KINDS_FOR_MODE.get(shipment.transport_mode):
        return no(ShippingError.BILL_KIND_MISMATCH, _("A shipment by %(mode)s has no B/L or air waybill in Gendan.")
                  % {"mode": shipment.get_transport_mode_display()})
    if bill is not None and bill.status != BL.DRAFT:
        return no(ShippingError.BILL_NOT_DRAFT, _("The B/L draft was already confirmed (now: %(status)s).")
                  % {"status": bill.get_status_display()})
    return OK


def bill_issue_check(bill: BillOfLading) -> Check:
    """The bill is issued from a confirmed draft, once the goods left the factory."""
    check = BILL.check(bill, BL.ISSUED)
    if check and bill.shipment.status != Shipment.Status.SHIPPED:
        return no(ShippingError.SHIPMENT_NOT_SHIPPED,
                  _("The goods of shipment %(no)s have not left the factory yet.") % {"no": bill.shipment.number})
    return check


def bill_release_check(bill: BillOfLading, order: SalesOrder) -> Check:
    """An issued bill goes to the customer only when the terms allow (finance's balance rule on
    ``release_original_bl``: under "against copy of B/L" after the balance)."""
    check = BILL.check(bill, BL.RELEASED)
    return check if not check else ORDER_GATES.check(RELEASE_ORIGINAL_BL, order)


def release_kinds(bill: BillOfLading) -> tuple[str, ...]:
    """How the bill may be released: a waybill as a waybill (no originals); an ocean B/L as
    originals, telex release or surrendered."""
    R = BillOfLading.Release
    return (R.WAYBILL,) if bill.kind in WAYBILLS else (R.ORIGINALS, R.TELEX, R.SURRENDER)


def shipped_bills(order: SalesOrder) -> list[BillOfLading]:
    """The bills of the order's shipped shipments (one read)."""
    return list(BillOfLading.objects.filter(shipment__order=order, shipment__status=Shipment.Status.SHIPPED)
                .select_related("shipment").order_by("id"))


def order_bills_release_check(order: SalesOrder, bills: list[BillOfLading]) -> Check:
    """The order-level "release the B/L": every issued bill of its shipped shipments at once, or —
    for an order shipped before B/Ls were kept (no bill at all) — the order's original B/L.
    ``bills``: the bills of the order's shipped shipments."""
    if order.original_bl_released_at:
        return no(SalesError.ALREADY_RELEASED, _("The original B/L has already been released."))
    if order.shipment_status == SalesOrder.ShipmentStatus.NOT_SHIPPED:
        return no(SalesError.NOT_SHIPPED, _("Nothing has shipped yet."))
    waiting = [b for b in bills if b.status in (BL.DRAFT, BL.CONFIRMED)]
    if waiting:
        return no(ShippingError.BILL_NOT_ISSUED, _("The B/L of shipment %(no)s is not issued yet (%(status)s).")
                  % {"no": waiting[0].shipment.number, "status": waiting[0].get_status_display()})
    return ORDER_GATES.check(RELEASE_ORIGINAL_BL, order)


def advice_check(shipment: Shipment) -> Check:
    """The shipping advice goes once the B/L of a sea shipment is issued (or, shipped before B/Ls
    were kept, its B/L no. is known); for air, rail, truck and courier once the goods left."""
    if shipment.status != Shipment.Status.SHIPPED:
        return no(ShippingError.SHIPMENT_NOT_SHIPPED,
                  _("The goods of shipment %(no)s have not left the factory yet.") % {"no": shipment.number})
    if shipment.transport_mode in SEA_MODES:
        bill = getattr(shipment, "bill", None)
        issued = bill is not None and bill.status in (BL.ISSUED, BL.RELEASED)
        if not issued and not (bill is None and shipment.bl_no):
            return no(ShippingError.BILL_NOT_ISSUED,
                      _("The shipping advice goes once the B/L of shipment %(no)s is issued.")
                      % {"no": shipment.number})
    return OK
