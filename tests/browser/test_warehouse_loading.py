"""The warehouse loads a container and lets the shipment leave, in a real browser, in Chinese.

The merchandiser planned a full container shipment of an order (balance paid). The warehouse
user opens "to load this week", receives the finished goods of both lines, opens a container —
first with a mistyped check digit, refused with the right one named — counts the cartons in,
seals it with its VGM and lets the goods leave. Screenshots: test-artifacts/screenshots/warehouse-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.sales.tests.conftest import people  # noqa: F401  (the people around one customer)
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def receive(page, line_id: int, quantity: str, cartons: str) -> None:
    form = page.locator("form[data-form=receive]")
    form.locator("[name=receive-order_line]").select_option(str(line_id))
    form.locator("[name=receive-quantity]").fill(quantity)
    form.locator("[name=receive-cartons]").fill(cartons)
    form.locator("[name=receive-source]").select_option("factory")
    form.locator("[name=receive-source_ref]").fill("DN-0311")
    form.locator("[name=receive-location]").fill("A-03")
    form.locator("[data-action=receive_goods]").click()


def test_the_warehouse_receives_loads_seals_and_lets_the_goods_leave(page, people, shot):  # noqa: F811
    from gendan.sales.models import SalesOrder
    from gendan.shipping.models import Container, Shipment
    from gendan.shipping.tests.helpers_warehouse import lines_of, mug_order, planned_shipment

    people.warehouse.language = "zh-hans"
    people.warehouse.save(update_fields=["language"])
    order = mug_order(people)
    shipment = planned_shipment(order, actor=people.merch, cartons={1: 50, 2: 10})
    mug, box = lines_of(order)[1], lines_of(order)[2]

    login(page, "warehouse")
    page.click("nav.areas >> text=待装柜")
    rows = page.locator("[data-testid=loading-list] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(shipment.number)
    shot(page, "warehouse-1-to-load-this-week")

    page.click(f"[data-testid=loading-list] >> text={order.number}")
    expect(page.locator("h1")).to_contain_text("成品入库")
    receive(page, mug.pk, "1200", "50")
    expect(page.locator("[data-testid=receipts] tbody tr[data-receipt]")).to_have_count(1)
    receive(page, box.pk, "500", "10")
    expect(page.locator("[data-testid=receipts] tbody tr[data-receipt]")).to_have_count(2)
    expect(page.locator("[data-testid=stock] tr[data-line='1'] [data-testid=in-stock]")).to_have_text("1,200")
    shot(page, "warehouse-2-goods-received")

    page.goto(page.base_url + f"/sales/shipments/{shipment.pk}/#section-warehouse")
    section = page.locator("[data-testid=warehouse-section]")
    expect(section.locator("[data-why=depart]")).to_contain_text("还没有装柜")
    section.locator("[data-action=start_container]").click()
    start = section.locator("form[data-form=start]")
    start.locator("[name=start-container_no]").fill("CSQU3054384")
    start.locator("[name=start-container_type]").select_option("40HQ")
    start.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=warehouse-section] .error")).to_contain_text("校验位错误")
    page.locator("#section-warehouse").scroll_into_view_if_needed()
    shot(page, "warehouse-3-wrong-check-digit")
    assert not Container.objects.exists()

    start = page.locator("form[data-form=start]")
    start.locator("[name=start-container_no]").fill("CSQU3054383")
    start.locator("button[type=submit]").click()
    box_of = page.locator("[data-container=CSQU3054383]")
    expect(box_of.locator("[data-testid=container-status]")).to_have_text("装柜中")
    container = Container.objects.get()

    load = box_of.locator(f"form[data-form=load-{container.pk}]")
    prefix = f"load-{container.pk}-lines"
    load.locator(f"[name='{prefix}.{mug.pk}.cartons']").fill("50")
    load.locator(f"[name='{prefix}.{mug.pk}.quantity']").fill("1200")
    load.locator(f"[name='{prefix}.{box.pk}.cartons']").fill("10")
    load.locator(f"[name='{prefix}.{box.pk}.quantity']").fill("500")
    load.locator("button[type=submit]").click()
    box_of = page.locator("[data-container=CSQU3054383]")
    expect(box_of.locator("[data-testid=container-totals]")).to_contain_text("60 / 585")

    box_of.locator("[data-action=seal_container]").click()
    seal = box_of.locator(f"form[data-form=seal-{container.pk}]")
    seal.locator(f"[name=seal-{container.pk}-seal_no]").fill("CN7788990")
    seal.locator(f"[name=seal-{container.pk}-vgm_kg]").fill("4650")
    seal.locator("button[type=submit]").click()
    box_of = page.locator("[data-container=CSQU3054383]")
    expect(box_of.locator("[data-testid=container-status]")).to_have_text("已装柜封条")
    expect(box_of.locator("[data-testid=seal]")).to_have_text("CN7788990")
    page.locator("#section-warehouse").scroll_into_view_if_needed()
    shot(page, "warehouse-4-sealed")

    page.locator("[data-action=depart]").click()
    expect(page.locator("[data-testid=shipment-status] [data-status]")).to_have_attribute("data-status", "shipped")
    shot(page, "warehouse-5-left-the-factory")
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.status == Shipment.Status.SHIPPED and shipment.departed_by == people.warehouse
    assert order.status == SalesOrder.Status.COMPLETED

    page.goto(page.base_url + f"/sales/shipments/{shipment.pk}/loading-plan/")
    expect(page.locator("[data-testid=recommendation]")).to_contain_text("×")
    expect(page.locator("[data-testid=plan] svg").first).to_be_visible()
    shot(page, "warehouse-6-loading-plan")
