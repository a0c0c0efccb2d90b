"""Supplier invoices (应付发票) and their VAT special invoices (增值税专用发票).

A supplier invoice is recorded against what it charges for:

- ``production``: a production order of an outsourced factory (the invoice's order is the
  production order's sales order). The invoices of one production order may total at most its
  cost plus ``GENDAN_SUPPLIER_INVOICE_TOLERANCE_PERCENT`` (default 2 %); beyond it the refusal
  names both figures;
- ``materials``: a purchase order of the supplier, under the same rule against its total;
- ``service``: forwarder, courier, inspection or other, with the order and / or shipment it
  belongs to (optional).

The due date is the supplier's terms: ``GENDAN_SUPPLIER_PAYMENT_DAYS`` (default 30) days after
the invoice date unless given. An invoice is cancelled (with a reason) only while nothing was
paid. A VAT invoice's number is unique everywhere; its tax must be its net amount × rate within
one cent per the rounding rule, and the VAT invoices of an invoice total at most the invoice.

Every use case is keyword-only, checks the actor's permission, validates every field before
saving anything (one ``ValidationFailed`` naming each bad field), refuses a stale ``version``
(409) and publishes its event (``events_invoices``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import OK, id_or_zero, no, parse_date, reason_required, refuse, require
from gendan.core.models import Currency
from gendan.core.money import MoneyError, currency_info, format_money, round_money, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.payables.errors import InvoicesError
from gendan.payables.events_invoices import (
    SupplierInvoiceCancelled,
    SupplierInvoiceRecorded,
    VatInvoiceRecorded,
    invoice_publish,
)
from gendan.payables.models import SupplierInvoice, VatInvoice
from gendan.production.models import ProductionOrder
from gendan.purchasing.models import PurchaseOrder
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment

ADD = "payables.add_supplierinvoice"
CHANGE = "payables.change_supplierinvoice"
ADD_VAT = "payables.add_vatinvoice"
K = SupplierInvoice.Kind
MAX_MONEY = Decimal("1e13")  # ten thousand billion: beyond it an amount is a typing mistake
CENT = Decimal("0.01")
SERVICE_SUPPLIERS = (Supplier.Kind.FORWARDER, Supplier.Kind.COURIER)


def payment_days() -> int:
    return int(getattr(settings, "GENDAN_SUPPLIER_PAYMENT_DAYS", 30))


def tolerance_percent() -> Decimal:
    return Decimal(str(getattr(settings, "GENDAN_SUPPLIER_INVOICE_TOLERANCE_PERCENT", 2)))


def default_due_date(invoice_date: dt.date) -> dt.date:
    """The supplier's terms: N days after the invoice date (``GENDAN_SUPPLIER_PAYMENT_DAYS``)."""
    return invoice_date + dt.timedelta(days=payment_days())


# --- parsing ---------------------------------------------------------------------------------


def money_field(value, field: str, errors: FieldErrors, *, currency: str = "CNY", allow_zero: bool = False,
                required: bool = True) -> Decimal | None:
    """``value`` as an amount of ``currency``: a number, not negative, at most 10^13, within
    the currency's decimals; else an error on ``field``."""
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter an amount."), CoreError.VALIDATION_FAILED)
        return None
    try:
        number = to_decimal(value)
    except MoneyError as exc:
        errors.add(field, str(exc), CoreError.VALIDATION_FAILED)
        return None
    if number < 0 or (number == 0 and not allow_zero):
        errors.add(field, _("Enter an amount above zero.") if not allow_zero else _("The amount cannot be negative."),
                   CoreError.VALIDATION_FAILED)
        return None
    if number >= MAX_MONEY:
        errors.add(field, _("%(value)s is too large.") % {"value": f"{number:,f}"[:30]}, CoreError.VALIDATION_FAILED)
        return None
    try:
        if number != round_money(number, currency):
            # within the two decimals of any amount, fewer for the currency (JPY: none) is a rule
            # between two fields (the amount and its currency)
            code = CoreError.VALUES_INCONSISTENT if number == number.quantize(Decimal("0.01")) \
                else CoreError.VALIDATION_FAILED
            errors.add(field, _("At most %(n)d decimal places.") % {"n": currency_info(currency).minor_unit}, code)
            return None
    except MoneyError as exc:
        errors.add(field, str(exc), CoreError.VALIDATION_FAILED)
        return None
    return number


