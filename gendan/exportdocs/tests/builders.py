"""Test builders of the dispatch part: a shipped order with its B/L issued and a generated set
(``ShipmentDocument`` rows in the data contract's shape), without the generation service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.documents.pdf.company import company
from gendan.exportdocs.models import LetterOfCredit, ShipmentDocument
from gendan.parties.models import PaymentMethod
from gendan.sales.tests.conftest import make_in_production
from gendan.shipping.models import Booking, Container, ContainerLine, Shipment
from gendan.shipping.services import order_ship
from gendan.shipping.services.bills import bill_confirm, bill_draft_receive, bill_issue
from gendan.shipping.tests.bills_setup import MARKS, correct_draft

PACKAGES = 85
GROSS = "1102.50"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def invoice_data(order, **changes) -> dict:
    lines = [{"description": line.description, "quantity": format(line.quantity.normalize(), "f"), "unit": "PCS",
              "unit_price": format(line.unit_price.normalize(), "f"), "amount": f"{line.amount:.2f}",
              "order_line_id": line.pk, "hs_code": "6912000010", "product_code": ""}
             for line in order.lines.order_by("line_no")]
    total = sum((Decimal(x["amount"]) for x in lines), Decimal(0))
    return {"number": "CI2603-0001", "date": days(-1).isoformat(), "issuer": str(company()["name_en"]),
            "made_out_to": order.customer.name_en, "currency": order.currency_id, "lines": lines,
            "total": f"{total:.2f}", "amount_in_words": "SAY US DOLLARS ... ONLY", "packages": PACKAGES,
            "gross_weight_kg": GROSS, "net_weight_kg": "1000.00", "cbm": "12.355", "marks": MARKS,
            "incoterm": "FOB", "incoterm_place": "Ningbo", "port_of_loading": "NINGBO",
            "port_of_discharge": "HAMBURG", "vessel": "COSCO SHIPPING ARIES 041E", "credit_number": "",
            "order_number": order.number, "customer_po_no": order.customer_po_no} | changes


def packing_data(**changes) -> dict:
    return {"number": "CI2603-0001", "date": days(-1).isoformat(), "packages": PACKAGES, "gross_weight_kg": GROSS,
            "net_weight_kg": "1000.00", "cbm": "12.355", "marks": MARKS,
            "lines": [{"carton_from": 1, "carton_to": 84, "cartons": 84, "description": "Ceramic mug 350 ml"}]} | changes


def document(shipment, kind: str, data: dict, *, user, number: str = "CI2603-0001") -> ShipmentDocument:
    """A new current version of ``kind`` (the previous one no longer current)."""
    previous = ShipmentDocument.objects.filter(shipment=shipment, kind=kind, is_current=True).first()
    version = 1
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        version = previous.version + 1
    return ShipmentDocument.objects.create(shipment=shipment, kind=kind, number=number, version=version,
                                           document_date=days(-1), data=data, issued_by=user)


def document_set(w, order, shipment, *, packing: dict | None = None, invoice: dict | None = None):
    document(shipment, "commercial_invoice", invoice_data(order, **(invoice or {})), user=w.merch)
    document(shipment, "packing_list", packing_data(**(packing or {})), user=w.merch)


def issue_bill(w, shipment, **draft):
    bill = bill_draft_receive(actor=w.merch, shipment_id=shipment.pk, data=correct_draft(**draft))
    bill = bill_confirm(actor=w.merch, bill_id=bill.pk, accept_reason="as the forwarder printed it"
                        if bill.differences else "")
    return bill_issue(actor=w.merch, bill_id=bill.pk, bl_no="COSU6123456780", on_board_on=days(-1))


def shipped_order(w, *, payment_method: str, credit: dict | None = None):
    """(order, shipment): everything shipped two days ago in one sealed 40HQ (85 cartons, 1102.50 kg);
    an L/C order under a workable credit (``credit``: its fields changed) registered before it ships."""
    order = make_in_production(w, payment_method=payment_method, shipping_marks=MARKS,
                               port_of_loading="Ningbo", port_of_destination="Hamburg")
    if payment_method in (PaymentMethod.LC_SIGHT, PaymentMethod.LC_USANCE):
        credit_for(w, order, **(credit or {}))
    lines = list(order.lines.order_by("line_no"))
    shipment = order_ship(actor=w.merch, order_id=order.pk, shipped_on=days(-2),
                          quantities={line.pk: line.quantity for line in lines})
    Shipment.objects.filter(pk=shipment.pk).update(port_of_loading="Ningbo", port_of_destination="Hamburg",
                                                   eta=days(30))
    Booking.objects.create(order=order, shipment=shipment, forwarder=w.forwarder, requested_on=days(-10),
                           status=Booking.Status.CONFIRMED, booking_no="COSU6123456780", carrier="COSCO",
                           vessel="COSCO SHIPPING ARIES", voyage="041E", etd=days(-1), eta=days(30),
                           containers={"40HQ": 1}, requested_by=w.merch)
    box = Container.objects.create(shipment=shipment, container_no="CSQU3054383", container_type="40HQ",
                                   status=Container.Status.LOADED, seal_no="123456", loaded_by=w.warehouse,
                                   vgm_kg=Decimal("5120.0"), loaded_at=timezone.now())
    ContainerLine.objects.create(container=box, order_line=lines[0], cartons=84, quantity=lines[0].quantity,
                                 gross_kg=Decimal("1100.00"), cbm=Decimal("12.345"))
    ContainerLine.objects.create(container=box, order_line=lines[1], cartons=1, quantity=lines[1].quantity,
                                 gross_kg=Decimal("2.50"), cbm=Decimal("0.010"))
    order.refresh_from_db()
    return order, Shipment.objects.get(pk=shipment.pk)


def shipped_with_set(w, *, payment_method=PaymentMethod.TT_AGAINST_BL_COPY, bill: dict | None = None,
                     packing: dict | None = None, credit: dict | None = None):
    """(order, shipment): shipped, B/L issued (``bill``: fields of its draft changed), the set generated."""
    order, shipment = shipped_order(w, payment_method=payment_method, credit=credit)
    issue_bill(w, shipment, **(bill or {}))
    document_set(w, order, shipment, packing=packing)
    shipment.refresh_from_db()
    return order, shipment


def credit_for(w, order, **changes) -> LetterOfCredit:
    """A workable credit for ``order`` (its total, FOB Ningbo → Hamburg)."""
    fields = {"number": "LC-HH-2026-001", "status": LetterOfCredit.Status.ACCEPTED, "customer": order.customer,
              "issuing_bank": "Hamburger Sparkasse", "applicant": order.customer.name_en,
              "beneficiary": str(company()["name_en"]), "currency_id": order.currency_id,
              "amount": order.total_amount, "goods_description": "Ceramic mug 350 ml",
              "port_of_loading": "Ningbo", "port_of_discharge": "Hamburg", "latest_shipment_date": days(20),
              "expiry_date": days(40), "received_on": days(-20), "created_by": w.merch} | changes
    credit = LetterOfCredit.objects.create(**fields)
    credit.orders.add(order)
    return credit
