"""The purchase order's workflow table (purchasing.workflows.PURCHASE_ORDER) holds: every move it
forbids is refused with 409 through the real service and changes nothing. (That each edge names
a service that exists, and that the table equals docs/workflows/purchasing.md, is checked for
every workflow in core.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.purchasing.models import PurchaseOrder
from gendan.purchasing.services import orders
from gendan.purchasing.services.receipts import goods_receive
from gendan.purchasing.workflows import PURCHASE_ORDER
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
P = PurchaseOrder.Status


def test_purchase_order(derived):
    w = derived
    today = timezone.localdate()

    def in_state(state: str) -> PurchaseOrder:
        """A purchase order for the kettle's resin, put in ``state`` (the state is the setup, not
        what is tested: every move out of it goes through the real service)."""
        po = orders.purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
            {"material": w.body, "quantity": "100", "unit_price": "14", "eta": today + dt.timedelta(days=9)}])
        PurchaseOrder.objects.filter(pk=po.pk).update(status=state)
        po.refresh_from_db()
        return po

    def receive(po: PurchaseOrder, quantity: str):
        return goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=today,
                             quantities={po.lines.get().pk: quantity})

    tried = assert_forbidden_edges_refused(PURCHASE_ORDER, make=in_state, attempt={
        P.SENT: lambda po: orders.purchase_order_send(actor=w.buyer, purchase_order_id=po.pk),
        P.CONFIRMED: lambda po: orders.purchase_order_confirm(actor=w.buyer, purchase_order_id=po.pk),
        P.PARTLY_RECEIVED: lambda po: receive(po, "40"),
        P.RECEIVED: lambda po: receive(po, "100"),
        P.CLOSED: lambda po: orders.purchase_order_close(actor=w.buyer, purchase_order_id=po.pk,
                                                         reason="The rest will not come"),
        P.CANCELLED: lambda po: orders.purchase_order_cancel(actor=w.buyer, purchase_order_id=po.pk,
                                                             reason="Bought elsewhere"),
    })
    assert tried == 7 * 6 - 12 - 6  # every forbidden edge but those into draft (no service makes a draft again)
