"""Which action buttons the order page shows, and why a shown one is disabled.

Nothing here decides a rule: "may it happen now, and if not why" comes from
``sales.actions.order_actions`` — the guards the services re-check and the API reports.
This module only decides *visibility*: an action the user's role may not do is not shown;
an action that does not belong to the order's state is not shown; an action that belongs to
the state but is refused by a rule is shown disabled with the rule's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from gendan.sales import rules
from gendan.sales.actions import order_actions
from gendan.sales.models import OrderRevision, SalesOrder
from gendan.sales.workflows import REVISABLE

S = SalesOrder.Status
_FINISHED = (S.CANCELLED, S.CLOSED)

@dataclass(frozen=True)
class Button:
    allowed: bool
    reason: str = ""


def pending_revision(order: SalesOrder) -> OrderRevision | None:
    return next((r for r in order.revisions.all() if r.status == OrderRevision.Status.PENDING), None)


def _relevant(order: SalesOrder, checks: dict[str, rules.Check]) -> dict[str, bool]:
    """Whether each action belongs on the page of an order in its present state."""
    plan = {item.kind: item for item in order.plan_items.all()}
    pending = pending_revision(order) is not None
    payable = order.status not in (S.DRAFT, *_FINISHED)
    return {
        "update": order.status == S.DRAFT,
        "confirm": order.status == S.DRAFT,
        "record_confirmation": order.status == S.DRAFT or pending,
        "issue_pi": order.status not in _FINISHED,
        "issue_contract": order.status not in _FINISHED and order.currency_id == "CNY",
        "request_deposit": payable and "deposit" in plan and not plan["deposit"].is_paid,
        "request_balance": payable and "balance" in plan and not plan["balance"].is_paid,
        "release_production": order.status == S.CONFIRMED,
        # Only while the rule holds the order back: a manager's way past it.
        "override_deposit": checks["override_deposit"].allowed,
        "override_balance": checks["override_balance"].allowed,
        "override_inspection": checks["override_inspection"].allowed,
        # From a confirmed order ("goods from stock") only when it may; from production always.
        "mark_ready": order.status == S.IN_PRODUCTION or (order.status == S.CONFIRMED
                                                          and checks["mark_ready"].allowed),
        "ship": order.status in (S.IN_PRODUCTION, S.READY),
        "release_original_bl": order.shipment_status != SalesOrder.ShipmentStatus.NOT_SHIPPED
        and not order.original_bl_released_at and order.status != S.CANCELLED,
        "hold": rules.simple_transition_check(order, S.ON_HOLD).allowed,
        "resume": order.status == S.ON_HOLD,
        "cancel": rules.simple_transition_check(order, S.CANCELLED).allowed,
        "close": rules.simple_transition_check(order, S.CLOSED).allowed,
        "revise": order.status in REVISABLE,
        "apply_revision": pending,
        "withdraw_revision": pending,
    }


def order_buttons(*, user, order: SalesOrder) -> dict[str, Button]:
    """Return ``{action: Button}`` for the actions to show on ``order``'s page.

    ``order`` comes from ``order_get_for_user`` (the guards read its prefetched rows)."""
    checks = order_actions(user=user, order=order)
    relevant = _relevant(order, checks)
    # "forbidden" = the role may not do it at all (sales.actions checks the service's permission).
    return {
        action: Button(check.allowed, check.reason)
        for action, check in checks.items()
        if relevant.get(action) and check.code != "forbidden"
    }
