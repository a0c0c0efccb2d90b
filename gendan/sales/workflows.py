"""The sales order's allowed status changes, one service per transition (sales/services/).

Read with docs/workflows/sales-order.md. A transition not in this table is refused with
``TransitionNotAllowed`` (409); nothing skips a step silently. The table is the one in the docs page
(a test keeps them equal).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.sales.models import SalesOrder

S = SalesOrder.Status

# (from, to): the service that performs it
_SERVICES = "gendan.sales.services.orders."
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.CONFIRMED): _SERVICES + "order_confirm",
    (S.DRAFT, S.CANCELLED): _SERVICES + "order_cancel",
    (S.CONFIRMED, S.IN_PRODUCTION): _SERVICES + "order_release_production",
    (S.IN_PRODUCTION, S.READY): _SERVICES + "order_mark_ready",
    (S.CONFIRMED, S.READY): _SERVICES + "order_mark_ready",  # goods from stock: nothing to produce
    (S.READY, S.SHIPPED): _SERVICES + "order_ship",  # when the last open quantity ships
    (S.IN_PRODUCTION, S.SHIPPED): _SERVICES + "order_ship",
    (S.SHIPPED, S.COMPLETED): _SERVICES + "order_refresh_substates",  # paid in full after shipment
    (S.COMPLETED, S.SHIPPED): _SERVICES + "order_refresh_substates",  # a receipt allocation was reversed
    (S.COMPLETED, S.CLOSED): _SERVICES + "order_close",
    (S.SHIPPED, S.CLOSED): _SERVICES + "order_close",  # manager closes with an explained shortfall
    (S.CONFIRMED, S.ON_HOLD): _SERVICES + "order_hold",
    (S.IN_PRODUCTION, S.ON_HOLD): _SERVICES + "order_hold",
    (S.READY, S.ON_HOLD): _SERVICES + "order_hold",
    (S.ON_HOLD, S.CONFIRMED): _SERVICES + "order_resume",
    (S.ON_HOLD, S.IN_PRODUCTION): _SERVICES + "order_resume",
    (S.ON_HOLD, S.READY): _SERVICES + "order_resume",
    (S.CONFIRMED, S.CANCELLED): _SERVICES + "order_cancel",
    (S.IN_PRODUCTION, S.CANCELLED): _SERVICES + "order_cancel",
    (S.READY, S.CANCELLED): _SERVICES + "order_cancel",
    (S.ON_HOLD, S.CANCELLED): _SERVICES + "order_cancel",
}

ORDER = Workflow("sales_order", SalesOrder, transitions=TRANSITIONS, label=_("order"))

# States in which the order's lines and terms may still be edited directly.
EDITABLE = {S.DRAFT}
# States in which a change order (new revision) may be raised.
REVISABLE = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.ON_HOLD}
# States where the order is finished with, for lists of "open" orders.
OPEN = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.SHIPPED, S.ON_HOLD}


can_transition = ORDER.can
check_transition = ORDER.ensure
