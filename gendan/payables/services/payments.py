"""Payments to suppliers (付款), recorded by finance only (``payables.pay_supplierinvoice``).

A payment is at most the invoice's open amount (a payment above the invoice is refused, naming
both). A factory's balance — a payment on a production invoice that completes it — is paid
only after the production order's goods passed final inspection and were received
(``selectors.invoices.production_goods_status``), unless finance gives the reason to pay before
(``override_reason``: kept on the payment and on the timeline). An invoice fully paid is
``paid``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import CoreError, FieldErrors
from gendan.core.guards import OK, no, reason_required, refuse, require
from gendan.core.money import format_money
from gendan.core.services import lock_row
from gendan.payables.errors import InvoicesError
from gendan.payables.events_invoices import SupplierPaymentRecorded, invoice_publish
from gendan.payables.models import SupplierInvoice, SupplierPayment
from gendan.payables.selectors.invoices import production_goods_status
from gendan.payables.services.invoices import _date, _text, money_field

PAY = "payables.pay_supplierinvoice"


def balance_check(invoice: SupplierInvoice, amount):
    """Allowed unless ``amount`` completes a production invoice whose goods are not yet
    inspected and received; the refusal says what is missing."""
    if invoice.kind != SupplierInvoice.Kind.PRODUCTION or invoice.production_order_id is None:
        return OK
    if amount < invoice.open_amount:
        return OK
    status = production_goods_status(invoice.production_order)
    if status.ready:
        return OK
    return no(InvoicesError.BALANCE_BEFORE_GOODS, _(
        "%(amount)s would pay the balance of %(no)s, and production order %(po)s is missing: %(missing)s. "
        "A factory's balance is paid after its goods passed final inspection and were received — or give the "
        "reason to pay now.") % {
        "amount": format_money(amount, invoice.currency_id), "no": invoice.number,
        "po": invoice.production_order.number, "missing": ", ".join(status.missing)})


def supplier_payment_record(*, actor: User, invoice_id: int, data: Mapping,
                            version: int | None = None) -> SupplierPayment:
    """Record a payment on a supplier invoice: ``amount``, ``paid_on`` (default today, not in
    the future), ``bank_reference``, ``override_reason`` (to pay a factory's balance before
    its goods passed inspection and were received)."""
    require(actor, PAY, message=_("Only finance records payments to suppliers."))
    errors = FieldErrors()
    with transaction.atomic():
        invoice = lock_row(SupplierInvoice.objects.select_related("supplier", "production_order"), invoice_id,
                           expected_version=version)
        currency = invoice.currency_id
        amount = money_field(data.get("amount"), "amount", errors, currency=currency)
        paid_on = _date(data.get("paid_on") or timezone.localdate(), "paid_on", errors)
        if paid_on and paid_on > timezone.localdate():
            errors.add("paid_on", _("A payment cannot be made in the future (%(date)s).")
                       % {"date": paid_on.isoformat()}, CoreError.DATE_IN_FUTURE)
        reference = _text(data.get("bank_reference"), "bank_reference", errors, model=SupplierPayment)
        override = str(data.get("override_reason") or "").strip()
        errors.raise_any()
        if invoice.status != SupplierInvoice.Status.OPEN:
            refuse(no(InvoicesError.INVOICE_NOT_OPEN, _("Invoice %(no)s is %(status)s: nothing to pay.") % {
                "no": invoice.number, "status": invoice.get_status_display()}))
        if amount > invoice.open_amount:
            msg = _("A payment of %(amount)s is above what is open on invoice %(no)s (%(open)s of %(total)s).") % {
                "amount": format_money(amount, currency), "no": invoice.number,
                "open": format_money(invoice.open_amount, currency), "total": format_money(invoice.amount, currency)}
            refuse(no(InvoicesError.PAYMENT_ABOVE_INVOICE, msg), field="amount")
        check = balance_check(invoice, amount)
        if not check:
            if not override:
                refuse(check, field="override_reason")
            override = reason_required(override, _("paying the balance before inspection and receipt"),
                                       field="override_reason")[:300]
        else:
            override = ""
        payment = SupplierPayment.objects.create(invoice=invoice, amount=amount, paid_on=paid_on,
                                                 bank_reference=reference, override_reason=override,
                                                 recorded_by=actor, recorded_at=timezone.now())
        old = invoice.status
        invoice.paid_amount += amount
        if invoice.paid_amount >= invoice.amount:
            invoice.status = SupplierInvoice.Status.PAID
        invoice.version += 1
        invoice.save(update_fields=["paid_amount", "status", "version", "updated_at"])
        changes = {"paid_amount": {"old": f"{invoice.paid_amount - amount:f}", "new": f"{invoice.paid_amount:f}"}}
        if old != invoice.status:
            changes["status"] = {"old": old, "new": invoice.status}
        invoice_publish(SupplierPaymentRecorded, invoice=invoice, payment=payment, actor=actor, reason=override,
                        changes=changes)
    return payment
