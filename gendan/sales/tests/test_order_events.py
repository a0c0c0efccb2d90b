"""The order's services publish typed events (sales.events): the timeline row is a kind with its
parameters, shown in the reader's language; the apps that serve the order react through their
subscriptions (finance's payment plan, the T&A's plan, production's orders) and the order's
gates and sub-states come from the apps that own them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gendan.core.domain_events import subscribers_of
from gendan.core.events import timeline_for
from gendan.sales.events import OrderCancelled, OrderConfirmed, OrderRevisionApplying
from gendan.sales.gates import CONFIRM, MARK_READY, ORDER_GATES, RELEASE_ORIGINAL_BL, RELEASE_PRODUCTION, SHIP
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_list
from gendan.sales.services import lifecycle
from gendan.sales.substates import substates
from gendan.sales.tests.conftest import make_confirmed, make_in_production, pay

pytestmark = pytest.mark.django_db


def test_the_confirmation_row_speaks_the_readers_language(people):
    order = make_confirmed(people)
    row = next(e for e in timeline_for(order) if e.kind == OrderConfirmed.kind)
    assert row.message == "" and row.params == {"total": "1236.01", "currency": "USD"}
    assert row.changes["status"] == {"old": "draft", "new": "confirmed"}
    with translation.override("en"):
        assert row.text == "Total fixed at 1236.01 USD"
    with translation.override("zh-hans"):
        assert row.text == "核定总金额 1236.01 USD"


def test_confirming_derives_the_payment_plan_and_the_ta_plan_through_their_subscriptions(people):
    order = make_confirmed(people)
    assert {item.kind: item.amount for item in order.plan_items.all()} == {
        "deposit": Decimal("370.80"), "balance": Decimal("865.21")}
    assert order.deposit_amount == Decimal("370.80")
    assert order.payment_status == SalesOrder.PaymentStatus.DEPOSIT_DUE
    assert order.plan.milestones.get(key="po_received").status == "done"
    handlers = {f"{h.__module__}.{h.__name__}" for h in subscribers_of(OrderConfirmed)}
    assert {"gendan.finance.order_extensions.on_order_terms_fixed",
            "gendan.tracking.reactions.sales.on_order_confirmed"} <= handlers
    assert "gendan.production.order_extensions.on_order_revision_applying" in {
        f"{h.__module__}.{h.__name__}" for h in subscribers_of(OrderRevisionApplying)}


def test_the_order_names_its_gated_actions_and_the_owning_apps_fill_them():
    by_action = {action: [g.key for g in ORDER_GATES.for_action(action)]
                 for action in (CONFIRM, RELEASE_PRODUCTION, MARK_READY, SHIP, RELEASE_ORIGINAL_BL)}
    assert by_action == {CONFIRM: ["credit_hold", "credit_limit"], RELEASE_PRODUCTION: ["deposit"],
                         MARK_READY: ["deposit"], SHIP: ["credit_hold", "balance", "credit", "inspection"],
                         RELEASE_ORIGINAL_BL: ["credit_hold", "balance_original_bl"]}
    assert [s.key for s in substates()] == ["payment", "production", "shipment"]


def test_cancelling_cancels_the_production_orders_and_skips_the_open_milestones(people):
    order = make_in_production(people)
    assert any(h.__module__ == "gendan.production.order_extensions" for h in subscribers_of(OrderCancelled))
    lifecycle.order_cancel(actor=people.manager, order_id=order.pk, reason="Customer went bankrupt",
                           deposit_disposition="credit")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED
    assert order.production_status == SalesOrder.ProductionStatus.NOT_RELEASED
    assert set(order.production_orders.values_list("status", flat=True)) == {"cancelled"}
    assert not order.plan.is_active and not order.plan.milestones.filter(status="open").exists()


def test_the_list_filters_other_apps_register(people):
    waiting = make_confirmed(people, po="PO-WAIT")
    paid = make_confirmed(people, po="PO-PAID")
    pay(people, paid, "370.80")
    blocked = order_list(user=people.merch, filters={"blocked": "deposit"})
    assert list(blocked) == [waiting]
    assert order_list(user=people.merch, filters={"blocked": "no_such_rule"}).count() == 2
    assert order_list(user=people.merch, filters={"risk": "late"}).count() == 0
