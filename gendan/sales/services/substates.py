"""The order's derived sub-states: recomputed, never typed in.

The payment, production and shipment statuses follow the money allocated to the order, its
production orders and its shipments. The apps that own those register the pure function
that derives each (``sales.substates``); this module runs them under the order's lock,
takes the automatic shipped → completed step and tells the other apps when the deposit or the
whole order has just been paid (``DepositReceived``, ``BalanceReceived``).
"""

from __future__ import annotations

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.sales.events import BalanceReceived, DepositReceived, OrderCompleted
from gendan.sales.models import SalesOrder
from gendan.sales.rules import deposit_received
from gendan.sales.substates import substates
from gendan.sales.workflows import ORDER

S = SalesOrder.Status
P = SalesOrder.PaymentStatus
# Payment statuses in which the deposit is covered, and those of an order paid in full.
DEPOSIT_COVERED = {P.DEPOSIT_RECEIVED, P.BALANCE_PARTIAL, P.PAID, P.OVERPAID}
PAID = {P.PAID, P.OVERPAID}


def order_refresh_substates(order: SalesOrder, *, actor: User | None = None, also: tuple[str, ...] = ()
                            ) -> SalesOrder:
    """Recompute money received and the payment / production / shipment sub-states from
    receipts, production orders and shipments, and complete a shipped order that is paid in
    full. Call inside the transaction holding the order lock, after every change of what the
    sub-states follow. ``also``: other fields the caller changed on the order, saved in the
    same UPDATE."""
    old_status, old_payment = order.status, order.payment_status
    fields: list[str] = []
    for substate in substates():
        substate.refresh(order)
        fields += substate.fields
    paid = order.payment_status in PAID
    if order.status == S.SHIPPED and paid:
        ORDER.move(order, S.COMPLETED)
    order.save(update_fields=list(dict.fromkeys([*fields, *also, "status", "updated_at"])))
    if order.deposit_amount > 0 and deposit_received(order) and old_payment not in DEPOSIT_COVERED:
        publish(DepositReceived(actor=actor, order=order))
    if paid and old_payment not in PAID:
        publish(BalanceReceived(actor=actor, order=order))
    if order.status != old_status:
        publish(OrderCompleted(actor=actor, order=order, changes={"status": {"old": old_status, "new": order.status}}))
    return order