def _date(value, field: str, errors: FieldErrors, *, required: bool = True) -> dt.date | None:
    try:
        return parse_date(value, field=field, required=required)
    except ValidationFailed as exc:
        errors.add(field, exc.fields.get(field, [exc.message])[0], exc.code)
        return None


def _text(value, field: str, errors: FieldErrors, *, model=SupplierInvoice, required: bool = False) -> str:
    text = str(value if value is not None else "").strip()
    limit = model._meta.get_field(field).max_length
    if required and not text:
        errors.add(field, _("This field is required."), CoreError.VALIDATION_FAILED)
    elif limit and len(text) > limit:
        errors.add(field, _("At most %(n)d characters.") % {"n": limit}, CoreError.VALIDATION_FAILED)
        return text[:limit]
    return text


def _bool(value, default: bool) -> bool:
    if value in (None, ""):
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _pk(value):
    return getattr(value, "pk", value)


# --- the amount rule -------------------------------------------------------------------------


def invoiced_against(*, production_order_id: int | None = None, purchase_order_id: int | None = None,
                     excluding: int | None = None) -> Decimal:
    """What the live (not cancelled) invoices of a production or purchase order total."""
    qs = SupplierInvoice.objects.exclude(status=SupplierInvoice.Status.CANCELLED)
    qs = qs.filter(production_order_id=production_order_id) if production_order_id else qs.filter(
        purchase_order_id=purchase_order_id)
    if excluding:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def cost_check(*, cost: Decimal, already: Decimal, amount: Decimal, currency: str, what: str):
    """Allowed when ``already`` + ``amount`` stays within ``cost`` plus the tolerance."""
    ceiling = round_money(cost * (1 + tolerance_percent() / 100), currency)
    if already + amount <= ceiling:
        return OK
    return no(InvoicesError.INVOICE_ABOVE_COST, _(
        "The invoices of %(what)s would total %(total)s, above its cost of %(cost)s (tolerance %(tol)s %%, "
        "already invoiced %(already)s). Check the invoice or correct the order's cost first.") % {
        "what": what, "total": format_money(already + amount, currency), "cost": format_money(cost, currency),
        "tol": f"{tolerance_percent().normalize():f}", "already": format_money(already, currency)})


# --- supplier invoices -----------------------------------------------------------------------


