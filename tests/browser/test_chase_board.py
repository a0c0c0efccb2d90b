"""The chase board in a real browser: a merchandiser opens the board (Chinese first), finds an
overdue PI confirmation, completes it with one click, moves the ex-factory milestone past
the promised date with a reason — refused first without one — and sees the order turn
"late" on its page, with the T&A timeline. Screenshots: test-artifacts/screenshots/board-*.png.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_order_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merchandiser_completes_and_reschedules_from_the_board(page, live_server, make_user, shot):
    from gendan.accounts.models import Team
    from gendan.parties.models import PaymentMethod, Supplier
    from gendan.tracking.defaults import templates_sync
    from gendan.tracking.models import OrderMilestone, OrderPlan
    from gendan.tracking.services.plans import plans_refresh_stale
    from gendan.tracking.tests.conftest import make_confirmed
    from tests.factories import ContactFactory, CustomerFactory, SupplierFactory

    templates_sync()  # the transactional test database is flushed between tests
    team = Team.objects.create(name="Team T")
    w = SimpleNamespace()
    w.merch = make_user("merchandiser", username="chen", full_name="陈跟单", team=team)
    w.manager = make_user("manager", username="gm", full_name="王总")
    w.finance = make_user("finance", username="sun")
    w.customer = CustomerFactory(code="NORD", name_en="Nordlicht Handels GmbH", merchandiser=w.merch, team=team,
                                 payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, default_currency_id="USD")
    ContactFactory(customer=w.customer, email="buyer@nordlicht.example", is_primary=True)
    w.factory = SupplierFactory(code="FAC1", kind=Supplier.Kind.OUTSOURCED_FACTORY)
    order = make_confirmed(w)
    # Confirmed a week ago: the PI confirmation (two working days after the PO) is overdue.
    for m in OrderMilestone.objects.filter(order=order, status="open"):
        m.planned_date -= dt.timedelta(days=7)
        m.save(update_fields=["planned_date"])
    OrderPlan.objects.filter(order=order).update(refreshed_on=timezone.localdate() - dt.timedelta(days=1))
    plans_refresh_stale()
    pi = OrderMilestone.objects.get(order=order, key="pi_confirmed")
    # A milestone people tick (the quality check-in with the customer, here without a predecessor as
    # a company's own step would be), overdue too.
    check_in = OrderMilestone.objects.get(order=order, key="quality_check_in")
    OrderMilestone.objects.filter(pk=check_in.pk).update(predecessor=None,
                                                         planned_date=timezone.localdate() - dt.timedelta(days=3),
                                                         forecast_date=timezone.localdate() - dt.timedelta(days=3))

    login(page, "chen")
    badge = page.locator("[data-testid=chase-badge] .count")
    overdue_before = int(badge.inner_text())
    assert overdue_before >= 1
    page.click("[data-testid=chase-badge]")
    expect(page.locator("[data-testid=section-overdue]")).to_contain_text("PI/合同确认")
    shot(page, "board-1-overdue")

    # The PI confirmation is completed by its event (the PI issued), not by a click on the board.
    expect(page.locator(f"[data-testid=complete-{pi.pk}]")).to_have_count(0)
    page.click(f"[data-testid=complete-{check_in.pk}]")
    expect(page.locator("li.msg.success")).to_contain_text("到货质量回访")
    expect(page.locator(f"[data-testid=row-{check_in.pk}]")).to_have_count(0)
    assert int(page.locator("[data-testid=chase-badge] .count").inner_text()) == overdue_before - 1

    # Move the ex-factory milestone after the promised date: first without a reason.
    final = OrderMilestone.objects.get(order=order, key="ex_factory")
    page.goto(page.base_url + "/tracking/board/?days=60")
    row = page.locator(f"[data-testid=row-{final.pk}]")
    row.locator(f"[data-testid=more-{final.pk}]").click()  # the forms load into the row (htmx)
    row.locator(f"[data-testid=reschedule-{final.pk}]").click()
    new_date = (order.ex_factory_date + dt.timedelta(days=5)).isoformat()
    row.locator("input[name=expected_date]").fill(new_date)
    row.locator("form[action*=reschedule] button[type=submit]").click()
    expect(page.locator("[data-testid=board-error]")).to_be_visible()
    shot(page, "board-2-reason-required")
    row = page.locator(f"[data-testid=row-{final.pk}]")
    expect(row.locator("input[name=expected_date]")).to_have_value(new_date)  # input kept
    row.locator("form[action*=reschedule] input[name=reason]").fill("釉面检测不合格，需返工 / glaze test failed, rework")
    row.locator("form[action*=reschedule] button[type=submit]").click()
    expect(page.locator("[data-testid=board-error]")).to_have_count(0)

    page.goto(page.base_url + order.get_absolute_url() + "?tab=plan")
    expect(page.locator("[data-testid=plan-risk]")).to_have_text("延误")
    expect(page.locator("[data-testid=plan-summary]")).to_contain_text(
        (order.ex_factory_date + dt.timedelta(days=5)).isoformat())
    expect(page.locator("[data-testid=tna-chart]")).to_be_visible()
    page.locator("#plan").scroll_into_view_if_needed()
    shot(page, "board-3-order-late")
    assert OrderPlan.objects.get(order=order).risk == "late"
