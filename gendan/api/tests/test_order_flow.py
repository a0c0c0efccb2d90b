"""An export order from PO to shipment, driven only through the API with real tokens:
create → confirm refused by the written-order rule → confirmations recorded → confirmed →
production refused by the deposit rule → finance records the deposit → released → balance
requested and paid → shipped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from gendan.api.tests.conftest import record_confirmations
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def test_order_to_shipment_through_the_api(api_for, people, customer, draft_order, factory_supplier,
                                           django_capture_on_commit_callbacks):
    merch, finance = api_for(people.merch), api_for(people.finance)
    order_id = draft_order["id"]

    # Money is exact and sent as strings: line amounts rounded per line, total their sum.
    assert draft_order["status"] == "draft"
    assert draft_order["total_amount"] == "1236.01"
    assert [line["amount"] for line in draft_order["lines"]] == ["1235.00", "1.01"]
    assert [c["quantity"] for c in draft_order["lines"][0]["cells"]] == ["600.000", "400.000"]
    assert draft_order["allowed_actions"]["confirm"] == {
        "allowed": False, "code": "gate_written_order",
        "reason": draft_order["allowed_actions"]["confirm"]["reason"]}

    # The written-order rule refuses confirmation, naming what is missing.
    refused = merch.post(f"orders/{order_id}/confirm/")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "gate_written_order"
    assert "Written-order rule" in body["message"] and body["fields"] == {}
    assert SalesOrder.objects.get(pk=order_id).status == "draft"

    record_confirmations(merch, order_id)
    confirmed = merch.post(f"orders/{order_id}/confirm/", {"version": draft_order["version"]})
    assert confirmed.status_code == 200, confirmed.json()
    order = confirmed.json()
    assert order["status"] == "confirmed" and order["number"].startswith("SO")
    assert order["deposit_amount"] == "370.80" and order["balance_amount"] == "865.21"
    assert [(p["kind"], p["amount"]) for p in order["plan_items"]] == [("balance", "865.21"),
                                                                      ("deposit", "370.80")]
    assert len(order["confirmations"]) == 2
    written = next(c for c in order["confirmations"] if c["kind"] == "written")
    download = merch.get(written["file"]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    # The PI is issued and can be downloaded; the deposit request goes out with it.
    issued = merch.post(f"orders/{order_id}/documents/", {"kind": "pi"})
    assert issued.status_code == 201, issued.json()
    assert issued.json()["display_number"].startswith("PI")
    pdf = merch.get(issued.json()["download_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert [d["download_url"] for d in merch.get(f"orders/{order_id}/documents/").json()] == [
        issued.json()["download_url"]]
    assert api_for(people.other_sales).get(issued.json()["download_url"]).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        requested = merch.post(f"orders/{order_id}/request-deposit/", {"message": "Thank you!"})
    assert requested.status_code == 201, requested.json()
    assert requested.json()["amount"] == "370.80"
    assert mail.outbox and mail.outbox[-1].to == ["buyer@acme.example"]

    # No production before the deposit: 409 with the gate's code, and nothing was created.
    release = {"assignments": [{"supplier": factory_supplier.pk,
                                "due_date": (timezone.localdate() + dt.timedelta(days=50)).isoformat()}]}
    blocked = merch.post(f"orders/{order_id}/release-production/", release)
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "gate_deposit"
    assert "Deposit rule" in blocked.json()["message"]
    assert not SalesOrder.objects.get(pk=order_id).production_orders.exists()
    listed = merch.get("orders/", {"blocked": "deposit"}).json()
    assert [o["id"] for o in listed["results"]] == [order_id]

    # Finance records the deposit and allocates it in the same request.
    receipt = finance.post("receipts/", {
        "customer": customer.pk, "currency": "USD", "amount": "365.80", "bank_charges": "5.00",
        "received_on": timezone.localdate().isoformat(), "bank_reference": "FT123",
        "allocations": [{"order": order_id, "amount": "370.80"}]})
    assert receipt.status_code == 201, receipt.json()
    assert receipt.json()["allocated_amount"] == "370.80"
    assert receipt.json()["unallocated_amount"] == "0.00"

    released = merch.post(f"orders/{order_id}/release-production/", release)
    assert released.status_code == 200, released.json()
    order = released.json()
    assert order["status"] == "in_production" and order["payment_status"] == "deposit_received"
    assert len(order["production_orders"]) == 1

    # Balance before shipment: shipping is refused until it is paid.
    mug, box = (line["id"] for line in order["lines"])
    ship = {"shipped_on": timezone.localdate().isoformat(), "lines": {str(mug): "1000", str(box): 3},
            "bl_no": "COSU123"}
    refused = merch.post(f"orders/{order_id}/ship/", ship)
    assert refused.status_code == 409 and refused.json()["code"] == "gate_balance"
    assert merch.post(f"orders/{order_id}/request-balance/").status_code == 201
    balance = finance.post("receipts/", {
        "customer": customer.pk, "currency": "USD", "amount": "865.21",
        "received_on": timezone.localdate().isoformat(), "bank_reference": "FT999"}).json()
    allocated = finance.post(f"receipts/{balance['id']}/allocate/", {"order": order_id, "amount": "865.21"})
    assert allocated.status_code == 201, allocated.json()
    assert allocated.json()["order_amount"] == "865.21"

    shipped = merch.post(f"orders/{order_id}/ship/", ship)
    assert shipped.status_code == 201, shipped.json()
    order = shipped.json()
    assert order["status"] == "completed"  # shipped and paid in full
    assert order["shipment_status"] == "shipped" and order["shipments"][0]["bl_no"] == "COSU123"
    closed = merch.post(f"orders/{order_id}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    timeline = merch.get(f"orders/{order_id}/timeline/").json()
    assert any("Phone confirmation" in e["message"] for e in timeline)


def test_change_order_through_the_api(api_for, people, draft_order):
    merch = api_for(people.merch)
    order_id = draft_order["id"]
    record_confirmations(merch, order_id)
    version = merch.post(f"orders/{order_id}/confirm/").json()["version"]

    # A confirmed order is not edited directly.
    edit = merch.patch(f"orders/{order_id}/", {"version": version, "notes": "x"})
    assert edit.status_code == 400 and edit.json()["code"] == "use_change_order"

    lines = [{"description": "Ceramic mug 350 ml", "unit_price": "1.235",
              "cells": [{"colour": "Red", "size": "M", "quantity": "800"},
                        {"colour": "Blue", "size": "M", "quantity": "400"}]},
             {"description": "Gift box", "unit_price": "0.335", "quantity": "3"}]
    proposed = merch.post(f"orders/{order_id}/revisions/", {"lines": lines, "reason": "Customer adds 200 red"})
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["status"] == "pending" and proposed.json()["revision_no"] == 1

    refused = merch.post(f"orders/{order_id}/revisions/apply/")
    assert refused.status_code == 409 and refused.json()["code"] == "gate_change"
    assert SalesOrder.objects.get(pk=order_id).total_amount == draft_order_total(draft_order)

    record_confirmations(merch, order_id)
    applied = merch.post(f"orders/{order_id}/revisions/apply/")
    assert applied.status_code == 200, applied.json()
    assert applied.json()["total_amount"] == "1483.01" and applied.json()["revision_no"] == 1


def draft_order_total(order_json):
    from decimal import Decimal

    return Decimal(order_json["total_amount"])


def test_cancel_hold_resume_and_override(api_for, people, customer, draft_order):
    merch, manager = api_for(people.merch), api_for(people.manager)
    order_id = draft_order["id"]
    record_confirmations(merch, order_id)
    merch.post(f"orders/{order_id}/confirm/")

    held = merch.post(f"orders/{order_id}/hold/", {"reason": "customer asks to wait"})
    assert held.status_code == 200 and held.json()["status"] == "on_hold"
    assert held.json()["allowed_actions"]["resume"]["allowed"] is True
    resumed = merch.post(f"orders/{order_id}/resume/")
    assert resumed.json()["status"] == "confirmed"

    # Only a manager overrides a gate, and only with a reason.
    assert merch.post(f"orders/{order_id}/override-gate/", {"gate": "deposit", "reason": "trusted"}
                      ).status_code == 403
    no_reason = manager.post(f"orders/{order_id}/override-gate/", {"gate": "deposit", "reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    overridden = manager.post(f"orders/{order_id}/override-gate/",
                              {"gate": "deposit", "reason": "Long-standing customer, pays on time"})
    assert overridden.status_code == 200, overridden.json()
    assert overridden.json()["production_gate_override"] is True
    assert overridden.json()["allowed_actions"]["release_production"]["allowed"] is True

    cancelled = merch.post(f"orders/{order_id}/cancel/", {"reason": "Customer went bankrupt"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = merch.post(f"orders/{order_id}/hold/", {"reason": "too late"})
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
