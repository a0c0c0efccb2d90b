"""The pages a merchandiser opens most, at 1 440, 1 024 and 390 px (issue 11, "Layout"): the chase
board, an order page and a shipment page. The page never scrolls sideways (wide tables scroll in
their own box), the top navigation is one line in English at 1 024 px and folds behind a "Menu"
button on a phone, status chips never wrap one character per line; the board's order groups fold
and its compact mode shows one line per milestone. Screenshots: test-artifacts/screenshots/layout-*.png.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.sales.tests.conftest import people  # noqa: F401  (the people around one customer)
from tests.browser.test_order_flow import login
from tests.factories import SalesOrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 1024, 390)

LAYOUT = """() => {
  const visible = (el) => el.offsetParent !== null && el.getBoundingClientRect().height > 0;
  const chips = [...document.querySelectorAll('main .badge, main .risk')].filter(visible);
  const areas = document.querySelector('header nav.areas');
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    topbar: document.querySelector('header.topbar').getBoundingClientRect().height,
    areas: areas && visible(areas) ? areas.getBoundingClientRect().height : 0,
    chips: chips.length,
    wide: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 6).map((el) => `${el.tagName}.${el.className}`),
    tallestChip: Math.max(0, ...chips.map((el) => el.getBoundingClientRect().height)),
    tallestChipText: (chips.sort((a, b) => b.getBoundingClientRect().height - a.getBoundingClientRect().height)[0]
                      || {}).textContent || '',
  };
}"""


def assert_layout(page, width: int) -> None:
    m = page.evaluate(LAYOUT)
    assert m["scrollWidth"] <= m["innerWidth"] + 1, f"the page scrolls sideways at {width} px: {m}"
    # a chip is one line of 12 px text (about 17 px); two lines or a character per line is a broken chip
    assert m["tallestChip"] < 26, f"a status chip wraps at {width} px: {m['tallestChipText']!r} {m}"
    if width >= 1024:
        assert 0 < m["areas"] < 60 and m["topbar"] < 60, f"the navigation breaks onto more lines at {width} px: {m}"
        expect(page.locator("[data-testid=nav-menu]")).to_be_hidden()
    else:
        expect(page.locator("header nav.areas")).to_be_hidden()
        menu = page.locator("[data-testid=nav-menu]")
        expect(menu).to_be_visible()
        menu.click()
        expect(page.locator("details.navmenu nav")).to_be_visible()
        expect(page.locator("details.navmenu nav")).to_contain_text("Orders")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        menu.click()
        expect(page.locator("details.navmenu nav")).to_be_hidden()


def at_each_width(page, url: str, name: str, shot) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + url)
        assert_layout(page, width)
        shot(page, f"layout-{name}-{width}")


def overdue_orders(w, count: int) -> list:
    from gendan.tracking.models import OrderMilestone, OrderPlan
    from gendan.tracking.services.plans import plans_refresh_stale

    orders = [SalesOrderFactory(customer=w.customer, actor=w.merch, confirmed=True, customer_po_no=f"PO-{n}",
                                port_of_loading="Ningbo", port_of_destination="Hamburg") for n in range(count)]
    for m in OrderMilestone.objects.filter(order__in=orders, status="open"):
        m.planned_date -= dt.timedelta(days=20)
        m.save(update_fields=["planned_date"])
    OrderPlan.objects.filter(order__in=orders).update(refreshed_on=timezone.localdate() - dt.timedelta(days=1))
    plans_refresh_stale()
    return orders


def test_board_order_and_shipment_pages_at_1440_1024_and_390_px(page, people, shot):  # noqa: F811
    from gendan.sales.models import SalesOrder
    from gendan.shipping.services.plan import shipment_plan
    from gendan.tracking.defaults import templates_sync

    templates_sync()  # the transactional test database is flushed between tests
    w = people
    orders = overdue_orders(w, 3)
    order = orders[0]
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal("5"))
    cells = {c.colour: c.pk for c in order.lines.get(line_no=1).cells.all()}
    box = order.lines.get(line_no=2)
    shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines={box.pk: "3"},
                             cells={cells["Red"]: "300", cells["Blue"]: "400"}, transport_mode="sea_fcl",
                             planned_ex_factory=timezone.localdate() + dt.timedelta(days=20))

    login(page, "merch")  # English: the longest navigation labels
    expect(page.locator("header nav.areas")).to_contain_text("Chase board")
    at_each_width(page, "/tracking/board/", "board", shot)
    at_each_width(page, order.get_absolute_url(), "order", shot)
    at_each_width(page, shipment.get_absolute_url(), "shipment", shot)


def test_board_groups_fold_and_compact_mode_shows_one_line_per_milestone(page, people, shot):  # noqa: F811
    from gendan.tracking.defaults import templates_sync

    templates_sync()
    w = people
    orders = overdue_orders(w, 4)
    login(page, "merch")
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(page.base_url + "/tracking/board/?days=30")
    overdue = page.locator("[data-testid=section-overdue]")
    rows = overdue.locator(".chase-row").count()
    assert rows >= 8
    full_height = overdue.bounding_box()["height"]

    # An order's group folds on its summary, which says how many milestones it holds.
    group = overdue.locator("details.board-group").first
    assert group.locator(":scope > summary").inner_text().split()[0] in {o.number for o in orders}
    count = int(group.locator("[data-testid=group-count]").inner_text())
    assert count == group.locator(".chase-row").count() >= 1
    group.locator(":scope > summary").click()
    expect(group.locator(".chase-row").first).to_be_hidden()
    group.locator(":scope > summary").click()
    expect(group.locator(".chase-row").first).to_be_visible()

    # Compact: one line per milestone (name, order, due, owner), remembered in the address only.
    page.click("[data-testid=board-density]")
    page.wait_for_url(lambda url: "compact=1" in url and "days=30" in url)
    overdue = page.locator("[data-testid=section-overdue]")
    assert overdue.locator(".chase-row.compact").count() == rows
    heights = overdue.locator(".chase-row.compact").evaluate_all(
        "rows => rows.map((r) => r.getBoundingClientRect().height)")
    assert max(heights) < 28, heights  # one line each: 60 overdue milestones are about one screen
    assert overdue.bounding_box()["height"] < full_height * 0.6
    first = overdue.locator(".chase-row.compact").first
    assert first.locator(".order").inner_text() in {o.number for o in orders}
    expect(first.locator(".owner")).not_to_be_empty()
    assert_layout(page, 1024)
    shot(page, "layout-board-compact-1024")
    page.set_viewport_size({"width": 390, "height": 900})
    assert_layout(page, 390)
    shot(page, "layout-board-compact-390")

    # The filter form keeps the compact mode; the toggle goes back to full rows.
    page.set_viewport_size({"width": 1024, "height": 900})
    page.click("form.filters button[type=submit]")
    page.wait_for_url(lambda url: "compact=1" in url)
    page.click("[data-testid=board-density]")
    page.wait_for_url(lambda url: "compact" not in url)
    expect(page.locator("[data-testid=section-overdue] .chase-row.compact")).to_have_count(0)
