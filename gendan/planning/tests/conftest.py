"""Planning fixtures: the order people (from the sales tests), an order in production at an
outsourced factory, and that production order back-dated a week so progress has a history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from gendan.sales.tests.conftest import make_in_production, people  # noqa: F401
from tests.smtp import smtp  # noqa: F401


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def production_order(people):  # noqa: F811
    from gendan.production.models import ProductionOrder

    po = make_in_production(people).production_orders.get()
    ProductionOrder.objects.filter(pk=po.pk).update(created_at=timezone.now() - dt.timedelta(days=7))
    po.refresh_from_db()
    return po


@pytest.fixture
def mug_line(production_order):
    """Line 1: 1 000 ceramic mugs."""
    return production_order.lines.select_related("order_line").get(order_line__line_no=1)
