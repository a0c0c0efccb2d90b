"""The allowed status changes of a booking (订舱), a shipment (出货) and its bill of lading,
one service per transition (``shipping/services/``).

Read with docs/workflows/shipping.md (a test keeps its table equal to this one). A transition
not in this table is refused with ``TransitionNotAllowed`` (409). Amending a confirmed booking
(``booking_update``) changes its fields, not its state.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.shipping.models import BillOfLading, Booking, Shipment

B = Booking.Status

_SERVICES = "gendan.shipping.services.bookings."
TRANSITIONS: dict[tuple[str, str], str] = {
    (B.REQUESTED, B.CONFIRMED): _SERVICES + "booking_confirm",  # booking no., vessel, ETD / ETA, cut-offs
    (B.REQUESTED, B.CANCELLED): _SERVICES + "booking_cancel",  # with a reason
    (B.CONFIRMED, B.CANCELLED): _SERVICES + "booking_cancel",
}

BOOKING = Workflow("booking", Booking, transitions=TRANSITIONS, label=_("booking"), doc="shipping")

# States whose fields may still be amended (``booking_update``).
OPEN = BOOKING.sources(B.CANCELLED)

SH = Shipment.Status
_PLAN = "gendan.shipping.services.plan."
_WAREHOUSE = "gendan.shipping.services.warehouse."
SHIPMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (SH.PLANNED, SH.LOADING): _WAREHOUSE + "container_start",  # the first container is opened
    (SH.PLANNED, SH.SHIPPED): _WAREHOUSE + "shipment_depart",  # ex-factory without containers (LCL, air …)
    (SH.LOADING, SH.SHIPPED): _WAREHOUSE + "shipment_depart",  # every container sealed, VGM declared
    (SH.PLANNED, SH.CANCELLED): _PLAN + "shipment_cancel",  # with a reason
    (SH.LOADING, SH.CANCELLED): _PLAN + "shipment_cancel",  # once its containers are cancelled
}

SHIPMENT = Workflow("shipment", Shipment, transitions=SHIPMENT_TRANSITIONS, label=_("shipment"), doc="shipping")

# A shipment whose lines and quantities may still change (the shipping plan).
SHIPMENT_OPEN = SHIPMENT.sources(SH.CANCELLED)

BL = BillOfLading.Status
_BILLS = "gendan.shipping.services.bills."
BILL_TRANSITIONS: dict[tuple[str, str], str] = {
    (BL.DRAFT, BL.CONFIRMED): _BILLS + "bill_confirm",  # the draft checked: no difference left, or accepted
    (BL.CONFIRMED, BL.ISSUED): _BILLS + "bill_issue",  # B/L no., on-board date, originals
    (BL.ISSUED, BL.RELEASED): _BILLS + "bill_release",  # originals / telex / surrender, when the terms allow
}

BILL = Workflow("bill_of_lading", BillOfLading, transitions=BILL_TRANSITIONS, label=_("bill of lading"),
                doc="shipping")
