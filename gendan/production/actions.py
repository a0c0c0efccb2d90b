"""Which steps a user may take on a production order now, and why not — for the page's buttons.

Composed from the guards in ``production.rules`` (the services re-check them under the lock),
each behind the permission the service requires. An action the user's role may not do is
hidden (code ``forbidden``); one that does not belong to the state is hidden; one that belongs
to the state but is refused by a rule is shown disabled with the rule's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import Check, no
from gendan.production import rules
from gendan.production.errors import ProductionError
from gendan.production.models import ProductionOrder
from gendan.production.selectors import may_edit
from gendan.production.workflows import BEFORE_START, HOLDABLE, OPEN

P = ProductionOrder.Status


def production_order_actions(*, user, production_order: ProductionOrder) -> dict[str, Check]:
    """Return ``{action: Check}`` for the actions that belong to the production order's state."""
    po = production_order
    owner = may_edit(user, po.sales_order)

    def guarded(perm: str, check, *, needs_owner: bool = True) -> Check:
        if not user.has_perm(perm) or (needs_owner and not owner):
            return no(CoreError.FORBIDDEN, _("Your role may not do this (%(perm)s).") % {"perm": perm})
        return check()

    change = "production.change_productionorder"
    relevant = {
        "edit": po.status == P.DRAFT,
        "issue": po.status == P.DRAFT,
        "accept": po.status == P.ISSUED,
        "override_first_article": po.status in BEFORE_START and not po.first_article_override
        and not rules.first_article(po).allowed,
        "start": po.status == P.ACCEPTED,
        "finish": po.status == P.IN_PRODUCTION,
        "close": po.status == P.FINISHED,
        "hold": po.status in HOLDABLE,
        "resume": po.status == P.ON_HOLD,
        "cancel": po.status in OPEN,
        "reack_accept": po.status == P.AWAITING_REACK,
        "reack_refuse": po.status == P.AWAITING_REACK,
    }
    checks = {
        "edit": lambda: guarded(change, lambda: rules.edit_check(po)),
        "issue": lambda: guarded(change, lambda: rules.issue_check(po)),
        "accept": lambda: guarded(change, lambda: rules.accept_check(po)),
        "override_first_article": lambda: guarded("production.override_first_article",
                                                  lambda: rules.override_first_article_check(po), needs_owner=False),
        "start": lambda: guarded(change, lambda: rules.start_check(po)),
        "finish": lambda: guarded(change, lambda: _finish(user, po)),
        "close": lambda: guarded(change, lambda: rules.close_check(po)),
        "hold": lambda: guarded(change, lambda: rules.hold_check(po)),
        "resume": lambda: guarded(change, lambda: rules.resume_check(po)),
        "cancel": lambda: guarded(change, lambda: rules.cancel_check(po)),
        "reack_accept": lambda: guarded(change, lambda: rules.reack_check(po)),
        "reack_refuse": lambda: guarded(change, lambda: rules.reack_check(po)),
    }
    return {action: check() for action, check in checks.items() if relevant[action]}


def _finish(user, po: ProductionOrder) -> Check:
    """Short production is a refusal for most, a question of a reason for a manager or planner."""
    check = rules.finish_check(po)
    if check.code == ProductionError.SHORT_PRODUCTION and user.has_perm("production.finish_short"):
        return Check(True, check.reason, check.code)
    return check


@dataclass(frozen=True)
class Button:
    """A shown button: enabled, or disabled with the reason (no truth value, unlike ``Check``,
    so the template shows a disabled one)."""

    allowed: bool
    reason: str = ""
    code: str = ""


def production_order_buttons(*, user, production_order: ProductionOrder) -> dict[str, Button]:
    """The buttons of the production order's page: every action of its state the role may do."""
    return {action: Button(check.allowed, check.reason, check.code)
            for action, check in production_order_actions(user=user, production_order=production_order).items()
            if check.code != CoreError.FORBIDDEN}
