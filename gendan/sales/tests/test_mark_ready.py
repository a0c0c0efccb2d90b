"""Marking an order ready to ship while production is not finished (issue 11, defect 3): the
order moved to ready-to-ship while its only production order was on hold at 0 of 3 056
produced, without a word. Now the refusal lists what production has not finished (per
production order: its status, produced of ordered) and asks for a reason; with the reason the
order moves and the timeline keeps the reason and the list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.core.errors import ValidationFailed
from gendan.core.events import timeline_for
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.production.services.transitions import production_order_hold, production_order_issue
from gendan.sales.models import SalesOrder
from gendan.sales.services import lifecycle

pytestmark = pytest.mark.django_db

S = SalesOrder.Status


def held(people, order) -> ProductionOrder:
    production_order = order.production_orders.get()
    production_order.lines.update(unit_cost=Decimal("0.80"))  # the factory's price, agreed
    production_order_issue(actor=people.planner, production_order_id=production_order.pk)
    production_order_hold(actor=people.planner, production_order_id=production_order.pk,
                          reason="Glaze defect, waiting for the customer")
    return production_order


def test_mark_ready_with_production_on_hold_needs_a_reason_and_says_what_is_unfinished(people, in_production):
    production_order = held(people, in_production)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.order_mark_ready(actor=people.merch, order_id=in_production.pk)
    message = str(exc.value.message)
    assert production_order.number in message and "on hold, 0 of 1,003 produced" in message
    assert "reason" in exc.value.fields
    in_production.refresh_from_db()
    assert in_production.status == S.IN_PRODUCTION

    lifecycle.order_mark_ready(actor=people.merch, order_id=in_production.pk,
                               reason="Goods taken from the stock of order SO-0815")
    in_production.refresh_from_db()
    assert in_production.status == S.READY
    [row] = [e for e in timeline_for(in_production) if "Goods taken from the stock" in (e.reason or "")]
    assert "production not finished" in row.reason and production_order.number in row.reason


def test_finished_production_needs_no_reason(people, in_production):
    production_order = in_production.production_orders.get()
    for line in production_order.lines.all():
        ProductionOrderLine.objects.filter(pk=line.pk).update(produced_quantity=line.quantity)
    ProductionOrder.objects.filter(pk=production_order.pk).update(status=ProductionOrder.Status.FINISHED)
    lifecycle.order_mark_ready(actor=people.merch, order_id=in_production.pk)
    in_production.refresh_from_db()
    assert in_production.status == S.READY


def test_the_api_refuses_without_the_reason_and_accepts_it(people, in_production):
    held(people, in_production)
    client = ApiClient(obtain_token(people.merch))
    refused = client.post(f"orders/{in_production.pk}/mark-ready/", {})
    assert refused.status_code == 400 and "0 of 1,003 produced" in refused.json()["message"]
    answer = client.post(f"orders/{in_production.pk}/mark-ready/", {"reason": "Shipped from stock"})
    assert answer.status_code == 200 and answer.json()["status"] == "ready"


def test_the_order_page_lists_unfinished_production_and_asks_the_reason(people, in_production, client_for):
    production_order = held(people, in_production)
    client = client_for(people.merch)
    page = client.get(in_production.get_absolute_url()).content.decode()
    assert "Production is not finished" in page and production_order.number in page
    assert 'name="mark_ready-reason"' in page
    url = f"/sales/orders/{in_production.pk}/ready/"
    refused = client.post(url, {"version": in_production.version, "mark_ready-reason": ""})
    assert refused.status_code == 400 and "0 of 1,003 produced" in refused.content.decode()
    in_production.refresh_from_db()
    assert in_production.status == S.IN_PRODUCTION
    done = client.post(url, {"version": in_production.version, "mark_ready-reason": "Shipped from stock"})
    assert done.status_code == 302
    in_production.refresh_from_db()
    assert in_production.status == S.READY