def supplier_invoice_record(*, actor: User, data: Mapping) -> SupplierInvoice:
    """Record a supplier's invoice. ``data``: ``supplier`` (id), ``kind`` (production |
    materials | service), ``production_order`` / ``purchase_order`` (id) or ``service_kind``
    with ``sales_order`` / ``shipment`` (ids, optional), ``supplier_invoice_no``, ``currency``
    (default: the order's), ``amount`` (incl. VAT), ``tax_amount``, ``invoice_date``,
    ``due_date`` (default by the terms), ``vat_required`` (default yes), ``note``."""
    require(actor, ADD)
    errors = FieldErrors()
    supplier = Supplier.objects.filter(pk=id_or_zero(_pk(data.get("supplier")))).first()
    if supplier is None:
        errors.add("supplier", _("Choose a supplier."), CoreError.VALIDATION_FAILED)
    kind = str(data.get("kind") or "").strip()
    if kind not in K.values:
        errors.add("kind", _("Choose what the invoice is for (%(kinds)s).") % {"kinds": ", ".join(K.values)},
                   CoreError.VALIDATION_FAILED)
    invoice = SupplierInvoice(supplier=supplier, kind=kind, recorded_by=actor)
    production = purchase = None
    if kind == K.PRODUCTION:
        production = ProductionOrder.objects.select_related("sales_order").filter(
            pk=id_or_zero(_pk(data.get("production_order")))).first()
        if production is None or production.status == ProductionOrder.Status.CANCELLED:
            errors.add("production_order", _("Choose a production order (not cancelled)."),
                       InvoicesError.INVOICE_TARGET)
            production = None
        elif supplier is not None and production.supplier_id != supplier.pk:
            errors.add("production_order", _("Production order %(po)s is made by %(factory)s, not by %(supplier)s.")
                       % {"po": production.number, "factory": production.supplier, "supplier": supplier},
                       InvoicesError.INVOICE_TARGET)
            production = None
        if production is not None:
            invoice.production_order = production
            invoice.sales_order = production.sales_order
    elif kind == K.MATERIALS:
        purchase = PurchaseOrder.objects.filter(pk=id_or_zero(_pk(data.get("purchase_order")))).first()
        if purchase is None or purchase.status in (PurchaseOrder.Status.CANCELLED, PurchaseOrder.Status.DRAFT):
            errors.add("purchase_order", _("Choose a purchase order sent to the supplier (not a draft or cancelled)."),
                       InvoicesError.INVOICE_TARGET)
            purchase = None
        elif supplier is not None and purchase.supplier_id != supplier.pk:
            errors.add("purchase_order", _("Purchase order %(po)s is with %(other)s, not with %(supplier)s.")
                       % {"po": purchase.number, "other": purchase.supplier, "supplier": supplier},
                       InvoicesError.INVOICE_TARGET)
            purchase = None
        if purchase is not None:
            invoice.purchase_order = purchase
    elif kind == K.SERVICE:
        service = str(data.get("service_kind") or "").strip()
        if service not in SupplierInvoice.ServiceKind.values:
            errors.add("service_kind", _("Choose the service (%(kinds)s).") % {
                "kinds": ", ".join(str(label) for label in SupplierInvoice.ServiceKind.labels)},
                InvoicesError.INVOICE_TARGET)
        invoice.service_kind = service
        if data.get("sales_order") not in (None, ""):
            order = SalesOrder.objects.filter(pk=id_or_zero(_pk(data.get("sales_order")))).first()
            if order is None:
                errors.add("sales_order", _("No such order."), CoreError.VALIDATION_FAILED)
            invoice.sales_order = order
        if data.get("shipment") not in (None, ""):
            shipment = Shipment.objects.filter(pk=id_or_zero(_pk(data.get("shipment")))).first()
            if shipment is None:
                errors.add("shipment", _("No such shipment."), CoreError.VALIDATION_FAILED)
            invoice.shipment = shipment
    currency_code = str(_pk(data.get("currency")) or "").strip().upper()
    if not currency_code:
        currency_code = ((production.currency_id or "CNY") if production is not None else
                         purchase.currency_id if purchase is not None else "CNY")
    currency = Currency.objects.filter(code=currency_code, is_active=True).first()
    if currency is None:
        errors.add("currency", _("“%(code)s” is not a currency in use.") % {"code": currency_code[:10]},
                   CoreError.VALIDATION_FAILED)
        currency_code = "CNY"
    else:
        invoice.currency = currency
    order_currency = ((production.currency_id or "CNY") if production is not None else
                      purchase.currency_id if purchase is not None else None)
    if currency is not None and order_currency and order_currency != currency_code:
        errors.add("currency", _("%(what)s is in %(order)s: record its invoice in %(order)s.") % {
            "what": (production or purchase).number, "order": order_currency}, InvoicesError.INVOICE_CURRENCY)
    amount = money_field(data.get("amount"), "amount", errors, currency=currency_code)
    tax = money_field(data.get("tax_amount"), "tax_amount", errors, currency=currency_code, allow_zero=True,
                      required=False) or Decimal(0)
    if amount is not None and tax > amount:
        errors.add("tax_amount", _("The VAT (%(tax)s) cannot exceed the amount incl. VAT (%(amount)s).") % {
            "tax": format_money(tax, currency_code), "amount": format_money(amount, currency_code)},
            CoreError.VALUES_INCONSISTENT)
    invoice.amount, invoice.tax_amount = amount, tax
    invoice.supplier_invoice_no = _text(data.get("supplier_invoice_no"), "supplier_invoice_no", errors,
                                        required=True).upper()
    invoice.invoice_date = _date(data.get("invoice_date"), "invoice_date", errors)
    if invoice.invoice_date and invoice.invoice_date > timezone.localdate():
        errors.add("invoice_date", _("An invoice date cannot be in the future (%(date)s).")
                   % {"date": invoice.invoice_date.isoformat()}, CoreError.DATE_IN_FUTURE)
    due = _date(data.get("due_date"), "due_date", errors, required=False)
    if due is None and invoice.invoice_date:
        due = default_due_date(invoice.invoice_date)
    if due and invoice.invoice_date and due < invoice.invoice_date:
        errors.add("due_date", _("The due date cannot be before the invoice date."), CoreError.DATES_OUT_OF_ORDER)
    invoice.due_date = due
    invoice.vat_required = _bool(data.get("vat_required"), kind != K.SERVICE or supplier is None
                                 or supplier.kind not in SERVICE_SUPPLIERS)
    invoice.note = _text(data.get("note"), "note", errors)
    if supplier is not None and invoice.supplier_invoice_no and SupplierInvoice.objects.filter(
            supplier=supplier, supplier_invoice_no=invoice.supplier_invoice_no).exists():
        errors.add("supplier_invoice_no", _("%(supplier)s's invoice %(no)s is already recorded.") % {
            "supplier": supplier, "no": invoice.supplier_invoice_no}, InvoicesError.SUPPLIER_INVOICE_NO_TAKEN)
    errors.raise_any()
    with transaction.atomic():
        if production is not None:
            production = lock_row(ProductionOrder.objects.all(), production.pk)
            refuse(cost_check(cost=production.total_cost, already=invoiced_against(production_order_id=production.pk),
                              amount=amount, currency=currency_code,
                              what=_("production order %(no)s") % {"no": production.number}), field="amount")
        if purchase is not None:
            purchase = lock_row(PurchaseOrder.objects.all(), purchase.pk)
            refuse(cost_check(cost=purchase.total_amount, already=invoiced_against(purchase_order_id=purchase.pk),
                              amount=amount, currency=currency_code,
                              what=_("purchase order %(no)s") % {"no": purchase.number}), field="amount")
        invoice.number = number_next(code="supplier_invoice")
        try:
            with transaction.atomic():
                invoice.save()
        except IntegrityError:  # the same supplier invoice no. recorded at the same moment
            msg = _("%(supplier)s's invoice %(no)s is already recorded.") % {
                "supplier": supplier, "no": invoice.supplier_invoice_no}
            raise ValidationFailed(msg, code=InvoicesError.SUPPLIER_INVOICE_NO_TAKEN,
                                   fields={"supplier_invoice_no": msg}) from None
        invoice_publish(SupplierInvoiceRecorded, invoice=invoice, actor=actor)
    return invoice


