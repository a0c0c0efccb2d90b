"""Which actions a user may take on an order now, and why not — an extension point.

Each action is one service's use case, behind the permission the service requires, asking
the guard the service re-checks under the row lock. The order's own actions are declared
here; the apps that act on an order register theirs in their ``AppConfig.ready`` (finance:
``request_deposit`` / ``request_balance``; production: ``release_production``; shipping:
``ship``, ``release_original_bl``)::

    actions.register("ship", perm="sales.ship_salesorder", check=lambda user, order: shipment_check(order),
                     shown=lambda order, checks: order.status in (S.IN_PRODUCTION, S.READY), rank=80)

A gate a manager may override (``sales.gates``) gets its ``override_<gate>`` action by itself.
The order page uses ``order_actions`` for its buttons (``shown`` decides whether a button
belongs on the page of an order in its state) and the API for ``allowed_actions``. Nothing here
decides a rule; it only asks the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import CoreError
from gendan.core.guards import Check, no
from gendan.sales import rules
from gendan.sales.models import SalesOrder
from gendan.sales.services.documents import document_issue_check
from gendan.sales.workflows import REVISABLE

S = SalesOrder.Status
_FINISHED = (S.CANCELLED, S.CLOSED)


@dataclass(frozen=True)
class OrderAction:
    key: str
    perm: str  # the permission the service requires
    check: Callable[[User, SalesOrder], Check]  # the guard the service re-checks
    shown: Callable[[SalesOrder, dict[str, Check]], bool]  # does its button belong on the page now?
    rank: int = 50


_ACTIONS: dict[str, OrderAction] = {}


def register(key: str, *, perm: str, check: Callable[[User, SalesOrder], Check],
             shown: Callable[[SalesOrder, dict[str, Check]], bool] | None = None, rank: int = 50) -> None:
    """Add (or replace, when ``ready()`` runs twice) the action ``key``. ``shown(order, checks)``
    says whether its button belongs on the page of ``order`` as it stands (default: always)."""
    _ACTIONS[key] = OrderAction(key, perm, check, shown or (lambda order, checks: True), rank)


def registered() -> list[OrderAction]:
    """Every action, the overrides of the registered gates included, in rank order."""
    overrides = [
        OrderAction(f"override_{key}", "sales.override_gate",
                    lambda user, order, key=key: rules.override_check(order, key),
                    # Only while the rule holds the order back: a manager's way past it.
                    lambda order, checks, key=key: checks[f"override_{key}"].allowed, 140 + index)
        for index, key in enumerate(rules.overridable_gates())
    ]
    return sorted([*_ACTIONS.values(), *overrides], key=lambda a: (a.rank, a.key))


def order_actions(*, user: User, order: SalesOrder) -> dict[str, Check]:
    """Return ``{action: Check}`` for every action on the order ("forbidden" when the user's
    role may not do it at all).

    ``order`` should come from ``order_get_for_user`` (its prefetches are used)."""
    checks = {}
    for action in registered():
        if not user.has_perm(action.perm):
            checks[action.key] = no(CoreError.FORBIDDEN,
                                    _("Your role may not do this (%(perm)s).") % {"perm": action.perm})
        else:
            checks[action.key] = action.check(user, order)
    return checks


# --- the order's own actions ---------------------------------------------------------------------


def _is_manager(user: User) -> bool:
    return user.has_perm("sales.override_gate")


def _awaits_approval(order: SalesOrder) -> bool:
    pending = rules.pending_revision(order)
    return pending is not None and pending.approved_by_id is None and bool(rules.revision_loosened(order, pending))


register("update", perm="sales.change_salesorder", rank=10,
         check=lambda user, order: rules.update_check(order),
         shown=lambda order, checks: order.status == S.DRAFT)
register("record_confirmation", perm="sales.confirm_salesorder", rank=20,
         check=lambda user, order: rules.confirmation_check(order),
         shown=lambda order, checks: order.status == S.DRAFT or rules.pending_revision(order) is not None)
register("confirm", perm="sales.confirm_salesorder", rank=30,
         check=lambda user, order: rules.confirm_check(order),
         shown=lambda order, checks: order.status == S.DRAFT)
register("mark_ready", perm="sales.release_production", rank=70,
         check=lambda user, order: rules.ready_check(order),
         # From a confirmed order ("goods from stock") only when it may; from production always.
         shown=lambda order, checks: order.status == S.IN_PRODUCTION or (
             order.status == S.CONFIRMED and checks["mark_ready"].allowed))
register("hold", perm="sales.close_salesorder", rank=100,
         check=lambda user, order: rules.simple_transition_check(order, S.ON_HOLD),
         shown=lambda order, checks: rules.simple_transition_check(order, S.ON_HOLD).allowed)
register("resume", perm="sales.close_salesorder", rank=110,
         check=lambda user, order: rules.resume_check(order),
         shown=lambda order, checks: order.status == S.ON_HOLD)
register("cancel", perm="sales.close_salesorder", rank=120,
         check=lambda user, order: rules.cancel_check(order),
         shown=lambda order, checks: rules.simple_transition_check(order, S.CANCELLED).allowed)
register("close", perm="sales.close_salesorder", rank=130,
         check=lambda user, order: rules.close_check(order, is_manager=_is_manager(user)),
         shown=lambda order, checks: rules.simple_transition_check(order, S.CLOSED).allowed)
register("issue_pi", perm="sales.confirm_salesorder", rank=170,
         check=lambda user, order: document_issue_check(order, "pi"),
         shown=lambda order, checks: order.status not in _FINISHED)
register("issue_contract", perm="sales.confirm_salesorder", rank=180,
         check=lambda user, order: document_issue_check(order, "contract"),
         shown=lambda order, checks: order.status not in _FINISHED and order.currency_id == "CNY")
register("revise", perm="sales.change_salesorder", rank=190,
         check=lambda user, order: rules.revise_check(order),
         shown=lambda order, checks: order.status in REVISABLE)
register("apply_revision", perm="sales.confirm_salesorder", rank=200,
         check=lambda user, order: rules.revision_apply_check(order),
         shown=lambda order, checks: rules.pending_revision(order) is not None)
register("approve_revision", perm="sales.approve_money_terms", rank=195,
         check=lambda user, order: rules.revision_approve_check(user, order),
         # While a pending change order loosens the money terms and waits for the approval.
         shown=lambda order, checks: _awaits_approval(order))
register("withdraw_revision", perm="sales.change_salesorder", rank=210,
         check=lambda user, order: rules.revision_withdraw_check(order),
         shown=lambda order, checks: rules.pending_revision(order) is not None)
