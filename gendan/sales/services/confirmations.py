"""The customer's confirmations of an order and confirming the draft.

A draft is confirmed only once the customer's written order (a file that really is a PDF, image,
e-mail or Office document: ``rules.written_order_file_check``) and a phone call checking
it are recorded for its revision (the written-order gate, no override); a change order takes
effect under the same rule (``revisions.py``). Confirming numbers the order and fixes its
total; finance derives the payment plan and the T&A makes the plan, hearing ``OrderConfirmed``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.guards import Check, no, refuse, require
from gendan.core.numbering import number_next
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add
from gendan.sales import rules
from gendan.sales.errors import SalesError
from gendan.sales.events import OrderConfirmed, PhoneConfirmationRecorded, WrittenConfirmationRecorded
from gendan.sales.models import Confirmation, SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.workflows import ORDER

S = SalesOrder.Status


def _revision_awaiting_confirmation(order: SalesOrder) -> int:
    """The revision a new confirmation belongs to: the draft itself, or a pending change order."""
    refuse(rules.confirmation_check(order))
    if order.status == S.DRAFT:
        return order.revision_no
    return rules.pending_revision(order).revision_no


def confirmation_record(
    *, actor: User, order_id: int, kind: str, confirmed_at: dt.datetime, upload=None, attachment_id: int | None = None,
    contact_name: str = "", phone_number: str = "", summary: str = "",
) -> Confirmation:
    """Record the customer's written order (a file) or the phone call that confirmed it."""
    require(actor, "sales.confirm_salesorder")
    if kind not in Confirmation.Kind.values:
        raise ValidationFailed(_("Choose written or verbal."), fields={"kind": _("Choose written or verbal.")})
    if confirmed_at is None or confirmed_at > timezone.now() + dt.timedelta(minutes=5):
        msg = _("The confirmation time cannot be in the future.")
        code = CoreError.VALIDATION_FAILED if confirmed_at is None else CoreError.DATE_IN_FUTURE
        raise ValidationFailed(msg, code=code, fields={"confirmed_at": msg})
    errors = {}
    if kind == Confirmation.Kind.VERBAL:
        if not contact_name.strip():
            errors["contact_name"] = _("Who confirmed on the phone?")
        if not phone_number.strip():
            errors["phone_number"] = _("Which number was called?")
        if not summary.strip():
            errors["summary"] = _("What was confirmed (items, quantities, prices, dates)?")
    elif upload is None and attachment_id is None:
        errors["file"] = _("Attach the customer's PO, fax scan, image or email (.eml).")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    if kind == Confirmation.Kind.WRITTEN and upload is not None:
        refuse(rules.written_order_file_check(upload), field="file")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        revision_no = _revision_awaiting_confirmation(order)
        attachment = None
        if kind == Confirmation.Kind.WRITTEN:
            if upload is not None:
                attachment = attachment_add(actor=actor, owner=order, upload=upload, kind=Attachment.Kind.PO,
                                            description=summary[:200] or _("customer's written order"))
            else:
                attachment = Attachment.objects.filter(pk=attachment_id, object_id=order.pk,
                                                       content_type__model="salesorder").first()
                if attachment is None:
                    raise ValidationFailed(_("That file is not attached to this order."),
                                           code=CoreError.RECORD_MISMATCH,
                                           fields={"attachment_id": _("That file is not attached to this order.")})
                refuse(_stored_written_order_check(attachment), field="file")
        confirmation = Confirmation.objects.create(
            order=order, revision_no=revision_no, kind=kind, attachment=attachment, contact_name=contact_name.strip(),
            phone_number=phone_number.strip(), confirmed_at=confirmed_at, summary=summary.strip(), recorded_by=actor,
        )
        recorded = PhoneConfirmationRecorded if kind == Confirmation.Kind.VERBAL else WrittenConfirmationRecorded
        publish(recorded(actor=actor, order=order, confirmation=confirmation))
    return confirmation


def _stored_written_order_check(attachment: Attachment) -> Check:
    """The written-order rule on a file already attached to the order (its content, as stored)."""
    try:
        with attachment.file.open("rb") as stored:
            return rules.written_order_file_check(stored)
    except (FileNotFoundError, OSError, ValueError):
        return no(SalesError.NOT_A_WRITTEN_ORDER, _("“%(name)s” is missing from the file storage; attach the "
                                                    "customer's written order again.") % {
            "name": attachment.original_name})


def order_confirm(*, actor: User, order_id: int, expected_version: int | None = None) -> SalesOrder:
    """Confirm a draft: refused until the written order and the phone confirmation are recorded.
    Confirming numbers the order and fixes its total; finance derives the payment plan and the
    T&A makes the plan (``OrderConfirmed``)."""
    require(actor, "sales.confirm_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.confirm_check(order))
        ORDER.move(order, S.CONFIRMED)
        order.number = number_next(code="sales_order")
        order.confirmed_at = timezone.now()
        order.confirmed_by = actor
        order.version += 1
        publish(OrderConfirmed(actor=actor, order=order,
                               changes={"status": {"old": S.DRAFT, "new": S.CONFIRMED},
                                        "number": {"old": "", "new": order.number}}))
        # The confirmed order is written once, with its sub-states (the status and what confirming set):
        # the subscribers above read the order in hand, locked, not its row.
        order_refresh_substates(order, actor=actor, also=("number", "confirmed_at", "confirmed_by", "version"))
    return order
