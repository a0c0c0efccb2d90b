"""Lists that scale (issue 11) in a real browser: on the order list, finance types a customer and
picks the suggestion, groups by customer, chooses columns and saves the view as its default;
at 1 440, 1 024 and 390 px. Screenshots: test-artifacts/screenshots/lists-*.png."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_order_flow import login
from tests.factories import CustomerFactory, SalesOrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_group_choose_columns_and_save(page, make_user, shot):
    merch = make_user("merchandiser", language="en")
    make_user("finance", username="fiona", language="en")
    acme = CustomerFactory(code="ACME", name_en="Acme Trading", merchandiser=merch)
    bolt = CustomerFactory(code="BOLT", name_en="Bolt Europe GmbH", merchandiser=merch, default_currency_id="EUR")
    for customer in (acme, acme, bolt, bolt, bolt):
        SalesOrderFactory(customer=customer)
    url = page.base_url + reverse("sales:order_list")

    login(page, "fiona")
    page.goto(url)
    rows = page.locator("[data-testid=order-list] tbody tr[data-order]")
    expect(rows).to_have_count(5)

    # the customer filter suggests as you type (first matches in the user's scope)
    customer = page.locator("input[data-typeahead=customer]")
    customer.press_sequentially("europe", delay=40)
    expect(page.locator("#typeahead-customer option")).to_have_count(1)
    assert page.locator("#typeahead-customer option").first.get_attribute("value") == "BOLT"
    customer.fill("BOLT")
    customer.press("Enter")
    expect(rows).to_have_count(3)

    # group by customer: a header with the count and the subtotal in EUR
    customer.fill("")
    page.select_option("[data-testid=group-by]", "customer")
    heads = page.locator("[data-testid=group-head]")
    expect(heads).to_have_count(2)
    expect(heads.filter(has_text="BOLT")).to_contain_text("3 records")
    expect(heads.filter(has_text="BOLT")).to_contain_text("EUR")

    # the column chooser: hide the status, show the region
    chooser = page.locator("[data-testid=column-chooser]")
    chooser.locator(":scope > summary").click()
    chooser.get_by_label("region").check()
    expect(page.locator("[data-testid=order-list] thead")).to_contain_text("region")
    chooser.get_by_label("status", exact=True).uncheck()
    expect(page.locator("[data-testid=order-list] thead th", has_text="status")).to_have_count(0)
    chooser.locator(":scope > summary").click()
    shot(page, "lists-grouped-1440")

    # save it as my default
    saved = page.locator("[data-testid=saved-views]")
    saved.locator(":scope > summary").click()
    saved.locator("input[name=name]").fill("By customer")
    saved.locator("input[name=is_default]").check()
    shot(page, "lists-save-menu-1440")
    saved.locator("button", has_text="Save view").click()
    expect(page.locator("[data-testid=saved-views] > summary")).to_contain_text("By customer")

    # a bare list opens my default
    for width in (1440, 1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("[data-testid=group-head]")).to_have_count(2)
        expect(page.locator("[data-testid=order-list] thead")).to_contain_text("region")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, f"sideways scroll at {width}"
        shot(page, f"lists-orders-{width}")
    page.locator("[data-testid=saved-views] > summary").click()
    expect(page.locator("[data-testid=saved-views] .menu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    shot(page, "lists-saved-menu-390")
