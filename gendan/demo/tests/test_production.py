"""The demo data has production orders in every state, with consistent money."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gendan.core.money import line_amount

pytestmark = pytest.mark.django_db


def test_demo_production_orders_are_in_every_state_with_amounts_that_add_up():
    from gendan.production.models import ProductionOrder, ProductionOrderLine

    out = io.StringIO()
    call_command("seed_demo", orders=300, customers=20, products=20, seed=7, stdout=out)
    statuses = set(ProductionOrder.objects.values_list("status", flat=True))
    # awaiting_reack (3f97e0c: a change order re-issues a production order as a new version) is not
    # in the demo yet: seed_demo applies no change order. Not a broken rule, a missing scene — add
    # one (production_orders_reissue_for_revision) and drop this exclusion.
    expected = set(ProductionOrder.Status.values) - {ProductionOrder.Status.AWAITING_REACK}
    assert statuses == expected, out.getvalue()
    held = ProductionOrder.objects.filter(status="on_hold")
    assert all(p.held_from and p.status_reason for p in held)
    outsourced = ProductionOrder.objects.filter(kind="outsourced").prefetch_related("lines")[:50]
    for po in outsourced:
        lines = list(po.lines.all())
        assert all(line.amount == line_amount(line.quantity, line.unit_cost, "CNY") for line in lines)
        assert po.total_cost == sum(line.amount for line in lines)
    assert ProductionOrderLine.objects.exclude(spec="").exists()
    assert ProductionOrder.objects.filter(status="accepted", committed_due_date__isnull=False).exists()
