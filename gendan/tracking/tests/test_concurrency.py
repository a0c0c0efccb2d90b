"""PostgreSQL, real row locks: a merchandiser moving the ex-factory milestone (each move
drafts a delay notice) while finance allocates money to the same order. Both paths lock the
order, then its plan; neither deadlocks, and every change lands."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from gendan.tracking.tests.conftest import make_confirmed, pay

ROUNDS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_rescheduling_and_receipts_on_one_order_at_once(people):
    from gendan.finance.services import receipt_record
    from gendan.tracking.defaults import templates_sync
    from gendan.tracking.models import OrderMilestone
    from gendan.tracking.services.milestones import milestone_reschedule

    templates_sync()
    order = make_confirmed(people)
    pay(people, order, str(order.deposit_amount))  # from now on every allocation reaches the plan too
    deposit = order.deposit_amount
    # Moving ex-factory past the promised date makes every refresh draft a delay notice,
    # which locks the order from inside the milestone's transaction.
    booking = OrderMilestone.objects.get(order=order, key="ex_factory")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def merchandiser() -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(ROUNDS):
                milestone_reschedule(actor=people.merch, milestone_id=booking.pk, reason=f"forwarder {n}",
                                     expected_date=order.ex_factory_date + dt.timedelta(days=1 + n))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def finance() -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(ROUNDS):
                receipt_record(actor=people.finance, customer_id=order.customer_id, currency=order.currency_id,
                               amount="10.00", received_on=dt.date.today(), bank_reference=f"FT-C{n}",
                               allocations=[{"order_id": order.pk, "amount": "10.00"}])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=merchandiser), threading.Thread(target=finance)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    booking.refresh_from_db()
    order.refresh_from_db()
    assert booking.version == 1 + ROUNDS
    assert booking.expected_date == order.ex_factory_date + dt.timedelta(days=ROUNDS)
    assert order.delay_notices.get(status="draft").new_date == booking.expected_date
    assert order.received_amount == deposit + 10 * ROUNDS
