"""The purchase order's allowed status changes, one service per transition
(``purchasing/services/orders.py``, ``purchasing/services/receipts.py``).

Read with docs/workflows/purchasing.md (the table there is this one; a test keeps them equal). A
transition not in this table is refused with ``TransitionNotAllowed`` (409). Material
requirements have no typed-in status: theirs is derived from what is ordered and received
(``requirement_status``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.purchasing.models import PurchaseOrder, PurchaseOrderVersion

P = PurchaseOrder.Status
V = PurchaseOrderVersion.Reack

# (from, to): the service that performs it
_ORDERS = "gendan.purchasing.services.orders."
_RECEIPTS = "gendan.purchasing.services.receipts."
TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, P.SENT): _ORDERS + "purchase_order_send",
    (P.SENT, P.CONFIRMED): _ORDERS + "purchase_order_confirm",  # the supplier committed an ETA for every line
    (P.SENT, P.PARTLY_RECEIVED): _RECEIPTS + "goods_receive",  # goods came before the confirmation did
    (P.SENT, P.RECEIVED): _RECEIPTS + "goods_receive",
    (P.CONFIRMED, P.PARTLY_RECEIVED): _RECEIPTS + "goods_receive",
    (P.CONFIRMED, P.RECEIVED): _RECEIPTS + "goods_receive",
    (P.PARTLY_RECEIVED, P.RECEIVED): _RECEIPTS + "goods_receive",
    (P.RECEIVED, P.CLOSED): _ORDERS + "purchase_order_close",
    (P.PARTLY_RECEIVED, P.CLOSED): _ORDERS + "purchase_order_close",  # the rest will not come: short-closed
    (P.DRAFT, P.CANCELLED): _ORDERS + "purchase_order_cancel",
    (P.SENT, P.CANCELLED): _ORDERS + "purchase_order_cancel",
    (P.CONFIRMED, P.CANCELLED): _ORDERS + "purchase_order_cancel",
}

PURCHASE_ORDER = Workflow("purchase_order", PurchaseOrder, transitions=TRANSITIONS, label=_("purchase order"),
                          doc="purchasing")

# Lines, prices and quantities may be edited only while the order is a draft (not a transition).
EDITABLE = {P.DRAFT}
# The supplier has the order and goods are still expected: the states goods may be received in,
# so progress may be noted and the order counts as open ("late" lists).
WITH_SUPPLIER = PURCHASE_ORDER.sources(P.PARTLY_RECEIVED, P.RECEIVED)
OPEN = WITH_SUPPLIER

# The supplier's re-acknowledgement of a version a change order re-issued: accepted (with a new
# ETA if it moved), or refused with a reason (it stays open and is chased); a later version
# supersedes an open one. The purchase order's own status does not change.
_VERSIONS = "gendan.purchasing.services.versions."
VERSION = Workflow("purchase_order_version", PurchaseOrderVersion, state_field="reack_status", transitions={
    (V.AWAITING, V.ACCEPTED): _VERSIONS + "purchase_order_reacknowledge",
    (V.AWAITING, V.REFUSED): _VERSIONS + "purchase_order_reack_refuse",
    (V.REFUSED, V.ACCEPTED): _VERSIONS + "purchase_order_reacknowledge",  # the supplier agrees after all
    (V.AWAITING, V.SUPERSEDED): _VERSIONS + "purchase_orders_reissue_for_production_order",
    (V.REFUSED, V.SUPERSEDED): _VERSIONS + "purchase_orders_reissue_for_production_order",
}, label=_("re-acknowledgement"), doc="purchasing")
REACK_OPEN = VERSION.sources(V.ACCEPTED)
# Purchase orders a change re-issues: with the supplier, goods still expected.
REISSUABLE = {P.SENT, P.CONFIRMED, P.PARTLY_RECEIVED}

can_transition = PURCHASE_ORDER.can
check_transition = PURCHASE_ORDER.ensure
