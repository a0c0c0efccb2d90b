"""Givens of the warehouse tests: an order of mugs and gift boxes whose products have their
carton data, in production with the balance paid, and a planned shipment of it (the plan's own
service is another module's; these are the rows it leaves behind)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from gendan.catalog.models import Product
from gendan.shipping.models import Shipment, ShipmentLine
from tests.factories import SalesOrderFactory, pay

_numbers = itertools.count(1)


def products():
    mug, _ = Product.objects.get_or_create(code="MUG-350", defaults={
        "name_en": "Ceramic mug 350 ml", "name_zh": "陶瓷杯 350 ml", "units_per_carton": 24,
        "carton_length_cm": Decimal("60"), "carton_width_cm": Decimal("40"), "carton_height_cm": Decimal("30"),
        "net_weight_kg": Decimal("9"), "gross_weight_kg": Decimal("10.5")})
    box, _ = Product.objects.get_or_create(code="GIFT-BOX", defaults={
        "name_en": "Gift box", "name_zh": "礼盒", "units_per_carton": 50, "carton_length_cm": Decimal("50"),
        "carton_width_cm": Decimal("35"), "carton_height_cm": Decimal("25"), "net_weight_kg": Decimal("5"),
        "gross_weight_kg": Decimal("6")})
    return mug, box


def mug_order(w, *, paid: bool = True, **extra):
    """1 200 mugs (50 cartons of 24) and 500 gift boxes (10 cartons of 50), in production; the
    balance paid unless ``paid=False`` (T/T 30 % deposit, balance before shipment)."""
    mug, box = products()
    order = SalesOrderFactory(customer=w.customer, actor=w.merch, in_production=True, finance=w.finance,
                              supplier=w.factory, lines=[
                                  {"product": mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.2"),
                                   "quantity": "1200"},
                                  {"product": box, "description": "Gift box", "unit_price": Decimal("0.5"),
                                   "quantity": "500"}], **extra)
    if paid:
        order.refresh_from_db()
        pay(order, order.total_amount - order.received_amount, actor=w.finance, reference=f"FT-BAL-{order.number}")
    order.refresh_from_db()
    return order


def planned_shipment(order, *, actor, mode=Shipment.Mode.SEA_FCL, quantities=None, cartons=None,
                     planned_ex_factory: dt.date | None = None) -> Shipment:
    """A planned shipment of ``order``: every line in full unless ``quantities`` (line no. → qty)."""
    shipment = Shipment.objects.create(
        number=f"SH-W{next(_numbers):04d}", order=order, created_by=actor, transport_mode=mode,
        port_of_loading="Ningbo", port_of_destination="Hamburg",
        planned_ex_factory=planned_ex_factory or timezone.localdate() + dt.timedelta(days=2))
    for line in order.lines.order_by("line_no"):
        qty = Decimal((quantities or {}).get(line.line_no, line.quantity))
        if qty:
            ShipmentLine.objects.create(shipment=shipment, order_line=line, quantity=qty,
                                        cartons=(cartons or {}).get(line.line_no))
    return shipment


def lines_of(order) -> dict[int, object]:
    return {line.line_no: line for line in order.lines.order_by("line_no")}
