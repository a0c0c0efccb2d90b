"""A merchandiser's first morning in Gendan, in a real browser.

Logs in, creates a customer, creates a product and enters its colour × size matrix,
finds both through the global search, switches the language, and leaves screenshots
in test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gendan.parties.models import Customer
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def test_merchandiser_creates_customer_and_product_finds_them_and_switches_language(page, make_user, shot):
    from gendan.accounts.models import Team

    team = Team.objects.create(name="Team A")
    make_user("merchandiser", username="chen", full_name="陈跟单", team=team)

    login(page, "chen")
    shot(page, "01-home-zh")

    # New customer
    page.goto(page.base_url + "/parties/customers/new/")
    page.fill("#id_name_en", "Nordlicht Handels GmbH")
    page.fill("#id_name_zh", "北极光贸易公司")
    page.select_option("#id_country", "DE")
    page.fill("#id_city", "Hamburg")
    page.select_option("#id_default_currency", "EUR")
    page.fill("#id_incoterm_place", "Shenzhen")
    page.fill("#id_special_requirements", "外箱贴德文警告标签")
    shot(page, "02-customer-form")
    page.click("main form button[type=submit]")
    customer = Customer.objects.get(name_en="Nordlicht Handels GmbH")
    expect(page).to_have_url(re.compile(rf"/parties/customers/{customer.pk}/$"))
    expect(page.locator(".timeline")).to_contain_text("陈跟单")
    assert customer.merchandiser.username == "chen"  # assigned to the person who created it
    shot(page, "03-customer-detail")

    # Bad input stays on the form with a field message
    page.goto(page.base_url + "/parties/customers/new/")
    page.fill("#id_code", customer.code)
    page.fill("#id_name_en", "Duplicate Co.")
    page.select_option("#id_country", "US")
    page.click("main form button[type=submit]")
    code_field = page.locator(".field.has-error", has=page.locator("#id_code"))
    expect(code_field.locator(".error")).to_be_visible()
    expect(page.locator("#id_name_en")).to_have_value("Duplicate Co.")
    shot(page, "04-customer-duplicate-code")

    # New product with packing; CBM is computed
    page.goto(page.base_url + "/catalog/products/new/")
    page.fill("#id_code", "mug-350")
    page.fill("#id_name_zh", "陶瓷马克杯 350ml")
    page.fill("#id_name_en", "Ceramic mug 350 ml")
    page.fill("#id_material", "Stoneware")
    page.fill("#id_hs_code", "6912.00")
    page.fill("#id_units_per_carton", "24")
    page.fill("#id_carton_length_cm", "50")
    page.fill("#id_carton_width_cm", "40")
    page.fill("#id_carton_height_cm", "30")
    page.fill("#id_net_weight_kg", "9.6")
    page.fill("#id_gross_weight_kg", "8")  # below N.W.: refused on the field, nothing saved
    page.click("main form button[type=submit]")
    gw_field = page.locator(".field.has-error", has=page.locator("#id_gross_weight_kg"))
    expect(gw_field.locator(".error")).to_be_visible()
    expect(page.locator("#id_name_en")).to_have_value("Ceramic mug 350 ml")
    shot(page, "05-product-gw-below-nw")
    page.fill("#id_gross_weight_kg", "10.8")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/catalog/products/\d+/$"))
    expect(page.locator("main")).to_contain_text("0.06")  # 50 × 40 × 30 cm = 0.0600 m³
    product_url = page.url

    # Colour × size matrix
    page.goto(product_url + "variants/")
    page.fill("#id_colours", "Red, Blue")
    page.fill("#id_sizes", "S, M, L")
    page.click("button[name=action][value=build]")
    for cell in ("Red / S", "Red / M", "Blue / M", "Blue / L"):
        page.get_by_role("checkbox", name=cell, exact=True).check()
    shot(page, "06-variant-matrix-editor")
    page.click("button[name=action][value=save]")
    matrix = page.locator("[data-testid=variant-matrix]")
    expect(matrix).to_contain_text("Red")
    expect(matrix).to_contain_text("Blue")
    expect(matrix.locator("text=✓")).to_have_count(4)
    shot(page, "07-product-detail")

    # Find both through the global search
    page.fill("header input[name=q]", "Nordlicht")
    page.press("header input[name=q]", "Enter")
    expect(page.locator(".results")).to_contain_text(customer.code)
    page.fill("header input[name=q]", "MUG-350")
    page.press("header input[name=q]", "Enter")
    expect(page.locator(".results")).to_contain_text("陶瓷马克杯")  # names follow the UI language
    shot(page, "08-search")

    # Switch to English: the same page in English, saved for next time
    page.click("header form.lang button")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav.areas")).to_contain_text("Customers")
    shot(page, "09-search-en")
    page.goto(product_url)
    expect(page.locator("h1")).to_contain_text("Ceramic mug")
    shot(page, "10-product-en")
