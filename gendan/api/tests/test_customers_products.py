"""Customers and products through the API: the parties and catalog services do the work."""

from __future__ import annotations

import pytest

from gendan.catalog.models import Product
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db


def test_salesperson_creates_a_customer_assigned_to_them(api_for, people):
    sales = api_for(people.sales)
    created = sales.post("customers/", {"name_en": "Blue Sea Trading", "country": "NL", "default_currency": "EUR",
                                        "deposit_percent": 20, "salesperson": people.other_sales.pk})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["salesperson"]["username"] == "sales"  # assignment is the manager's, not taken from input
    assert body["default_currency"] == "EUR" and body["deposit_percent"] == "20.00"
    assert body["code"]  # numbered automatically
    assert sales.get(f"customers/{body['id']}/").status_code == 200


def test_customer_validation_and_duplicate_code(api_for, people, customer):
    sales = api_for(people.sales)
    # Types and shapes first, then the model's own rules (checked by the service).
    refused = sales.post("customers/", {"country": "XX", "email": "not-an-email", "bank_swift": "bad"})
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"country", "email"}
    refused = sales.post("customers/", {"name_en": "X", "country": "NL", "bank_swift": "bad", "deposit_percent": 101})
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"bank_swift", "deposit_percent"}
    assert refused.json()["fields"]["bank_swift"] == ["A SWIFT/BIC has 8 or 11 characters."]
    duplicate = sales.post("customers/", {"code": "acme", "name_en": "Copy", "country": "US"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_code"
    no_name = sales.post("customers/", {"country": "US"})
    assert no_name.status_code == 400 and "name_zh" in no_name.json()["fields"]
    assert Customer.objects.count() == 1


def test_customer_update_with_version(api_for, people, customer):
    sales = api_for(people.sales)
    ok = sales.patch(f"customers/{customer.pk}/", {"version": 1, "city": "Rotterdam", "reason": "moved"})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["city"] == "Rotterdam" and ok.json()["version"] == 2
    stale = sales.patch(f"customers/{customer.pk}/", {"version": 1, "city": "Delft"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    customer.refresh_from_db()
    assert (customer.city, customer.version) == ("Rotterdam", 2)


def test_manager_assigns_customers(api_for, people, customer):
    manager = api_for(people.manager)  # general manager: every customer, may assign
    moved = manager.patch(f"customers/{customer.pk}/", {"version": 1, "salesperson": people.other_sales.pk})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["salesperson"]["username"] == "other_sales"
    assert api_for(people.sales).get(f"customers/{customer.pk}/").status_code == 404


def test_products_list_create_update(api_for, people):
    merch = api_for(people.merch)
    created = merch.post("products/", {"code": "mug-350 ", "name_en": "Mug 350 ml", "kind": "finished",
                                       "unit": "pcs", "hs_code": "6912.00.10", "units_per_carton": 24,
                                       "carton_length_cm": "40", "carton_width_cm": "30", "carton_height_cm": 25.5,
                                       "net_weight_kg": "8", "gross_weight_kg": "9.2"})
    assert created.status_code == 201, created.json()
    product = created.json()
    assert product["code"] == "MUG-350" and product["hs_code"] == "6912001" + "0"
    assert product["carton_cbm"] == "0.0306" and product["variants"] == [] and product["bom_lines"] == []

    sales = api_for(people.sales)  # may view, not create
    assert sales.get("products/", {"q": "mug"}).json()["count"] == 1
    assert sales.post("products/", {"code": "X", "name_en": "X"}).status_code == 403

    heavier = merch.patch(f"products/{product['id']}/", {"version": 1, "gross_weight_kg": "7"})
    assert heavier.status_code == 400 and "gross_weight_kg" in heavier.json()["fields"]
    ok = merch.patch(f"products/{product['id']}/", {"version": 1, "gross_weight_kg": "9.5"})
    assert ok.status_code == 200 and ok.json()["gross_weight_kg"] == "9.500"
    stale = merch.patch(f"products/{product['id']}/", {"version": 1, "gross_weight_kg": "10"})
    assert stale.status_code == 409
    assert str(Product.objects.get().gross_weight_kg) == "9.500"
    duplicate = merch.post("products/", {"code": "MUG-350", "name_en": "Again"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_code"


def test_products_used_on_order_lines_must_be_visible(api_for, people, customer):
    from gendan.api.tests.conftest import order_body

    product = Product.objects.create(code="CUP", name_en="Cup")
    body = order_body(customer)
    body["lines"] = [{"product": product.pk, "unit_price": "1", "quantity": "2"},
                     {"product": 999999, "unit_price": "1", "quantity": "2"}]
    refused = api_for(people.merch).post("orders/", body)
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"lines[1].product"}
    body["lines"] = body["lines"][:1]
    created = api_for(people.merch).post("orders/", body).json()
    assert created["lines"][0]["product_code"] == "CUP" and created["lines"][0]["description"] == "Cup"
