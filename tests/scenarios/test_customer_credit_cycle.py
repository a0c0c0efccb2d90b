"""Scenario: one customer's money, followed day by day (issue 14, "done when").

Two orders are confirmed; the customer pays part of the first deposit and all of the second. The
first deposit's rest falls overdue: the daily dunning reminds the customer's accounts contact
(level 1), then firmly (level 2, and the merchandiser's board), escalates to the manager (level 3)
and at 60 days puts the customer on credit hold (level 4). A new order cannot be confirmed — 409,
naming the rule. The customer pays; the next run drops the dunning to 0, but the hold stays until
finance lifts it with a reason; then the new order is confirmed. The e-mails go through a real SMTP
server; the clock moves one day at a time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import api_for  # noqa: F401
from gendan.finance.models import PaymentPlanItem
from gendan.parties.models import PaymentMethod
from gendan.receivables.models import CustomerCredit, DunningNotice
from gendan.receivables.services.credit import credit_hold_lift
from gendan.receivables.services.dunning import dunning_run
from gendan.tracking.selectors import board_for
from tests.factories import ContactFactory, CustomerFactory, SalesOrderFactory, pay, record_confirmations
from tests.smtp import smtp  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser", language="en"), "sales": make_user("sales", language="en"),
            "finance": make_user("finance", language="en"),
            "manager": make_user("manager", language="en", email="gm@gendan.example")}


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def test_overdue_deposit_dunned_to_credit_hold_then_paid_and_lifted(people, clock, smtp,  # noqa: F811
                                                                      api_for, django_capture_on_commit_callbacks):  # noqa: F811
    customer = CustomerFactory(merchandiser=people["merch"], salesperson=people["sales"],
                               payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"),
                               default_currency_id="USD", email="info@hollandmugs.example")
    ContactFactory(customer=customer, name="Anne de Vries", title="Buyer", email="anne@hollandmugs.example",
                   is_primary=True)
    ContactFactory(customer=customer, name="Piet Bakker", title="Accounts payable", email="ap@hollandmugs.example")
    far = timezone.localdate() + dt.timedelta(days=200)  # balances fall due long after this story
    first = SalesOrderFactory(customer=customer, confirmed=True, ex_factory_date=far)
    second = SalesOrderFactory(customer=customer, confirmed=True, ex_factory_date=far)
    deposit = PaymentPlanItem.objects.get(order=first, kind="deposit")
    assert deposit.amount == Decimal("370.80")

    # Partial receipts: 200 of the first deposit, the second deposit in two transfers.
    pay(first, "200.00", actor=people["finance"])
    pay(second, "170.80", actor=people["finance"])
    pay(second, "200.00", actor=people["finance"])

    def run_on(day):
        clock.move_to(_at(day))
        with django_capture_on_commit_callbacks(execute=True):
            return dunning_run(timezone.localdate())

    start = timezone.localdate()
    for offset in range(0, 8):  # up to the deposit's due date nothing is overdue
        assert run_on(start + dt.timedelta(days=offset)).notices_count == 0, offset
    due = deposit.due_date
    assert due == start + dt.timedelta(days=7)

    # Level 1, a day after the due date: a friendly reminder to the accounts contact.
    run_on(due + dt.timedelta(days=1))
    first_mail = smtp.wait_for(1)[0]
    assert first_mail["To"] == "ap@hollandmugs.example"
    assert first_mail["Subject"].startswith("Payment reminder")
    assert first.number in first_mail.get_content() and "170.80" in first_mail.get_content()
    assert second.number not in first_mail.get_content()  # paid: not dunned

    # Day by day to level 2 (15 days): one more level-1 e-mail a week later, then the firm one.
    for offset in range(2, 16):
        run_on(due + dt.timedelta(days=offset))
    subjects = [d.message["Subject"] for d in smtp.deliveries]
    assert subjects[0].startswith("Payment reminder") and subjects[1].startswith("Payment reminder")
    assert subjects[2] == "Second reminder: USD 170.80 overdue for 15 days"
    assert len(subjects) == 3
    assert [i.level for i in board_for(user=people["merch"], today=timezone.localdate()).money_items] == [2]

    # On to 60 days: level 3 escalates to the manager, level 4 puts the customer on credit hold.
    for offset in range(16, 61):
        run_on(due + dt.timedelta(days=offset))
    assert any(d.rcpt_tos == ("gm@gendan.example",) for d in smtp.deliveries)
    assert any(d.message["Subject"].startswith("Credit hold") for d in smtp.deliveries)
    credit = CustomerCredit.objects.get(customer=customer)
    assert (credit.dunning_level, credit.on_hold) == (4, True)

    # A new order cannot be confirmed: 409, naming the rule.
    third = SalesOrderFactory(customer=customer, ex_factory_date=far)
    record_confirmations(third, actor=people["merch"])
    merch = api_for(people["merch"])
    refused = merch.post(f"orders/{third.pk}/confirm/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "gate_credit_hold"
    assert "Credit hold" in refused.json()["message"] and "finance lifts it" in refused.json()["message"]

    # The customer pays; the next run clears the dunning and the board, but not the hold.
    pay(first, "170.80", actor=people["finance"])
    run_on(due + dt.timedelta(days=61))
    credit.refresh_from_db()
    assert (credit.dunning_level, credit.on_hold) == (0, True)
    assert not DunningNotice.objects.filter(customer=customer, resolved_at__isnull=True).exists()
    assert board_for(user=people["merch"], today=timezone.localdate()).money_items == []
    assert merch.post(f"orders/{third.pk}/confirm/").status_code == 409

    # Finance lifts the hold, with a reason; the order is confirmed.
    credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="overdue deposit received in full")
    confirmed = merch.post(f"orders/{third.pk}/confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
