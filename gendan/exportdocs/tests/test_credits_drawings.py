"""Drawings under a credit, the undrawn balance and the countdowns (last presentation day, expiry)
on the credit's page and the chase board; the amendment request email; the order list's
"blocked by the L/C rule" filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.exportdocs.models import DocumentDispatch
from gendan.exportdocs.selectors.credits import credit_countdowns, credit_drawn, credit_undrawn
from gendan.exportdocs.services.amendments import amendment_request
from gendan.exportdocs.services.credits import credit_register
from gendan.exportdocs.services.examination import credit_examine
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.selectors import order_list
from gendan.sales.tests import conftest as sales_fixtures
from gendan.shipping.models import Shipment
from gendan.shipping.services import order_ship
from gendan.tracking.export_chase_credits import credit_items
from tests.clock import on_day
from tests.factories import release_to_production

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


@pytest.fixture
def shipped_under_credit(people):
    """An L/C order under a workable credit, shipped today and on board today."""
    order = release_to_production(lc_order(people), actor=people.merch, finance=people.finance,
                                  supplier=people.factory)
    credit = credit_register(by=people.merch, data=credit_data(order))
    credit_examine(by=people.merch, credit=credit)
    shipment = order_ship(actor=people.merch, order_id=order.pk, shipped_on=timezone.localdate(),
                          quantities={line.pk: line.open_quantity for line in order.lines.all()})
    Shipment.objects.filter(pk=shipment.pk).update(on_board_on=timezone.localdate())
    credit.refresh_from_db()
    return order, Shipment.objects.get(pk=shipment.pk), credit


def _present(w, shipment, credit, amount: str, status=DocumentDispatch.Status.SENT, number="DS2603-0001"):
    return DocumentDispatch.objects.create(number=number, shipment=shipment, credit=credit,
                                           channel=DocumentDispatch.Channel.BANK_CREDIT, status=status,
                                           currency_id="USD", amount=Decimal(amount), sent_on=timezone.localdate(),
                                           bank="Bank of China", sent_by=w.merch)


def test_a_shipment_on_board_counts_down_to_its_last_presentation_day_until_presented(people, shipped_under_credit):
    order, shipment, credit = shipped_under_credit
    today = timezone.localdate()
    rows = credit_countdowns(credit, today=today)["presentations"]
    assert [(r["shipment"], r["last_day"], r["days"]) for r in rows] == [
        (shipment, today + dt.timedelta(days=21), 21)]
    due = [i for i in credit_items(user=people.merch, today=today, limit=20) if i.kind == "presentation_due"]
    assert due and due[0].due == today + dt.timedelta(days=21) and not due[0].late
    _present(people, shipment, credit, "1000.00")
    assert credit_drawn(credit) == Decimal("1000.00") and credit_undrawn(credit) == Decimal("236.01")
    assert credit_countdowns(credit, today=today)["presentations"] == []
    _present(people, shipment, credit, "200.00", status=DocumentDispatch.Status.REFUSED, number="DS2603-0002")
    assert credit_drawn(credit) == Decimal("1000.00")


def test_the_last_presentation_day_is_never_after_expiry_and_expiry_is_chased_with_a_balance(
        people, shipped_under_credit):
    order, shipment, credit = shipped_under_credit
    Shipment.objects.filter(pk=shipment.pk).update(on_board_on=credit.expiry_date - dt.timedelta(days=10))
    with on_day(credit.expiry_date - dt.timedelta(days=5)):
        today = timezone.localdate()
        rows = credit_countdowns(credit, today=today)["presentations"]
        assert rows[0]["last_day"] == credit.expiry_date  # on board + 21 would be later
        kinds = {i.kind: i for i in credit_items(user=people.merch, today=today, limit=20)}
        assert kinds["credit_expiring"].due == credit.expiry_date and "USD 1,236.01" in kinds["credit_expiring"].detail
        assert kinds["presentation_due"].due == credit.expiry_date


def test_the_amendment_request_is_emailed_to_the_customers_contacts_after_commit(
        people, mailoutbox, django_capture_on_commit_callbacks):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order, amount="1000"))
    credit_examine(by=people.merch, credit=credit)
    with django_capture_on_commit_callbacks(execute=True):
        amendment_request(by=people.merch, credit=credit, email=True)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["buyer@nordlicht.example"] and "LC-2026-0001" in mail.subject and "236.01" in mail.body


def test_the_order_list_finds_the_orders_the_lc_rule_holds_back(people):
    waiting = lc_order(people)
    assert list(order_list(user=people.merch, filters={"blocked": "credit"})) == [waiting]
    credit = credit_register(by=people.merch, data=credit_data(waiting))
    credit_examine(by=people.merch, credit=credit)
    assert list(order_list(user=people.merch, filters={"blocked": "credit"})) == []


def test_the_boards_credit_items_read_the_same_few_queries_for_one_credit_or_five(people):
    """No query per credit: orders, amendments, shipments on board, presentations and drawn
    amounts are read for all the board's credits at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            items = credit_items(user=people.merch, today=timezone.localdate(), limit=30)
        return len(items), len(ctx.captured_queries)

    def one_more(n: int) -> None:
        order = release_to_production(lc_order(people), actor=people.merch, finance=people.finance,
                                      supplier=people.factory)
        credit = credit_register(by=people.merch, data=credit_data(order, number=f"LC-Q-{n}"))
        credit_examine(by=people.merch, credit=credit)
        order_ship(actor=people.merch, order_id=order.pk, shipped_on=timezone.localdate(),
                   quantities={line.pk: line.open_quantity for line in order.lines.all()})
        Shipment.objects.filter(order=order).update(on_board_on=timezone.localdate())
        assert credit.pk

    one_more(0)
    items, first = queries()
    for n in range(1, 5):
        one_more(n)
    more_items, then = queries()
    assert more_items > items and then == first
