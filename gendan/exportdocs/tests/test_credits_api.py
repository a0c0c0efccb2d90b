"""The credits API round trip: register, read, correct with the version (409 when stale),
examine, amendment request / receive / accept, and the refusals a client sees."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from gendan.exportdocs.models import LetterOfCredit
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.tests import conftest as sales_fixtures

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages
BASE = "/api/v1/credits/"


def _send(client, method: str, url: str, body=None):
    if method == "get":
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = getattr(client, method)(url, data=json.dumps(body if body is not None else {}),
                                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.json() if response.content else None


def test_the_api_round_trip(people, client_for):
    order = lc_order(people)
    api = client_for(people.merch)
    status, body = _send(api, "post", BASE, credit_data(order, amount="1000.00"))
    assert status == 201, body
    pk = body["id"]
    assert body["status"] == "received" and body["orders"] == [order.pk] and body["presentation_days"] == 21
    assert body["undrawn"] == "1000.00"
    status, listing = _send(api, "get", BASE + "?status=received")
    assert status == 200 and [c["number"] for c in listing["results"]] == ["LC-2026-0001"]
    status, body = _send(api, "patch", f"{BASE}{pk}/", {"version": 1, "charges": "All charges outside China"})
    assert status == 200 and body["version"] == 2
    status, body = _send(api, "patch", f"{BASE}{pk}/", {"version": 1, "charges": "x"})
    assert status == 409 and body["code"] == "conflict"
    status, body = _send(api, "post", f"{BASE}{pk}/examine/", {"version": 2})
    assert status == 200 and body["status"] == "amendment_needed"
    assert "amount_short" in {f["code"] for f in body["findings"] if f["amendment"]}
    status, requested = _send(api, "post", f"{BASE}{pk}/amendments/", {})
    assert status == 201 and "236.01" in requested["request_text"]
    status, advised = _send(api, "post", f"{BASE}{pk}/amendments/receive/", {"changes": {"amount": "1236.01"}})
    assert status == 200 and advised["id"] == requested["id"] and advised["status"] == "received"
    version = LetterOfCredit.objects.get(pk=pk).version
    status, body = _send(api, "post", f"{BASE}{pk}/amendments/{advised['id']}/accept/", {"version": version})
    assert status == 200 and body["status"] == "accepted" and body["amount"] == "1236.01"
    assert body["amendment_no"] == 1 and [a["status"] for a in body["amendments"]] == ["accepted"]


def test_bad_input_and_refusals(people, client_for):
    order = lc_order(people)
    api = client_for(people.merch)
    status, body = _send(api, "post", BASE, credit_data(order, amount_tolerance_pct="150",
                                                        documents_required=["horoscope"]))
    assert status == 400 and body["code"] in ("tolerance_too_large", "unknown_document_kind")
    assert {"amount_tolerance_pct", "documents_required.0.kind"} <= set(body["fields"])
    status, body = _send(api, "post", BASE, [1, 2])
    assert status == 400
    assert not LetterOfCredit.objects.exists()
    status, body = _send(client_for(people.warehouse), "post", BASE, credit_data(order))
    assert status == 403
    status, body = _send(api, "post", BASE, credit_data(order))
    status, body = _send(client_for(people.other_merch), "get", f"{BASE}{body['id']}/")
    assert status == 404


def test_a_record_that_does_not_exist_is_refused_alone_and_the_rules_keep_their_codes(people, client_for):
    """A customer or currency the body names that does not exist is answered alone (no malformed
    value, no broken rule beside it); a usance credit without its days (a rule between two fields,
    against the stored tenor on PATCH) answers values_inconsistent; a field the register does not
    know is refused by name — and the PATCH schema says so (additionalProperties: false)."""
    order = lc_order(people)
    api = client_for(people.merch)
    data = credit_data(order)
    backwards = {"expiry_date": data["latest_shipment_date"],
                 "latest_shipment_date": (order.ex_factory_date + dt.timedelta(days=30)).isoformat()}
    status, body = _send(api, "post", BASE, credit_data(order, **backwards))
    assert status == 400 and body["code"] == "expiry_before_latest_shipment" and list(body["fields"]) == [
        "expiry_date"]
    status, body = _send(api, "post", BASE, {**credit_data(order, **backwards), "orders": [], "customer": 987654})
    assert status == 400 and body == {"code": "validation_failed", "message": "Customer 987654 does not exist.",
                                      "fields": {"customer": ["Customer 987654 does not exist."]}}
    status, body = _send(api, "post", BASE, credit_data(order, currency="XTS", **backwards))
    assert status == 400 and body["fields"] == {"currency": ["Currency “XTS” does not exist or is not in use."]}
    assert not LetterOfCredit.objects.exists()

    status, credit = _send(api, "post", BASE, credit_data(order))
    assert status == 201, credit
    status, body = _send(api, "patch", f"{BASE}{credit['id']}/", {"version": 1, "tenor": "usance"})
    assert status == 400 and body["code"] == "values_inconsistent" and list(body["fields"]) == ["usance_days"]
    status, body = _send(api, "patch", f"{BASE}{credit['id']}/", {"version": 1, "colour": "red"})
    assert status == 400 and body["fields"] == {"colour": ["“colour” is not a field of the credit."]}
    assert LetterOfCredit.objects.get().version == 1

    schema = api.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    patch = schema["PatchedCreditUpdateRequest"]
    assert patch["additionalProperties"] is False and patch["required"] == ["version"]
    assert {"expiry_date", "orders", "reason", "documents_required"} <= set(patch["properties"])
    assert "customer" not in patch["properties"]
    assert "expiry_before_latest_shipment" in patch["properties"]["expiry_date"]["description"]


def test_a_blank_received_on_is_today_when_registering_and_the_stored_date_on_patch(people, client_for):
    """Blank was None on the credit: a server error (the column is NOT NULL), found by the API fuzz."""
    order = lc_order(people)
    api = client_for(people.merch)
    status, credit = _send(api, "post", BASE, credit_data(order, received_on=""))
    assert status == 201 and credit["received_on"] == timezone.localdate().isoformat(), credit
    status, body = _send(api, "patch", f"{BASE}{credit['id']}/", {"version": 1, "received_on": "",
                                                                  "charges": "All outside China"})
    assert status == 200 and body["received_on"] == credit["received_on"] and body["version"] == 2, body
