"""The sales order's and the change order's workflow tables (sales.workflows.ORDER, REVISION)
hold: every move they forbid is refused with 409 through the real service and changes nothing.
(That each edge names a service that exists, and that the tables equal
docs/workflows/sales-order.md, is checked for every workflow in core.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError, TransitionNotAllowed
from gendan.production.services.release import order_release_production
from gendan.sales.models import OrderRevision, SalesOrder
from gendan.sales.services import confirmations, lifecycle
from gendan.sales.services.revisions import order_revise, order_revision_apply, order_revision_withdraw
from gendan.sales.tests.conftest import (
    make_confirmed,
    make_draft,
    make_in_production,
    pay,
    record_confirmations,
)
from gendan.sales.workflows import ORDER, REVISION
from gendan.shipping.services import order_ship
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db

R = OrderRevision.Status
S = SalesOrder.Status


# --- the change order --------------------------------------------------------------------------


def _revision_in(people, state: str) -> OrderRevision:
    order = make_confirmed(people)
    revision = order_revise(actor=people.merch, order_id=order.pk, data={"shipping_marks": "NORD / HAMBURG / C/NO. 1-UP"}, lines=None,
                            reason="Customer asks for new marks")
    if state == R.EFFECTIVE:
        record_confirmations(people, order)
        order_revision_apply(actor=people.merch, order_id=order.pk)
    elif state == R.WITHDRAWN:
        order_revision_withdraw(actor=people.merch, order_id=order.pk, reason="Customer changed their mind")
    revision.refresh_from_db()
    return revision


def test_a_change_order_that_took_effect_or_was_withdrawn_no_longer_moves(people):
    tried = assert_forbidden_edges_refused(REVISION, make=lambda state: _revision_in(people, state), attempt={
        R.EFFECTIVE: lambda r: order_revision_apply(actor=people.merch, order_id=r.order_id),
        R.WITHDRAWN: lambda r: order_revision_withdraw(actor=people.merch, order_id=r.order_id, reason="again"),
    })
    assert tried == 2  # effective → withdrawn, withdrawn → effective (nothing moves back to pending)


def test_a_change_order_takes_effect_only_with_both_confirmations(people):
    revision = _revision_in(people, R.PENDING)
    assert REVISION.targets(R.PENDING) == {R.EFFECTIVE, R.WITHDRAWN}
    with pytest.raises(BusinessError) as refused:
        order_revision_apply(actor=people.merch, order_id=revision.order_id)
    assert (refused.value.code, refused.value.status) == ("gate_change", 409)
    revision.refresh_from_db()
    assert revision.status == R.PENDING


# --- the order ---------------------------------------------------------------------------------


def _order_in(people, state: str) -> SalesOrder:
    if state == S.DRAFT:
        return make_draft(people)
    if state == S.CONFIRMED:
        return make_confirmed(people)
    order = make_in_production(people)
    if state == S.ON_HOLD:
        return lifecycle.order_hold(actor=people.manager, order_id=order.pk, reason="Customer asked to wait")
    if state == S.READY:
        return lifecycle.order_mark_ready(actor=people.merch, order_id=order.pk,
                                          reason="Factory shipped, progress report to follow")
    if state in (S.SHIPPED, S.COMPLETED, S.CLOSED):
        if state == S.SHIPPED:  # shipped, not paid in full: a manager lets it go before the balance
            lifecycle.order_override_gate(actor=people.manager, order_id=order.pk, gate="balance",
                                          reason="Long-standing customer")
        else:
            pay(people, order, str(order.total_amount - order.received_amount))  # each its own reference
        order_ship(actor=people.merch, order_id=order.pk, shipped_on=timezone.localdate(),
                   quantities={line.pk: line.quantity for line in order.lines.all()})
        if state == S.CLOSED:
            lifecycle.order_close(actor=people.merch, order_id=order.pk)
        order.refresh_from_db()
        return order
    if state == S.CANCELLED:
        return lifecycle.order_cancel(actor=people.manager, order_id=order.pk, reason="Customer went bankrupt",
                                      deposit_disposition="credit")
    return order


def test_every_move_the_order_table_forbids_is_refused(people):
    due = timezone.localdate() + dt.timedelta(days=30)
    tried = assert_forbidden_edges_refused(ORDER, make=lambda state: _order_in(people, state), attempt={
        S.CONFIRMED: lambda o: confirmations.order_confirm(actor=people.manager, order_id=o.pk),
        S.IN_PRODUCTION: lambda o: order_release_production(
            actor=people.manager, order_id=o.pk,
            assignments=[{"supplier": people.factory, "due_date": due, "lines": {}}]),
        S.READY: lambda o: lifecycle.order_mark_ready(actor=people.manager, order_id=o.pk),
        S.ON_HOLD: lambda o: lifecycle.order_hold(actor=people.manager, order_id=o.pk, reason="wait a week"),
        S.CANCELLED: lambda o: lifecycle.order_cancel(actor=people.manager, order_id=o.pk, reason="no longer needed",
                                                      deposit_disposition="credit"),
        S.CLOSED: lambda o: lifecycle.order_close(actor=people.manager, order_id=o.pk, reason="written off"),
    }, states={S.DRAFT, S.CONFIRMED, S.READY, S.SHIPPED, S.COMPLETED, S.CLOSED, S.CANCELLED})
    assert tried >= 20


def test_a_completed_order_stays_completed(people):
    order = _order_in(people, S.COMPLETED)
    assert order.status == S.COMPLETED and order.received_amount == order.total_amount
    assert not ORDER.allows(S.COMPLETED, S.SHIPPED)
    with pytest.raises(TransitionNotAllowed):
        ORDER.ensure(order, S.SHIPPED)
