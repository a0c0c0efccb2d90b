"""Sets waiting to be dispatched on the chase board (issue 13): a shipment shipped with its B/L
issued and no dispatch is "Send the documents of SH…", due on the T&A's planned "documents sent"
(else on board + 7 days), under an L/C never after the last presentation day; gone once a
dispatch is sent; read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.exportdocs.models import DocumentDispatch
from gendan.exportdocs.selectors.credits import last_presentation_day
from gendan.exportdocs.services.dispatch import documents_dispatch
from gendan.exportdocs.tests.builders import credit_for, days, shipped_with_set
from gendan.parties.models import PaymentMethod
from gendan.sales.tests.conftest import make_in_production
from gendan.shipping.models import BillOfLading
from gendan.shipping.services import order_ship
from gendan.shipping.tests import conftest as shipping_fixtures
from gendan.tracking.export_chase_dispatch import DOCUMENTS_SENT_DAYS, dispatch_items
from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone

pytestmark = pytest.mark.django_db
people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder
_english_messages = shipping_fixtures._english_messages
COPIES = [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
          {"kind": "packing_list", "originals": 2, "copies": 2},
          {"kind": "bill_of_lading", "originals": 0, "copies": 3}]


def _due_items(user, today=None):
    return [i for i in dispatch_items(user=user, today=today or days(0), limit=30) if i.kind == "dispatch_due"]


def test_a_shipment_with_its_bl_issued_waits_for_its_documents_until_dispatched(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    planned = OrderMilestone.objects.get(order=order, key=Milestone.DOCUMENTS_SENT).planned_date
    [item] = _due_items(w.merch)
    assert item.label == f"Send the documents of {shipment.number}" and item.order == order
    assert item.due == planned and item.late is (planned < days(0))
    assert item.url.endswith("#section-dispatch")
    assert _due_items(w.other_merch) == []  # another merchandiser's board
    [late] = _due_items(w.merch, today=planned + dt.timedelta(days=1))
    assert late.late
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="courier", documents=COPIES,
                                  sent_on=days(0), courier="DHL", awb_no="1234567890",
                                  tracking_url="https://www.dhl.com/track?AWB=1234567890")
    assert _due_items(w.merch) == []
    DocumentDispatch.objects.filter(pk=dispatch.pk).update(status=DocumentDispatch.Status.WITHDRAWN)
    OrderMilestone.objects.filter(order=order, key=Milestone.DOCUMENTS_SENT).update(actual_date=None, status="open")
    assert [i.label for i in _due_items(w.merch)] == [f"Send the documents of {shipment.number}"]


def test_without_a_planned_date_due_on_board_plus_seven_and_a_draft_bl_is_not_yet_due(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    OrderMilestone.objects.filter(order=order, key=Milestone.DOCUMENTS_SENT).delete()
    [item] = _due_items(w.merch)
    assert item.due == shipment.bill.on_board_on + dt.timedelta(days=DOCUMENTS_SENT_DAYS)
    BillOfLading.objects.filter(shipment=shipment).update(status=BillOfLading.Status.CONFIRMED)
    assert _due_items(w.merch) == []


def test_documents_sent_ticked_on_the_tanda_since_the_goods_left_is_not_chased_again(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    ticked = OrderMilestone.objects.filter(order=order, key=Milestone.DOCUMENTS_SENT)
    ticked.update(actual_date=shipment.shipped_on - dt.timedelta(days=1))  # an earlier shipment's documents
    assert len(_due_items(w.merch)) == 1
    ticked.update(actual_date=shipment.shipped_on + dt.timedelta(days=3))  # sent outside Gendan
    assert _due_items(w.merch) == []


def test_under_a_credit_due_by_the_last_presentation_day_if_earlier(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w, payment_method=PaymentMethod.LC_SIGHT, credit={"presentation_days": 2})
    credit = order.credits.get()
    last = last_presentation_day(credit, shipment.bill.on_board_on)
    [item] = _due_items(w.merch)
    assert item.due == last and credit.number in item.detail and last.isoformat() in item.detail


def test_the_items_read_the_same_few_queries_for_one_shipment_or_five(people, forwarder):
    w = people

    def one_more(n: int) -> None:
        """An order shipped with its B/L issued; every other one under a credit, the first too
        (with no credit at all, the credits' query is not needed)."""
        lc = n % 2 == 0
        order = make_in_production(w, payment_method=PaymentMethod.LC_SIGHT if lc else PaymentMethod.TT_AGAINST_BL_COPY)
        if lc:
            credit_for(w, order, number=f"LC-Q-{n}")
        shipment = order_ship(actor=w.merch, order_id=order.pk, shipped_on=days(-2),
                              quantities={line.pk: line.quantity for line in order.lines.all()})
        BillOfLading.objects.create(shipment=shipment, status=BillOfLading.Status.ISSUED, bl_no=f"COSU{n:08d}",
                                    on_board_on=days(-1), issued_on=days(-1))

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            items = _due_items(w.merch)
        return len(items), len(ctx.captured_queries)

    one_more(0)
    items, first = queries()
    for n in range(1, 5):
        one_more(n)
    more_items, then = queries()
    assert (items, more_items) == (1, 5) and then == first
