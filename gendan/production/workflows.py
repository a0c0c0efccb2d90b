"""The production order's allowed status changes, one service per transition (production/services.py).

Read with docs/workflows/production-order.md. A transition not in this table is refused with
``TransitionNotAllowed``; nothing skips a step silently.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import TransitionNotAllowed
from gendan.production.models import ProductionOrder

P = ProductionOrder.Status

# (from, to): the service that performs it
TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, P.ISSUED): "production_order_issue",  # PDF numbered, stored and emailed
    (P.ISSUED, P.ACCEPTED): "production_order_accept",  # the factory commits to a due date
    (P.ACCEPTED, P.IN_PRODUCTION): "production_order_start",  # first-article rule (or a manager's override)
    (P.IN_PRODUCTION, P.FINISHED): "production_order_finish",  # all produced, or short with a reason
    (P.FINISHED, P.CLOSED): "production_order_close",
    (P.ISSUED, P.ON_HOLD): "production_order_hold",
    (P.ACCEPTED, P.ON_HOLD): "production_order_hold",
    (P.IN_PRODUCTION, P.ON_HOLD): "production_order_hold",
    (P.ON_HOLD, P.ISSUED): "production_order_resume",  # back to where it was held from
    (P.ON_HOLD, P.ACCEPTED): "production_order_resume",
    (P.ON_HOLD, P.IN_PRODUCTION): "production_order_resume",
    (P.DRAFT, P.CANCELLED): "production_order_cancel",
    (P.ISSUED, P.CANCELLED): "production_order_cancel",
    (P.ACCEPTED, P.CANCELLED): "production_order_cancel",
    (P.IN_PRODUCTION, P.CANCELLED): "production_order_cancel",  # only while nothing is produced
    (P.ON_HOLD, P.CANCELLED): "production_order_cancel",
}

# The draft is the only state whose lines, dates, costs, sign-off and distribution may be edited.
EDITABLE = {P.DRAFT}
# States in which the production order still holds quantity that is not produced.
OPEN = {P.DRAFT, P.ISSUED, P.ACCEPTED, P.IN_PRODUCTION, P.ON_HOLD}
# States that count as "started" for the sales order's production status.
STARTED = {P.IN_PRODUCTION, P.FINISHED, P.CLOSED}
DONE = {P.FINISHED, P.CLOSED}


def can_transition(production_order: ProductionOrder, to: str) -> bool:
    return (production_order.status, to) in TRANSITIONS


def check_transition(production_order: ProductionOrder, to: str) -> None:
    """Raise ``TransitionNotAllowed`` (409) unless the table allows ``status → to``."""
    if not can_transition(production_order, to):
        raise TransitionNotAllowed(transition_refusal(production_order, to))


def transition_refusal(production_order: ProductionOrder, to: str) -> str:
    return _("A production order that is “%(current)s” cannot become “%(target)s”.") % {
        "current": P(production_order.status).label, "target": P(to).label}
