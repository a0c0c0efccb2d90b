"""The money rules finance plugs into a sales order (``sales.gates.ORDER_GATES``).

- **deposit**: production is not released — nor goods taken from stock — before finance has
  confirmed the deposit due under the terms (received ≥ deposit).
- **balance**: under terms that want payment before shipment (T/T in advance, balance before
  shipment) the goods leave only after the balance; under "against copy of B/L" the original
  B/L is released only after it (``balance_original_bl``, overridden together with ``balance``).

A manager may override either with a written reason (``order_override_gate``); the override
sets the order's ``production_gate_override`` / ``shipment_gate_override``. Registered in
``FinanceConfig.ready``.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.core.errors import CoreError
from gendan.core.gates import Gate
from gendan.core.guards import OK, Check, no
from gendan.core.money import format_money
from gendan.finance.errors import FinanceError
from gendan.sales.errors import SalesError
from gendan.sales.gates import MARK_READY, ORDER_GATES, RELEASE_ORIGINAL_BL, RELEASE_PRODUCTION, SHIP
from gendan.sales.models import SalesOrder
from gendan.sales.rules import balance_paid, deposit_received
from gendan.sales.terms import SHIP_BEFORE_BALANCE, original_bl_requires_balance, shipment_requires_balance

S = SalesOrder.Status


# --- deposit --------------------------------------------------------------------------------


def deposit_check(order: SalesOrder) -> Check:
    if deposit_received(order):
        return OK
    return no(FinanceError.GATE_DEPOSIT, _(
        "Deposit rule: production cannot be released before finance confirms the deposit. "
        "Due %(due)s, received %(received)s, missing %(missing)s."
    ) % {"due": format_money(order.deposit_amount, order.currency_id),
         "received": format_money(order.received_amount, order.currency_id),
         "missing": format_money(order.deposit_amount - order.received_amount, order.currency_id)})


def deposit_override_check(order: SalesOrder) -> Check:
    if order.production_gate_override:
        return no(SalesError.ALREADY_OVERRIDDEN, _("The deposit rule is already overridden for this order."))
    if order.status not in (S.CONFIRMED, S.ON_HOLD):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("The deposit rule applies before production release."))
    if deposit_received(order):
        return no(SalesError.NOT_BLOCKED, _("The deposit has been received; nothing to override."))
    return OK


def deposit_blocked_q() -> Q:
    """Confirmed orders whose deposit is not received, without an override."""
    return Q(status=S.CONFIRMED, production_gate_override=False, received_amount__lt=F("deposit_amount"))


# --- balance --------------------------------------------------------------------------------


def _missing(order: SalesOrder) -> str:
    return format_money(order.total_amount - order.received_amount, order.currency_id)


def balance_check(order: SalesOrder) -> Check:
    """May the goods leave before the balance is received, under the order's terms?"""
    if not shipment_requires_balance(order.payment_method) or balance_paid(order):
        return OK
    return no(FinanceError.GATE_BALANCE, _(
        "Balance rule: under “%(terms)s” goods are released only after full payment. "
        "Total %(total)s, received %(received)s, missing %(missing)s."
    ) % {"terms": order.get_payment_method_display(),
         "total": format_money(order.total_amount, order.currency_id),
         "received": format_money(order.received_amount, order.currency_id),
         "missing": _missing(order)})


def balance_original_bl_check(order: SalesOrder) -> Check:
    """May the original B/L go to the customer before the balance is received?"""
    if not original_bl_requires_balance(order.payment_method) or balance_paid(order):
        return OK
    return no(FinanceError.GATE_BALANCE, _(
        "Balance rule: under “against copy of B/L” the original B/L is released only after the balance. "
        "Missing %(missing)s."
    ) % {"missing": _missing(order)})


def balance_override_check(order: SalesOrder) -> Check:
    if order.shipment_gate_override:
        return no(SalesError.ALREADY_OVERRIDDEN, _("The balance rule is already overridden for this order."))
    if order.status in (S.DRAFT, S.CANCELLED, S.CLOSED, S.COMPLETED):
        return no(CoreError.TRANSITION_NOT_ALLOWED,
                  _("The balance rule applies to orders being produced or shipped."))
    if balance_paid(order):
        return no(SalesError.NOT_BLOCKED, _("The order is paid in full; nothing to override."))
    if not shipment_requires_balance(order.payment_method) and not original_bl_requires_balance(
            order.payment_method):
        return no(SalesError.NOT_BLOCKED, _("These payment terms allow shipment before the balance."))
    return OK


def balance_blocked_q() -> Q:
    """Orders in production or ready whose terms want the balance first, not paid, no override."""
    return (Q(status__in=[S.IN_PRODUCTION, S.READY], shipment_gate_override=False,
              received_amount__lt=F("total_amount"))
            & ~Q(payment_method__in=list(SHIP_BEFORE_BALANCE)))


def register() -> None:
    """Plug the deposit and balance rules into the order (``FinanceConfig.ready``)."""
    ORDER_GATES.register(Gate(
        key="deposit", actions={RELEASE_PRODUCTION, MARK_READY}, check=deposit_check,
        label=gettext_noop("deposit rule"), override_field="production_gate_override",
        override_check=deposit_override_check, blocked_q=deposit_blocked_q, rank=10))
    ORDER_GATES.register(Gate(
        key="balance", actions={SHIP}, check=balance_check,
        label=gettext_noop("balance rule"), override_field="shipment_gate_override",
        override_check=balance_override_check, blocked_q=balance_blocked_q, rank=10))
    # The same rule on the original B/L: one override (``balance``) lets both pass.
    ORDER_GATES.register(Gate(
        key="balance_original_bl", actions={RELEASE_ORIGINAL_BL}, check=balance_original_bl_check,
        label=gettext_noop("balance rule"), override_field="shipment_gate_override", rank=10))
