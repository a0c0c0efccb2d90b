"""Reads of supplier statements (对账单): the month's figures of one supplier in one currency,
the statement list, and the disputed lines still open (for the purchasing board).

The balance is what we owe the supplier, kept from invoices and payments:

    opening  = invoices dated before the month − payments made before the month
    closing  = opening + invoiced in the month − paid in the month

Cancelled invoices count nowhere. ``delivered`` (goods received from the factory at the
production order's unit cost, materials received at the purchase order's price) is shown beside
it so the supplier can see what is not invoiced yet; it does not move the balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.core.money import round_money
from gendan.payables.models import StatementDispute, SupplierInvoice, SupplierPayment, SupplierStatement
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.purchasing.models import GoodsReceiptLine, PurchaseOrder
from gendan.shipping.models import FinishedGoodsReceipt

ZERO = Decimal(0)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_closed(month: dt.date, today: dt.date) -> bool:
    """A month is closed once its last day has passed."""
    return today >= next_month(month)


@dataclass
class StatementFigures:
    opening: Decimal
    delivered: Decimal
    invoiced: Decimal
    paid: Decimal
    lines: list[dict] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.invoiced - self.paid


def _live_invoices(supplier_id: int, currency: str) -> QuerySet:
    return SupplierInvoice.objects.filter(supplier_id=supplier_id, currency_id=currency).exclude(
        status=SupplierInvoice.Status.CANCELLED)


def _payments(supplier_id: int, currency: str) -> QuerySet:
    return SupplierPayment.objects.filter(invoice__supplier_id=supplier_id, invoice__currency_id=currency).exclude(
        invoice__status=SupplierInvoice.Status.CANCELLED)


def balance_before(*, supplier_id: int, currency: str, day: dt.date) -> Decimal:
    """What we owed the supplier at the start of ``day``."""
    invoiced = _live_invoices(supplier_id, currency).filter(invoice_date__lt=day).aggregate(
        t=Sum("amount"))["t"] or ZERO
    paid = _payments(supplier_id, currency).filter(paid_on__lt=day).aggregate(t=Sum("amount"))["t"] or ZERO
    return invoiced - paid


def _deliveries(supplier_id: int, currency: str, start: dt.date, end: dt.date) -> list[dict]:
    rows: list[dict] = []
    # finished goods from the factory, at the production order's unit cost
    po_lines = list(ProductionOrderLine.objects.filter(production_order__supplier_id=supplier_id).exclude(
        production_order__status=ProductionOrder.Status.CANCELLED).select_related("production_order"))
    po_lines = [pl for pl in po_lines if (pl.production_order.currency_id or "CNY") == currency]
    by_line = {pl.order_line_id: pl for pl in po_lines}
    mine = {pl.production_order.number for pl in po_lines}
    if by_line:
        others = set(ProductionOrderLine.objects.filter(order_line_id__in=by_line).exclude(
            production_order__supplier_id=supplier_id).values_list("production_order__number", flat=True))
        receipts = FinishedGoodsReceipt.objects.filter(order_line_id__in=by_line, voided_at__isnull=True,
                                                       received_on__gte=start, received_on__lt=end)
        for r in receipts.order_by("received_on", "pk"):
            ref = (r.source_ref or "").strip()
            if ref and ref not in mine and (ref in others or r.source == FinishedGoodsReceipt.Source.WORKSHOP):
                continue  # received from another maker of the same line
            pl = by_line[r.order_line_id]
            amount = round_money(r.quantity * (pl.unit_cost or ZERO), currency)
            rows.append({"ref": r.number, "kind": "delivery", "date": r.received_on.isoformat(),
                         "doc": pl.production_order.number, "quantity": f"{r.quantity.normalize():f}",
                         "amount": f"{amount:f}"})
    # materials, at the purchase order's price
    lines = (GoodsReceiptLine.objects.filter(receipt__purchase_order__supplier_id=supplier_id,
                                             receipt__purchase_order__currency_id=currency,
                                             receipt__received_on__gte=start, receipt__received_on__lt=end)
             .exclude(receipt__purchase_order__status=PurchaseOrder.Status.CANCELLED)
             .select_related("receipt__purchase_order", "line").order_by("receipt__received_on", "pk"))
    for gl in lines:
        amount = round_money(gl.quantity * gl.line.unit_price, currency)
        rows.append({"ref": f"GR{gl.receipt_id}-{gl.line.line_no}", "kind": "delivery",
                     "date": gl.receipt.received_on.isoformat(), "doc": gl.receipt.purchase_order.number,
                     "quantity": f"{gl.quantity.normalize():f}", "amount": f"{amount:f}"})
    return rows


def statement_figures(*, supplier_id: int, month: dt.date, currency: str) -> StatementFigures:
    """The month's opening balance, deliveries, invoices and payments, with one line each."""
    start, end = month_start(month), next_month(month_start(month))
    opening = balance_before(supplier_id=supplier_id, currency=currency, day=start)
    lines = _deliveries(supplier_id, currency, start, end)
    invoices = (_live_invoices(supplier_id, currency).filter(invoice_date__gte=start, invoice_date__lt=end)
                .select_related("sales_order", "production_order", "purchase_order").order_by("invoice_date", "pk"))
    for inv in invoices:
        doc = inv.production_order or inv.purchase_order or inv.sales_order
        lines.append({"ref": inv.number, "kind": "invoice", "date": inv.invoice_date.isoformat(),
                      "doc": inv.supplier_invoice_no, "order": doc.number if doc else "",
                      "amount": f"{inv.amount:f}"})
    payments = (_payments(supplier_id, currency).filter(paid_on__gte=start, paid_on__lt=end)
                .select_related("invoice").order_by("paid_on", "pk"))
    for p in payments:
        lines.append({"ref": f"PAY{p.pk}", "kind": "payment", "date": p.paid_on.isoformat(),
                      "doc": p.invoice.number, "order": p.bank_reference, "amount": f"{p.amount:f}"})

    def total(kind):
        return sum((Decimal(x["amount"]) for x in lines if x["kind"] == kind), ZERO)

    return StatementFigures(opening=opening, delivered=total("delivery"), invoiced=total("invoice"),
                            paid=total("payment"), lines=lines)


