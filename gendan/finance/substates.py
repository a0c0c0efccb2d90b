"""The order's payment sub-state, derived from the money allocated to it (``sales.substates``).

``received_amount(order)`` sums the allocations; ``plan_items_spread`` spreads that money over
the payment plan, deposit first; ``payment_status(order)`` is the pure function of the order's
amounts that names the state (the demo builders use it too). ``order_payment_refresh`` is what
``order_refresh_substates`` runs under the order's lock.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from gendan.finance.models import PaymentPlanItem
from gendan.sales import substates
from gendan.sales.models import SalesOrder

S = SalesOrder.Status
P = SalesOrder.PaymentStatus


def received_amount(order: SalesOrder) -> Decimal:
    """The money allocated to ``order``, in its currency."""
    return order.allocations.aggregate(s=Sum("order_amount"))["s"] or Decimal("0")


def plan_items_spread(order: SalesOrder, received: Decimal) -> None:
    """Spread ``received`` over the order's instalments, deposit first, and save them."""
    remaining = received
    for item in sorted(order.plan_items.all(), key=lambda i: i.kind != PaymentPlanItem.Kind.DEPOSIT):
        spread = min(remaining, item.amount)
        remaining -= spread
        if item.received_amount != spread:  # unchanged (most refreshes): nothing to write
            item.received_amount = spread
            item.save(update_fields=["received_amount"])


def payment_status(order: SalesOrder) -> str:
    """The payment sub-state from the order's status, total, deposit and money received."""
    received, total, deposit = order.received_amount, order.total_amount, order.deposit_amount
    if order.status == S.DRAFT or (order.status == S.CANCELLED and received == 0):
        return P.NONE_DUE  # nothing is owed on a cancelled order; money received keeps its state
    if received > total:
        return P.OVERPAID
    if total > 0 and received >= total:
        return P.PAID
    if deposit > 0 and received < deposit:
        return P.DEPOSIT_PARTIAL if received > 0 else P.DEPOSIT_DUE
    if received > deposit:
        return P.BALANCE_PARTIAL
    return P.DEPOSIT_RECEIVED if deposit > 0 else P.NONE_DUE


def order_payment_refresh(order: SalesOrder) -> None:
    """Set ``received_amount`` and ``payment_status`` on the locked order (not saved) and the
    money received on its instalments (saved)."""
    order.received_amount = received_amount(order)
    plan_items_spread(order, order.received_amount)
    order.payment_status = payment_status(order)


def register() -> None:
    substates.register("payment", fields=("received_amount", "payment_status"), refresh=order_payment_refresh,
                       rank=10)
