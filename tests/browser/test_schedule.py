"""The planner's morning in a real browser: the schedule Gantt with an overloaded line and a
late bar, then today's progress typed into a production order's grid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.planning.tests.conftest import mug_line, people, production_order  # noqa: F401
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def test_planner_sees_the_overload_and_enters_progress(page, shot, people, production_order, mug_line):  # noqa: F811
    from gendan.planning.models import ProgressEntry
    from gendan.planning.services.schedule import schedule_entry_create, work_line_create

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    line = work_line_create(actor=people.planner, workshop_id=people.factory.pk, name="A线", capacity_per_day=150)
    work_line_create(actor=people.planner, workshop_id=people.factory.pk, name="B线", capacity_per_day=400)
    for start, days, qty in ((monday, 5, "500"), (monday + dt.timedelta(days=3), 2, "200")):
        schedule_entry_create(actor=people.planner, production_order_id=production_order.pk, work_line_id=line.pk,
                              start=start, end=start + dt.timedelta(days=days - 1), quantity=qty)
    login(page, "planner")
    page.click("header nav.areas >> text=Schedule")
    gantt = page.get_by_test_id("gantt")
    expect(gantt).to_be_visible()
    expect(page.get_by_test_id("overload")).to_have_count(2)  # Thursday and Friday: 100 + 100 > 150
    expect(page.get_by_test_id("bar")).to_have_count(2)
    expect(page.get_by_test_id("bar").first).to_contain_text(production_order.number)
    shot(page, "planning-01-schedule-overload")

    page.goto(page.base_url + f"/planning/progress/{production_order.pk}/")
    page.fill(f"input[name='q-{mug_line.pk}-cutting']", "600")
    page.fill(f"input[name='q-{mug_line.pk}-packing']", "250")
    page.fill(f"input[name='f-{mug_line.pk}']", (today + dt.timedelta(days=12)).isoformat())
    page.click("text=Save progress")
    expect(page.locator(".messages")).to_contain_text("Progress saved: 2 changed")
    expect(page.get_by_test_id("progress-grid")).to_contain_text("25%")
    shot(page, "planning-02-progress-saved")
    # Going backwards without a reason is refused on the cell, and nothing changes.
    page.fill(f"input[name='q-{mug_line.pk}-cutting']", "100")
    page.click("text=Save progress")
    expect(page.locator("small.error")).to_contain_text("can't go backwards")
    shot(page, "planning-03-progress-refused")
    assert ProgressEntry.objects.get(stage="cutting").cumulative_quantity == 600
    # The merchandiser sees it on the order page.
    page.goto(page.base_url + production_order.sales_order.get_absolute_url() + "?tab=production")
    panel = page.get_by_test_id("progress-panel")
    expect(panel).to_contain_text(production_order.number)
    panel.scroll_into_view_if_needed()
    full = shot(page, "planning-04-order-progress-panel")
    panel.screenshot(path=str(full.with_name("planning-05-progress-panel-only.png")))
