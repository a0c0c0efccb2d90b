"""Finding products from the search box in the top bar."""

from __future__ import annotations

import pytest

from gendan.catalog.tests.factories import ComponentFactory, ProductFactory
from gendan.core.search import global_search

pytestmark = pytest.mark.django_db


def found(user, query) -> list[str]:
    groups = {g["key"]: g for g in global_search(user=user, query=query)}
    return [r["title"].split()[0] for r in groups["products"]["results"]] if "products" in groups else []


@pytest.fixture
def products():
    ProductFactory(code="EK-1701", name_zh="电热水壶", name_en="Electric kettle", model_no="K17", series="Nordic")
    ProductFactory(code="GS-2001", name_zh="挂烫机", name_en="Garment steamer", model_no="GS-900", series="Urban")
    ComponentFactory(code="MT-ABS", name_zh="ABS 粒料", name_en="ABS pellets", model_no="", series="")


@pytest.mark.parametrize(
    ("query", "codes"),
    [("ek-17", ["EK-1701"]), ("水壶", ["EK-1701"]), ("steamer", ["GS-2001"]), ("GS-900", ["GS-2001"]),
     ("nordic", ["EK-1701"]), ("ABS", ["MT-ABS"]), ("sofa", [])],
)
def test_products_are_found_by_item_no_names_model_and_series(make_user, products, query, codes):
    assert found(make_user("warehouse"), query) == codes


def test_a_result_opens_the_product(client_for, make_user, products):
    response = client_for(make_user("qc")).get("/search/", {"q": "EK-1701", "go": "1"})
    assert response.status_code == 302
    assert client_for(make_user("qc")).get(response.url).status_code == 200


def test_nothing_is_found_without_view_permission(make_user, products):
    assert found(make_user(), "EK-1701") == []
