"""The production order's workflow table (production.workflows.PRODUCTION_ORDER) holds: every
move it forbids is refused with 409 through the real service and changes nothing. (That each
edge names a service that exists, and that the table equals docs/workflows/production-order.md,
is checked for every workflow in core.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.production import services
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.production.tests.conftest import due
from gendan.production.workflows import PRODUCTION_ORDER
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
P = ProductionOrder.Status


def _in_state(template: ProductionOrder, state: str) -> ProductionOrder:
    """A copy of the released draft ``template`` (same order, factory and lines), put in ``state``."""
    copy = ProductionOrder.objects.create(
        number=f"{template.number}-{ProductionOrder.objects.count()}", sales_order=template.sales_order,
        supplier=template.supplier, kind=template.kind, due_date=template.due_date, created_by=template.created_by,
        currency_id=template.currency_id, sign_off=template.sign_off, copy_to=template.copy_to,
        email_to=template.email_to, status=state, held_from=P.IN_PRODUCTION if state == P.ON_HOLD else "",
        reack_from=P.ACCEPTED if state == P.AWAITING_REACK else "",
        started_at=timezone.now() if state in (P.IN_PRODUCTION, P.FINISHED, P.CLOSED) else None)
    ProductionOrderLine.objects.bulk_create([
        ProductionOrderLine(production_order=copy, order_line=line.order_line, quantity=line.quantity,
                            unit_cost=line.unit_cost or 1)
        for line in template.lines.all()])
    return copy


def test_production_order(people, order_with_mug, first_article_ok):
    template = order_with_mug.production_orders.get()
    planner = people.planner
    tried = assert_forbidden_edges_refused(PRODUCTION_ORDER, make=lambda state: _in_state(template, state), attempt={
        P.ISSUED: lambda po: services.production_order_issue(actor=planner, production_order_id=po.pk),
        P.ACCEPTED: lambda po: services.production_order_accept(actor=planner, production_order_id=po.pk,
                                                                committed_due_date=due(20)),
        P.IN_PRODUCTION: lambda po: services.production_order_start(actor=planner, production_order_id=po.pk),
        P.FINISHED: lambda po: services.production_order_finish(actor=planner, production_order_id=po.pk),
        P.CLOSED: lambda po: services.production_order_close(actor=planner, production_order_id=po.pk),
        P.ON_HOLD: lambda po: services.production_order_hold(actor=planner, production_order_id=po.pk,
                                                             reason="Customer checks the colour"),
        P.CANCELLED: lambda po: services.production_order_cancel(actor=planner, production_order_id=po.pk,
                                                                 reason="Factory cannot make the glaze"),
    })
    # every forbidden edge but those into draft (no service makes a draft again) and into awaiting
    # re-acknowledgement (only a change order's re-issue puts it there: test_versions)
    assert tried == 36
