"""Dispatch of a shipment's set (寄单 / 交单): blocked while the set's check finds discrepancies no
manager accepted, by the payment terms' channel, with the balance rule on original B/Ls by
courier; the collection instruction of a D/P order; the bank's result and the chase board."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.exportdocs.models import DiscrepancyAcceptance, DocumentDispatch
from gendan.exportdocs.services.dispatch import dispatch_result, documents_dispatch
from gendan.exportdocs.services.presentation import discrepancy_accept, set_check
from gendan.exportdocs.tests.builders import days, document, invoice_data, packing_data, shipped_with_set
from gendan.parties.models import PaymentMethod
from gendan.shipping.models import BillOfLading
from gendan.shipping.tests import conftest as shipping_fixtures
from gendan.tracking.export_chase_dispatch import dispatch_items
from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone
from tests.factories import pay

pytestmark = pytest.mark.django_db

people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder
_english_messages = shipping_fixtures._english_messages

COPIES = [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
          {"kind": "packing_list", "originals": 2, "copies": 2},
          {"kind": "bill_of_lading", "originals": 0, "copies": 3}]
ORIGINALS = [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
             {"kind": "bill_of_lading", "originals": 3, "copies": 3}]


def by_courier(w, shipment, documents=COPIES, **kwargs):
    return documents_dispatch(by=w.merch, shipment=shipment, channel="courier", documents=documents,
                              sent_on=days(0), courier="DHL", awb_no="1234567890",
                              tracking_url="https://www.dhl.com/track?AWB=1234567890", **kwargs)


def milestone(order, key):
    return OrderMilestone.objects.get(plan__order=order, key=key)


def test_packing_list_and_bl_disagree_dispatch_blocked_until_fixed(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, bill={"packages": "120"}, packing={"packages": 118},
                                       )
    document(shipment, "commercial_invoice", invoice_data(order, packages=118), user=w.merch)
    result = set_check(shipment)
    found = {(d["code"], d["document"], d["field"]) for d in result["discrepancies"]}
    assert ("PACKAGES_CONFLICT", "bill_of_lading", "packages") in found
    assert not result["compliant"] and not result["dispatchable"]

    with pytest.raises(BusinessError) as refused:
        by_courier(w, shipment)
    assert refused.value.code == "discrepancies_open"
    assert "PACKAGES_CONFLICT" in refused.value.message and "bill_of_lading.packages" in refused.value.message
    assert not DocumentDispatch.objects.exists()
    assert milestone(order, Milestone.DOCUMENTS_SENT).status != "done"

    # the packing list and the invoice regenerated with the packages the B/L shows
    document(shipment, "packing_list", packing_data(packages=120), user=w.merch)
    document(shipment, "commercial_invoice", invoice_data(order, packages=120), user=w.merch)
    assert set_check(shipment)["compliant"]

    dispatch = by_courier(w, shipment)
    assert dispatch.number.startswith("DS") and dispatch.status == "sent"
    assert dispatch.amount == order.total_amount and dispatch.currency_id == "USD"
    assert dispatch.documents[0] == {"kind": "commercial_invoice", "originals": 3, "copies": 3,
                                     "number": "CI2603-0001"}
    done = milestone(order, Milestone.DOCUMENTS_SENT)
    assert done.status == "done" and done.actual_date == days(0)
    assert Event.objects.filter(kind="exportdocs.documents_dispatched", object_id=order.pk).exists()


def test_manager_accepts_a_discrepancy_then_dispatch_goes(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, packing={"marks": "OTHER MARKS"})
    open_ = set_check(shipment)["open"]
    assert [(d["code"], d["document"]) for d in open_] == [("MARKS_CONFLICT", "packing_list")]
    with pytest.raises(BusinessError) as no_reason:
        discrepancy_accept(by=w.manager, shipment=shipment, code="MARKS_CONFLICT", document="packing_list",
                           field="marks", reason="")
    assert no_reason.value.code == "reason_required"
    discrepancy_accept(by=w.manager, shipment=shipment, code="MARKS_CONFLICT", document="packing_list",
                       field="marks", reason="the customer asked for the short marks on the packing list")
    result = set_check(shipment)
    assert not result["compliant"] and result["dispatchable"]
    assert result["discrepancies"][0]["accepted"]["reason"].startswith("the customer asked")
    assert Event.objects.filter(kind="exportdocs.discrepancy_accepted", object_id=order.pk).exists()
    assert by_courier(w, shipment).status == "sent"


def test_merchandiser_cannot_accept_a_discrepancy(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w, packing={"marks": "OTHER MARKS"})
    with pytest.raises(NotAllowed) as refused:
        discrepancy_accept(by=w.merch, shipment=shipment, code="MARKS_CONFLICT", document="packing_list",
                           field="marks", reason="looks fine to me")
    assert "No one loosens a gate alone" in refused.value.message
    assert not DiscrepancyAcceptance.objects.exists()


def test_only_a_discrepancy_found_is_accepted(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    with pytest.raises(BusinessError) as refused:
        discrepancy_accept(by=w.manager, shipment=shipment, code="PACKAGES_CONFLICT", document="packing_list",
                           field="packages", reason="just in case")
    assert refused.value.code == "discrepancy_not_found"
    assert not DiscrepancyAcceptance.objects.exists()


def test_tt_balance_unpaid_no_original_bl_by_courier(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    assert order.received_amount < order.total_amount
    with pytest.raises(BusinessError) as refused:
        by_courier(w, shipment, documents=ORIGINALS)
    assert refused.value.status == 409 and "balance" in refused.value.message.lower()
    assert not DocumentDispatch.objects.exists()
    # copies of the B/L go (the originals after the balance)
    assert by_courier(w, shipment).status == "sent"


def test_channel_follows_the_terms(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    with pytest.raises(BusinessError) as refused:
        documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection", documents=COPIES,
                           sent_on=days(0), bank="Bank of China, Ningbo Branch")
    assert refused.value.code == "channel_not_for_terms"


def test_bad_input_names_the_fields(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    with pytest.raises(BusinessError) as refused:
        documents_dispatch(by=w.merch, shipment=shipment, channel="courier",
                           documents=[{"kind": "passport", "originals": 1}], sent_on="1999-01-01")
    assert refused.value.status == 400
    assert {"documents[0].kind", "sent_on", "courier", "awb_no"} <= set(refused.value.fields)


def test_dp_order_dispatch_produces_the_collection_instruction(people, forwarder, tmp_path):
    w = people
    w.customer.address = "Speicherstadt 12, 20457 Hamburg"
    w.customer.bank_name = "Commerzbank AG, Hamburg"
    w.customer.save()
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.DP)
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection",
                                  documents=ORIGINALS, sent_on=days(0), bank="Bank of China, Ningbo Branch",
                                  bank_reference="OC-2603-77")
    assert dispatch.collection_terms == "D/P" and dispatch.instruction is not None
    with dispatch.instruction.file.open("rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "ci.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "Nordlicht Handels GmbH" in text and "Speicherstadt 12" in text
    assert "1,236.01" in text and "D/P" in text and "Commerzbank" in text


def test_refused_presentation_on_the_board_until_sent_again(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.DP)
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection", documents=ORIGINALS,
                                  sent_on=days(0), bank="Bank of China, Ningbo Branch")
    with pytest.raises(NotAllowed) as refused:
        dispatch_result(by=w.merch, dispatch=dispatch, status="refused", result_on=days(0),
                        bank_discrepancies="B/L not endorsed")
    assert refused.value.code == "bank_result_role"
    with pytest.raises(BusinessError) as no_text:
        dispatch_result(by=w.finance, dispatch=dispatch, status="refused", result_on=days(0))
    assert "bank_discrepancies" in no_text.value.fields
    dispatch_result(by=w.finance, dispatch=dispatch, status="refused", result_on=days(0),
                    bank_discrepancies="B/L not endorsed by the shipper")
    items = dispatch_items(user=w.merch, today=days(0), limit=20)
    refused_items = [i for i in items if i.kind == "presentation_refused"]
    assert len(refused_items) == 1 and "B/L not endorsed" in refused_items[0].detail
    assert refused_items[0].order == order
    assert not [i for i in dispatch_items(user=w.other_merch, today=days(0), limit=20)
                if i.kind == "presentation_refused"]
    # paid after all: off the board
    dispatch_result(by=w.finance, dispatch=dispatch, status="paid", result_on=days(0))
    dispatch.refresh_from_db()
    assert dispatch.status == "paid" and dispatch.paid_amount == Decimal("1236.01")
    assert not [i for i in dispatch_items(user=w.merch, today=days(0), limit=20) if i.kind == "presentation_refused"]


def test_da_acceptance_needs_the_maturity_date(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w, payment_method=PaymentMethod.DA)
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection", documents=ORIGINALS,
                                  sent_on=days(0), bank="Bank of China, Ningbo Branch")
    assert dispatch.collection_terms == "D/A"
    with pytest.raises(BusinessError) as refused:
        dispatch_result(by=w.manager, dispatch=dispatch, status="accepted", result_on=days(0))
    assert "maturity_date" in refused.value.fields
    dispatch_result(by=w.manager, dispatch=dispatch, status="accepted", result_on=days(0), maturity_date=days(60))
    dispatch.refresh_from_db()
    assert dispatch.status == "accepted" and dispatch.maturity_date == days(60)


LC_DOCUMENTS = [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
                {"kind": "packing_list", "originals": 3, "copies": 3},
                {"kind": "bill_of_lading", "originals": 3, "copies": 3}]


def to_the_bank(w, shipment):
    return documents_dispatch(by=w.merch, shipment=shipment, channel="bank_credit", documents=LC_DOCUMENTS,
                              sent_on=days(0), bank="Bank of China, Ningbo Branch", bank_reference="BP2603-11")


def test_lc_presentation_draws_on_the_credit_and_is_paid(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.LC_SIGHT)
    result = set_check(shipment)
    assert result["compliant"], result["discrepancies"]
    with pytest.raises(BusinessError) as refused:
        by_courier(w, shipment)
    assert refused.value.code == "channel_not_for_terms"
    dispatch = to_the_bank(w, shipment)
    assert dispatch.credit.number == "LC-HH-2026-001" and dispatch.amount == order.total_amount
    with pytest.raises(ValidationFailed) as refused:  # USD has cents, not thousandths
        dispatch_result(by=w.finance, dispatch=dispatch, status="paid", result_on=days(0), paid_amount="1230.015")
    assert "paid_amount" in refused.value.fields
    dispatch.refresh_from_db()
    assert dispatch.status != "paid"
    dispatch_result(by=w.finance, dispatch=dispatch, status="paid", result_on=days(0), paid_amount="1230.01")
    dispatch.refresh_from_db()
    assert dispatch.status == "paid" and dispatch.paid_amount == Decimal("1230.01")


def test_lc_presentation_over_the_undrawn_balance_is_refused(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.LC_SIGHT)
    credit = order.credits.get()
    DocumentDispatch.objects.create(number="DS-EARLIER", shipment=shipment, credit=credit, channel="bank_credit",
                                    documents=[], currency_id="USD", amount=Decimal("500.00"), sent_on=days(-1),
                                    sent_by=w.merch)
    with pytest.raises(BusinessError) as refused:
        to_the_bank(w, shipment)
    assert refused.value.code == "drawing_over_credit" and "736.01" in refused.value.message
    assert DocumentDispatch.objects.count() == 1


def test_lc_order_without_a_credit_is_not_presented(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.LC_SIGHT)
    order.credits.update(status="cancelled")
    with pytest.raises(BusinessError) as refused:
        set_check(shipment)
    assert refused.value.code == "credit_missing" and refused.value.status == 400
    with pytest.raises(BusinessError):
        to_the_bank(w, shipment)
    assert not DocumentDispatch.objects.exists()


def test_originals_by_courier_after_the_balance_release_the_bl(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    pay(order, order.total_amount - order.received_amount, actor=w.finance, reference="FT-BAL-DS")
    by_courier(w, shipment, documents=ORIGINALS)
    bill = BillOfLading.objects.get(shipment=shipment)
    order.refresh_from_db()
    assert bill.status == "released" and bill.release_kind == "originals"
    assert order.original_bl_released_at is not None


def test_a_dispatch_lists_only_documents_this_shipment_has(people, forwarder):
    """The service, not only the form, refuses a document the set does not hold (here a
    certificate of origin never received): nothing is sent, nothing numbered."""
    w = people
    _order, shipment = shipped_with_set(w)
    with pytest.raises(BusinessError) as refused:
        by_courier(w, shipment, documents=[*COPIES, {"kind": "certificate_of_origin", "originals": 1, "copies": 0}])
    assert refused.value.status == 400 and "certificate of origin" in refused.value.message
    assert not DocumentDispatch.objects.exists()