# --- pages -----------------------------------------------------------------------------------


def statement_queryset(user=None) -> QuerySet[SupplierStatement]:
    return SupplierStatement.objects.select_related("supplier", "issued_by", "replied_by")


def statement_list(*, user=None, filters: dict | None = None) -> QuerySet:
    f = filters or {}
    qs = statement_queryset(user)
    if f.get("supplier"):
        qs = qs.filter(supplier_id=getattr(f["supplier"], "pk", f["supplier"]))
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    elif not f.get("all"):
        qs = qs.exclude(status=SupplierStatement.Status.SUPERSEDED)
    if f.get("month"):
        qs = qs.filter(month=month_start(f["month"]))
    return qs.order_by("-month", "supplier__code", "currency_id", "-pk")


def statement_get(*, user=None, pk) -> SupplierStatement:
    from gendan.core.guards import id_or_zero

    statement = statement_queryset(user).filter(pk=id_or_zero(pk)).first()
    if statement is None:
        raise Http404(_("No such statement."))
    return statement


def open_disputes(*, limit: int | None = None) -> QuerySet[StatementDispute]:
    """Disputed lines not settled yet, oldest first (the purchasing board)."""
    qs = (StatementDispute.objects.filter(settled_at__isnull=True)
          .select_related("statement__supplier").order_by("recorded_at", "pk"))
    return qs[:limit] if limit else qs


def statement_balance_check(statement: SupplierStatement) -> bool:
    """The frozen statement adds up: closing = opening + invoiced − paid, and each total is the
    sum of its lines."""
    lines = statement.lines or []

    def total(kind):
        return sum((Decimal(x["amount"]) for x in lines if x["kind"] == kind), ZERO)

    return (statement.closing_balance == statement.opening_balance + statement.invoiced_amount
            - statement.paid_amount and statement.invoiced_amount == total("invoice")
            and statement.paid_amount == total("payment") and statement.delivered_amount == total("delivery"))

