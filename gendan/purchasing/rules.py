"""Guards of purchasing: may this happen now, and if not, why not. The page's buttons, the
services and the tests ask the same functions (``core.guards``: a ``Check``, refused by the
service with ``refuse``; the purchase order's states come from its workflow table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.catalog.models import BomLine
from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.production.models import ProductionOrder
from gendan.purchasing.errors import PurchasingError
from gendan.purchasing.models import PurchaseOrder
from gendan.purchasing.workflows import EDITABLE, PURCHASE_ORDER, WITH_SUPPLIER

P = PurchaseOrder.Status
STATE = CoreError.TRANSITION_NOT_ALLOWED


def _forbidden(perm: str) -> Check:
    return no(CoreError.FORBIDDEN, _("Your role may not do this (%(perm)s).") % {"perm": perm})


def bom_confirm_check(production_order: ProductionOrder, *, user=None) -> Check:
    if user is not None and not user.has_perm("purchasing.confirm_bom"):
        return _forbidden("purchasing.confirm_bom")
    if production_order.status in (ProductionOrder.Status.CANCELLED, ProductionOrder.Status.CLOSED):
        return no(STATE, _("The production order is %(status)s.") % {
            "status": production_order.get_status_display()})
    if hasattr(production_order, "bom_confirmation"):
        return no(PurchasingError.ALREADY_CONFIRMED, _("The BOM of %(po)s is already confirmed.") % {"po": production_order})
    products = [line.order_line.product_id for line in production_order.lines.all() if line.order_line.product_id]
    if not products or not BomLine.objects.filter(product_id__in=products).exists():
        return no(PurchasingError.NO_BOM, _("BOM rule: none of the products of %(po)s has a bill of materials in the "
                                            "catalog; enter the BOM on the product first.") % {"po": production_order})
    return OK


def edit_check(purchase_order: PurchaseOrder) -> Check:
    if purchase_order.status not in EDITABLE:
        return no(PurchasingError.NOT_EDITABLE, _("Purchase order %(po)s went to the supplier: its lines can no "
                                                  "longer change (cancel it and order again).") % {"po": purchase_order})
    return OK


def send_check(purchase_order: PurchaseOrder) -> Check:
    if not PURCHASE_ORDER.can(purchase_order, P.SENT):
        return no(STATE, _("Only a draft purchase order can be sent."))
    if not purchase_order.lines.all():
        return no(PurchasingError.EMPTY, _("The purchase order has no lines."))
    return OK


def confirm_check(purchase_order: PurchaseOrder, *, etas_complete: bool = True) -> Check:
    """The supplier's confirmation; with ``etas_complete`` also that every line has its ETA
    (the button does not ask: its form is where the ETAs are entered)."""
    if not PURCHASE_ORDER.can(purchase_order, P.CONFIRMED):
        return no(STATE, _("Only a purchase order sent to the supplier can be confirmed."))
    if not etas_complete:
        return OK
    missing = [str(line.line_no) for line in purchase_order.lines.all() if line.eta is None]
    if missing:
        return no(PurchasingError.ETA_MISSING, _("The supplier's confirmation commits an ETA for every line; lines "
                                                 "%(lines)s have none.") % {"lines": ", ".join(missing)})
    return OK


def receive_check(purchase_order: PurchaseOrder) -> Check:
    if purchase_order.status not in WITH_SUPPLIER:
        return no(STATE, _("Goods can be received only on a purchase order sent to the "
                           "supplier and not fully received (now: %(status)s).") % {
            "status": purchase_order.get_status_display()})
    return OK


def note_check(purchase_order: PurchaseOrder) -> Check:
    if purchase_order.status not in WITH_SUPPLIER:
        return no(STATE, _("Progress is noted while the supplier is delivering."))
    return OK


def close_check(purchase_order: PurchaseOrder) -> Check:
    if not PURCHASE_ORDER.can(purchase_order, P.CLOSED):
        return no(STATE, _("Only a received or partly received purchase order can be closed."))
    return OK


def cancel_check(purchase_order: PurchaseOrder) -> Check:
    if not PURCHASE_ORDER.can(purchase_order, P.CANCELLED):
        return no(STATE, _("A purchase order with goods received cannot be cancelled; close it instead."))
    return OK


def purchase_order_actions(*, user, purchase_order: PurchaseOrder) -> dict[str, Check]:
    """``{action: Check}`` for the buttons of the purchase order's page."""
    perm = "purchasing.change_purchaseorder"

    def guarded(check) -> Check:
        return check() if user.has_perm(perm) else _forbidden(perm)

    return {
        "edit": guarded(lambda: edit_check(purchase_order)),
        "send": guarded(lambda: send_check(purchase_order)),
        "confirm": guarded(lambda: confirm_check(purchase_order, etas_complete=False)),
        "receive": guarded(lambda: receive_check(purchase_order)),
        "note": guarded(lambda: note_check(purchase_order)),
        "close": guarded(lambda: close_check(purchase_order)),
        "cancel": guarded(lambda: cancel_check(purchase_order)),
    }
