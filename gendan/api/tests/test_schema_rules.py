"""The request schema states the rules the server checks (the API fuzz's "schema-valid request
rejected" debts, scripts/api_fuzz_hooks.py): at least one line, a line's description or product and
its quantity above zero, a name in Chinese or in English, the carton's three dimensions together,
a verbal or a written confirmation, ``{line id: quantity}`` maps typed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def components(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]


def _matches(schema: dict, text: str) -> bool:
    return re.search(schema["pattern"], text) is not None


@pytest.mark.parametrize("name", ["OrderCreateRequest", "PatchedOrderUpdateRequest", "QuotationCreateRequest"])
def test_documents_have_one_to_two_hundred_lines(components, name):
    lines = components[name]["properties"]["lines"]
    assert (lines["minItems"], lines["maxItems"]) == (1, 200)


@pytest.mark.parametrize("name", ["LineRequest", "QuotationLineRequest"])
def test_a_line_has_a_price_a_product_or_description_and_a_quantity_or_cells(components, name):
    line = components[name]
    assert "unit_price" in line["required"]
    product_or_description, quantity_or_cells = line["allOf"]
    assert [branch["required"] for branch in product_or_description["anyOf"]] == [["product"], ["description"]]
    assert [branch["required"] for branch in quantity_or_cells["oneOf"]] == [["quantity"], ["cells"]]
    quantity = line["properties"]["quantity"]["oneOf"][0]
    assert [_matches(quantity, text) for text in ("0", "0.000", "-1", "1.0001", "1000000000")] == [False] * 5
    assert [_matches(quantity, text) for text in ("0.001", "1", "12.5", "999999999.999")] == [True] * 4
    price = line["properties"]["unit_price"]["oneOf"][0]
    assert _matches(price, "0") and _matches(price, "9999999.9999") and not _matches(price, "-0.01")


def test_a_cell_has_a_colour_a_size_and_a_quantity(components):
    cell = components["CellRequest"]
    assert set(cell["required"]) == {"colour", "size", "quantity"}
    colour = cell["properties"]["colour"]
    assert not _matches(colour, " \t\x1c") and _matches(colour, " red ")


@pytest.mark.parametrize("name", ["CustomerRequest", "ProductRequest"])
def test_a_new_customer_or_product_has_a_name_in_chinese_or_in_english(components, name):
    schema = components[name]
    names = schema["anyOf"] if "anyOf" in schema else schema["allOf"][0]["anyOf"]
    assert [branch["required"] for branch in names] == [["name_zh"], ["name_en"]]


def test_the_cartons_dimensions_go_together_and_are_above_zero(components):
    product = components["PatchedProductUpdateRequest"]
    none, numbers, nulls = product["allOf"][0]["anyOf"]
    assert none == {"not": {"anyOf": [{"required": ["carton_length_cm"]}, {"required": ["carton_width_cm"]},
                                      {"required": ["carton_height_cm"]}]}}
    assert numbers["required"] == nulls["required"] == ["carton_length_cm", "carton_width_cm", "carton_height_cm"]
    length = product["properties"]["carton_length_cm"]
    assert [_matches(length, text) for text in ("0", "0.0", "-1", "0.05")] == [False] * 4
    assert [_matches(length, text) for text in ("0.1", "60", "123456.7")] == [True] * 3
    assert product["properties"]["units_per_carton"]["minimum"] == 1


def test_a_confirmation_is_verbal_with_who_number_and_what_or_written_with_a_file(components):
    verbal, written = components["ConfirmationRequest"]["oneOf"]
    assert verbal["required"] == ["contact_name", "phone_number", "summary"]
    assert written["anyOf"] == [{"required": ["file"]}, {"required": ["attachment_id"]}]
    as_json = components["ConfirmationJsonRequest"]
    assert "file" not in as_json["properties"] and as_json["oneOf"][1]["required"] == ["attachment_id"]


@pytest.mark.parametrize(("component", "field"), [("ShipRequest", "lines"), ("AssignmentRequest", "lines")])
def test_line_quantity_maps_are_typed(components, component, field):
    lines = components[component]["properties"][field]
    assert lines["type"] == "object" and lines["minProperties"] == 1
    quantity = lines["additionalProperties"]["oneOf"][0]
    assert _matches(quantity, "2.5") and not _matches(quantity, "0") and not _matches(quantity, "abc")
    assert components["ReleaseProductionRequest"]["properties"]["assignments"]["minItems"] == 1


@pytest.mark.parametrize("key", ["abc", "²", "-1"])
def test_a_line_key_that_is_no_id_is_a_line_that_does_not_exist(api_for, people, draft_order, key):
    """OpenAPI 3.0 cannot type a map's keys: one that is not an id names no line, and is refused as an
    unknown id is anywhere else ("²".isdigit() is true and int("²") raised: a 500)."""
    response = api_for(people.manager).post(f"orders/{draft_order['id']}/ship/",
                                            {"shipped_on": "2026-03-10", "lines": {key: "1"}})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "validation_failed"
    assert all("does not exist" in message for messages in body["fields"].values() for message in messages)


@pytest.mark.parametrize("moment", ["0043-10-22T15:56:06.766Z", "9999-12-31T23:59:59Z"])
def test_a_confirmation_moment_outside_2000_to_2099_is_refused(api_for, people, draft_order, components, moment):
    """Year 43 was recorded, and answered with Shanghai's 1901 offset: "+08:05:43", no date-time (the fuzz)."""
    response = api_for(people.manager).post(f"orders/{draft_order['id']}/confirmations/", {
        "kind": "verbal", "confirmed_at": moment, "contact_name": "Ms Li", "phone_number": "+86 21 5555 0000",
        "summary": "PO 4711 as sent"})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["confirmed_at"]
    assert not _matches(components["ConfirmationJsonRequest"]["properties"]["confirmed_at"], moment)
