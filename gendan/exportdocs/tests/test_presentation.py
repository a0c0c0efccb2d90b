"""The set's check on what the documents part generates: the presentation built from the generated
set, the shipment's B/L and the credit is compliant when they agree (单单一致、单证一致), and a B/L
that disagrees with the packing list is found beside both; an L/C order's set is checked against
its credit (the credit's rules: amount over the credit)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.services.presentation import presentation_for, set_check
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.shipping.services.bills import bill_confirm, bill_draft_receive, bill_issue
from gendan.shipping.tests import conftest as shipping_fixtures

pytestmark = pytest.mark.django_db

people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder
_english_messages = shipping_fixtures._english_messages


def bill_as_the_packing_list(w, shipment, packing: dict, **changes):
    data = {"port_of_loading": "NINGBO", "port_of_discharge": "HAMBURG", "vessel": "COSCO SHIPPING ARIES",
            "voyage": "041E", "marks": packing["marks"], "packages": str(packing["packages"]),
            "gross_kg": packing["gross_weight_kg"], "cbm": packing.get("cbm") or "", "description": "CERAMIC MUGS"}
    bill = bill_draft_receive(actor=w.merch, shipment_id=shipment.pk, data=data | changes)
    bill = bill_confirm(actor=w.merch, bill_id=bill.pk, accept_reason="as the forwarder printed it"
                        if bill.differences else "")
    return bill_issue(actor=w.merch, bill_id=bill.pk, bl_no="COSU6123456780", on_board_on=timezone.localdate())


def generated(w, **kwargs):
    order, shipment, credit = shipped(w, **kwargs)
    document_set_generate(by=w.merch, shipment=shipment)
    packing = shipment.export_documents.get(kind="packing_list", is_current=True).data
    return order, shipment, credit, packing


def test_generated_set_and_bl_agree(people, forwarder):
    w = people
    _order, shipment, _credit, packing = generated(w)
    bill_as_the_packing_list(w, shipment, packing)
    presentation = presentation_for(shipment)
    assert "credit" not in presentation  # T/T: between the documents only
    assert set(presentation["documents"]) >= {"commercial_invoice", "packing_list", "bill_of_lading"}
    assert presentation["documents"]["bill_of_lading"]["signed"] is True
    result = set_check(shipment)
    assert result["compliant"], result["discrepancies"]


def test_generated_set_bl_disagrees(people, forwarder):
    w = people
    _order, shipment, _credit, packing = generated(w)
    bill_as_the_packing_list(w, shipment, packing, packages=str(packing["packages"] + 2))
    found = {(d["code"], d["document"], d["field"]) for d in set_check(shipment)["discrepancies"]}
    assert ("PACKAGES_CONFLICT", "bill_of_lading", "packages") in found


def test_lc_set_checked_against_the_credit(people, forwarder):
    w = people
    order, shipment, credit, packing = generated(w, credit=True)
    bill_as_the_packing_list(w, shipment, packing)
    presentation = presentation_for(shipment)
    assert presentation["credit"]["number"] == credit.number
    result = set_check(shipment)
    assert result["compliant"], result["discrepancies"]
    credit.amount = order.total_amount - 100
    credit.save(update_fields=["amount"])
    found = {(d["code"], d["document"]) for d in set_check(shipment)["discrepancies"]}
    assert ("AMOUNT_OVER", "commercial_invoice") in found
