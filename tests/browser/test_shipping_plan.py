"""The merchandiser plans a shipment and issues its shipping notice, in a real browser, in Chinese.

The order (red 600 / blue 400 mugs, 3 gift boxes, ±5 %) is confirmed. On the order page the
merchandiser opens "计划出货", first asks for 700 red — refused next to the red cell with what
may still ship — then plans 300 red and 400 blue by sea, opens the shipment, issues the notice,
changes the date and issues version 2 with what changed. Screenshots:
test-artifacts/screenshots/shipping-plan-*.png.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.sales.tests.conftest import people  # noqa: F401  (the people around one customer)
from tests.factories import TEST_PASSWORD, SalesOrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def test_plan_a_shipment_and_issue_its_notice(page, people, shot):  # noqa: F811
    from gendan.sales.models import SalesOrder
    from gendan.shipping.models import Shipment, ShippingNotice

    w = people
    w.merch.language = "zh-hans"
    w.merch.save(update_fields=["language"])
    order = SalesOrderFactory(customer=w.customer, actor=w.merch, confirmed=True, port_of_loading="Ningbo",
                              port_of_destination="Hamburg", shipping_marks="NORD\nPO NO.: PO-4711\nC/NO.: 1-UP")
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal("5"))
    cells = {c.colour: c for c in order.lines.get(line_no=1).cells.all()}
    box = order.lines.get(line_no=2)

    login(page, "merch")
    page.goto(page.base_url + order.get_absolute_url() + "?tab=shipments")
    page.click("[data-action=plan_shipment]")
    form = page.locator("form[data-form=plan]")
    form.locator(f"[name='plan-cells.{cells['Red'].pk}']").fill("700")
    form.locator(f"[name='plan-cells.{cells['Blue'].pk}']").fill("400")
    form.locator(f"[name='plan-lines.{box.pk}.quantity']").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=plan-error]")).to_contain_text("630")
    expect(page.locator(f"[name='plan-cells.{cells['Red'].pk}']")).to_have_value("700")
    shot(page, "shipping-plan-1-refused")
    assert not Shipment.objects.exists()

    form = page.locator("form[data-form=plan]")
    form.locator(f"[name='plan-cells.{cells['Red'].pk}']").fill("300")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("SH")
    shipment = Shipment.objects.get()
    expect(page.locator("[data-testid=plan-lines]")).to_contain_text("Red / M: 300")
    shot(page, "shipping-plan-2-shipment")

    page.click("[data-action=issue_notice]")
    page.locator(f"form[data-form=notice-{shipment.pk}] select").select_option(str(w.factory.pk))
    page.locator(f"form[data-form=notice-{shipment.pk}] button[type=submit]").click()
    expect(page.locator("[data-testid=notice-versions] tbody tr")).to_have_count(1)

    page.click("[data-action=edit_shipment]")
    edit = page.locator(f"form[data-form=edit-{shipment.pk}]")
    later = timezone.localdate() + dt.timedelta(days=70)
    edit.locator(f"[name='edit-{shipment.pk}-planned_ex_factory']").fill(later.isoformat())
    edit.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=notice-outdated]")).to_be_visible()
    shot(page, "shipping-plan-3-notice-outdated")

    notice_form = page.locator(f"form[data-form=notice-{shipment.pk}]")
    notice_form.locator("textarea").fill("出厂日期推迟 / ex-factory later")
    notice_form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=notice-versions] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=notice-outdated]")).to_have_count(0)
    shot(page, "shipping-plan-4-version-2")
    assert list(ShippingNotice.objects.values_list("revision", flat=True)) == [2, 1]
