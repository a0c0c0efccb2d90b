"""The purchase order's allowed status changes, one service per transition
(``purchasing/services/orders.py``, ``purchasing/services/receipts.py``).

Read with docs/workflows/purchasing.md. A transition not in this table is refused with
``TransitionNotAllowed``. Material requirements have no typed-in status: theirs is derived
from what is ordered and received (``requirement_status``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import TransitionNotAllowed
from gendan.purchasing.models import PurchaseOrder

P = PurchaseOrder.Status

# (from, to): the service that performs it
TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, P.SENT): "purchase_order_send",
    (P.SENT, P.CONFIRMED): "purchase_order_confirm",  # the supplier committed an ETA for every line
    (P.SENT, P.PARTLY_RECEIVED): "goods_receive",  # goods came before the confirmation did
    (P.SENT, P.RECEIVED): "goods_receive",
    (P.CONFIRMED, P.PARTLY_RECEIVED): "goods_receive",
    (P.CONFIRMED, P.RECEIVED): "goods_receive",
    (P.PARTLY_RECEIVED, P.RECEIVED): "goods_receive",
    (P.RECEIVED, P.CLOSED): "purchase_order_close",
    (P.PARTLY_RECEIVED, P.CLOSED): "purchase_order_close",  # the rest will not come: short-closed with a reason
    (P.DRAFT, P.CANCELLED): "purchase_order_cancel",
    (P.SENT, P.CANCELLED): "purchase_order_cancel",
    (P.CONFIRMED, P.CANCELLED): "purchase_order_cancel",
}

# Lines, prices and quantities may be edited only while the order is a draft.
EDITABLE = {P.DRAFT}
# The supplier has the order: goods may be received and progress noted.
WITH_SUPPLIER = {P.SENT, P.CONFIRMED, P.PARTLY_RECEIVED}
# Orders whose goods are still expected (for "late" lists).
OPEN = {P.SENT, P.CONFIRMED, P.PARTLY_RECEIVED}


def can_transition(purchase_order: PurchaseOrder, to: str) -> bool:
    return (purchase_order.status, to) in TRANSITIONS


def check_transition(purchase_order: PurchaseOrder, to: str) -> None:
    """Raise ``TransitionNotAllowed`` (409) unless the table allows ``status → to``."""
    if not can_transition(purchase_order, to):
        raise TransitionNotAllowed(
            _("A purchase order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": P(purchase_order.status).label, "target": P(to).label})
