"""Which action buttons the order page shows, and why a shown one is disabled.

Nothing here decides a rule: "may it happen now, and if not why" comes from
``sales.actions.order_actions`` — the guards the services re-check and the API reports.
This module only decides *visibility*: an action the user's role may not do is not shown;
an action that does not belong to the order's state is not shown (each action's ``shown``,
declared where the action is registered); an action that belongs to the state but is refused
by a rule is shown disabled with the rule's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from gendan.core.errors import CoreError
from gendan.sales.actions import order_actions, registered
from gendan.sales.models import SalesOrder


@dataclass(frozen=True)
class Button:
    allowed: bool
    reason: str = ""


def order_buttons(*, user, order: SalesOrder) -> dict[str, Button]:
    """Return ``{action: Button}`` for the actions to show on ``order``'s page.

    ``order`` comes from ``order_get_for_user`` (the guards read its prefetched rows)."""
    checks = order_actions(user=user, order=order)
    # "forbidden" = the role may not do it at all (sales.actions checks the service's permission).
    return {
        action.key: Button(checks[action.key].allowed, checks[action.key].reason)
        for action in registered()
        if checks[action.key].code != CoreError.FORBIDDEN and action.shown(order, checks)
    }
