"""Receipts, the payment plan and payment requests.

Only finance records money received and allocates it (``finance.add_receipt``). A receipt
may be split over several orders of its customer; what is not allocated stays on the
receipt as the customer's credit (an over-payment is never silently applied). A receipt in
another currency than the order needs the exchange rate used.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.guards import OK, Check, no, parse_date, refuse, require
from gendan.core.models import Currency
from gendan.core.money import MAX_AMOUNT, MoneyError, check_precision, format_money, round_money, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import related_rows_keep
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add
from gendan.finance.errors import FinanceError
from gendan.finance.events import PaymentAllocated, PaymentRequested, ReceiptAllocated, ReceiptRecorded
from gendan.finance.models import PaymentPlanItem, PaymentRequest, Receipt, ReceiptAllocation
from gendan.finance.selectors import receipt_queryset
from gendan.parties.selectors import customer_queryset
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_get_for_user, order_queryset
from gendan.sales.services.documents import current_document
from gendan.sales.services.orders import lock_order
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.terms import payment_plan

log = logging.getLogger("gendan.finance")

# An exchange rate is order currency per unit of receipt currency: below a million (VND per USD
# is about 25 000) and 8 decimals, as the column holds; "1e30" is a message, never a 500.
MAX_EXCHANGE_RATE = Decimal("1000000")
RATE_QUANTUM = Decimal("0.00000001")


def _amount(value: Any, *, currency: str, field: str, label: str, allow_zero: bool = False) -> Decimal:
    try:
        amount = to_decimal(value)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), fields={field: str(exc)}) from None
    try:
        check_precision(amount, currency)
    except MoneyError as exc:
        # within the two decimals of any amount, fewer for the currency (JPY: none) is a rule between
        # two fields (the amount and its currency)
        code = CoreError.VALUES_INCONSISTENT if abs(amount) < MAX_AMOUNT \
            and amount.normalize().as_tuple().exponent >= -2 else CoreError.VALIDATION_FAILED
        raise ValidationFailed(str(exc), code=code, fields={field: str(exc)}) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        msg = _("%(label)s must be greater than zero.") % {"label": label} if not allow_zero else \
            _("%(label)s may not be negative.") % {"label": label}
        raise ValidationFailed(msg, fields={field: msg})
    return amount


def receipt_record(
    *, actor: User, customer_id: int, currency: str, amount: Any, received_on: dt.date, bank_reference: str,
    bank_charges: Any = "0", payer_name: str = "", note: str = "", upload=None,
    allocations: Iterable[Mapping[str, Any]] = (),
) -> Receipt:
    """Record money that reached the bank and, optionally, allocate it to orders right away.
    Everything or nothing is saved."""
    require(actor, "finance.add_receipt", message=_("Only finance records money received."))
    customer = customer_queryset(actor).filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed(_("Choose the customer who paid."), fields={"customer": _("Unknown customer.")})
    currency_obj = Currency.objects.filter(code=str(currency).upper(), is_active=True).first()
    if currency_obj is None:
        msg = _("Unknown currency “%(code)s”.") % {"code": currency}
        raise ValidationFailed(msg, fields={"currency": msg})
    code = currency_obj.code
    amount = _amount(amount, currency=code, field="amount", label=_("The amount received"))
    charges = _amount(bank_charges or "0", currency=code, field="bank_charges", label=_("Bank charges"),
                      allow_zero=True)
    received_on = parse_date(received_on, field="received_on", required=True)  # 2000–2099, as everywhere
    if received_on > timezone.localdate():
        msg = _("The value date cannot be in the future.")
        raise ValidationFailed(msg, code=CoreError.DATE_IN_FUTURE, fields={"received_on": msg})
    if not (bank_reference or "").strip():
        msg = _("Enter the bank reference from the statement.")
        raise ValidationFailed(msg, fields={"bank_reference": msg})
    reference = bank_reference.strip()
    refuse(bank_reference_check(currency=code, reference=reference), field="bank_reference")
    with transaction.atomic():
        try:
            with transaction.atomic():
                receipt = Receipt.objects.create(
                    number=number_next(code="receipt"), customer=customer, currency_id=code, amount=amount,
                    bank_charges=charges, received_on=received_on, bank_reference=reference,
                    payer_name=payer_name.strip(), note=note.strip(), recorded_by=actor)
        except IntegrityError:  # the same transfer posted at the same moment: the database's key decided
            refuse(bank_reference_check(currency=code, reference=reference), field="bank_reference")
            raise
        if upload is not None:
            attachment_add(actor=actor, owner=receipt, upload=upload, kind=Attachment.Kind.REPORT,
                           description=_("bank slip"))
        publish(ReceiptRecorded(actor=actor, receipt=receipt))
        for index, allocation in enumerate(allocations):
            try:
                receipt_allocate(actor=actor, receipt_id=receipt.pk, order_id=allocation["order_id"],
                                 amount=allocation["amount"], exchange_rate=allocation.get("exchange_rate"))
            except (ValidationFailed, Http404) as exc:
                # Say which allocation row is wrong; the receipt itself is not saved either.
                if isinstance(exc, Http404):
                    exc = ValidationFailed(_("That order does not belong to the customer who paid."),
                                           fields={"order": _("Unknown order.")})
                raise ValidationFailed(
                    _("Allocation %(n)d: %(message)s") % {"n": index + 1, "message": exc.message},
                    code=exc.code,
                    fields={f"allocations[{index}].{name}": msgs for name, msgs in exc.fields.items()},
                ) from None
    return receipt


def bank_reference_check(*, currency: str, reference: str) -> Check:
    """A bank reference is one transfer on the account that received it (one account per
    currency): a second receipt with it would count the same money twice."""
    existing = Receipt.objects.filter(currency_id=currency, bank_reference__iexact=reference) \
        .select_related("customer").first()
    if existing is None:
        return OK
    return no(FinanceError.DUPLICATE_BANK_REFERENCE, _(
        "Receipt %(number)s already records the bank reference “%(reference)s” (%(amount)s from %(customer)s, "
        "value date %(date)s): the same transfer is not recorded twice. Open that receipt to allocate it.") % {
        "number": existing.number, "reference": existing.bank_reference,
        "amount": format_money(existing.amount, existing.currency_id), "customer": existing.customer,
        "date": existing.received_on.isoformat()})


def receipt_allocate(
    *, actor: User, receipt_id: int, order_id: int, amount: Any, exchange_rate: Any = None
) -> ReceiptAllocation:
    """Apply part of a receipt to one of its customer's confirmed orders.

    ``amount`` is in the receipt's currency; with another order currency, ``exchange_rate``
    (order currency per unit of receipt currency) is required. Refused: more than the receipt
    has left, more than the order still owes, another customer's or an unconfirmed order.
    """
    require(actor, "finance.add_receipt", message=_("Only finance allocates money received."))
    with transaction.atomic():
        receipt = receipt_queryset(actor).select_for_update(of=("self",)).filter(pk=receipt_id).first()
        if receipt is None:
            raise Http404("No such receipt.")
        order = order_queryset(actor).select_for_update(of=("self",)).filter(pk=order_id).first()
        if order is None or order.customer_id != receipt.customer_id:
            msg = _("That order does not belong to the customer who paid.")
            code = CoreError.VALIDATION_FAILED if order is None else CoreError.RECORD_MISMATCH
            raise ValidationFailed(msg, code=code, fields={"order": msg})
        if order.status in (SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED, SalesOrder.Status.CLOSED):
            msg = _("Order %(order)s is “%(status)s”: money can be allocated to confirmed orders only.") % {
                "order": order, "status": order.get_status_display()}
            raise ValidationFailed(msg, code=FinanceError.ORDER_NOT_CONFIRMED, fields={"order": msg})
        amount = _amount(amount, currency=receipt.currency_id, field="amount", label=_("The amount to allocate"))
        if amount > receipt.unallocated_amount:
            msg = _("Only %(left)s of this receipt is left to allocate.") % {
                "left": format_money(receipt.unallocated_amount, receipt.currency_id)}
            raise ValidationFailed(msg, code=CoreError.VALUES_INCONSISTENT, fields={"amount": msg})
        if receipt.currency_id == order.currency_id:
            rate = Decimal("1")
        else:
            if exchange_rate in (None, ""):
                msg = _("The receipt is in %(r)s and the order in %(o)s: enter the exchange rate "
                        "(%(o)s per 1 %(r)s).") % {"r": receipt.currency_id, "o": order.currency_id}
                raise ValidationFailed(msg, code=FinanceError.EXCHANGE_RATE_REQUIRED, fields={"exchange_rate": msg})
            try:
                rate = to_decimal(exchange_rate)
            except MoneyError as exc:
                raise ValidationFailed(str(exc), fields={"exchange_rate": str(exc)}) from None
            if rate <= 0:
                msg = _("The exchange rate must be greater than zero.")
                raise ValidationFailed(msg, fields={"exchange_rate": msg})
            if rate >= MAX_EXCHANGE_RATE or rate != rate.quantize(RATE_QUANTUM):
                msg = _("The exchange rate must be below %(max)s with at most 8 decimals.") % {
                    "max": number_format(MAX_EXCHANGE_RATE, use_l10n=True, force_grouping=True)}
                raise ValidationFailed(msg, fields={"exchange_rate": msg})
        try:
            order_amount = round_money(amount * rate, order.currency_id)
        except MoneyError as exc:  # each within its bound, amount × rate beyond any amount: between two fields
            raise ValidationFailed(str(exc), code=CoreError.VALUES_INCONSISTENT,
                                   fields={"exchange_rate": str(exc)}) from None
        owed = order.total_amount - order.received_amount
        if order_amount > owed:
            msg = _("Order %(order)s owes only %(owed)s; the rest stays on the receipt as the customer's credit.") % {
                "order": order, "owed": format_money(max(owed, Decimal("0")), order.currency_id)}
            raise ValidationFailed(msg, code=FinanceError.OVERPAYMENT, fields={"amount": msg})
        allocation = ReceiptAllocation.objects.create(
            receipt=receipt, order=order, amount=amount, exchange_rate=rate, order_amount=order_amount,
            allocated_by=actor, allocated_at=timezone.now())
        receipt.allocated_amount += amount
        receipt.save(update_fields=["allocated_amount", "updated_at"])
        order_refresh_substates(order, actor=actor)
        publish(PaymentAllocated(actor=actor, allocation=allocation))
        publish(ReceiptAllocated(actor=actor, allocation=allocation,
                                 changes={"allocated_amount": {"old": str(receipt.allocated_amount - amount),
                                                               "new": str(receipt.allocated_amount)}}))
    return allocation


# --- the payment plan ------------------------------------------------------------------


def payment_plan_derive(order: SalesOrder) -> None:
    """(Re)build the deposit / balance instalments from the order's terms and total, and the
    order's deposit and balance amounts. Runs when the order is confirmed and when a change
    order is applied (``OrderConfirmed``, ``OrderRevisionApplying``), inside the transaction
    holding the order lock."""
    confirmed_on = timezone.localdate(order.confirmed_at) if order.confirmed_at else timezone.localdate()
    plan = payment_plan(method=order.payment_method, deposit_percent=order.deposit_percent,
                        payment_days=order.payment_days, total=order.total_amount, currency=order.currency_id,
                        confirmed_on=confirmed_on, ex_factory_date=order.ex_factory_date)
    amounts = {i.kind: i for i in plan}
    existing = {item.kind: item for item in order.plan_items.all()}
    kept = []
    for kind in (PaymentPlanItem.Kind.DEPOSIT, PaymentPlanItem.Kind.BALANCE):
        inst = amounts.get(kind)
        item = existing.get(kind)
        if inst is None:
            if item is not None:
                item.delete()
            continue
        if item is None:
            item = PaymentPlanItem(order=order, kind=kind)
        item.amount, item.due_date, item.due_event = inst.amount, inst.due_date, inst.due_event
        item.save()
        kept.append(item)
    # The instalments as they now stand, in their ordering (by kind): the sub-states' refresh in the
    # same transaction spreads the money received over them without reading them again.
    related_rows_keep(order, "plan_items", sorted(kept, key=lambda item: item.kind))
    order.deposit_amount = amounts["deposit"].amount if "deposit" in amounts else Decimal("0")
    order.balance_amount = order.total_amount - order.deposit_amount
    order.save(update_fields=["deposit_amount", "balance_amount"])


# --- payment requests ------------------------------------------------------------------


def payment_request_check(order, kind: str) -> Check:
    """May a request for ``kind`` (deposit, balance) be sent now?"""
    def refused(reason: str) -> Check:
        return no(FinanceError.REQUEST_NOT_POSSIBLE, reason)

    if order.status in (SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED, SalesOrder.Status.CLOSED):
        return refused(_("Payment requests are sent for confirmed orders."))
    item = next((i for i in order.plan_items.all() if i.kind == kind), None)
    if item is None:
        return refused(_("These payment terms have no %(kind)s.") % {"kind": PaymentPlanItem.Kind(kind).label})
    if item.is_paid:
        return refused(_("The %(kind)s has been received.") % {"kind": PaymentPlanItem.Kind(kind).label})
    if not recipients(order):
        return refused(_("The customer has no email address: add one to the customer or a contact."))
    return OK


def recipients(order) -> list[str]:
    """Where the order's payment requests go: the customer's main contacts' addresses, else the
    first contact's, else the customer's own."""
    emails = [c.email for c in order.customer.contacts.all() if c.email]
    primary = [c.email for c in order.customer.contacts.all() if c.email and c.is_primary]
    if primary:
        return primary
    if emails:
        return emails[:1]
    return [order.customer.email] if order.customer.email else []


def payment_request_send(*, actor: User, order_id: int, kind: str, message: str = "") -> PaymentRequest:
    """Record a deposit / balance request and email it to the customer with the current PI.
    The email goes out after the transaction commits; its result is recorded on the request."""
    require(actor, "sales.request_payment")
    if kind not in PaymentPlanItem.Kind.values:
        raise ValidationFailed(_("Choose deposit or balance."))
    with transaction.atomic():
        lock_order(actor, order_id)
        order = order_get_for_user(user=actor, pk=order_id)
        check = payment_request_check(order, kind)
        if not check:
            raise ValidationFailed(check.reason, code=check.code)
        item = next(i for i in order.plan_items.all() if i.kind == kind)
        document = current_document(order)
        language = "zh-hans" if order.customer.country == "CN" else "en"
        with translation.override(language):
            subject, body = _compose(order, item, document, message)
        request = PaymentRequest.objects.create(
            order=order, kind=kind, amount=item.open_amount, currency_id=order.currency_id, due_date=item.due_date,
            sent_to=", ".join(recipients(order)), subject=subject, body=body, document=document,
            requested_by=actor, requested_at=timezone.now())
        item.requested_at = request.requested_at
        item.save(update_fields=["requested_at"])
        publish(PaymentRequested(actor=actor, request=request))
        transaction.on_commit(lambda: payment_request_email(request_id=request.pk))
    return request


def _compose(order, item: PaymentPlanItem, document, message: str) -> tuple[str, str]:
    company = settings.GENDAN_COMPANY_NAME.get(translation.get_language(), settings.GENDAN_COMPANY_NAME["en"])
    amount = format_money(item.open_amount, order.currency_id)
    subject = _("%(kind)s request — order %(order)s / your PO %(po)s") % {
        "kind": item.get_kind_display().capitalize(), "order": order.number, "po": order.customer_po_no}
    lines = [
        _("Dear customer,"),
        "",
        _("Thank you for your order %(po)s (our order %(order)s, total %(total)s).") % {
            "po": order.customer_po_no, "order": order.number,
            "total": format_money(order.total_amount, order.currency_id)},
        _("Please arrange the %(kind)s of %(amount)s, due %(due)s (%(when)s).") % {
            "kind": item.get_kind_display(), "amount": amount, "due": item.due_date or "—", "when": item.due_event},
    ]
    if document:
        lines.append(_("Our proforma invoice %(pi)s is attached; please quote it in your remittance.")
                     % {"pi": document.display_number})
    if message.strip():
        lines += ["", message.strip()]
    lines += ["", _("Best regards,"), company]
    return subject, "\n".join(lines)


def payment_request_email(*, request_id: int) -> None:
    """Send the email of a recorded request (after commit; idempotent: a sent one is not re-sent)."""
    request = PaymentRequest.objects.select_related("document").get(pk=request_id)
    if request.email_sent_at:
        return
    email = EmailMessage(subject=request.subject, body=request.body, to=request.sent_to.split(", "),
                         from_email=settings.DEFAULT_FROM_EMAIL)
    if request.document and request.document.file:
        with request.document.file.open("rb") as fh:
            email.attach(f"{request.document.display_number}.pdf", fh.read(), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP down: the request stays recorded, the error is shown on the order
        log.warning("payment request %s: email failed: %s", request.pk, exc)
        PaymentRequest.objects.filter(pk=request.pk).update(email_error=str(exc)[:300])
        return
    PaymentRequest.objects.filter(pk=request.pk).update(email_sent_at=timezone.now(), email_error="")
