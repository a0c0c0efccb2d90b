"""The demo data has production orders in every state, with consistent money."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gendan.core.money import line_amount

pytestmark = pytest.mark.django_db


def test_demo_production_orders_are_in_every_state_with_amounts_that_add_up():
    from gendan.production.models import ProductionOrder, ProductionOrderLine

    out = io.StringIO()
    call_command("seed_demo", orders=300, customers=20, products=20, seed=7, stdout=out)
    statuses = set(ProductionOrder.objects.values_list("status", flat=True))
    # awaiting_reack too: a customer's change order re-issued it (gendan.demo.changes)
    assert statuses == set(ProductionOrder.Status.values), out.getvalue()
    held = ProductionOrder.objects.filter(status="on_hold")
    assert all(p.held_from and p.status_reason for p in held)
    outsourced = ProductionOrder.objects.filter(kind="outsourced").prefetch_related("lines")[:50]
    for po in outsourced:
        lines = list(po.lines.all())
        assert all(line.amount == line_amount(line.quantity, line.unit_cost, "CNY") for line in lines)
        assert po.total_cost == sum(line.amount for line in lines)
    assert ProductionOrderLine.objects.exclude(spec="").exists()
    assert ProductionOrder.objects.filter(status="accepted", committed_due_date__isnull=False).exists()


def test_demo_change_orders_reach_the_factory():
    """Issue 11: customers' change orders on orders in production, confirmed in writing and by
    phone and applied — their production orders re-issued as version 2, most re-acknowledged by
    the factory with its committed date, one still awaited and chased on the merchandiser's board;
    each step on the order's timeline in the order it happened, none after now."""
    from gendan.core.models import Event
    from gendan.production.models import ProductionOrder
    from gendan.sales.events import OrderReleasedToProduction, OrderRevisionApplied, RevisionProposed
    from gendan.sales.models import OrderRevision
    from gendan.tracking.selectors import board_for

    out = io.StringIO()
    call_command("seed_demo", orders=300, customers=20, products=20, seed=7, stdout=out)
    applied = list(OrderRevision.objects.filter(status=OrderRevision.Status.EFFECTIVE).select_related("order"))
    assert len(applied) >= 2, out.getvalue()
    now = timezone.now()
    for revision in applied:
        order = revision.order
        assert order.status == "in_production" and order.revision_no == revision.revision_no
        kinds = {c.kind: c for c in order.confirmations.filter(revision_no=revision.revision_no)}
        assert set(kinds) == {"written", "verbal"}
        with kinds["written"].attachment.file.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
        assert revision.created_at <= kinds["written"].confirmed_at <= revision.effective_at <= now
        timeline = {e.kind: e.created_at for e in Event.objects.filter(object_id=order.pk,
                                                                        content_type__model="salesorder")}
        assert (timeline[OrderReleasedToProduction.kind] < timeline[RevisionProposed.kind]
                <= timeline[OrderRevisionApplied.kind] <= now)
        assert order.received_amount >= order.deposit_amount  # the deposit on what was added came in
    reissued = ProductionOrder.objects.filter(doc_version=2, sales_order__in=[r.order for r in applied])
    awaiting = reissued.filter(status=ProductionOrder.Status.AWAITING_REACK)
    acknowledged = reissued.exclude(status=ProductionOrder.Status.AWAITING_REACK)
    assert awaiting.exists() and acknowledged.exists()
    for po in reissued:
        version = po.versions.get(number=2)
        assert version.changes and version.email_sent_at and version.created_at <= now
        assert po.change_revision_no == version.revision_no
        if po.status != ProductionOrder.Status.AWAITING_REACK:
            assert version.reack_status == "accepted" and version.created_at < version.reack_at <= now
            assert po.committed_due_date == version.committed_due_date >= po.due_date
    for po in awaiting:
        board = board_for(user=po.sales_order.merchandiser)
        assert any(i.kind == "production_reack" and po.number in i.label for i in board.export_items), po.number
