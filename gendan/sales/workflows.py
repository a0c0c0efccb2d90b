"""The sales order's and the change order's allowed status changes, one service per transition.

Read with docs/workflows/sales-order.md. A transition not in this table is refused with
``TransitionNotAllowed`` (409); nothing skips a step silently. The table is the one in the docs page
(a test keeps them equal).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.sales.models import OrderRevision, Quotation, SalesOrder

S = SalesOrder.Status

# (from, to): the service that performs it. Production release and shipment are performed by
# the apps that own them; a shipped order completes by itself once it is paid in full.
_SALES = "gendan.sales.services."
_RELEASE = "gendan.production.services.release.order_release_production"
_SHIP = "gendan.shipping.services.order_ship"
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.CONFIRMED): _SALES + "confirmations.order_confirm",
    (S.DRAFT, S.CANCELLED): _SALES + "lifecycle.order_cancel",
    (S.CONFIRMED, S.IN_PRODUCTION): _RELEASE,
    (S.IN_PRODUCTION, S.READY): _SALES + "lifecycle.order_mark_ready",
    (S.CONFIRMED, S.READY): _SALES + "lifecycle.order_mark_ready",  # goods from stock: nothing to produce
    (S.READY, S.SHIPPED): _SHIP,  # when the last open quantity ships
    (S.IN_PRODUCTION, S.SHIPPED): _SHIP,
    (S.SHIPPED, S.COMPLETED): _SALES + "substates.order_refresh_substates",  # paid in full after shipment
    (S.COMPLETED, S.CLOSED): _SALES + "lifecycle.order_close",
    (S.SHIPPED, S.CLOSED): _SALES + "lifecycle.order_close",  # manager closes with an explained shortfall
    (S.CONFIRMED, S.ON_HOLD): _SALES + "lifecycle.order_hold",
    (S.IN_PRODUCTION, S.ON_HOLD): _SALES + "lifecycle.order_hold",
    (S.READY, S.ON_HOLD): _SALES + "lifecycle.order_hold",
    (S.ON_HOLD, S.CONFIRMED): _SALES + "lifecycle.order_resume",
    (S.ON_HOLD, S.IN_PRODUCTION): _SALES + "lifecycle.order_resume",
    (S.ON_HOLD, S.READY): _SALES + "lifecycle.order_resume",
    (S.CONFIRMED, S.CANCELLED): _SALES + "lifecycle.order_cancel",
    (S.IN_PRODUCTION, S.CANCELLED): _SALES + "lifecycle.order_cancel",
    (S.READY, S.CANCELLED): _SALES + "lifecycle.order_cancel",
    (S.ON_HOLD, S.CANCELLED): _SALES + "lifecycle.order_cancel",
}

ORDER = Workflow("sales_order", SalesOrder, transitions=TRANSITIONS, label=_("order"))

# A change order (revision N+1) is created waiting for the customer (``order_revise``); it
# takes effect with the customer's written and phone confirmation, or is withdrawn.
R = OrderRevision.Status
REVISION = Workflow("order_revision", OrderRevision, doc="sales-order", label=_("change order"), transitions={
    (R.PENDING, R.EFFECTIVE): _SALES + "revisions.order_revision_apply",
    (R.PENDING, R.WITHDRAWN): _SALES + "revisions.order_revision_withdraw",
})

# States in which the order's lines and terms may still be edited directly.
EDITABLE = {S.DRAFT}
# States in which a change order (new revision) may be raised.
REVISABLE = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.ON_HOLD}
# States where the order is finished with, for lists of "open" orders.
OPEN = {S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.SHIPPED, S.ON_HOLD}


# The quotation (docs/workflows/quotation.md): sent to the customer, then accepted (which makes
# the draft order in the same step), rejected, or expired by the daily job after its validity date.
Q = Quotation.Status
QUOTATION = Workflow("quotation", Quotation, label=_("quotation"), transitions={
    (Q.DRAFT, Q.SENT): _SALES + "quotations.quotation_send",
    (Q.SENT, Q.ACCEPTED): _SALES + "quotations.quotation_accept",
    (Q.SENT, Q.REJECTED): _SALES + "quotations.quotation_reject",
    (Q.SENT, Q.EXPIRED): _SALES + "quotations.quotations_expire",
})
