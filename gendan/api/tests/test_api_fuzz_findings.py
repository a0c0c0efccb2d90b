"""What schemathesis found against the running API (scripts/api_fuzz.py, `make test-api-fuzz`),
each pinned by a test that failed before its fix: a server error, answers that broke the
schema, and a schema that promised more (or less) than the server keeps."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gendan.api.schema import DATE_PATTERN

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()


def _component(schema, operation: dict, status: str | None = None) -> dict:
    if status is None:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    else:
        ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_a_credit_without_customer_is_a_400_not_a_500(api_for, people):
    """``credit_register`` read ``credit.customer`` when none was found (RelatedObjectDoesNotExist)."""
    response = api_for(people.manager).post("credits/", {"number": "0"})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_failed"
    assert "customer" in response.json()["fields"]


def test_an_id_with_a_line_break_is_the_apis_json_404(api_for, people):
    """The API's catch-all stopped at a line break: the site's HTML page answered."""
    response = api_for(people.manager).post("shipments/7%0A/advice/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["code"] == "not_found"


def test_the_orders_shipped_state_and_the_shipments_status_are_two_enums(schema):
    """Both fields are called ``shipment_status``/``status``: one enum component served both, so a
    shipment ``loading`` broke its own schema."""
    enums = schema["components"]["schemas"]
    assert "loading" in enums["ShipmentStatusEnum"]["enum"]
    assert enums["OrderShipmentStatusEnum"]["enum"] == ["not_shipped", "partial", "shipped"]
    shipment_status = enums["OrderList"]["properties"]["shipment_status"]
    assert "OrderShipmentStatusEnum" in str(shipment_status)


def test_a_milestone_without_owner_is_in_the_schema(schema):
    assert schema["components"]["schemas"]["Milestone"]["properties"]["owner"].get("nullable") is True


@pytest.mark.parametrize("path", ["/api/v1/shipments/{id}/dispatches/", "/api/v1/shipments/{id}/certificates/",
                                  "/api/v1/credits/{id}/amendments/"])
def test_unpaginated_lists_are_arrays_in_the_schema(schema, path):
    """These actions answer a plain list; the schema said a page object."""
    answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"


@pytest.mark.parametrize(("method", "path", "statuses"), [
    ("post", "/api/v1/shipments/{id}/discrepancy-acceptances/", {"201", "409"}),
    ("post", "/api/v1/shipments/{id}/documents/generate/", {"200", "201"}),
    ("post", "/api/v1/auth/token/", {"201", "429"}),
    ("get", "/api/v1/shipments/{id}/document-check/", {"200", "409"}),
    ("patch", "/api/v1/orders/{id}/", {"409"}),
])
def test_statuses_the_server_answers_are_documented(schema, method, path, statuses):
    assert statuses <= set(schema["paths"][path][method]["responses"])


def test_a_patch_requires_the_version(schema):
    """Every edit sends the version it read (a stale one is a 409): the server refused a PATCH
    without it, while the schema called it optional."""
    for path in ("/api/v1/orders/{id}/", "/api/v1/customers/{id}/", "/api/v1/products/{id}/"):
        assert "version" in _component(schema, schema["paths"][path]["patch"])["required"], path


def test_bodies_are_json_and_multipart_only_where_a_file_travels(schema):
    """Form-encoded bodies cannot carry nested lines: the schema no longer offers them."""
    order = schema["paths"]["/api/v1/orders/"]["post"]["requestBody"]["content"]
    assert set(order) == {"application/json"}
    confirmation = schema["paths"]["/api/v1/orders/{id}/confirmations/"]["post"]["requestBody"]["content"]
    assert set(confirmation) == {"application/json", "multipart/form-data"}


def test_request_dates_and_weeks_state_the_accepted_range(schema):
    """Dates are refused outside 2000–2099 (``parse_date``), weeks are ``2026-W11``: now said."""
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/orders/"]["get"]["parameters"]}
    assert parameters["po_to"]["pattern"] == DATE_PATTERN
    assert re.match(DATE_PATTERN, "2026-03-11") and not re.match(DATE_PATTERN, "0262-10-10")
    weeks = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/shipments/"]["get"]["parameters"]}
    assert re.match(weeks["etd_week"]["pattern"], "2026-W11") and not re.match(weeks["etd_week"]["pattern"], "0")
    production = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/production-orders/"]["get"]["parameters"]}
    assert "draft" in production["status"]["enum"]


def test_serializers_of_one_name_in_two_modules_stay_two_components(schema):
    """``ReasonInput`` of production (reason required) and of receivables (optional) made one
    ``ReasonRequest``: the production actions were documented with the other's rules."""
    operation = schema["paths"]["/api/v1/production-orders/{id}/cancel/"]["post"]
    assert "reason" in _component(schema, operation).get("required", [])
    names = [name for name in schema["components"]["schemas"] if name.endswith("ReasonRequest")]
    assert len(names) >= 2


def test_the_aging_report_is_one_object_and_the_dunning_levels_a_list(schema):
    """Both answered differently from the page object the schema promised."""
    aging = schema["paths"]["/api/v1/receivables/aging/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert aging["schema"]["$ref"].endswith("/Aging")
    levels = schema["paths"]["/api/v1/dunning-levels/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert levels["schema"]["type"] == "array"


@pytest.mark.parametrize("typed", ["²", "٣", "１２"])
def test_an_id_of_unicode_digits_is_no_id_not_a_500(typed):
    """``"²".isdigit()`` is true and ``int("²")`` raises: ``POST /containers/7/load/`` with the
    line id "²" was a 500 (ValueError in ``parse_id``)."""
    from gendan.core.guards import id_or_zero, parse_id

    assert parse_id(typed) is None and id_or_zero(typed) == 0


def test_a_category_filter_beyond_64_bits_is_a_400_not_a_500(api_for, people):
    """``GET /products/?category=26240391675892260864``: OverflowError on SQLite."""
    response = api_for(people.manager).get("products/", {"category": str(2**70)})
    assert response.status_code == 400 and "category" in response.json()["fields"]
