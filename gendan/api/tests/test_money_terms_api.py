"""Four eyes on money terms through the API (issue 10, defect 1): the pending change order says
what it loosens, `allowed_actions` says who may approve it, and the approval is its own endpoint."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import record_confirmations
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def test_deposit_waived_needs_a_second_person(api_for, people, draft_order):
    merch, manager, finance = api_for(people.merch), api_for(people.manager), api_for(people.finance)
    order_id = draft_order["id"]
    record_confirmations(merch, order_id)
    merch.post(f"orders/{order_id}/confirm/")

    proposed = merch.post(f"orders/{order_id}/revisions/", {"deposit_percent": "0", "reason": "Customer asks"})
    assert proposed.status_code == 201, proposed.json()
    loosened = proposed.json()["money_terms_loosened"]
    assert [(t["code"], t["old"], t["new"]) for t in loosened] == [("deposit_lowered", "30", "0")]
    assert loosened[0]["label"] == "deposit 30 % → 0 %"
    record_confirmations(merch, order_id)

    refused = merch.post(f"orders/{order_id}/revisions/apply/")
    assert refused.status_code == 409 and refused.json()["code"] == "gate_money_terms"
    assert "deposit 30 % → 0 %" in refused.json()["message"]
    assert merch.post(f"orders/{order_id}/revisions/approve/", {"reason": "mine"}).status_code == 403

    actions = manager.get(f"orders/{order_id}/").json()["allowed_actions"]
    assert actions["approve_revision"]["allowed"] is True
    assert actions["apply_revision"]["code"] == "gate_money_terms"

    approved = finance.post(f"orders/{order_id}/revisions/approve/", {"reason": "Insured with Sinosure"})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_by"]["username"] == "finance"
    assert approved.json()["approval_reason"] == "Insured with Sinosure"
    again = manager.post(f"orders/{order_id}/revisions/approve/", {"reason": "Me too"})
    assert again.status_code == 409 and again.json()["code"] == "no_approval_needed"

    applied = merch.post(f"orders/{order_id}/revisions/apply/")
    assert applied.status_code == 200, applied.json()
    assert SalesOrder.objects.get(pk=order_id).deposit_percent == 0
