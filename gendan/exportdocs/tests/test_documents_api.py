"""The export documents of a shipment through the API: the set with its data, generate and
regenerate with a note, the refusals with their codes."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.exportdocs.models import ShipmentDocument
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.sales.tests import conftest as sales_fixtures

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


def api(user) -> ApiClient:
    return ApiClient(obtain_token(user), language="en")


def test_generate_then_read_the_set(people):
    order, shipment, _lc = shipped(people, credit=True, incoterm="CIF", incoterm_place="Hamburg")
    client = api(people.merch)
    response = client.post(f"shipments/{shipment.pk}/documents/generate/", {})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [d["kind"] for d in body["made"]][:2] == ["commercial_invoice", "packing_list"]
    assert {"product_code": "MUG-350", "field": "origin_criterion", "message": "MUG-350: origin criterion"} in \
        body["missing"]
    response = client.get(f"shipments/{shipment.pk}/documents/")
    assert response.status_code == 200
    documents = {d["kind"]: d for d in response.json()["documents"]}
    invoice = documents["commercial_invoice"]
    assert invoice["data"]["total"] == "1236.01" and invoice["data"]["credit_number"] == "LC-DB-7788"
    assert invoice["pdf_url"] and invoice["xlsx_url"] and documents["draft"]["xlsx_url"] is None
    assert documents["insurance_declaration"]["data"]["insured_amount"] == "1360.00"

    again = client.post(f"shipments/{shipment.pk}/documents/generate/", {})
    assert again.status_code == 200 and again.json()["made"] == []
    order.shipping_marks = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-43"
    order.save(update_fields=["shipping_marks"])
    assert client.get(f"shipments/{shipment.pk}/documents/").json()["changed"][:2] == ["commercial_invoice",
                                                                                       "packing_list"]
    refused = client.post(f"shipments/{shipment.pk}/documents/generate/", {})
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    made = client.post(f"shipments/{shipment.pk}/documents/generate/", {"note": "marks with the carton count",
                                                                         "kinds": ["commercial_invoice"]})
    assert made.status_code == 201 and [(d["kind"], d["version"]) for d in made.json()["made"]] == [
        ("commercial_invoice", 2)]


def test_refusals(people):
    _order, shipment, _lc = shipped(people)
    url = f"shipments/{shipment.pk}/documents/generate/"
    assert api(people.warehouse).post(url, {}).status_code == 403
    assert api(people.other_merch).post(url, {}).status_code == 404
    assert api(people.other_merch).get(f"shipments/{shipment.pk}/documents/").status_code == 404
    bad = api(people.merch).post(url, {"kinds": ["bill_of_lading"]})
    assert bad.status_code == 400
    not_in_set = api(people.merch).post(url, {"kinds": ["draft"]})
    assert not_in_set.status_code == 400 and not_in_set.json()["code"] == "document_not_in_set"
    assert not ShipmentDocument.objects.exists()
