"""Givens of the shipments list tests: planned shipments of an order (the plan's own service
is another module's; these are the rows it leaves behind), confirmed bookings."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from gendan.shipping.models import Shipment, ShipmentLine
from gendan.shipping.services import booking_confirm, booking_request

_numbers = itertools.count(1)


def planned_shipment(order, *, actor, status=Shipment.Status.PLANNED, etd: dt.date | None = None,
                     port_of_loading="Ningbo", port_of_destination="Hamburg", cartons: int = 10,
                     **extra) -> Shipment:
    """A shipment of ``order`` with every line's quantity at half, ``cartons`` cartons a line."""
    shipment = Shipment.objects.create(
        number=f"SHP-T{next(_numbers):05d}", order=order, status=status, created_by=actor, etd=etd,
        port_of_loading=port_of_loading, port_of_destination=port_of_destination,
        planned_ex_factory=timezone.localdate() + dt.timedelta(days=20),
        shipped_on=timezone.localdate() if status == Shipment.Status.SHIPPED else None, **extra)
    for line in order.lines.all():
        ShipmentLine.objects.create(shipment=shipment, order_line=line,
                                    quantity=max(Decimal("1"), (line.quantity / 2).quantize(Decimal("1"))),
                                    cartons=cartons)
    return shipment


def confirmed_booking(order, *, actor, forwarder, shipment=None, etd: dt.date | None = None, **cutoffs):
    """A booking of ``order`` with ``forwarder``, confirmed with ETD ``etd`` (30 days out) and the cut-offs given."""
    etd = etd or timezone.localdate() + dt.timedelta(days=30)
    booking = booking_request(actor=actor, order_id=order.pk, forwarder_id=forwarder.pk, containers={"40HQ": 1},
                              shipment_id=shipment.pk if shipment else None)
    return booking_confirm(actor=actor, booking_id=booking.pk, booking_no=f"BK-{booking.pk}", vessel="MSC ANNA",
                           voyage="12W", etd=etd, eta=etd + dt.timedelta(days=30), **cutoffs)
