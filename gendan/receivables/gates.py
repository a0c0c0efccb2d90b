"""The rules receivables plugs into the sales order (``sales.gates.ORDER_GATES``):

- **credit_hold**: a customer on credit hold — the last dunning level, or finance by hand — has no
  new order confirmed (CONFIRM), no goods released (SHIP) and no original documents released
  (RELEASE_ORIGINAL_BL) until finance lifts the hold. Not overridable on the order: finance lifts
  it on the customer.
- **credit_limit**: confirming an order that takes the customer's exposure over its credit limit
  needs a manager's approval of that order (``CreditLimitApproval``), which the check reads.

Registered by ``hooks_dunning.register`` (``ReceivablesConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.gates import Gate
from gendan.receivables.services.credit import credit_hold_blocked_q, credit_hold_check, credit_limit_check
from gendan.sales.gates import CONFIRM, ORDER_GATES, RELEASE_ORIGINAL_BL, SHIP


def register() -> None:
    ORDER_GATES.register(Gate(
        key="credit_hold", actions={CONFIRM, SHIP, RELEASE_ORIGINAL_BL}, check=credit_hold_check,
        label=gettext_noop("credit hold"), blocked_q=credit_hold_blocked_q, rank=5))
    ORDER_GATES.register(Gate(
        key="credit_limit", actions={CONFIRM}, check=credit_limit_check, label=gettext_noop("credit limit"),
        rank=6))
