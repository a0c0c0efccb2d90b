"""The set's check, discrepancy acceptance, dispatch and its result through the API with a real
token: the check beside its document and field, 403 with the rule for a merchandiser who accepts,
409 while a discrepancy is open, 201 once accepted; scope 404; bad input 400."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.exportdocs.models import DiscrepancyAcceptance, DocumentDispatch
from gendan.exportdocs.tests.builders import days, shipped_with_set
from gendan.shipping.tests import conftest as shipping_fixtures

pytestmark = pytest.mark.django_db

people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder



def courier() -> dict:
    return {"channel": "courier", "sent_on": days(0).isoformat(), "courier": "DHL", "awb_no": "1234567890",
            "documents": [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
                          {"kind": "bill_of_lading", "originals": 0, "copies": 3}]}


def api(user) -> ApiClient:
    return ApiClient(obtain_token(user))


def test_check_accept_and_dispatch_through_the_api(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w, bill={"packages": "120"})
    merch = api(w.merch)
    response = merch.get(f"shipments/{shipment.pk}/document-check/")
    assert response.status_code == 200, response.json()
    check = response.json()
    assert not check["compliant"] and not check["dispatchable"]
    assert {"code": "PACKAGES_CONFLICT", "document": "bill_of_lading", "field": "packages"}.items() <= \
        check["discrepancies"][0].items()

    response = merch.post(f"shipments/{shipment.pk}/dispatches/", courier())
    assert response.status_code == 409 and response.json()["code"] == "discrepancies_open", response.json()
    assert "PACKAGES_CONFLICT" in response.json()["message"]

    accept = {"code": "PACKAGES_CONFLICT", "document": "bill_of_lading", "field": "packages",
              "reason": "120 packages: the forwarder counted the pallets; the bank is told"}
    response = merch.post(f"shipments/{shipment.pk}/discrepancy-acceptances/", accept)
    assert response.status_code == 403 and "No one loosens a gate alone" in response.json()["message"]
    assert not DiscrepancyAcceptance.objects.exists()
    response = api(w.manager).post(f"shipments/{shipment.pk}/discrepancy-acceptances/", accept)
    assert response.status_code == 201 and response.json()["dispatchable"]

    response = merch.post(f"shipments/{shipment.pk}/dispatches/", courier() | {"sent_on": "2026-13-01"})
    assert response.status_code == 400 and "sent_on" in response.json()["fields"]
    response = merch.post(f"shipments/{shipment.pk}/dispatches/", courier())
    assert response.status_code == 201, response.json()
    dispatch = response.json()
    assert dispatch["number"].startswith("DS") and dispatch["amount"] == "1236.01"
    assert merch.get(f"shipments/{shipment.pk}/dispatches/").json()[0]["id"] == dispatch["id"]
    response = merch.post(f"dispatches/{dispatch['id']}/result/", {"status": "delivered",
                                                                   "result_on": days(0).isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "delivered"

    other = api(w.other_merch)
    assert other.get(f"shipments/{shipment.pk}/document-check/").status_code == 404
    assert other.post(f"dispatches/{dispatch['id']}/result/", {"status": "paid",
                                                               "result_on": days(0).isoformat()}).status_code == 404
    assert DocumentDispatch.objects.count() == 1


def test_certificates_through_the_api(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    merch = api(w.merch)
    response = merch.post(f"shipments/{shipment.pk}/certificates/", {
        "kind": "certificate_of_origin", "origin_form": "form_e", "issuer": "CCPIT Ningbo",
        "needed_by": days(3).isoformat()})
    assert response.status_code == 201, response.json()
    certificate = response.json()
    response = merch.post(f"certificates/{certificate['id']}/apply/", {"applied_on": days(0).isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert merch.get(f"shipments/{shipment.pk}/certificates/").json()[0]["status"] == "applied"


def test_a_kind_listed_twice_or_not_the_shipments_is_refused_with_its_rule_code(people, forwarder):
    """Rules no JSON Schema states (each kind once; one of the shipment's documents) answer with
    their own codes, the field named; nothing is dispatched."""
    _order, shipment = shipped_with_set(people)
    merch = api(people.merch)
    twice = courier() | {"documents": [{"kind": "commercial_invoice", "originals": 3},
                                       {"kind": "commercial_invoice", "copies": 1}]}
    response = merch.post(f"shipments/{shipment.pk}/dispatches/", twice)
    assert response.status_code == 400 and response.json()["code"] == "duplicate_item", response.json()
    assert "documents[1].kind" in response.json()["fields"]
    foreign = courier() | {"documents": [{"kind": "inspection_certificate", "originals": 1}]}
    response = merch.post(f"shipments/{shipment.pk}/dispatches/", foreign)
    assert response.status_code == 400 and response.json()["code"] == "record_mismatch", response.json()
    assert "inspection certificate" in response.json()["fields"]["documents"][0]
    response = merch.post(f"shipments/{shipment.pk}/dispatches/", courier() | {"sent_on": days(1).isoformat()})
    assert response.status_code == 400 and response.json()["code"] == "date_in_future"
    assert set(response.json()["fields"]) == {"sent_on"}
    assert not DocumentDispatch.objects.exists()
