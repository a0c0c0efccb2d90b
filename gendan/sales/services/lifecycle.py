"""The order's own transitions after confirming: ready, hold, resume, cancel, close; and a
manager's override of a gate. (The original B/L is released by shipping:
``shipping.services.bills.order_release_bills`` / ``bill_release``.)

Production release and shipment are performed by the apps that own them
(``production.services.release``, ``shipping.services``); completing a shipped order that is
paid in full is derived (``substates.py``). Each transition publishes its event
(``sales.events``): production cancels its open orders on ``OrderCancelled``, the T&A closes the
plan on ``OrderCancelled`` / ``OrderClosed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import Check, reason_required, refuse, require
from gendan.core.money import format_amount
from gendan.sales import rules
from gendan.sales.errors import SalesError
from gendan.sales.events import (
    GateOverridden,
    OrderCancelled,
    OrderClosed,
    OrderHeld,
    OrderMarkedReady,
    OrderResumed,
    OrderStatusChanged,
)
from gendan.sales.gates import ORDER_GATES
from gendan.sales.models import SalesOrder
from gendan.sales.readiness import unfinished_text, unfinished_work
from gendan.sales.services.orders import lock_order
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.workflows import ORDER

S = SalesOrder.Status


def order_transition(*, actor: User, order: SalesOrder, to: str, event: type[OrderStatusChanged],
                     reason: str = "", extra: Mapping[str, Any] | None = None) -> SalesOrder:
    """Move the locked ``order`` to ``to`` (the workflow table must allow it), set ``extra``
    fields, publish ``event`` and refresh the sub-states. The caller has checked its guard.
    Call inside the transaction holding the order lock."""
    old = order.status
    ORDER.move(order, to)
    for name, value in (extra or {}).items():
        setattr(order, name, value)
    order.version += 1
    order.save()
    publish(event(actor=actor, order=order, reason=reason, changes={"status": {"old": old, "new": to}}))
    order_refresh_substates(order, actor=actor)
    return order


def _transition(*, actor: User, order_id: int, to: str, event: type[OrderStatusChanged],
                check: Callable[[SalesOrder], Check], reason: str = "", extra: Mapping[str, Any] | None = None,
                expected_version: int | None = None) -> SalesOrder:
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(check(order))
        return order_transition(actor=actor, order=order, to=to, event=event, reason=reason,
                                extra=extra(order) if callable(extra) else extra)


def order_mark_ready(*, actor: User, order_id: int, reason: str = "",
                     expected_version: int | None = None) -> SalesOrder:
    """Goods are finished and packed (or taken from stock): the order waits for shipment.
    From a confirmed order this skips production release, so the release's gates apply. While
    production is not finished (``sales.readiness``: a production order on hold, produced less
    than ordered) only with a reason, which goes on the timeline with what was unfinished."""
    require(actor, "sales.release_production")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.ready_check(order))
        unfinished = unfinished_work(order)
        if unfinished:
            listed = unfinished_text(unfinished)
            reason = reason_required(reason, _("marking the order ready while production is not finished (%(list)s)")
                                     % {"list": listed})
            reason = (_("%(reason)s — production not finished: %(list)s") % {"reason": reason, "list": listed})
        else:
            reason = (reason or "").strip()
        return order_transition(actor=actor, order=order, to=S.READY, event=OrderMarkedReady, reason=reason[:1000])


def order_hold(*, actor: User, order_id: int, reason: str, expected_version: int | None = None) -> SalesOrder:
    require(actor, "sales.close_salesorder")
    reason = reason_required(reason, _("putting the order on hold"))
    return _transition(actor=actor, order_id=order_id, to=S.ON_HOLD, event=OrderHeld, reason=reason,
                       check=lambda o: rules.simple_transition_check(o, S.ON_HOLD),
                       extra=lambda o: {"held_from": o.status}, expected_version=expected_version)


def order_resume(*, actor: User, order_id: int, reason: str = "", expected_version: int | None = None
                 ) -> SalesOrder:
    """Resume an order on hold to the state it was in."""
    require(actor, "sales.close_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.resume_check(order))
        return order_transition(actor=actor, order=order, to=order.held_from or S.CONFIRMED, event=OrderResumed,
                                reason=reason, extra={"held_from": ""})


def order_cancel(*, actor: User, order_id: int, reason: str, deposit_disposition: str = "",
                 expected_version: int | None = None) -> SalesOrder:
    """Cancel an order. If money was received, say what happens to it (refund, credit, retain).
    Production cancels the open production orders and the T&A closes the plan (``OrderCancelled``)."""
    require(actor, "sales.close_salesorder")
    reason = reason_required(reason, _("cancelling the order"))
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.cancel_check(order))
        if order.received_amount > 0:
            valid = {c for c in SalesOrder.DepositDisposition.values if c}
            if deposit_disposition not in valid:
                msg = _("%(amount)s %(currency)s has been received on this order: choose whether to refund it, "
                        "keep it as credit or retain it.") % {
                    "amount": format_amount(order.received_amount, order.currency_id), "currency": order.currency_id}
                raise ValidationFailed(msg, code=SalesError.DEPOSIT_DISPOSITION_REQUIRED,
                                       fields={"deposit_disposition": msg})
        else:
            deposit_disposition = ""
        return order_transition(actor=actor, order=order, to=S.CANCELLED, event=OrderCancelled, reason=reason,
                                extra={"cancel_reason": reason, "deposit_disposition": deposit_disposition})


def order_close(*, actor: User, order_id: int, reason: str = "", expected_version: int | None = None
                ) -> SalesOrder:
    """Archive a completed order. A shipped but not fully paid order closes only by a manager,
    with the reason (e.g. a written-off short payment). The T&A closes the plan (``OrderClosed``)."""
    require(actor, "sales.close_salesorder")
    is_manager = actor.has_perm("sales.override_gate")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.close_check(order, is_manager=is_manager))
        if order.status == S.SHIPPED:
            reason = reason_required(reason, _("closing an order that is not paid in full"))
        return order_transition(actor=actor, order=order, to=S.CLOSED, event=OrderClosed, reason=reason,
                                extra={"closed_at": timezone.now()})


def order_override_gate(*, actor: User, order_id: int, gate: str, reason: str,
                        expected_version: int | None = None) -> SalesOrder:
    """A manager lets an order pass a gate (the deposit, the balance or the inspection rule …),
    with a written reason."""
    require(actor, "sales.override_gate")
    reason = reason_required(reason, _("overriding the rule"))
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.override_check(order, gate))
        found = ORDER_GATES.get(gate)
        field = found.override_field
        setattr(order, field, True)
        order.version += 1
        order.save(update_fields=[field, "version", "updated_at"])
        publish(GateOverridden(actor=actor, order=order, reason=reason, rule=str(found.label),
                               changes={field: {"old": "0", "new": "1"}}))
    return order
