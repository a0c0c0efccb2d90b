"""Issuing the PI (English proforma invoice) and the 购销合同 (Chinese sales contract) of an order.

A document number is allocated once per order and kind; every re-issue (after a change order)
is a new version of the same number (``PI2611-0007``, ``PI2611-0007-R1`` …). Old versions stay
archived and downloadable; exactly one version per kind is current.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import OK, Check, no, refuse, require
from gendan.core.money import format_money
from gendan.core.numbering import number_next
from gendan.sales.errors import SalesError
from gendan.sales.events import DocumentIssued
from gendan.sales.models import OrderDocument, SalesOrder
from gendan.sales.pdf import render_order_document
from gendan.sales.services.orders import lock_order

SEQUENCE = {OrderDocument.Kind.PROFORMA_INVOICE: "proforma_invoice",
            OrderDocument.Kind.SALES_CONTRACT: "sales_contract"}
_ISSUABLE = {SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY,
             SalesOrder.Status.SHIPPED, SalesOrder.Status.ON_HOLD}


def _settled(order: SalesOrder) -> bool:
    """Shipped (or completed) and paid in full: the customer's documents are final."""
    return order.status == SalesOrder.Status.COMPLETED or (
        order.status == SalesOrder.Status.SHIPPED and order.total_amount > 0
        and order.received_amount >= order.total_amount)


def document_issue_check(order: SalesOrder, kind: str) -> Check:
    """May the document ``kind`` (PI or contract) be issued for ``order`` now? Not for a draft,
    and no more once the order is shipped and paid: a new version would replace the document the
    customer paid against, for nothing."""
    if _settled(order):
        return no(SalesError.DOCUMENT_NOT_ISSUABLE, _(
            "Order %(order)s is shipped and paid in full: its %(kind)s is final and is not issued again.") % {
            "order": order, "kind": OrderDocument.Kind(kind).label if kind in OrderDocument.Kind.values else kind})
    if order.status not in _ISSUABLE:
        return no(SalesError.DOCUMENT_NOT_ISSUABLE, _("Documents are issued for confirmed orders only."))
    if kind == OrderDocument.Kind.SALES_CONTRACT and order.currency_id != "CNY":
        return no(SalesError.DOCUMENT_NOT_ISSUABLE,
                  _("The Chinese sales contract (购销合同) is for domestic orders in CNY; issue a PI instead."))
    return OK


def _issue(*, actor: User, order: SalesOrder, kind: str) -> OrderDocument:
    refuse(document_issue_check(order, kind))
    previous = order.documents.select_for_update().filter(kind=kind).order_by("-version").first()
    number = previous.number if previous else number_next(code=SEQUENCE[kind])
    version = previous.version + 1 if previous else 1
    order.documents.filter(kind=kind, is_current=True).update(is_current=False)
    document = OrderDocument(order=order, kind=kind, number=number, version=version, revision_no=order.revision_no,
                             total_amount=order.total_amount, currency_id=order.currency_id,
                             issued_at=timezone.now(), issued_by=actor, is_current=True)
    pdf = render_order_document(order=order, document=document)
    document.file.save(f"{document.display_number}.pdf", ContentFile(pdf), save=False)
    document.save()
    publish(DocumentIssued(actor=actor, order=order, document=document))
    return document


def reissue_effect(order: SalesOrder, kind: str) -> str:
    """What re-issuing ``kind`` does when the order has a current version of it ("" when it has
    none): the page shows it beside the button, the service refuses without the confirmation."""
    current = current_document(order, kind)
    if current is None:
        return ""
    return _("%(number)s (issued %(date)s, %(amount)s) stops being the current version and stays in the archive; "
             "version %(next)d is issued with the order as it stands (%(total)s). Send the new version to the "
             "customer: the old one is no longer valid.") % {
        "number": current.display_number, "date": timezone.localtime(current.issued_at).date().isoformat(),
        "amount": format_money(current.total_amount, current.currency_id), "next": current.version + 1,
        "total": format_money(order.total_amount, order.currency_id)}


def document_issue(*, actor: User, order_id: int, kind: str, confirm_replace: bool = False) -> OrderDocument:
    """Issue the order's PI or contract, or re-issue it as a new PDF version — the latter only with
    ``confirm_replace`` (the person read ``reissue_effect``); refused once shipped and paid."""
    require(actor, "sales.confirm_salesorder")
    if kind not in OrderDocument.Kind.values:
        raise ValidationFailed(_("Unknown document kind."))
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(document_issue_check(order, kind))
        effect = reissue_effect(order, kind)
        if effect and not confirm_replace:
            msg = _("Confirm the re-issue: %(effect)s") % {"effect": effect}
            raise ValidationFailed(msg, code=SalesError.REISSUE_UNCONFIRMED, fields={"confirm_replace": msg})
        return _issue(actor=actor, order=order, kind=kind)


def documents_reissue(*, actor: User, order: SalesOrder) -> list[OrderDocument]:
    """Re-issue every document kind the order already has (after a change order).
    Call inside the transaction holding the order lock."""
    kinds = list(order.documents.filter(is_current=True).values_list("kind", flat=True))
    return [_issue(actor=actor, order=order, kind=kind) for kind in kinds]


def current_document(order: SalesOrder, kind: str = OrderDocument.Kind.PROFORMA_INVOICE) -> OrderDocument | None:
    return next((d for d in order.documents.all() if d.kind == kind and d.is_current), None)
