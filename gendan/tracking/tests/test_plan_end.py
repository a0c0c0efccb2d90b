"""An order's plan ends with the order (issue 11, defect 3): completed (shipped and paid),
closed or cancelled, its open milestones are skipped with that reason and its risk is cleared,
so a finished order never shows "at risk" or a milestone still to chase. Orders that finished
before the T&A followed this are put right by a data migration."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from gendan.core.events import timeline_for
from gendan.sales.models import SalesOrder
from gendan.sales.services.lifecycle import order_cancel, order_close
from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.services.plans import plans_refresh_stale
from gendan.tracking.tests.conftest import make_confirmed, make_in_production
from tests.clock import on_day
from tests.factories import ship_everything

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

close_plans = importlib.import_module("gendan.tracking.migrations.0005_close_plans_of_finished_orders").close_plans


def ms(order, key) -> OrderMilestone:
    return OrderMilestone.objects.get(order=order, key=key)


def completed_order(people) -> SalesOrder:
    order = make_in_production(people)
    ship_everything(order, actor=people.merch, finance=people.finance)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.COMPLETED
    return order


def test_a_completed_order_closes_its_plan_and_is_not_at_risk(people):
    order = completed_order(people)
    plan = OrderPlan.objects.get(order=order)
    assert plan.is_active is False
    assert (plan.risk, plan.risk_reason) == (OrderPlan.Risk.ON_TRACK, "")
    booking = ms(order, "booking")
    assert booking.status == "skipped" and booking.skip_reason == "order completed"
    # Nothing left to chase before the goods arrive; the customer's check-ins come after.
    open_keys = set(OrderMilestone.objects.filter(order=order, status="open").values_list("key", flat=True))
    assert open_keys == {"quality_check_in", "reorder_check_in"}
    assert any("T&A plan closed (order completed)" in e.text for e in timeline_for(order))


def test_the_daily_refresh_months_later_leaves_a_completed_order_on_track(people):
    order = completed_order(people)
    with on_day(timezone.localdate() + dt.timedelta(days=120)):  # the check-ins are long overdue
        plans_refresh_stale()
        order.plan.refresh_from_db()
    assert order.plan.risk == OrderPlan.Risk.ON_TRACK


def test_closing_a_completed_order_keeps_the_plan_closed(people):
    order = completed_order(people)
    order_close(actor=people.merch, order_id=order.pk)
    plan = OrderPlan.objects.get(order=order)
    assert plan.is_active is False and plan.risk == OrderPlan.Risk.ON_TRACK
    assert ms(order, "quality_check_in").status == "open"  # the check-ins outlive the order's archive


def test_cancelling_skips_every_open_milestone_with_the_reason(people):
    order = make_confirmed(people)
    order_cancel(actor=people.merch, order_id=order.pk, reason="Buyer went bankrupt")
    assert not OrderMilestone.objects.filter(order=order, status="open").exists()
    assert ms(order, "booking").skip_reason == "order cancelled: Buyer went bankrupt"
    assert OrderPlan.objects.get(order=order).risk == OrderPlan.Risk.ON_TRACK


def test_the_migration_closes_plans_of_orders_finished_before(people):
    order = completed_order(people)
    other = make_confirmed(people)  # still open: left alone
    # As the demo had it: the plan still active, at risk, booking open.
    OrderPlan.objects.filter(order=order).update(is_active=True, risk="at_risk", risk_reason="15 days late")
    OrderMilestone.objects.filter(order=order, key__in=["booking", "documents_sent"]).update(status="open",
                                                                                          skip_reason="")
    open_before = OrderMilestone.objects.filter(order=other, status="open").count()

    close_plans(apps, None)
    close_plans(apps, None)  # again: nothing changes

    plan = OrderPlan.objects.get(order=order)
    assert (plan.is_active, plan.risk, plan.risk_reason) == (False, "on_track", "")
    assert ms(order, "booking").status == "skipped"
    assert ms(order, "quality_check_in").status == "open"
    assert OrderMilestone.objects.filter(order=other, status="open").count() == open_before
    assert OrderPlan.objects.get(order=other).is_active is True
