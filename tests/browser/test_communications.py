# ruff: noqa: F811 - the "people" fixture is imported from the tracking tests
"""In a real browser: the merchandiser logs the customer's fax from the order page, answers it,
then reviews and sends the delay notice Gendan drafted; the planner records the weekly
meeting's minutes. Screenshots land in test-artifacts/screenshots/comms-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.tracking.models import Communication, DelayNotice
from gendan.tracking.tests.conftest import people  # noqa: F401 - fixture
from tests.browser.test_order_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merchandiser_logs_answers_and_sends_the_delay_notice(page, people, shot):
    from gendan.sales.tests.conftest import make_confirmed
    from gendan.tracking.services.delay_notices import delay_notice_draft

    order = make_confirmed(people)
    login(page, "merch")
    page.goto(page.base_url + order.get_absolute_url() + "?tab=communications")
    panel = page.locator("[data-testid=communications-panel]")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Log a communication").click()

    page.select_option("#id_channel", "fax")
    page.check("input[name=direction][value=in]")
    page.fill("#id_summary", "客户传真：纸箱唛头改版，请确认交期")
    page.click("main form button[type=submit].primary")
    expect(panel).to_contain_text("纸箱唛头改版")
    expect(panel).to_contain_text("reply due")
    shot(page, "comms-order-panel-unanswered")

    panel.get_by_role("link", name="Log a communication").click()
    page.select_option("#id_channel", "email")
    page.check("input[name=direction][value=out]")
    page.fill("#id_summary", "Replied: new marks accepted, ex-factory unchanged")
    page.click("main form button[type=submit].primary")
    expect(panel).to_contain_text("answered")
    assert Communication.objects.filter(direction="in", replied_by__isnull=False).count() == 1

    notice = delay_notice_draft(order=order, new_date=order.ex_factory_date + dt.timedelta(days=7),
                                reason="The glaze failed the lead test; the batch is re-fired.")
    page.goto(page.base_url + order.get_absolute_url() + "?tab=communications")
    panel.get_by_role("link", name="review and send").click()
    expect(page.locator("[data-testid=delay-notice]")).to_contain_text("buyer@nordlicht.example")
    page.fill("#id_subject", "PO-4711: revised ex-factory date")
    shot(page, "comms-delay-notice-review")
    page.click("button[name=action][value=send]")
    expect(panel).to_contain_text("sent")
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.SENT and notice.subject == "PO-4711: revised ex-factory date"
    shot(page, "comms-order-panel-after")


def test_planner_records_the_minutes_with_an_action_item(page, people, shot):
    from gendan.tracking.services.meetings import meeting_create

    meeting = meeting_create(actor=people.planner, title="Weekly production meeting",
                             starts_at=timezone.now() + dt.timedelta(hours=2), location="Room 2",
                             agenda="1. Late orders\n2. Materials", attendee_ids=[people.merch.pk, people.qc.pk])
    login(page, "planner")
    page.goto(page.base_url + meeting.get_absolute_url())
    page.get_by_role("link", name="Record the minutes").click()
    page.fill("#id_minutes", "Glaze supplier late; re-fire Monday.")
    page.fill("#id_action-0-description", "Chase the glaze supplier")
    page.select_option("#id_action-0-owner", str(people.merch.pk))
    page.fill("#id_action-0-due_date", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    shot(page, "comms-meeting-minutes-form")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.locator("[data-testid=action-items]")).to_contain_text("Chase the glaze supplier")
    shot(page, "comms-meeting-held")
