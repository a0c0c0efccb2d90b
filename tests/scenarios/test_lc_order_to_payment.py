"""Scenario: an order paid by L/C, from "waiting for the credit" to the bank's payment (issue 13).

Reads like the merchandiser's and finance's weeks (seed 002 (五) 制单结汇, 003 会看LC: 催证、审证、
改证; 制单结汇: 正确、完整、及时): the order is confirmed and the board says the credit is awaited;
the credit arrives and the examination (审证) finds two points — the amount does not cover the
order, the latest shipment date is before the goods can sail — so an amendment is requested; the
bank advises it, we accept, the re-examination is clean and the order may ship. The goods leave,
the B/L is issued, the document set is generated from the shipment (invoice, packing list, draft,
beneficiary's certificate …), the check finds it compliant against the credit (单证一致) and
between the documents (单单一致), it is presented to the negotiating bank as a drawing, the bank
pays, finance books the receipt and the order completes. The T&A's "documents sent" completes
on its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError
from gendan.documents.pdf.company import company
from gendan.exportdocs.models import DocumentDispatch, LetterOfCredit, ShipmentDocument
from gendan.exportdocs.selectors.credits import credit_undrawn
from gendan.exportdocs.services.amendments import amendment_accept, amendment_receive, amendment_request
from gendan.exportdocs.services.credits import credit_register
from gendan.exportdocs.services.dispatch import dispatch_result, documents_dispatch
from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.services.examination import credit_examine
from gendan.exportdocs.services.presentation import set_check
from gendan.parties.models import PaymentMethod
from gendan.sales.gates import ORDER_GATES, SHIP
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment
from gendan.shipping.services.bills import bill_confirm, bill_draft_receive, bill_expected, bill_issue
from gendan.shipping.services.plan import shipment_plan
from gendan.shipping.services.warehouse import goods_receive, shipment_depart
from gendan.tracking.hooks import Milestone
from gendan.tracking.models import OrderMilestone
from gendan.tracking.selectors import board_for
from tests.clock import on_day
from tests.factories import ContactFactory, CustomerFactory, SalesOrderFactory, pay, release_to_production

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def world(make_user):
    from gendan.catalog.models import Product

    merch = make_user("merchandiser")
    customer = CustomerFactory(merchandiser=merch, payment_method=PaymentMethod.LC_SIGHT, deposit_percent=Decimal("0"),
                               default_currency_id="USD", port_of_loading="Ningbo", port_of_destination="Hamburg",
                               name_en="Jansen Import GmbH")
    ContactFactory(customer=customer, name="Mr. Jansen", email="import@jansen.example", is_primary=True)
    mug = Product.objects.create(
        code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯 350 ml", units_per_carton=24,
        carton_length_cm=Decimal("60"), carton_width_cm=Decimal("40"), carton_height_cm=Decimal("30"),
        net_weight_kg=Decimal("9"), gross_weight_kg=Decimal("10.5"), hs_code="6912001000")
    order = SalesOrderFactory(customer=customer, actor=merch, confirmer=merch, state="confirmed",
                              payment_method="lc_sight", deposit_percent="0", incoterm="FOB",
                              port_of_loading="Ningbo", port_of_destination="Hamburg",
                              ex_factory_date=_day(20),
                              lines=[{"product": mug, "description": "Ceramic mug 350 ml",
                                      "unit_price": Decimal("1.25"), "quantity": "2400"}])
    return {"merch": merch, "finance": make_user("finance"), "warehouse": make_user("warehouse"),
            "manager": make_user("manager"), "order": order}


def test_an_lc_order_from_the_credits_arrival_to_the_banks_payment(world):
    w, order = world, world["order"]
    merch, finance = w["merch"], w["finance"]
    day = {n: _day(n) for n in range(60)}  # the days of this story, from today
    assert order.total_amount == Decimal("3000.00")

    # 1. 催证: confirmed, paid by L/C, no credit yet — the merchandiser's board says so.
    board = board_for(user=merch)
    assert [i.kind for i in board.export_items if i.order == order] == ["credit_awaited"]

    # 2. The credit arrives (MT700 as advised): USD 2 800, latest shipment before the goods can sail.
    with on_day(day[2]):
        credit = credit_register(by=merch, data={
            "number": "DEUT-LC-77001", "issuing_bank": "Deutsche Bank AG, Hamburg", "advising_bank": "Bank of China",
            "applicant": "Jansen Import GmbH, Hamburg", "beneficiary": str(company()["beneficiary"]),
            "currency": "USD", "amount": "2800.00", "goods_description": "CERAMIC MUGS",
            "incoterm": "FOB", "incoterm_place": "Ningbo", "port_of_loading": "Ningbo", "port_of_discharge": "Hamburg",
            "latest_shipment_date": day[15].isoformat(), "expiry_date": day[45].isoformat(),
            "partial_shipments": "allowed", "transhipment": "allowed",
            "documents_required": [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
                                   {"kind": "packing_list", "originals": 1, "copies": 2},
                                   {"kind": "bill_of_lading", "originals": 3, "copies": 0},
                                   {"kind": "draft", "originals": 2, "copies": 0}],
            "orders": [order.pk]})
        assert "credit_awaited" not in [i.kind for i in board_for(user=merch).export_items if i.order == order]

        # 3. 审证: two points need an amendment — the amount, the latest shipment date.
        findings = credit_examine(by=merch, credit=credit)
        to_amend = sorted(f["code"] for f in findings if f["amendment"])
        assert to_amend == ["amount_short", "latest_shipment_too_early"]
        credit.refresh_from_db()
        assert credit.status == LetterOfCredit.Status.AMENDMENT_NEEDED

        # The goods may not ship under a credit we cannot comply with (the order's "ship" gate).
        refusal = ORDER_GATES.check(SHIP, order)
        assert not refusal and "needs an amendment" in refusal.reason

        # 4. 改证: requested from the customer, advised by the bank, accepted.
        amendment = amendment_request(by=merch, credit=credit)
        assert "amount" in amendment.request_text and "latest shipment date" in amendment.request_text
    with on_day(day[6]):
        # The T&A already forecasts the sailing later than planned (its first milestones ran late
        # while the credit was awaited): the amendment asked for a week beyond its forecast ETD.
        forecast = OrderMilestone.objects.get(plan__order=order, key=Milestone.ETD).forecast_date
        latest = max(day[30], forecast + dt.timedelta(days=7))
        amendment = amendment_receive(by=merch, credit=credit, changes={
            "amount": "3000.00", "latest_shipment_date": latest.isoformat(),
            "expiry_date": (latest + dt.timedelta(days=21)).isoformat()}, received_on=day[6])
        amendment = amendment_accept(by=merch, amendment=amendment)
        credit.refresh_from_db()
        assert credit.amendment_no == 1 and credit.amount == Decimal("3000.00")
        assert credit.status == LetterOfCredit.Status.ACCEPTED, credit.findings
        assert not [f for f in credit.findings if f["amendment"]]

    # 5. Production done, the goods in the warehouse, out of the factory, on board.
    shipment = _ship(w, order, day)
    assert shipment.status == Shipment.Status.SHIPPED and shipment.on_board_on == day[22]

    # 6. The document set, generated from the shipment: nothing typed twice.
    with on_day(day[23]):
        result = document_set_generate(by=merch, shipment=shipment)
        docs = {d.kind: d for d in ShipmentDocument.objects.filter(shipment=shipment, is_current=True)}
        for kind in ("commercial_invoice", "packing_list", "draft"):
            assert kind in docs, (kind, result)
        invoice = docs["commercial_invoice"].data
        assert Decimal(invoice["total"]) == Decimal("3000.00") == sum(Decimal(ln["amount"]) for ln in invoice["lines"])
        assert invoice["made_out_to"] == credit.applicant and invoice["credit_number"] == "DEUT-LC-77001"
        assert invoice["packages"] == docs["packing_list"].data["packages"] == 100
        assert "THREE THOUSAND" in docs["draft"].data["amount_in_words"].upper()
        assert docs["commercial_invoice"].pdf_id and docs["commercial_invoice"].xlsx_id

        # 7. 单证一致, 单单一致: the check of the set against the credit finds nothing.
        check = set_check(shipment, presentation_date=day[23])
        assert check["compliant"], check["discrepancies"]

        # 8. Presented to the negotiating bank: a drawing of the credit; the T&A's "documents sent" is done.
        dispatch = documents_dispatch(by=merch, shipment=shipment, channel="bank_credit", sent_on=day[23],
                                      bank="Bank of China, Ningbo Branch", documents=[
                                          {"kind": "commercial_invoice", "originals": 3, "copies": 3},
                                          {"kind": "packing_list", "originals": 1, "copies": 2},
                                          {"kind": "bill_of_lading", "originals": 3, "copies": 0},
                                          {"kind": "draft", "originals": 2, "copies": 0}])
    assert dispatch.credit_id == credit.pk and dispatch.amount == Decimal("3000.00")
    assert credit_undrawn(credit) == Decimal("0.00")
    sent = OrderMilestone.objects.get(plan__order=order, key=Milestone.DOCUMENTS_SENT)
    assert sent.status == "done" and sent.actual_date == day[23]

    # 9. The bank pays at sight; finance books the receipt; the order is complete.
    with on_day(day[28]):
        with pytest.raises(BusinessError):  # the bank's result is finance's to record
            dispatch_result(by=merch, dispatch=dispatch, status="paid", result_on=day[28], paid_amount="2960.00")
        dispatch = dispatch_result(by=finance, dispatch=dispatch, status="paid", result_on=day[28],
                                   paid_amount="2960.00")
        assert dispatch.status == DocumentDispatch.Status.PAID
        pay(order, Decimal("3000.00"), actor=finance, reference="BOC-NEGO-0301")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.COMPLETED


def _ship(w, order, day) -> Shipment:
    """The goods made, received, out of the factory on day 20 and on board on day 22."""
    merch, warehouse = w["merch"], w["warehouse"]
    line = order.lines.get()
    with on_day(day[7]):
        release_to_production(order, actor=merch, finance=w["finance"])  # no deposit under an L/C
    with on_day(day[18]):
        shipment = shipment_plan(actor=merch, order_id=order.pk, lines={line.pk: "2400"},
                                 transport_mode=Shipment.Mode.SEA_LCL, planned_ex_factory=day[20])
        goods_receive(actor=warehouse, order_id=order.pk, order_line_id=line.pk, quantity="2400", cartons=100,
                      received_on=day[18], source="factory", source_ref="DN-1", inspection="passed")
    with on_day(day[20]):
        shipment = shipment_depart(actor=warehouse, shipment_id=shipment.pk, shipped_on=day[20])
        expected = bill_expected(shipment)
        draft = {k: v for k, v in expected.items() if k in (
            "shipper", "consignee", "notify_party", "port_of_loading", "port_of_discharge", "vessel", "voyage",
            "marks", "packages", "gross_kg", "cbm", "containers")}
        bill = bill_draft_receive(actor=merch, shipment_id=shipment.pk,
                                  data={**draft, "vessel": "CSCL VENUS", "voyage": "012E"})
        bill = bill_confirm(actor=merch, bill_id=bill.pk, accept_reason="Vessel as booked") \
            if bill.differences else bill_confirm(actor=merch, bill_id=bill.pk)
    with on_day(day[22]):
        bill_issue(actor=merch, bill_id=bill.pk, bl_no="COSU6300001", on_board_on=day[22])
    shipment.refresh_from_db()
    return shipment
