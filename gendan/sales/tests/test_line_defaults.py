"""A product picked on an order / quotation line fills its description, price and packing
(issue 11, "the order page as a cockpit"): the selector, the JSON endpoint the form's script
calls, the form's "Fill from products" button without JavaScript, and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.catalog.tests.factories import ProductFactory
from gendan.sales.line_defaults import line_defaults
from gendan.sales.services.quotations import quotation_accept, quotation_create, quotation_send
from gendan.sales.tests.conftest import make_confirmed, make_draft

pytestmark = pytest.mark.django_db

URL = "/sales/lines/defaults/"


@pytest.fixture
def kettle(db):
    return ProductFactory(code="EK-100", name_zh="电热水壶", name_en="Electric kettle", spec="1.7 L, 220 V",
                          unit="pcs", units_per_carton=6, net_weight_kg=Decimal("9"),
                          gross_weight_kg=Decimal("10.5"))


def _lines(product, price, quantity="100"):
    return [{"product": product, "description": "Kettle", "unit_price": Decimal(price), "quantity": quantity}]


def _ordered(w, product, price, on, *, customer=None, actor=None, currency="USD", state="confirmed"):
    kwargs = {"customer_po_date": on, "currency": currency, "lines": _lines(product, price)}
    if state == "draft":
        return make_draft(w, customer, actor=actor, **kwargs)
    return make_confirmed(w, customer, actor=actor, **kwargs)


def _accepted_quotation(w, product, price, on):
    quotation = quotation_create(actor=w.sales, customer_id=w.customer.pk, lines=_lines(product, price),
                                 data={"quoted_on": on, "valid_until": on + dt.timedelta(days=60)})
    quotation_send(actor=w.sales, quotation_id=quotation.pk)
    quotation_accept(actor=w.sales, quotation_id=quotation.pk, customer_po_no="PO-Q", customer_po_date=on,
                     ex_factory_date=on + dt.timedelta(days=60))
    quotation.refresh_from_db()
    return quotation


# --- the selector --------------------------------------------------------------------------


def test_last_price_is_this_customers_latest_confirmed_one_in_that_currency(people, kettle,
                                                                          django_assert_max_num_queries):
    w = people
    _ordered(w, kettle, "2.10", dt.date(2026, 1, 10))
    latest = _ordered(w, kettle, "2.30", dt.date(2026, 2, 3))
    _ordered(w, kettle, "1.90", dt.date(2026, 3, 1), currency="EUR")  # later, but in euros
    _ordered(w, kettle, "9.99", dt.date(2026, 3, 5), state="draft")  # not agreed yet
    # another customer's price, later and lower: never shown to this customer
    _ordered(w, kettle, "1.00", dt.date(2026, 3, 6), customer=w.other_customer, actor=w.other_sales)

    with django_assert_max_num_queries(2):
        found = line_defaults(customer=w.customer, product=kettle, currency="USD")

    assert found.unit_price == Decimal("2.30")
    assert found.price_source == "order"
    assert found.last_price.number == latest.number
    assert found.price_note.startswith(f"Last price on {latest.number}, ")
    assert "2026" in found.price_note
    assert line_defaults(customer=w.customer, product=kettle, currency="EUR").unit_price == Decimal("1.90")
    assert line_defaults(customer=w.other_customer, product=kettle, currency="USD").unit_price == Decimal("1.00")


def test_an_accepted_quotation_after_the_last_order_gives_the_price(people, kettle):
    w = people
    _ordered(w, kettle, "2.30", dt.date(2026, 2, 3))
    quotation = _accepted_quotation(w, kettle, "2.45", dt.date(2026, 3, 2))

    found = line_defaults(customer=w.customer, product=kettle, currency="USD")

    assert (found.unit_price, found.price_source) == (Decimal("2.45"), "quotation")
    assert found.price_note.startswith(f"Last price on quotation {quotation.number}, ")


def test_without_an_earlier_price_the_price_stays_empty_and_says_why(people, kettle):
    # the only price is another customer's
    _ordered(people, kettle, "1.00", dt.date(2026, 3, 6), customer=people.other_customer, actor=people.other_sales)

    found = line_defaults(customer=people.customer, product=kettle, currency="USD")

    assert found.unit_price is None
    assert found.price_source == ""
    assert "no list price" in found.price_note
    assert found.description == "Electric kettle, 1.7 L, 220 V"  # the product still fills the rest
    assert found.unit == "pcs"


def test_english_order_gets_english_text_chinese_order_chinese(people, kettle):
    people.customer.country = "DE"
    english = line_defaults(customer=people.customer, product=kettle, currency="USD")
    assert english.language == "en"
    assert english.description == "Electric kettle, 1.7 L, 220 V"
    assert english.packing == "6 pcs per carton, carton 60 × 40 × 40 cm (0.096 m³), N.W. 9 kg, G.W. 10.5 kg"

    people.customer.country = "CN"
    chinese = line_defaults(customer=people.customer, product=kettle, currency="CNY")
    assert chinese.language == "zh"
    assert chinese.description == "电热水壶 1.7 L, 220 V"
    assert chinese.packing.startswith("每箱6")
    assert "净重 9 kg" in chinese.packing and "毛重 10.5 kg" in chinese.packing


def test_a_name_missing_in_the_orders_language_falls_back_to_the_other(people):
    product = ProductFactory(name_en="", name_zh="保温杯", spec="")
    assert line_defaults(customer=people.customer, product=product, currency="USD",
                         language="en").description == "保温杯"


# --- the endpoint the form's script calls --------------------------------------------------


def test_endpoint_answers_the_lines_defaults(client, people, kettle):
    _ordered(people, kettle, "2.10", dt.date(2026, 1, 10))
    client.force_login(people.merch)
    params = {"customer": people.customer.pk, "product": kettle.pk}
    with CaptureQueriesContext(connection) as first:
        client.get(URL, params)
    order = _ordered(people, kettle, "2.30", dt.date(2026, 2, 3))
    _accepted_quotation(people, kettle, "2.20", dt.date(2026, 1, 20))

    with CaptureQueriesContext(connection) as again:
        response = client.get(URL, params)

    # a fixed number of queries (session, user, scope, customer, product, two for the last price),
    # whatever the customer's history
    assert len(again) == len(first) <= 12, [q["sql"][:90] for q in again]

    assert response.status_code == 200
    data = response.json()
    assert data["unit_price"] == "2.3"
    assert data["currency"] == "USD"
    assert data["description"] == "Electric kettle, 1.7 L, 220 V"
    assert data["price_note"].startswith(f"Last price on {order.number}")
    assert data["packing_line"].startswith("EK-100: 6 pcs per carton")
    assert data["packing_note"].startswith("Packing: 6 pcs per carton")
    # in another currency: no price, and why
    data = client.get(URL, {"customer": people.customer.pk, "product": kettle.pk, "currency": "EUR"}).json()
    assert data["unit_price"] == "" and "EUR" in data["price_note"]


def test_endpoint_answers_404_for_a_customer_or_product_out_of_reach(client, people, kettle):
    _ordered(people, kettle, "1.00", dt.date(2026, 3, 6), customer=people.other_customer, actor=people.other_sales)
    client.force_login(people.merch)

    assert client.get(URL, {"customer": people.other_customer.pk, "product": kettle.pk}).status_code == 404
    assert client.get(URL, {"customer": people.customer.pk, "product": 999999}).status_code == 404
    assert client.get(URL, {"customer": "1 OR 1=1", "product": kettle.pk}).status_code == 404
    assert client.get(URL, {"customer": people.customer.pk, "product": kettle.pk,
                            "currency": "dollars"}).status_code == 400


def test_endpoint_is_for_who_enters_orders_or_quotations(client, people, kettle):
    client.force_login(people.warehouse)
    assert client.get(URL, {"customer": people.customer.pk, "product": kettle.pk}).status_code == 403
    client.logout()
    assert client.get(URL, {"customer": people.customer.pk, "product": kettle.pk}).status_code == 302


# --- the form without JavaScript: "Fill from products" ---------------------------------------


def _order_post(customer, rows, **extra):
    data = {"customer": customer.pk, "customer_po_no": "PO-1", "customer_po_date": "2026-03-10",
            "ex_factory_date": "2026-05-10", "lines-TOTAL": str(len(rows)), "fill": "1", **extra}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{i}-{name}"] = value
    return data


def test_fill_button_fills_the_empty_fields_and_keeps_what_was_typed(client, people, kettle):
    order = _ordered(people, kettle, "2.30", dt.date(2026, 2, 3))
    client.force_login(people.merch)
    rows = [{"product": str(kettle.pk), "description": "My own words", "unit_price": "", "quantity": "50"},
            {"product": str(kettle.pk), "description": "", "unit_price": "2.15", "quantity": "10"},
            {"product": "", "description": "Gift box", "unit_price": "0.3", "quantity": "5"}]

    response = client.post(reverse("sales:order_create"), _order_post(people.customer, rows))

    assert response.status_code == 200
    rows = response.context["lines"].rows
    assert (rows[0].description, rows[0].unit_price, rows[0].unit) == ("My own words", "2.3", "pcs")
    assert (rows[1].description, rows[1].unit_price) == ("Electric kettle, 1.7 L, 220 V", "2.15")
    assert (rows[2].description, rows[2].unit_price) == ("Gift box", "0.3")
    html = response.content.decode()
    assert f"Last price on {order.number}" in html
    assert "Packing: 6 pcs per carton" in html
    assert response.context["form"]["packing_requirements"].value().startswith("EK-100: 6 pcs per carton")
    assert not response.context["form"].is_bound  # shown again, nothing saved
    # then saved as shown
    response = client.post(reverse("sales:order_create"), {
        **_order_post(people.customer, [{"product": str(kettle.pk), "description": "My own words",
                                          "unit": "pcs", "unit_price": "2.3", "quantity": "50"}]),
        "fill": "", "save": "1"})
    assert response.status_code == 302


def test_fill_button_keeps_the_packing_typed_and_adds_what_is_missing(client, people, kettle):
    client.force_login(people.merch)
    rows = [{"product": str(kettle.pk), "description": "", "unit_price": "", "quantity": "50"}]

    response = client.post(reverse("sales:order_create"),
                           _order_post(people.customer, rows, packing_requirements="Export cartons, no pallets"))

    assert response.context["form"]["packing_requirements"].value() == (
        "Export cartons, no pallets\nEK-100: 6 pcs per carton, carton 60 × 40 × 40 cm (0.096 m³), N.W. 9 kg, "
        "G.W. 10.5 kg")
    row = response.context["lines"].rows[0]
    assert row.unit_price == "" and "no list price" in row.price_note


def test_fill_button_without_a_customer_asks_for_one(client, people, kettle):
    client.force_login(people.merch)
    data = _order_post(people.customer, [{"product": str(kettle.pk), "quantity": "5"}])
    data["customer"] = str(people.other_customer.pk)  # not in the merchandiser's scope: as if none

    response = client.post(reverse("sales:order_create"), data)

    assert "Choose the customer first" in response.content.decode()
    assert response.context["lines"].rows[0].description == ""


def test_fill_button_on_a_draft_and_a_quotation(client, people, kettle):
    _ordered(people, kettle, "2.30", dt.date(2026, 2, 3))
    draft = make_draft(people)
    client.force_login(people.merch)
    data = _order_post(people.customer, [{"product": str(kettle.pk), "quantity": "5"}], version=draft.version,
                       currency="USD")
    response = client.post(reverse("sales:order_edit", args=[draft.pk]), data)
    assert response.context["lines"].rows[0].unit_price == "2.3"

    client.force_login(people.sales)
    data = _order_post(people.customer, [{"product": str(kettle.pk), "quantity": "5"}], quoted_on="2026-03-11",
                       valid_until="2026-04-10")
    response = client.post(reverse("sales:quotation_create"), data)
    assert response.status_code == 200
    assert response.context["lines"].rows[0].unit_price == "2.3"
    assert response.context["form"]["packing"].value().startswith("EK-100: ")


def test_the_form_loads_its_script_and_tells_it_where_to_ask(client, people):
    client.force_login(people.merch)
    html = client.get(reverse("sales:order_create")).content.decode()
    assert 'src="/static/sales/sales.js"' in html
    assert f'data-defaults-url="{URL}"' in html
    assert 'data-packing-field="packing_requirements"' in html
    assert "<script>" not in html  # CSP: no inline script
