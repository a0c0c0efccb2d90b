"""``POST /api/v1/document-checks``: the document check through HTTP, with a real token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gendan.api.tests.conftest import API
from gendan.shipping.tests.test_document_check import presentation

pytestmark = pytest.mark.django_db


@pytest.fixture
def merch_api(api_for, people):
    return api_for(people.merch)


def test_a_compliant_presentation(merch_api):
    response = merch_api.post("document-checks", presentation())
    assert response.status_code == 200, response.json()
    assert response.json() == {"compliant": True, "discrepancies": []}


def test_the_trailing_slash_is_answered_too(merch_api):
    response = merch_api.post("document-checks/", presentation())
    assert response.status_code == 200 and response.json()["compliant"] is True


def test_discrepancies_with_code_document_field_and_message(merch_api):
    data = presentation(documents__bill_of_lading__packages=260, presentation_date="2026-04-14")
    response = merch_api.post("document-checks", data)
    assert response.status_code == 200
    assert response.json() == {"compliant": False, "discrepancies": [
        {"code": "LATE_PRESENTATION", "document": "presentation", "field": "presentation_date",
         "message": "Presented on 2026-04-14; the last day was 2026-04-13 (21 days after the on-board date "
                    "2026-03-21)."},
        {"code": "PACKAGES_CONFLICT", "document": "bill_of_lading", "field": "packages",
         "message": "The bill of lading shows packages 260, the commercial invoice 250."},
    ]}


def test_amounts_sent_as_json_numbers_are_exact(merch_api):
    body = json.dumps(presentation()).replace('"10750.00"', "10750.00").replace('"2.15"', "2.15")
    response = merch_api.post("document-checks", body)
    assert response.status_code == 200 and response.json()["compliant"] is True, response.json()


def test_a_malformed_presentation_is_a_400_naming_the_path(merch_api):
    data = presentation(documents__commercial_invoice__lines__1__quantity="two thousand")
    response = merch_api.post("document-checks", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_presentation"
    assert body["fields"] == {"documents.commercial_invoice.lines[1].quantity": ["Not a decimal number."]}
    assert body["message"] == "documents.commercial_invoice.lines[1].quantity: Not a decimal number."


@pytest.mark.parametrize(("body", "field"), [
    ("[1, 2]", "__all__"),
    ('"a string"', "__all__"),
    ('{"credit": {"expiry_date": "2026-02-30"}}', "credit.expiry_date"),
    ('{"credit": {"amount_tolerance_pct": 150}}', "credit.amount_tolerance_pct"),
    ('{"credit": {"documents_required": ["fax"]}}', "credit.documents_required[0]"),
    ('{"credit": {"latest_shipment_date": "2026-05-01", "expiry_date": "2026-04-30"}}', "credit.expiry_date"),
    ('{"documents": {"draft": {"amount": 1e400}}}', "documents.draft.amount"),
    ('{"documents": {"draft": {"amount": 123456789012345678901234567890}}}', "documents.draft.amount"),
    ('{"documents": {"bill_of_lading": {"packages": {"a": [1, {"b": null}]}}}}', "documents.bill_of_lading.packages"),
])
def test_bad_input_is_never_a_500(merch_api, body, field):
    response = merch_api.post("document-checks", body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_presentation"
    assert list(response.json()["fields"]) == [field]


def test_a_body_that_is_not_json(merch_api):
    assert merch_api.post("document-checks", "{not json").json()["code"] == "parse_error"
    form = merch_api.client.post(f"{API}/document-checks", {"credit": "x"}, **merch_api.headers)
    assert form.status_code == 415


def test_anonymous_is_refused(anonymous):
    response = anonymous.post("document-checks", presentation())
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_user_without_a_role_that_sees_shipments_is_refused(make_user, api_for):
    nobody = make_user(username="nobody", language="en")
    response = api_for(nobody).post("document-checks", presentation())
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


@pytest.mark.parametrize("role", ["merchandiser", "sales", "finance", "warehouse", "manager"])
def test_the_roles_that_see_shipments_may_check(make_user, api_for, role):
    user = make_user(role, username=f"u_{role}", language="en")
    assert api_for(user).post("document-checks", presentation()).status_code == 200


def test_other_methods_are_not_allowed(merch_api):
    assert merch_api.get("document-checks").status_code == 405


def test_messages_in_chinese_by_accept_language(merch_api):
    response = merch_api.post("document-checks", presentation(documents__bill_of_lading__signed=False),
                              HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["discrepancies"][0]["message"] == "提单未经承运人、船长或其具名代理签署。"
    refused = merch_api.post("document-checks", presentation(credit__amount_tolerance_pct="101"),
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.json()["fields"] == {"credit.amount_tolerance_pct": ["溢短装比例不得超过 100%。"]}


def test_messages_in_the_users_saved_language(make_user, api_for):
    chinese = make_user("merchandiser", username="zh_merch", language="zh-hans")
    api = api_for(chinese)
    api.headers.pop("HTTP_ACCEPT_LANGUAGE")
    response = api.post("document-checks", presentation(documents__bill_of_lading__originals_presented=2))
    assert response.json()["discrepancies"] == [{
        "code": "BL_INCOMPLETE_SET", "document": "bill_of_lading", "field": "originals_presented",
        "message": "提交了 3 份正本提单中的 2 份：须提交全套。"}]


def test_a_logged_in_browser_session_may_check(make_user):
    client = Client()
    client.force_login(make_user("merchandiser", username="browser", language="en"))
    response = client.post(f"{API}/document-checks", json.dumps(presentation()), content_type="application/json")
    assert response.status_code == 200 and response.json()["compliant"] is True


def test_the_schema_documents_the_endpoint_once():
    schema = Client().get(f"{API}/schema/", {"format": "json"}).json()
    assert "/api/v1/document-checks" in schema["paths"]
    assert "/api/v1/document-checks/" not in schema["paths"]
    operation = schema["paths"]["/api/v1/document-checks"]["post"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    codes = schema["components"]["schemas"]["Discrepancy"]["properties"]["code"]
    assert codes["$ref"].endswith("CodeEnum") or "enum" in codes
