"""The B/L and the shipping advice through the API with a real token: the draft checked (the
difference listed with what was expected), confirm with a reason, issue, release refused by the
balance rule then allowed, the advice sent; the order's release-original-bl through the bills;
scope and roles; a stale version 409."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.shipping.models import BillOfLading
from gendan.shipping.tests.bills_setup import correct_draft, days, shipped_order
from tests.factories import pay

pytestmark = pytest.mark.django_db
BL = BillOfLading.Status


def api(user) -> ApiClient:
    return ApiClient(obtain_token(user))


def test_the_bill_through_the_api(people, django_capture_on_commit_callbacks):
    order, shipment = shipped_order(people)
    merch = api(people.merch)
    assert merch.get(f"shipments/{shipment.pk}/bill/").status_code == 404  # no draft yet

    response = merch.post(f"shipments/{shipment.pk}/bill/", correct_draft(gross_kg="1120.5"))
    assert response.status_code == 201, response.json()
    bill = response.json()
    assert bill["differences"] == [{"field": "gross_kg", "expected": "1102.5", "found": "1120.5"}]
    assert bill["expected"]["containers"] == "CSQU3054383 / SEAL 123456, 40HQ"
    assert bill["allowed_actions"]["confirm"]["allowed"] and not bill["allowed_actions"]["issue"]["allowed"]

    response = merch.post(f"bills/{bill['id']}/confirm/", {"version": bill["version"]})
    assert response.status_code == 400 and response.json()["code"] == "bill_differences"
    response = merch.post(f"bills/{bill['id']}/confirm/", {"version": bill["version"] + 5,
                                                           "accept_reason": "Weighed with pallets"})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = merch.post(f"bills/{bill['id']}/confirm/", {"version": bill["version"],
                                                           "accept_reason": "Weighed with pallets"})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"

    response = merch.post(f"bills/{bill['id']}/issue/", {"bl_no": "COSU6123456780",
                                                         "on_board_on": days(5).isoformat()})
    assert response.status_code == 400 and response.json()["code"] == "on_board_in_future"
    response = merch.post(f"bills/{bill['id']}/issue/", {"bl_no": "COSU6123456780",
                                                         "on_board_on": days(-1).isoformat(), "originals": 3})
    assert response.status_code == 200 and response.json()["status"] == "issued"
    assert response.json()["allowed_actions"]["release"]["code"] == "gate_balance"

    response = merch.post(f"bills/{bill['id']}/release/", {"release_kind": "originals"})
    assert response.status_code == 409 and response.json()["code"] == "gate_balance"
    pay(order, order.total_amount - order.received_amount, actor=people.finance, reference="FT-BAL")
    response = merch.post(f"bills/{bill['id']}/release/", {"release_kind": "originals"})
    assert response.status_code == 200 and response.json()["status"] == "released"

    with django_capture_on_commit_callbacks(execute=True):
        response = merch.post(f"shipments/{shipment.pk}/advice/")
    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.advice_sent_at is not None


def test_the_orders_release_original_bl_goes_through_the_bills(people):
    order, shipment = shipped_order(people)
    merch = api(people.merch)
    bill = merch.post(f"shipments/{shipment.pk}/bill/", correct_draft()).json()
    response = merch.post(f"orders/{order.pk}/release-original-bl/")
    assert response.status_code == 409 and response.json()["code"] == "bill_not_issued"
    merch.post(f"bills/{bill['id']}/confirm/", {})
    merch.post(f"bills/{bill['id']}/issue/", {"bl_no": "COSU1", "on_board_on": days(-1).isoformat()})
    pay(order, order.total_amount - order.received_amount, actor=people.finance, reference="FT-BAL")
    response = merch.post(f"orders/{order.pk}/release-original-bl/")
    assert response.status_code == 200 and response.json()["original_bl_released_at"]
    assert BillOfLading.objects.get().status == BL.RELEASED


def test_scope_and_roles(people):
    order, shipment = shipped_order(people)
    assert api(people.other_merch).post(f"shipments/{shipment.pk}/bill/", correct_draft()).status_code == 404
    assert api(people.warehouse).post(f"shipments/{shipment.pk}/bill/", correct_draft()).status_code == 403
    assert api(people.merch).get(f"bills/{2**70}/").status_code == 404
    assert not BillOfLading.objects.exists()
    bad = api(people.merch).post(f"shipments/{shipment.pk}/bill/", correct_draft(gross_kg="1e999999999"))
    assert bad.status_code == 400 and "gross_kg" in bad.json()["fields"]
