"""The sales order's allowed status changes, one service per transition (sales/services/).

Read with docs/workflows/sales-order.md. A transition not in this table is refused with
``TransitionNotAllowed``; nothing skips a step silently.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import TransitionNotAllowed
from gendan.sales.models import SalesOrder

S = SalesOrder.Status

# (from, to): the service that performs it
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.CONFIRMED): "order_confirm",
    (S.DRAFT, S.CANCELLED): "order_cancel",
    (S.CONFIRMED, S.IN_PRODUCTION): "order_release_production",
    (S.IN_PRODUCTION, S.READY): "order_mark_ready",
    (S.CONFIRMED, S.READY): "order_mark_ready",  # goods from stock: nothing to produce
    (S.READY, S.SHIPPED): "order_ship",  # when the last open quantity ships
    (S.IN_PRODUCTION, S.SHIPPED): "order_ship",
    (S.SHIPPED, S.COMPLETED): "order_refresh_substates",  # paid in full after shipment
    (S.COMPLETED, S.SHIPPED): "order_refresh_substates",  # a receipt allocation was reversed
    (S.COMPLETED, S.CLOSED): "order_close",
    (S.SHIPPED, S.CLOSED): "order_close",  # manager closes with an explained shortfall
    (S.CONFIRMED, S.ON_HOLD): "order_hold",
    (S.IN_PRODUCTION, S.ON_HOLD): "order_hold",
    (S.READY, S.ON_HOLD): "order_hold",
    (S.ON_HOLD, S.CONFIRMED): "order_resume",
    (S.ON_HOLD, S.IN_PRODUCTION): "order_resume",
    (S.ON_HOLD, S.READY): "order_resume",
    (S.CONFIRMED, S.CANCELLED): "order_cancel",
    (S.IN_PRODUCTION, S.CANCELLED): "order_cancel",
    (S.READY, S.CANCELLED): "order_cancel",
    (S.ON_HOLD, S.CANCELLED): "order_cancel",
}

# States in which the order's lines and terms may still be edited directly.
EDITABLE = {S.DRAFT}
# States in which a change order (new revision) may be raised.
REVISABLE = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.ON_HOLD}
# States where the order is finished with, for lists of "open" orders.
OPEN = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.SHIPPED, S.ON_HOLD}


def can_transition(order: SalesOrder, to: str) -> bool:
    return (order.status, to) in TRANSITIONS


def check_transition(order: SalesOrder, to: str) -> None:
    """Raise ``TransitionNotAllowed`` (409) unless the table allows ``order.status → to``."""
    if not can_transition(order, to):
        raise TransitionNotAllowed(
            _("An order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": SalesOrder.Status(order.status).label, "target": SalesOrder.Status(to).label}
        )
