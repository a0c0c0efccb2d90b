"""A shipped order for the B/L and shipping-advice tests: balance against copy of B/L (the goods
leave with the deposit), one 40HQ loaded and sealed, a confirmed booking. Built with the ORM
and ``order_ship`` only (the warehouse's services are not needed here)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.parties.models import PaymentMethod
from gendan.sales.tests.conftest import make_in_production
from gendan.shipping.models import BillOfLading, Booking, Container, ContainerLine, Shipment
from gendan.shipping.services import order_ship
from gendan.shipping.services.bills import bill_confirm, bill_draft_receive, bill_issue

MARKS = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-UP"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def shipped_order(w, *, mode: str = Shipment.Mode.SEA_FCL, container: bool = True, booking: bool = True,
                  payment_method: str = PaymentMethod.TT_AGAINST_BL_COPY):
    """(order, shipment): everything shipped two days ago."""
    order = make_in_production(w, payment_method=payment_method, shipping_marks=MARKS,
                               port_of_loading="Ningbo", port_of_destination="Hamburg")
    lines = list(order.lines.order_by("line_no"))
    shipment = order_ship(actor=w.merch, order_id=order.pk, shipped_on=days(-2),
                          quantities={line.pk: line.quantity for line in lines})
    Shipment.objects.filter(pk=shipment.pk).update(transport_mode=mode, port_of_loading="Ningbo",
                                                   port_of_destination="Hamburg", eta=days(30))
    if booking:
        Booking.objects.create(order=order, shipment=shipment, forwarder=w.forwarder, requested_on=days(-10),
                               status=Booking.Status.CONFIRMED, booking_no="COSU6123456780", carrier="COSCO",
                               vessel="COSCO SHIPPING ARIES", voyage="041E", etd=days(-1), eta=days(30),
                               containers={"40HQ": 1}, requested_by=w.merch)
    if container:
        box = Container.objects.create(shipment=shipment, container_no="CSQU3054383", container_type="40HQ",
                                       status=Container.Status.LOADED, seal_no="123456", loaded_by=w.warehouse,
                                       vgm_kg=Decimal("5120.0"), loaded_at=timezone.now())
        ContainerLine.objects.create(container=box, order_line=lines[0], cartons=84, quantity=lines[0].quantity,
                                     gross_kg=Decimal("1100.00"), cbm=Decimal("12.345"))
        ContainerLine.objects.create(container=box, order_line=lines[1], cartons=1, quantity=lines[1].quantity,
                                     gross_kg=Decimal("2.50"), cbm=Decimal("0.010"))
    order.refresh_from_db()
    return order, Shipment.objects.get(pk=shipment.pk)


def correct_draft(**changes) -> dict:
    """The forwarder's draft as it should read (``changes`` replace fields)."""
    return {"shipper": "EXAMPLE IMPORT & EXPORT CO., LTD.\nNo. 88 Example Road, Yinzhou District, Ningbo, "
                       "Zhejiang, China",
            "consignee": "NORDLICHT HANDELS GMBH", "notify_party": "SAME AS CONSIGNEE",
            "port_of_loading": "NINGBO", "port_of_discharge": "HAMBURG", "vessel": "COSCO SHIPPING ARIES",
            "voyage": "041E", "marks": MARKS, "description": "CERAMIC MUGS", "packages": "85",
            "gross_kg": "1102.50", "cbm": "12.355", "containers": "CSQU3054383 / SEAL 123456, 40HQ",
            "freight": "FREIGHT COLLECT"} | changes


def issued_bill(w, shipment, *, kind: str = BillOfLading.Kind.OCEAN) -> BillOfLading:
    bill = bill_draft_receive(actor=w.merch, shipment_id=shipment.pk, data=correct_draft(), kind=kind)
    bill = bill_confirm(actor=w.merch, bill_id=bill.pk)
    return bill_issue(actor=w.merch, bill_id=bill.pk, bl_no="COSU6123456780", on_board_on=days(-1))
