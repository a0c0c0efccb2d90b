"""Reads of supplier invoices: the list with its filters, an invoice's page, whether a factory's
goods passed inspection and were received (the balance rule), and what we owe per supplier
(the open list / aging). Everyone who may view supplier invoices sees all of them (payables are
the company's, not a customer's)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.payables.models import SupplierInvoice, SupplierPayment, VatInvoice
from gendan.production.models import ProductionOrder
from gendan.quality.models import Inspection
from gendan.shipping.models import FinishedGoodsReceipt

VIEW = "payables.view_supplierinvoice"
S = SupplierInvoice.Status


def invoice_queryset(user=None) -> QuerySet[SupplierInvoice]:
    """Invoices with what the list shows: supplier, order refs, and whether a VAT invoice is in."""
    return (SupplierInvoice.objects.select_related("supplier", "production_order", "purchase_order", "sales_order",
                                                   "shipment")
            .annotate(vat_count=Exists(VatInvoice.objects.filter(supplier_invoice=OuterRef("pk")))))


def vat_missing_q() -> Q:
    """Invoices expecting a VAT special invoice that has not arrived."""
    return Q(vat_required=True) & ~Q(status=S.CANCELLED) & ~Exists(
        VatInvoice.objects.filter(supplier_invoice=OuterRef("pk")))


def invoice_list(*, user=None, filters: dict | None = None, today: dt.date | None = None) -> QuerySet:
    """The list page's rows: ``supplier`` (id), ``kind``, ``status``, ``overdue`` (open and past
    due on ``today``), ``vat_missing``, ``q`` (our or the supplier's number)."""
    f = filters or {}
    qs = invoice_queryset(user)
    if f.get("supplier"):
        qs = qs.filter(supplier_id=getattr(f["supplier"], "pk", f["supplier"]))
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("overdue") and today is not None:
        qs = qs.filter(status=S.OPEN, due_date__lt=today)
    if f.get("vat_missing"):
        qs = qs.filter(vat_missing_q())
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(Q(number__icontains=text) | Q(supplier_invoice_no__icontains=text))
    return qs


def invoice_get(*, user=None, pk) -> SupplierInvoice:
    from gendan.core.guards import id_or_zero

    invoice = (invoice_queryset(user).prefetch_related(
        Prefetch("payments", queryset=SupplierPayment.objects.select_related("recorded_by")),
        Prefetch("vat_invoices", queryset=VatInvoice.objects.select_related("recorded_by")))
        .filter(pk=id_or_zero(pk)).first())
    if invoice is None:
        raise Http404(_("No such supplier invoice."))
    return invoice


# --- the balance rule: the factory's goods ---------------------------------------------------


@dataclass
class GoodsStatus:
    """Whether a production order's goods passed final inspection and were received."""

    inspected: bool
    received: bool
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.inspected and self.received


def production_goods_status(production_order: ProductionOrder) -> GoodsStatus:
    """Final inspection passed: a final inspection of the production order (or, when the
    inspection names no production order, of its sales order) passed. Received: the production
    order is finished / closed, or the finished goods received (not voided) for its order lines
    reach each line's quantity."""
    po = production_order
    inspected = Inspection.objects.filter(kind=Inspection.Kind.FINAL, status=Inspection.Status.PASSED).filter(
        Q(production_orders=po) | Q(sales_order_id=po.sales_order_id, production_orders__isnull=True)).exists()
    received = po.status in (ProductionOrder.Status.FINISHED, ProductionOrder.Status.CLOSED)
    if not received:
        wanted = {line.order_line_id: line.quantity for line in po.lines.all()}
        got = dict(FinishedGoodsReceipt.objects.filter(order_line_id__in=wanted, voided_at__isnull=True)
                   .values("order_line_id").annotate(q=Sum("quantity")).values_list("order_line_id", "q"))
        received = bool(wanted) and all(got.get(k, 0) >= q for k, q in wanted.items())
    missing = []
    if not inspected:
        missing.append(_("final inspection passed"))
    if not received:
        missing.append(_("goods received into the warehouse"))
    return GoodsStatus(inspected, received, missing)


# --- what we owe: the open list and its aging ------------------------------------------------

BUCKETS = ((None, 0), (1, 30), (31, 60), (61, 90), (91, None))


def bucket_labels() -> list[str]:
    return [_("not due"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("over 90 days")]


def bucket_of(days_overdue: int) -> int:
    if days_overdue <= 0:
        return 0
    for i, (_low, high) in enumerate(BUCKETS[1:], start=1):
        if high is None or days_overdue <= high:
            return i
    return len(BUCKETS) - 1  # pragma: no cover


def open_invoices(*, user=None, supplier=None, currency: str | None = None) -> QuerySet:
    """Open invoices with something left to pay, oldest due first."""
    qs = invoice_queryset(user).filter(status=S.OPEN).filter(amount__gt=F("paid_amount"))
    if supplier:
        qs = qs.filter(supplier_id=getattr(supplier, "pk", supplier))
    if currency:
        qs = qs.filter(currency_id=currency)
    return qs.order_by("due_date", "pk")


@dataclass
class AgingRow:
    supplier: object
    currency: str
    buckets: list[Decimal]
    invoices: int
    next_due: dt.date | None

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, Decimal(0))


def payables_aging(*, user=None, today: dt.date, supplier=None) -> list[AgingRow]:
    """What we owe per supplier and currency, by days past due (not due, 1–30, 31–60, 61–90,
    over 90), from one query of open amounts grouped by supplier, currency and due date."""
    qs = (SupplierInvoice.objects.filter(status=S.OPEN, amount__gt=F("paid_amount"))
          .values("supplier_id", "currency_id", "due_date")
          .annotate(open=Sum(F("amount") - F("paid_amount")), n=Count("id")))
    if supplier:
        qs = qs.filter(supplier_id=getattr(supplier, "pk", supplier))
    rows: dict[tuple, AgingRow] = {}
    for r in qs.order_by():
        key = (r["supplier_id"], r["currency_id"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = AgingRow(r["supplier_id"], r["currency_id"], [Decimal(0)] * len(BUCKETS), 0, None)
        row.buckets[bucket_of((today - r["due_date"]).days)] += r["open"]
        row.invoices += r["n"]
        row.next_due = min(row.next_due or r["due_date"], r["due_date"])
    from gendan.parties.models import Supplier

    suppliers = Supplier.objects.in_bulk({k[0] for k in rows})
    for row in rows.values():
        row.supplier = suppliers[row.supplier]
    return sorted(rows.values(), key=lambda r: (r.supplier.code, r.currency))


def aging_totals(rows: list[AgingRow]) -> dict[str, list[Decimal]]:
    """Bucket totals per currency (amounts of different currencies are never added)."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(BUCKETS))
    for row in rows:
        for i, value in enumerate(row.buckets):
            totals[row.currency][i] += value
    return dict(sorted(totals.items()))
