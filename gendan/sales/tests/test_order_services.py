"""The order spine through its services, beside the same steps through HTTP (test_pages.py) and
the API: create, confirm with and without the customer's confirmations, the deposit rule on
release, the balance rule on shipment, hold and resume, cancel after money came in, close. Each
test asserts what a user notices: the state, the numbers, the timeline's rows, the refusal's
code and status — and that a refused step changed nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError
from gendan.core.events import timeline_for
from gendan.production.services.release import order_release_production
from gendan.sales.models import SalesOrder
from gendan.sales.services.confirmations import order_confirm
from gendan.sales.services.lifecycle import order_cancel, order_close, order_hold, order_resume
from gendan.sales.services.orders import order_create
from gendan.shipping.services import order_ship
from tests.factories import SalesOrderFactory, mug_lines, pay, record_confirmations, ship_everything

pytestmark = pytest.mark.django_db

S = SalesOrder.Status


def order(w, **extra) -> SalesOrder:
    return SalesOrderFactory(customer=w.customer, actor=w.merch, finance=w.finance, supplier=w.factory, **extra)


def status_changes(o: SalesOrder) -> list[tuple[str, str]]:
    """The state changes on the order's timeline, oldest first."""
    return [(e.changes["status"]["old"], e.changes["status"]["new"])
            for e in reversed(timeline_for(o)) if "status" in (e.changes or {})]


def refused(call, *args, **kwargs) -> BusinessError:
    with pytest.raises(BusinessError) as caught:
        call(*args, **kwargs)
    return caught.value


def reloaded(o: SalesOrder) -> SalesOrder:
    return SalesOrder.objects.get(pk=o.pk)


def test_a_new_order_is_an_unnumbered_draft_on_the_customers_terms_with_its_total(people):
    today = timezone.localdate()
    draft = order_create(actor=people.merch, customer_id=people.customer.pk, lines=mug_lines(), data={
        "customer_po_no": "PO-4711", "customer_po_date": today, "ex_factory_date": today.replace(year=today.year + 1)})
    assert (draft.status, draft.number) == (S.DRAFT, None)
    assert (draft.payment_method, draft.deposit_percent, draft.currency_id) == ("tt_deposit_balance", 30, "USD")
    assert draft.total_amount == Decimal("1236.01")  # 1 000 × 1.235 + 3 × 0.335 (1.005 → 1.01), per line
    assert (draft.merchandiser, draft.salesperson) == (people.merch, people.sales)
    assert timeline_for(draft).count() == 1


def test_confirming_waits_for_both_confirmations_then_numbers_the_order_and_fixes_the_money(people):
    draft = order(people)
    refusal = refused(order_confirm, actor=people.merch, order_id=draft.pk)
    assert (refusal.code, refusal.status) == ("gate_written_order", 409)
    assert (reloaded(draft).status, reloaded(draft).number, status_changes(draft)) == (S.DRAFT, None, [])

    record_confirmations(draft, actor=people.merch)
    confirmed = order_confirm(actor=people.merch, order_id=draft.pk)
    assert confirmed.status == S.CONFIRMED and confirmed.number.startswith("SO")
    assert (confirmed.deposit_amount, confirmed.balance_amount) == (Decimal("370.80"), Decimal("865.21"))
    assert sorted(confirmed.plan_items.values_list("kind", "amount")) == [
        ("balance", Decimal("865.21")), ("deposit", Decimal("370.80"))]
    assert confirmed.payment_status == SalesOrder.PaymentStatus.DEPOSIT_DUE
    assert status_changes(confirmed) == [(S.DRAFT, S.CONFIRMED)]


def test_release_waits_for_the_deposit(people):
    confirmed = order(people, confirmed=True)
    assignments = [{"supplier": people.factory, "due_date": confirmed.ex_factory_date}]
    refusal = refused(order_release_production, actor=people.merch, order_id=confirmed.pk, assignments=assignments)
    assert (refusal.code, refusal.status) == ("gate_deposit", 409)
    assert reloaded(confirmed).status == S.CONFIRMED and not confirmed.production_orders.exists()

    pay(confirmed, "370.80", actor=people.finance)
    released = order_release_production(actor=people.merch, order_id=confirmed.pk, assignments=assignments)
    assert (released.status, released.production_status) == (S.IN_PRODUCTION, "released")
    assert released.production_orders.get().supplier == people.factory
    assert status_changes(released)[-1] == (S.CONFIRMED, S.IN_PRODUCTION)


