"""Picking a product on a new order's line fills its empty fields, in a real browser (issue 11):
the description in the order's language (an English customer: English), the customer's last
price with its source beside it, the packing; what the merchandiser typed stays. Screenshots:
test-artifacts/screenshots/line-autofill-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def test_picking_a_product_fills_the_line(page, make_user, shot):
    from gendan.catalog.tests.factories import ProductFactory
    from tests.factories import CustomerFactory, SalesOrderFactory

    chen = make_user("merchandiser", username="chen", full_name="陈丽", language="zh-hans")
    customer = CustomerFactory(code="NORD", name_en="Nordlicht Handels GmbH", country="DE", merchandiser=chen,
                               default_currency_id="USD")
    kettle = ProductFactory(code="EK-100", name_zh="电热水壶", name_en="Electric kettle", spec="1.7 L, 220 V",
                            units_per_carton=6, net_weight_kg=Decimal("9"), gross_weight_kg=Decimal("10.5"))
    earlier = SalesOrderFactory(customer=customer, actor=chen, state="confirmed",
                                customer_po_date=dt.date(2026, 2, 3),
                                lines=[{"product": kettle, "description": "Kettle", "unit_price": Decimal("2.30"),
                                        "quantity": "60"}])

    login(page, "chen")
    page.goto(page.base_url + "/sales/orders/new/")
    page.select_option("#id_customer", str(customer.pk))
    # line 2: the merchandiser's own words first, then the product
    page.fill("input[name=lines-1-description]", "Kettle with blue lid (customer's wording)")

    page.select_option("select[name=lines-0-product]", str(kettle.pk))
    expect(page.locator("input[name=lines-0-description]")).to_have_value("Electric kettle, 1.7 L, 220 V")
    expect(page.locator("input[name=lines-0-unit_price]")).to_have_value("2.3")
    expect(page.locator("input[name=lines-0-unit]")).to_have_value("pcs")
    row = page.locator("tr[data-line='1']")
    expect(row.locator("[data-price-note]")).to_contain_text(f"上次价格 {earlier.number}")
    expect(row.locator("[data-packing-note]")).to_contain_text("6 pcs per carton")
    expect(page.locator("#id_packing_requirements")).to_have_value(
        "EK-100: 6 pcs per carton, carton 60 × 40 × 40 cm (0.096 m³), N.W. 9 kg, G.W. 10.5 kg")

    page.select_option("select[name=lines-1-product]", str(kettle.pk))
    expect(page.locator("input[name=lines-1-unit_price]")).to_have_value("2.3")
    expect(page.locator("input[name=lines-1-description]")).to_have_value("Kettle with blue lid (customer's wording)")
    page.fill("input[name=lines-0-quantity]", "600")
    page.fill("input[name=lines-1-quantity]", "120")
    shot(page, "line-autofill-1366")
    page.set_viewport_size({"width": 1024, "height": 900})
    shot(page, "line-autofill-1024")

    page.fill("#id_customer_po_no", "NL-PO-2612")
    page.fill("#id_ex_factory_date", "2026-05-30")
    page.click("main .form-actions button.primary[name=save]")
    expect(page.locator(".messages, [role=status]").first).to_be_visible()

    from gendan.sales.models import SalesOrder

    order = SalesOrder.objects.get(customer_po_no="NL-PO-2612")
    lines = list(order.lines.order_by("line_no"))
    assert [(line.description, line.unit_price) for line in lines] == [
        ("Electric kettle, 1.7 L, 220 V", Decimal("2.3000")),
        ("Kettle with blue lid (customer's wording)", Decimal("2.3000"))]
    assert order.packing_requirements.startswith("EK-100: 6 pcs per carton")
