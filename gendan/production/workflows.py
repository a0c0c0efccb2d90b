"""The production order's allowed status changes, one service per transition
(``production/services/transitions.py``).

Read with docs/workflows/production-order.md (a test keeps its table equal to this one). A
transition not in this table is refused with ``TransitionNotAllowed`` (409); nothing skips a
step silently. The guards (``production.rules``) ask the table, not lists of states.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.production.models import ProductionOrder, ProductionOrderVersion

P = ProductionOrder.Status
V = ProductionOrderVersion.Reack

# (from, to): the service that performs it
_SERVICES = "gendan.production.services.transitions."
_VERSIONS = "gendan.production.services.versions."
TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, P.ISSUED): _SERVICES + "production_order_issue",  # PDF numbered, stored and emailed
    (P.ISSUED, P.ACCEPTED): _SERVICES + "production_order_accept",  # the factory commits to a due date
    (P.ACCEPTED, P.IN_PRODUCTION): _SERVICES + "production_order_start",  # the gates (first article) or an override
    (P.IN_PRODUCTION, P.FINISHED): _SERVICES + "production_order_finish",  # all produced, or short with a reason
    (P.FINISHED, P.CLOSED): _SERVICES + "production_order_close",
    (P.ISSUED, P.ON_HOLD): _SERVICES + "production_order_hold",
    (P.ACCEPTED, P.ON_HOLD): _SERVICES + "production_order_hold",
    (P.IN_PRODUCTION, P.ON_HOLD): _SERVICES + "production_order_hold",
    (P.ON_HOLD, P.ISSUED): _SERVICES + "production_order_resume",  # back to where it was held from
    (P.ON_HOLD, P.ACCEPTED): _SERVICES + "production_order_resume",
    (P.ON_HOLD, P.IN_PRODUCTION): _SERVICES + "production_order_resume",
    (P.DRAFT, P.CANCELLED): _SERVICES + "production_order_cancel",
    (P.ISSUED, P.CANCELLED): _SERVICES + "production_order_cancel",
    (P.ACCEPTED, P.CANCELLED): _SERVICES + "production_order_cancel",
    (P.IN_PRODUCTION, P.CANCELLED): _SERVICES + "production_order_cancel",  # only while nothing is produced
    (P.ON_HOLD, P.CANCELLED): _SERVICES + "production_order_cancel",
    # a change order re-issues it as a new version (PDF e-mailed); the factory acknowledges it again
    (P.ISSUED, P.AWAITING_REACK): _VERSIONS + "production_orders_reissue_for_revision",
    (P.ACCEPTED, P.AWAITING_REACK): _VERSIONS + "production_orders_reissue_for_revision",
    (P.IN_PRODUCTION, P.AWAITING_REACK): _VERSIONS + "production_orders_reissue_for_revision",
    (P.AWAITING_REACK, P.ACCEPTED): _VERSIONS + "production_order_reacknowledge",  # back from issued / accepted
    (P.AWAITING_REACK, P.IN_PRODUCTION): _VERSIONS + "production_order_reacknowledge",  # back to where it was
    (P.AWAITING_REACK, P.ON_HOLD): _SERVICES + "production_order_hold",
    (P.ON_HOLD, P.AWAITING_REACK): _SERVICES + "production_order_resume",
    (P.AWAITING_REACK, P.CANCELLED): _SERVICES + "production_order_cancel",
}

PRODUCTION_ORDER = Workflow("production_order", ProductionOrder, transitions=TRANSITIONS,
                            label=_("production order"))

# The draft is the only state whose lines, dates, costs, sign-off and distribution may be edited.
EDITABLE = {P.DRAFT}
# States in which the production order still holds quantity that is not produced: those the
# table lets it be cancelled from.
OPEN = PRODUCTION_ORDER.sources(P.CANCELLED)
# States that count as "started" for the sales order's production status.
STARTED = {P.IN_PRODUCTION, P.FINISHED, P.CLOSED}
DONE = {P.FINISHED, P.CLOSED}
# States a production order may be put on hold from (and resumes to).
HOLDABLE = PRODUCTION_ORDER.sources(P.ON_HOLD)
# Issued or accepted: on the way to the start, while the first-article rule may be overridden.
BEFORE_START = {P.ISSUED, P.ACCEPTED}

# Production orders a change order re-issues as a new version (the others are only flagged).
REISSUABLE = {P.ISSUED, P.ACCEPTED, P.IN_PRODUCTION, P.AWAITING_REACK}

# The factory's re-acknowledgement of a re-issued version: accepted, or refused with a reason (it
# stays open and is chased); a later version supersedes an open one.
VERSION = Workflow("production_order_version", ProductionOrderVersion, state_field="reack_status", transitions={
    (V.AWAITING, V.ACCEPTED): _VERSIONS + "production_order_reacknowledge",
    (V.AWAITING, V.REFUSED): _VERSIONS + "production_order_reack_refuse",
    (V.REFUSED, V.ACCEPTED): _VERSIONS + "production_order_reacknowledge",  # the factory agrees after all
    (V.AWAITING, V.SUPERSEDED): _VERSIONS + "production_orders_reissue_for_revision",
    (V.REFUSED, V.SUPERSEDED): _VERSIONS + "production_orders_reissue_for_revision",
}, label=_("re-acknowledgement"), doc="production-order")
REACK_OPEN = VERSION.sources(V.ACCEPTED)

can_transition = PRODUCTION_ORDER.can
check_transition = PRODUCTION_ORDER.ensure