def test_shipment_waits_for_the_balance_and_a_paid_shipped_order_is_completed(people):
    in_production = order(people, in_production=True)
    quantities = {line.pk: line.quantity for line in in_production.lines.all()}
    refusal = refused(order_ship, actor=people.merch, order_id=in_production.pk, shipped_on=timezone.localdate(),
                      quantities=quantities)
    assert (refusal.code, refusal.status) == ("gate_balance", 409)
    after = reloaded(in_production)
    assert (after.status, after.shipment_status) == (S.IN_PRODUCTION, "not_shipped")

    pay(in_production, "865.21", actor=people.finance, reference="FT2")
    shipment = order_ship(actor=people.merch, order_id=in_production.pk, shipped_on=timezone.localdate(),
                          quantities=quantities)
    done = reloaded(in_production)
    assert shipment.lines.count() == 2
    assert (done.status, done.shipment_status, done.payment_status) == (S.COMPLETED, "shipped", "paid")
    assert status_changes(done)[-2:] == [(S.IN_PRODUCTION, S.SHIPPED), (S.SHIPPED, S.COMPLETED)]


def test_hold_needs_a_reason_and_resume_returns_to_where_the_order_was(people):
    in_production = order(people, in_production=True)
    refusal = refused(order_hold, actor=people.merch, order_id=in_production.pk, reason=" ")
    assert (refusal.status, reloaded(in_production).status) == (400, S.IN_PRODUCTION)

    held = order_hold(actor=people.merch, order_id=in_production.pk, reason="Customer asks to wait for new artwork")
    assert (held.status, held.held_from) == (S.ON_HOLD, S.IN_PRODUCTION)
    resumed = order_resume(actor=people.merch, order_id=in_production.pk)
    assert (resumed.status, resumed.held_from) == (S.IN_PRODUCTION, "")
    assert status_changes(resumed)[-2:] == [(S.IN_PRODUCTION, S.ON_HOLD), (S.ON_HOLD, S.IN_PRODUCTION)]
    assert any(e.reason == "Customer asks to wait for new artwork" for e in timeline_for(resumed))


def test_cancelling_after_the_deposit_came_in_says_what_happens_to_the_money(people):
    in_production = order(people, in_production=True)
    reason = "Buyer went out of business"
    refusal = refused(order_cancel, actor=people.merch, order_id=in_production.pk, reason=reason)
    assert (refusal.code, refusal.status) == ("deposit_disposition_required", 400)
    assert "370.80" in str(refusal.message)
    assert reloaded(in_production).status == S.IN_PRODUCTION

    cancelled = order_cancel(actor=people.merch, order_id=in_production.pk, reason=reason, deposit_disposition="refund")
    assert (cancelled.status, cancelled.deposit_disposition, cancelled.cancel_reason) == (S.CANCELLED, "refund", reason)
    assert cancelled.received_amount == Decimal("370.80")  # the money stays recorded; finance refunds it
    assert {po.status for po in cancelled.production_orders.all()} == {"cancelled"}
    assert status_changes(cancelled)[-1] == (S.IN_PRODUCTION, S.CANCELLED)


def test_an_order_shipped_before_full_payment_is_closed_only_by_a_manager_with_a_reason(people):
    people.customer.payment_method = "tt_against_bl_copy"  # balance against the copy of the B/L
    people.customer.save(update_fields=["payment_method"])
    shipped = order(people, in_production=True)
    quantities = {line.pk: line.quantity for line in shipped.lines.all()}
    order_ship(actor=people.merch, order_id=shipped.pk, shipped_on=timezone.localdate(), quantities=quantities)
    assert reloaded(shipped).status == S.SHIPPED  # the balance is still open

    refusal = refused(order_close, actor=people.merch, order_id=shipped.pk, reason="Short payment written off")
    assert (refusal.code, refusal.status) == ("manager_only", 403)
    refusal = refused(order_close, actor=people.manager, order_id=shipped.pk, reason="")
    assert refusal.status == 400 and reloaded(shipped).status == S.SHIPPED

    closed = order_close(actor=people.manager, order_id=shipped.pk, reason="Short payment of 12.50 written off")
    assert closed.status == S.CLOSED and closed.closed_at is not None
    assert status_changes(closed)[-1] == (S.SHIPPED, S.CLOSED)


def test_a_completed_order_is_closed_by_its_merchandiser(people):
    completed = order(people, in_production=True)
    ship_everything(completed, actor=people.merch, finance=people.finance)
    assert reloaded(completed).status == S.COMPLETED
    closed = order_close(actor=people.merch, order_id=completed.pk)
    assert closed.status == S.CLOSED
