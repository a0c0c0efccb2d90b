"""The request schema states what the server checks (the debts of scripts/api_fuzz_hooks.py's
OPEN_FINDINGS paid for credits, receipts, goods receipts, payables, bank statements, certificates
and dispatches): a client that follows the schema is not refused for the shape of its request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from gendan.api.fields import positive_decimal_pattern

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _body(schema, method: str, path: str, media_type: str = "application/json") -> dict:
    ref = schema["paths"][path][method]["requestBody"]["content"][media_type]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_a_receipts_file_travels_in_multipart_and_its_allocations_in_json(schema):
    json_body = _body(schema, "post", "/api/v1/receipts/")
    multipart = _body(schema, "post", "/api/v1/receipts/", "multipart/form-data")
    assert "allocations" in json_body["properties"] and "file" not in json_body["properties"]
    assert "file" in multipart["properties"] and "allocations" not in multipart["properties"]
    assert json_body["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"


def test_a_credit_states_the_register_fields(schema):
    body = _body(schema, "post", "/api/v1/credits/")
    assert {"number", "issuing_bank", "applicant", "beneficiary", "goods_description", "latest_shipment_date",
            "expiry_date", "amount"} <= set(body["required"])
    assert {"documents_required", "tenor", "usance_days", "insurance_pct", "orders"} <= set(body["properties"])
    assert body["additionalProperties"] is False
    customer_or_orders, usance_days = body["allOf"]
    assert [alternative["required"] for alternative in customer_or_orders["anyOf"]] == [["customer"], ["orders"]]
    assert usance_days["anyOf"][1]["properties"]["usance_days"]["minimum"] == 1


def test_choices_dates_and_counts_are_stated(schema):
    receipt = _body(schema, "post", "/api/v1/goods-receipts/")["properties"]
    assert "pattern" in receipt["received_on"] and "oneOf" in receipt["quantity"]
    certificate = _body(schema, "post", "/api/v1/shipments/{id}/certificates/")
    assert "certificate_of_origin" not in certificate["anyOf"][0]["properties"]["kind"]["allOf"][0]["enum"]
    assert certificate["anyOf"][1]["required"] == ["origin_form"]
    dispatch = _body(schema, "post", "/api/v1/shipments/{id}/dispatches/")
    assert dispatch["properties"]["documents"]["minItems"] == 1
    statement = _body(schema, "post", "/api/v1/supplier-statements/")["properties"]
    assert re.match(statement["month"]["pattern"], "2026-03") and not re.match(statement["month"]["pattern"], "3/26")
    payment = _body(schema, "post", "/api/v1/supplier-invoices/{id}/payments/")["properties"]
    assert payment["amount"]["oneOf"][1] == {"type": "integer", "minimum": 1, "maximum": 9999999999999}


@pytest.mark.parametrize("text", ["0.01", "0.1", "1", "12.5", "999999999.999", "0.001"])
def test_the_positive_decimal_pattern_admits_what_the_services_accept(text):
    assert re.match(positive_decimal_pattern(places=3, whole_digits=9), text)
    assert Decimal(text) > 0


@pytest.mark.parametrize("text", ["0", "0.000", "-1", "1e3", "", ".5", "1.", "01", "1.2345", "1000000000"])
def test_the_positive_decimal_pattern_refuses_what_they_refuse(text):
    assert not re.match(positive_decimal_pattern(places=3, whole_digits=9), text)
