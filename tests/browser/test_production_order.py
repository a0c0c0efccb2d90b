"""A production order from draft to issued, in a real browser.

The planner opens the draft that production release created, finds "Issue and email" disabled
because outsourced work needs unit costs, fills them in on the edit form, issues the order and
sees it issued; the sales order's page shows ordered vs allocated vs produced. Screenshots land
in test-artifacts/screenshots/production-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.sales.tests import conftest as sales_fixtures
from tests.browser.test_order_flow import login

people = sales_fixtures.people  # the people around one customer, as in the sales order tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_completes_and_issues_a_production_order(page, people, shot):
    from gendan.production.tests.conftest import release
    from gendan.sales.tests.conftest import make_confirmed

    w = people
    order = release(w, make_confirmed(w))
    po = order.production_orders.get()

    login(page, "planner")
    page.goto(page.base_url + po.get_absolute_url())
    expect(page.locator("[data-why=issue]")).to_contain_text("unit cost")
    shot(page, "production-draft")
    page.click("[data-action=edit]")
    costs = page.locator("input[name$=-unit_cost]")
    expect(costs.first).to_be_visible()  # the edit form has loaded: .all() does not wait
    for field in costs.all():
        field.fill("1.25")
    page.fill("#id_email_to", "orders@dongguan.example")
    shot(page, "production-edit")
    with page.expect_navigation():  # the saved page, not the form still showing (slow under load)
        page.click("form button[type=submit].primary")
    expect(page.locator("[data-testid=total-cost]")).to_contain_text("1,253.75")
    page.click("[data-action=issue]")
    expect(page.locator("[data-testid=po-status]")).to_have_attribute("data-status", "issued")
    expect(page.locator("[data-action=accept]")).to_be_visible()
    shot(page, "production-issued")
    page.goto(page.base_url + order.get_absolute_url() + "?tab=production")
    expect(page.locator("[data-testid=production-panel]")).to_contain_text(po.number)
    shot(page, "production-order-panel")
