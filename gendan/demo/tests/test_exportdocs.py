"""The demo's letters of credit and export documents (``gendan.exportdocs``): every L/C order
past confirmation has its credit, agreeing with the order, except the recent ones still awaited
(on the merchandiser's board); the latest export shipments have their document set, whose
numbers agree with the shipment; one L/C set went to the bank, and the older shipments' documents
went under their credit."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from gendan.exportdocs.models import DocumentDispatch, LetterOfCredit, ShipmentDocument
from gendan.exportdocs.services.presentation import set_check
from gendan.sales.models import SalesOrder
from gendan.tracking.selectors import board_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed_demo", orders=200, customers=20, products=20, seed=2611, stdout=out)
    return out.getvalue()


def test_credits_agree_with_the_orders_they_pay(seeded):
    lc_orders = SalesOrder.objects.filter(payment_method__in=("lc_sight", "lc_usance"), confirmed_at__isnull=False
                                          ).exclude(status__in=("draft", "cancelled"))
    credits = LetterOfCredit.objects.prefetch_related("orders")
    assert credits.count() > 5
    for credit in credits:
        (order,) = credit.orders.all()
        assert credit.customer_id == order.customer_id and credit.currency_id == order.currency_id
        assert credit.expiry_date >= credit.latest_shipment_date
        if credit.status == LetterOfCredit.Status.AMENDMENT_NEEDED:
            assert credit.amount < order.total_amount and credit.amendments.filter(status="requested").exists()
        else:
            assert credit.amount == order.total_amount
    statuses = set(credits.values_list("status", flat=True))
    assert {"accepted", "closed"} <= statuses, statuses
    awaited = lc_orders.exclude(credits__isnull=False)
    assert awaited.exists() and all(o.status == "confirmed" for o in awaited)
    order = awaited.select_related("merchandiser").first()
    board = board_for(user=order.merchandiser)
    assert any(i.kind == "credit_awaited" and i.order == order for i in board.export_items)


def test_document_sets_say_what_the_shipment_says(seeded):
    invoices = ShipmentDocument.objects.filter(kind="commercial_invoice", is_current=True).select_related("shipment")
    assert invoices.count() >= 3
    for invoice in invoices:
        lines = invoice.data["lines"]
        assert Decimal(invoice.data["total"]) == sum(Decimal(line["amount"]) for line in lines)
        packing = ShipmentDocument.objects.get(shipment=invoice.shipment, kind="packing_list", is_current=True)
        assert packing.data["packages"] == invoice.data["packages"] and packing.number == invoice.number
        assert invoice.pdf_id and invoice.xlsx_id
    presented = DocumentDispatch.objects.filter(channel="bank_credit")
    assert presented.exists() and presented.filter(status="paid").exists()
    # the sets generated here and presented through the service pass the check on the day they went
    checked = presented.filter(shipment__export_documents__kind="commercial_invoice").distinct()
    assert checked.exists()
    for dispatch in checked:
        assert set_check(dispatch.shipment, presentation_date=dispatch.sent_on)["compliant"]
    # the older shipments' dispatches (bulk rows): under the order's credit, the B/L's own number
    for dispatch in presented.select_related("shipment__bill", "credit").prefetch_related("shipment__order__credits"):
        assert dispatch.credit in dispatch.shipment.order.credits.all()
        assert dispatch.sent_on >= dispatch.shipment.on_board_on
        bl = next(d for d in dispatch.documents if d["kind"] == "bill_of_lading")
        assert bl.get("number", dispatch.shipment.bill.bl_no) == dispatch.shipment.bill.bl_no
