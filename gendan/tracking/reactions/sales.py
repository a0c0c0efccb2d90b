"""What the T&A does when a sales order moves (``sales.events``), in the same transaction:

- confirmed → the plan is made from its template and "PO received" is completed;
- PI / contract issued → "PI confirmed"; released to production → "production released";
- the deposit, then the whole order, paid → "deposit received", "balance received";
- a change order in effect → the open milestones are re-planned from the order's new dates;
- completed (shipped and paid in full), closed or cancelled → the plan closes: its open
  milestones are skipped with that reason and its risk is cleared (a completed or closed order
  keeps its after-sales check-ins; a cancelled one has none to make).

Milestones completed by an event with a timeline row link to it (``event.record``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.sales.events import (
    BalanceReceived,
    DepositReceived,
    DocumentIssued,
    OrderCancelled,
    OrderClosed,
    OrderCompleted,
    OrderConfirmed,
    OrderReleasedToProduction,
    OrderRevisionApplied,
)
from gendan.tracking.hooks import Milestone, milestone_reached
from gendan.tracking.services.milestones import milestones_complete_from_event
from gendan.tracking.services.plans import (
    PlanEnd,
    plan_close,
    plan_cutoff_forget,
    plan_generate_with_milestones,
    plan_replan,
)


def on_order_confirmed(event: OrderConfirmed) -> None:
    # Finance has derived the payment plan already (it subscribes at stage SETTLE, this at REACT): an order
    # without a deposit gets its deposit milestone skipped.
    # The plan just made and its milestones, in hand: "PO received" is completed without reading them again.
    plan, milestones = plan_generate_with_milestones(order=event.order, actor=event.actor)
    milestones_complete_from_event(order=event.order, key=Milestone.PO_RECEIVED, actor=event.actor,
                                   event=event.record, plan=plan, milestones=milestones)
    plan_cutoff_forget(plan)


def on_document_issued(event: DocumentIssued) -> None:
    milestone_reached(order=event.order, key=Milestone.PI_CONFIRMED, actor=event.actor, event=event.record)


def on_order_released(event: OrderReleasedToProduction) -> None:
    milestone_reached(order=event.order, key=Milestone.PRODUCTION_RELEASED, actor=event.actor, event=event.record)


def on_deposit_received(event: DepositReceived) -> None:
    milestone_reached(order=event.order, key=Milestone.DEPOSIT_RECEIVED, actor=event.actor)


def on_balance_received(event: BalanceReceived) -> None:
    milestone_reached(order=event.order, key=Milestone.BALANCE_RECEIVED, actor=event.actor)


def on_order_revision_applied(event: OrderRevisionApplied) -> None:
    plan_replan(order=event.order, actor=event.actor,
                reason=_("change order rev. %(n)d") % {"n": event.revision.revision_no})


def on_order_cancelled(event: OrderCancelled) -> None:
    plan_close(order=event.order, actor=event.actor, end=PlanEnd.CANCELLED, reason=event.reason)


def on_order_completed(event: OrderCompleted) -> None:
    plan_close(order=event.order, actor=event.actor, end=PlanEnd.COMPLETED)


def on_order_closed(event: OrderClosed) -> None:
    milestone_reached(order=event.order, key=Milestone.CLOSED, actor=event.actor)
    plan_close(order=event.order, actor=event.actor, end=PlanEnd.CLOSED)


subscribe(OrderConfirmed, on_order_confirmed)
subscribe(DocumentIssued, on_document_issued)
subscribe(OrderReleasedToProduction, on_order_released)
subscribe(DepositReceived, on_deposit_received)
subscribe(BalanceReceived, on_balance_received)
subscribe(OrderRevisionApplied, on_order_revision_applied)
subscribe(OrderCancelled, on_order_cancelled)
subscribe(OrderCompleted, on_order_completed)
subscribe(OrderClosed, on_order_closed)
