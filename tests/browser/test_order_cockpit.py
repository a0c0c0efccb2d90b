# ruff: noqa: F811 - the "people" fixture is imported from the tracking tests
"""In a real browser: the order page as a cockpit. The merchandiser opens the order, switches
tabs (htmx swaps the tab; the address follows), writes a note with an @mention on the chatter,
and the QC inspector finds it on the chase board and opens it. At 1 440, 1 024 and 390 px, the
page never scrolls sideways (the tab bar scrolls inside itself). Screenshots:
test-artifacts/screenshots/cockpit-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.tracking.models import Mention
from gendan.tracking.tests.conftest import people  # noqa: F401 - fixture
from tests.browser.test_order_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 1024, 390)


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, f"sideways scroll at {width} px"


def test_tabs_chatter_and_the_mention_on_the_board(page, people, shot):
    from gendan.sales.tests.conftest import make_in_production

    order = make_in_production(people)
    login(page, "merch")
    page.goto(page.base_url + order.get_absolute_url())
    tabs = page.locator("[data-testid=order-tabs]")
    expect(tabs.locator("[data-tab=overview]")).to_have_attribute("aria-current", "page")
    expect(tabs.locator("[data-testid=tab-count-production]")).to_have_text("1")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _no_sideways_scroll(page, width)
        shot(page, f"cockpit-overview-{width}")

    page.set_viewport_size({"width": 1440, "height": 900})
    tabs.locator("[data-tab=money]").click()
    expect(page.locator("[data-testid=money]")).to_be_visible()
    expect(page.locator("[data-testid=order-lines]")).to_have_count(0)
    expect(tabs.locator("[data-tab=money]")).to_have_attribute("aria-current", "page")
    assert "tab=money" in page.url  # htmx pushed the address: a reload shows the same tab
    shot(page, "cockpit-money-1440")
    tabs.locator("[data-tab=production]").click()
    expect(page.locator("[data-testid=production-panel]")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    _no_sideways_scroll(page, 390)
    shot(page, "cockpit-production-390")

    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("[data-testid=order-tabs] [data-tab=overview]").click()
    page.fill("[data-testid=chatter-text]", "@qc 请在周五前复查釉面 — the glaze batch needs a second look")
    page.click("[data-testid=chatter-submit]")
    expect(page.locator(".messages, [role=status], .flash").first).to_contain_text(str(people.qc))
    expect(page.locator("aside")).to_contain_text("复查釉面")
    shot(page, "cockpit-chatter-1440")
    assert Mention.objects.filter(user=people.qc, seen_at__isnull=True).count() == 1

    page.context.clear_cookies()
    login(page, "qc")
    page.goto(page.base_url + "/tracking/board/")
    section = page.locator("[data-testid=section-mentions]")
    expect(section).to_contain_text(order.number)
    expect(section).to_contain_text("复查釉面")
    for width in (1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _no_sideways_scroll(page, width)
        shot(page, f"cockpit-board-mention-{width}")
    section.get_by_role("link").first.click()
    expect(page.locator("[data-testid=order-tabs]")).to_be_visible()  # the order's overview, the note on its timeline
    expect(page.locator("aside")).to_contain_text("复查釉面")
    assert Mention.objects.get().seen_at is not None
    page.goto(page.base_url + "/tracking/board/")
    expect(page.locator("[data-testid=section-mentions]")).to_have_count(0)