def supplier_invoice_cancel(*, actor: User, invoice_id: int, reason: str,
                            version: int | None = None) -> SupplierInvoice:
    """Cancel an invoice recorded by mistake (or withdrawn by the supplier) — only while
    nothing was paid on it and no VAT invoice was recorded."""
    require(actor, CHANGE)
    text = reason_required(reason, _("cancelling the invoice"))
    with transaction.atomic():
        invoice = lock_row(SupplierInvoice.objects.select_related("supplier"), invoice_id, expected_version=version)
        if invoice.status == SupplierInvoice.Status.CANCELLED:
            refuse(no(InvoicesError.INVOICE_NOT_OPEN, _("Invoice %(no)s is already cancelled.") % {
                "no": invoice.number}))
        if invoice.paid_amount > 0 or invoice.payments.exists():
            refuse(no(InvoicesError.INVOICE_PAID_CANNOT_CANCEL, _(
                "Invoice %(no)s is not cancelled: %(paid)s was paid on it.") % {
                "no": invoice.number, "paid": format_money(invoice.paid_amount, invoice.currency_id)}))
        if invoice.vat_invoices.exists():
            refuse(no(InvoicesError.INVOICE_PAID_CANNOT_CANCEL, _(
                "Invoice %(no)s is not cancelled: a VAT invoice was recorded for it.") % {"no": invoice.number}))
        invoice.status = SupplierInvoice.Status.CANCELLED
        invoice.version += 1
        invoice.note = (f"{invoice.note} · " if invoice.note else "") + text
        invoice.note = invoice.note[-300:]
        invoice.save(update_fields=["status", "version", "note", "updated_at"])
        invoice_publish(SupplierInvoiceCancelled, invoice=invoice, actor=actor, reason=text,
                        changes={"status": {"old": "open", "new": "cancelled"}})
    return invoice


# --- VAT special invoices --------------------------------------------------------------------


def vat_tax_expected(net: Decimal, rate: Decimal) -> Decimal:
    """The tax of a VAT invoice: net × rate %, rounded half up to the cent (the tax bureau's rule)."""
    return round_money(net * rate / 100, "CNY")


