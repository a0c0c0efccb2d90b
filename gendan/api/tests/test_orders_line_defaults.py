"""POST /api/v1/orders/ with a product and no description / price: the line is filled as the
order form fills it (``sales.services.line_fill``): the customer's last price in the order's
currency, the product's name and packing in the order's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gendan.api.tests.conftest import order_body
from gendan.catalog.tests.factories import ProductFactory
from tests.factories import SalesOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettle(db):
    return ProductFactory(code="EK-100", name_zh="电热水壶", name_en="Electric kettle", spec="1.7 L",
                          units_per_carton=6, net_weight_kg=Decimal("9"), gross_weight_kg=Decimal("10.5"))


def test_a_product_line_without_description_or_price_is_filled(api_for, people, customer, kettle):
    earlier = SalesOrderFactory(customer=customer, actor=people.merch, state="confirmed",
                                customer_po_date=dt.date(2026, 2, 3),
                                lines=[{"product": kettle, "description": "Kettle", "unit_price": Decimal("2.30"),
                                        "quantity": "10"}])
    body = order_body(customer, lines=[
        {"product": kettle.pk, "quantity": 100},
        {"product": kettle.pk, "description": "Kettle, blue lid", "unit_price": "2.25", "quantity": 10},
    ])

    response = api_for(people.merch).post("orders/", body)

    assert response.status_code == 201, response.json()
    order = response.json()
    lines = order["lines"]
    assert (lines[0]["description"], Decimal(lines[0]["unit_price"]), lines[0]["unit"]) == (
        "Electric kettle, 1.7 L", Decimal("2.30"), "pcs")
    assert (lines[1]["description"], Decimal(lines[1]["unit_price"])) == ("Kettle, blue lid", Decimal("2.25"))
    assert order["packing_requirements"].startswith("EK-100: 6 pcs per carton")
    assert earlier.number  # the price came from that confirmed order


def test_without_an_earlier_price_the_line_is_refused_on_its_price(api_for, people, customer, kettle):
    body = order_body(customer, lines=[{"product": kettle.pk, "quantity": 100}],
                      packing_requirements="Export cartons")

    response = api_for(people.merch).post("orders/", body)

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "lines[0].unit_price" in fields
    assert "lines[0].description" not in fields  # the product gave it
