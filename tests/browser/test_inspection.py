"""QC enters a final inspection that fails, then the passing re-inspection, in a real browser.

The merchandiser booked the final inspection (through the service); QC opens it from the
inspection list, enters the defects — too many majors — and sees it failed with a
re-inspection already booked; opens that, enters a result within the plan and sees it pass;
the order page's Quality panel shows both. Screenshots: test-artifacts/screenshots/inspection-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
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


def enter_result(page, *, major: str, minor: str) -> None:
    form = page.locator("[data-testid=result-form]")
    form.locator("#id_critical").fill("0")
    form.locator("#id_major").fill(major)
    form.locator("#id_minor").fill(minor)
    form.locator("#id_notes").fill("Carton drop test OK; see photos" if major == "0" else "Scratches on the glaze")
    form.locator("[data-action=record_result]").click()


def test_qc_fails_an_inspection_then_passes_the_reinspection(page, people, shot):  # noqa: F811
    from gendan.quality.models import Inspection
    from gendan.quality.services import inspection_book
    from gendan.sales.tests.conftest import make_in_production

    order = make_in_production(people)
    inspection = inspection_book(actor=people.merch, order_id=order.pk, kind="final", party="third_party",
                                 inspector="SGS Shenzhen, Mr. Li", planned_on=timezone.localdate(), lot_size=1000)

    login(page, "qc")
    page.goto(page.base_url + "/quality/inspections/")
    shot(page, "inspection-1-list")
    page.click(f"text={inspection.number}")
    expect(page.locator("[data-testid=sample-size]")).to_contain_text("80")
    enter_result(page, major="6", minor="2")
    expect(page.locator("[data-testid=inspection-status]")).to_have_attribute("data-status", "failed")
    expect(page.locator("[data-class=major]")).to_contain_text("6")
    shot(page, "inspection-2-failed")

    again = Inspection.objects.get(reinspection_of=inspection)
    assert again.status == "booked" and again.planned_on > timezone.localdate()
    page.click("[data-testid=reinspection-link]")
    expect(page.locator("[data-testid=inspection-status]")).to_have_attribute("data-status", "booked")
    page.fill("#id_inspected_on", (timezone.localdate() + dt.timedelta(days=0)).isoformat())
    enter_result(page, major="5", minor="7")  # exactly the plan's Ac for major 2.5 / minor 4.0 at n = 80
    expect(page.locator("[data-testid=inspection-status]")).to_have_attribute("data-status", "passed")
    shot(page, "inspection-3-passed")

    page.goto(page.base_url + order.get_absolute_url() + "?tab=inspections")
    panel = page.locator("[data-testid=order-inspections]")
    expect(panel).to_contain_text(inspection.number)
    expect(panel).to_contain_text(again.number)
    page.locator("#inspections").scroll_into_view_if_needed()
    shot(page, "inspection-4-order-panel")
    again.refresh_from_db()
    assert again.status == "passed" and (again.major_found, again.minor_found) == (5, 7)