def vat_invoice_record(*, actor: User, invoice_id: int, data: Mapping) -> VatInvoice:
    """Record a VAT special invoice received for a supplier invoice: ``number`` (unique
    everywhere), ``issued_on``, ``net_amount``, ``tax_rate`` (%, default 13), ``tax_amount``
    (default net × rate). The tax may differ from net × rate by at most one cent; the VAT
    invoices of the invoice total at most the invoice."""
    require(actor, ADD_VAT)
    errors = FieldErrors()
    number = _text(data.get("number"), "number", errors, model=VatInvoice, required=True).replace(" ", "")
    issued_on = _date(data.get("issued_on"), "issued_on", errors)
    if issued_on and issued_on > timezone.localdate():
        errors.add("issued_on", _("A VAT invoice cannot be issued in the future (%(date)s).")
                   % {"date": issued_on.isoformat()}, CoreError.INVALID_DATE)
    net = money_field(data.get("net_amount"), "net_amount", errors)
    rate = None
    raw_rate = data.get("tax_rate")
    try:
        rate = Decimal("13") if raw_rate in (None, "") else to_decimal(raw_rate)
        if not Decimal(0) <= rate <= Decimal(100) or rate != rate.quantize(CENT):
            errors.add("tax_rate", _("Enter a rate from 0 to 100 %, at most 2 decimal places."),
                       CoreError.VALIDATION_FAILED)
            rate = None
    except MoneyError as exc:
        errors.add("tax_rate", str(exc), CoreError.VALIDATION_FAILED)
    tax = money_field(data.get("tax_amount"), "tax_amount", errors, allow_zero=True, required=False)
    if net is not None and rate is not None:
        expected = vat_tax_expected(net, rate)
        if tax is None:
            tax = expected
        elif abs(tax - expected) > CENT:
            errors.add("tax_amount", _("The VAT %(tax)s does not agree with %(net)s × %(rate)s %% = %(expected)s "
                                       "(at most 0.01 apart).") % {
                "tax": f"{tax:,.2f}", "net": f"{net:,.2f}", "rate": f"{rate.normalize():f}",
                "expected": f"{expected:,.2f}"}, InvoicesError.VAT_ARITHMETIC)
    if number:
        taken = VatInvoice.objects.select_related("supplier_invoice__supplier").filter(number=number).first()
        if taken is not None:
            errors.add("number", _("VAT invoice no. %(no)s is already recorded (for %(invoice)s of %(supplier)s): "
                                   "a number is used once.") % {
                "no": number, "invoice": taken.supplier_invoice.number, "supplier": taken.supplier_invoice.supplier},
                InvoicesError.VAT_NUMBER_TAKEN)
    errors.raise_any()
    with transaction.atomic():
        invoice = lock_row(SupplierInvoice.objects.select_related("supplier"), invoice_id)
        if invoice.status == SupplierInvoice.Status.CANCELLED:
            refuse(no(InvoicesError.INVOICE_NOT_OPEN, _("Invoice %(no)s is cancelled.") % {"no": invoice.number}))
        held = invoice.vat_invoices.aggregate(n=Sum("net_amount"), t=Sum("tax_amount"))
        already = (held["n"] or Decimal(0)) + (held["t"] or Decimal(0))
        if already + net + tax > invoice.amount:
            msg = _("The VAT invoices of %(no)s would total %(total)s, above the invoice's %(amount)s.") % {
                "no": invoice.number, "total": f"{already + net + tax:,.2f}",
                "amount": format_money(invoice.amount, invoice.currency_id)}
            raise ValidationFailed(msg, code=InvoicesError.VAT_ABOVE_INVOICE, fields={"net_amount": msg})
        vat = VatInvoice(supplier_invoice=invoice, number=number, issued_on=issued_on, net_amount=net, tax_rate=rate,
                         tax_amount=tax, recorded_by=actor, recorded_at=timezone.now())
        try:
            with transaction.atomic():
                vat.save()
        except IntegrityError:
            msg = _("VAT invoice no. %(no)s is already recorded: a number is used once.") % {"no": number}
            raise ValidationFailed(msg, code=InvoicesError.VAT_NUMBER_TAKEN, fields={"number": msg}) from None
        invoice_publish(VatInvoiceRecorded, invoice=invoice, vat=vat, actor=actor)
    return vat
