"""Every error is JSON ``{code, message, fields}``: bad input, unknown URLs, wrong methods,
server errors — and a refused request changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import order_body
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def _is_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["code"] == code and body["message"]
    return body


def test_unknown_urls_and_ids_are_json_404(api_for, people):
    api = api_for(people.merch)
    _is_error(api.get("no-such-thing/"), 404, "not_found")
    _is_error(api.get("orders/abc/"), 404, "not_found")
    _is_error(api.get("orders/999999/"), 404, "not_found")
    _is_error(api.post("orders/999999/confirm/"), 404, "not_found")
    _is_error(api.get("/api/v1/orders/1/no-such-action/"), 404, "not_found")


def test_wrong_method_is_json_405(api_for, people, draft_order):
    api = api_for(people.merch)
    _is_error(api.delete(f"orders/{draft_order['id']}/"), 405, "method_not_allowed")
    _is_error(api.put(f"orders/{draft_order['id']}/", {}), 405, "method_not_allowed")
    _is_error(api.get(f"orders/{draft_order['id']}/confirm/"), 405, "method_not_allowed")


def test_malformed_json_is_a_parse_error(api_for, people):
    api = api_for(people.merch)
    body = _is_error(api.post("orders/", '{"customer": 1, "lines": ['), 400, "parse_error")
    assert "JSON" in body["message"]
    _is_error(api.post("orders/", '{"quantity": NaN}'), 400, "parse_error")
    _is_error(api.post("orders/", "[1, 2]"), 400, "validation_failed")


def test_unsupported_media_type(api_for, people):
    api = api_for(people.merch)
    response = api.client.post("/api/v1/orders/", "x", content_type="text/plain", **api.headers)
    _is_error(response, 415, "unsupported_media_type")


def test_wrong_types_negative_quantities_and_impossible_dates(api_for, people, customer):
    api = api_for(people.merch)
    body = order_body(customer, customer_po_date="2026-02-30")
    body["lines"][1]["quantity"] = "abc"
    body["lines"][0]["cells"][0]["quantity"] = {"not": "a number"}
    refused = _is_error(api.post("orders/", body), 400, "validation_failed")
    fields = refused["fields"]
    assert "customer_po_date" in fields and "YYYY-MM-DD" in fields["customer_po_date"][0]
    assert fields["lines[0].cells[0].quantity"] == ["A valid number is required."]

    # Types right, values wrong: the service names the line.
    body = order_body(customer)
    body["lines"][1]["quantity"] = "abc"
    body["lines"][0]["cells"][1]["quantity"] = "-5"
    fields = _is_error(api.post("orders/", body), 400, "validation_failed")["fields"]
    assert fields["lines[1].quantity"] == ["Line 2: Quantity must be a number."]
    assert fields["lines[0].cells[1].quantity"] == ["Line 1: Quantity may not be negative."]

    # Each value right, the two dates in the wrong order: the rule's own code.
    body = order_body(customer, ex_factory_date=(timezone.localdate() - dt.timedelta(days=400)).isoformat())
    fields = _is_error(api.post("orders/", body), 400, "dates_out_of_order")["fields"]
    assert "ex_factory_date" in fields

    body = order_body(customer, currency="XXX", incoterm="ABC", payment_days="soon")
    fields = _is_error(api.post("orders/", body), 400, "validation_failed")["fields"]
    assert set(fields) == {"currency", "incoterm", "payment_days"}
    fields = _is_error(api.post("orders/", order_body(customer, deposit_percent="150")), 400,
                       "validation_failed")["fields"]
    assert set(fields) == {"deposit_percent"}
    assert not SalesOrder.objects.exists()


def test_floats_arrive_as_exact_decimals(api_for, people, customer):
    body = order_body(customer)
    body["lines"] = [{"description": "Cup", "unit_price": 0.1, "quantity": 3}]
    response = api_for(people.merch).post("orders/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["total_amount"] == "0.30"


def test_release_and_ship_line_maps_are_checked(api_for, people, draft_order, factory_supplier):
    api = api_for(people.merch)
    order_id = draft_order["id"]
    bad = {"assignments": [{"supplier": factory_supplier.pk, "due_date": "2026-13-01",
                            "lines": {"abc": "1", str(draft_order["lines"][0]["id"]): "x"}}]}
    fields = _is_error(api.post(f"orders/{order_id}/release-production/", bad), 400, "validation_failed")["fields"]
    assert set(fields) == {"assignments[0].due_date", f"assignments[0].lines.{draft_order['lines'][0]['id']}"}
    bad["assignments"][0].update(due_date="2030-01-01", lines={"abc": "1"})
    fields = _is_error(api.post(f"orders/{order_id}/release-production/", bad), 400, "validation_failed")["fields"]
    assert set(fields) == {"assignments[0].lines.abc"}
    ship = {"shipped_on": "yesterday", "lines": {"1": True}}
    fields = _is_error(api.post(f"orders/{order_id}/ship/", ship), 400, "validation_failed")["fields"]
    assert set(fields) == {"shipped_on", "lines.1"}


def test_unexpected_errors_are_json_500_without_traceback(api_for, people, monkeypatch):
    api = api_for(people.merch)

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("gendan.api.views.orders.order_list", broken)
    body = _is_error(api.get("orders/"), 500, "server_error")
    assert "secret" not in body["message"] and "Traceback" not in body["message"]
