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
