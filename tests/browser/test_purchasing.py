"""Materials in a real browser: the merchandiser confirms the BOM, purchasing ticks the
requirements, orders them, sends the purchase order and receives part of the goods; the sales
order's Materials panel shows what is still missing. Screenshots: test-artifacts/screenshots/purchasing-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.purchasing.tests.conftest import make_order_in_production
from gendan.purchasing.tests.conftest import world as world  # noqa: PLC0414 (the fixture)
from tests.browser.test_order_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bom_to_purchase_order_to_partial_delivery(page, world, shot):
    w = world
    order, production_order = make_order_in_production(w)
    requirements_url = page.base_url + f"/purchasing/production/{production_order.pk}/"

    login(page, "merch")
    page.goto(requirements_url)
    page.click("[data-action=confirm_bom]")
    expect(page.locator("[data-testid=bom-state]")).to_contain_text("BOM")
    expect(page.locator("[data-requirement=ABS-01]")).to_contain_text("360.5")
    page.context.clear_cookies()

    login(page, "buyer")
    page.goto(requirements_url)
    for box in page.locator("input[name=requirement]").all():
        box.check()
    shot(page, "purchasing-requirements")
    page.click("[data-action=order]")
    page.select_option("#id_supplier", label=str(w.plastics))
    page.fill("#id_lines-0-unit_price", "14.2")
    page.fill("#id_lines-1-unit_price", "0.83")
    page.click("[data-testid=po-form] button[type=submit].primary")
    expect(page.locator("[data-testid=po-total]")).to_contain_text("5,953.25")
    page.click("[data-action=send]")
    expect(page.locator("[data-testid=po-status]")).to_have_attribute("data-status", "sent")
    shot(page, "purchasing-sent")
    page.click("summary[data-action=confirm]")
    for field in page.locator("input[name^=confirm-eta_]").all():
        field.fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.click("#act-confirm button[type=submit]")
    expect(page.locator("[data-testid=po-status]")).to_have_attribute("data-status", "confirmed")
    page.click("[data-action=receive]")
    page.locator("[data-testid=receive-form] input[name^=qty_]").first.fill("200")
    page.click("[data-testid=receive-form] button[type=submit].primary")
    expect(page.locator("[data-testid=po-status]")).to_have_attribute("data-status", "partly_received")
    shot(page, "purchasing-partly-received")
    page.context.clear_cookies()

    login(page, "merch")
    page.goto(page.base_url + order.get_absolute_url() + "?tab=purchases")
    panel = page.locator("[data-testid=materials-panel]")
    expect(panel).to_contain_text("ABS-01")
    expect(panel.locator("[data-requirement=ABS-01] [data-status]")).to_have_attribute("data-status",
                                                                                         "partly_received")
    shot(page, "purchasing-order-panel")
