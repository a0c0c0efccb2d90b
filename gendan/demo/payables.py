"""The demo's supplier invoices, VAT invoices, payments and supplier statements
(``gendan.payables``, invoices part). Runs before the rebates step (which invoices, for its
shipments, only the production orders left without an invoice here).

The factories of the latest shipped orders (at most ``INVOICES`` production orders, whatever the
scale) invoiced their production order at its cost, a few days after the goods left; most sent
their VAT special invoice (``VAT_SHARE``); finance paid most in full, some only a deposit, some
nothing yet — so the open list and its aging have every bucket. A few forwarders' and couriers'
invoices for the same orders. The latest ``RESERVED`` shipped orders still open are left
uninvoiced for the rebates step (their rebates wait for the VAT invoice). Last month's
statements of the first ``STATEMENTS`` factories are issued through the service (numbered,
frozen), one of them disputed by the factory and on the purchasing board. Bulk rows; bounded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from gendan.core.money import round_money
from gendan.core.numbering import number_next_block
from gendan.demo.production import CNY_PER
from gendan.parties.models import Supplier
from gendan.payables.models import SupplierInvoice, SupplierPayment, VatInvoice
from gendan.payables.selectors.statements import month_start
from gendan.payables.services.statements import statement_issue, statement_reply
from gendan.production.models import ProductionOrder
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment

INVOICES = 80
SERVICES = 12
VAT_SHARE = 0.85
VAT_MISSING_DAYS = 30  # older invoices all have their VAT invoice (its rebate would be late on the board)
STATEMENTS = 3
RESERVED = 2  # the latest shipped orders still open whose factory invoices are left to the rebates step
DAY = dt.timedelta(days=1)


def seed(ctx) -> None:
    finance = ctx.users.get("finance") or ctx.users["admin"]
    buyer = ctx.users.get("buyer") or finance
    today, now = timezone.localdate(), timezone.now()
    shipped, reserved = {}, []
    for s in (Shipment.objects.filter(status=Shipment.Status.SHIPPED, shipped_on__isnull=False)
              .order_by("-shipped_on", "-id").values("order_id", "order__status", "shipped_on")[:INVOICES * 3]):
        if s["order__status"] == SalesOrder.Status.SHIPPED and len(reserved) < RESERVED and s["order_id"] not in shipped:
            # left to the rebates step: their factories have not invoiced yet, so their rebates wait for
            # the VAT invoice whatever the draws below (which orders they take depends on row ids)
            reserved.append(s["order_id"])
        shipped.setdefault(s["order_id"], s["shipped_on"])
    for order_id in reserved:
        del shipped[order_id]
    pos = list(ProductionOrder.objects.filter(sales_order_id__in=shipped, kind=ProductionOrder.Kind.OUTSOURCED)
               .exclude(status=ProductionOrder.Status.CANCELLED).annotate(n=Count("supplier_invoices"))
               .filter(n=0).select_related("sales_order").order_by("-id")[:INVOICES])
    if not pos:
        return
    rng = ctx.rng
    numbers = iter(number_next_block(code="supplier_invoice", count=len(pos) + SERVICES))
    invoices = []
    for po in pos:
        amount = po.total_cost if po.total_cost > 0 else round_money(po.sales_order.total_amount * 5, "CNY")
        day = min(today, shipped[po.sales_order_id] + rng.randint(1, 6) * DAY)
        invoices.append(SupplierInvoice(
            number=next(numbers), supplier_id=po.supplier_id, supplier_invoice_no=f"FP{po.pk:08d}",
            kind=SupplierInvoice.Kind.PRODUCTION, production_order=po, sales_order_id=po.sales_order_id,
            currency_id=po.currency_id or "CNY", amount=amount, tax_amount=round_money(amount * 13 / 113, "CNY"),
            invoice_date=day, due_date=day + 30 * DAY, recorded_by=buyer))
    carriers = list(Supplier.objects.filter(kind__in=[Supplier.Kind.FORWARDER, Supplier.Kind.COURIER])
                    .order_by("code")[:4])
    for i, po in enumerate(pos[:SERVICES] if carriers else []):
        carrier = carriers[i % len(carriers)]
        forwarder = carrier.kind == Supplier.Kind.FORWARDER
        # What the forwarder charges us follows the goods' value (1.5-3.5 % of the order, in CNY), not a flat
        # sum: a flat CNY 6 500 on a small order made it a loss nobody could explain. The courier's
        # parcel of documents or samples costs what it costs.
        order = po.sales_order
        value = order.total_amount * CNY_PER.get(order.currency_id, CNY_PER["USD"])
        amount = (round_money(value * Decimal(rng.randint(15, 35)) / 1000, "CNY") if forwarder
                  else Decimal(rng.randint(80, 400)))
        day = min(today, shipped[po.sales_order_id] + 2 * DAY)
        invoices.append(SupplierInvoice(
            number=next(numbers), supplier=carrier, supplier_invoice_no=f"SV{po.pk:06d}-{i}",
            kind=SupplierInvoice.Kind.SERVICE,
            service_kind=SupplierInvoice.ServiceKind.FREIGHT if forwarder else SupplierInvoice.ServiceKind.COURIER,
            sales_order_id=po.sales_order_id, currency_id="CNY", amount=amount, invoice_date=day,
            due_date=day + 15 * DAY, vat_required=False, recorded_by=buyer))
    SupplierInvoice.objects.bulk_create(invoices, batch_size=500)
    invoices = list(SupplierInvoice.objects.filter(number__in=[i.number for i in invoices]).order_by("number"))
    vats, payments = [], []
    for inv in invoices:
        age = (today - inv.invoice_date).days
        # A factory sends its VAT invoice within weeks (finance chases it): only a recent one is missing.
        if inv.vat_required and (rng.random() < VAT_SHARE or age > VAT_MISSING_DAYS):
            vats.append(VatInvoice(supplier_invoice=inv, number=f"4403{inv.pk:08d}",
                                   issued_on=min(today, inv.invoice_date + 2 * DAY),
                                   net_amount=inv.amount - inv.tax_amount, tax_amount=inv.tax_amount,
                                   recorded_by=buyer, recorded_at=now))
        roll = rng.random()
        if roll < 0.6 and age > 20:  # paid in full (a deposit first for the factories)
            if inv.kind == SupplierInvoice.Kind.PRODUCTION:
                deposit = round_money(inv.amount * Decimal("0.3"), "CNY")
                payments.append(_payment(inv, deposit, inv.invoice_date + DAY, finance, now))
                payments.append(_payment(inv, inv.amount - deposit, min(today, inv.invoice_date + 25 * DAY),
                                         finance, now))
            else:
                payments.append(_payment(inv, inv.amount, min(today, inv.invoice_date + 10 * DAY), finance, now))
            inv.paid_amount, inv.status = inv.amount, SupplierInvoice.Status.PAID
        elif roll < 0.85 and inv.kind == SupplierInvoice.Kind.PRODUCTION:  # a deposit only
            deposit = round_money(inv.amount * Decimal("0.3"), "CNY")
            payments.append(_payment(inv, deposit, min(today, inv.invoice_date + DAY), finance, now))
            inv.paid_amount = deposit
    VatInvoice.objects.bulk_create(vats, batch_size=500, ignore_conflicts=True)
    SupplierPayment.objects.bulk_create(payments, batch_size=500)
    SupplierInvoice.objects.bulk_update(invoices, ["paid_amount", "status"], batch_size=500)
    _statements(ctx, buyer, today)


def _payment(invoice, amount, day, actor, now) -> SupplierPayment:
    return SupplierPayment(invoice=invoice, amount=amount, paid_on=day, bank_reference=f"BOC{invoice.pk:06d}{day:%m%d}",
                           recorded_by=actor, recorded_at=now)


def _statements(ctx, buyer, today) -> None:
    """Last month's statements of the factories with the most invoices then; the first disputed."""
    month = month_start(month_start(today) - DAY)
    factories = list(SupplierInvoice.objects.filter(kind=SupplierInvoice.Kind.PRODUCTION, currency_id="CNY",
                                                    invoice_date__gte=month, invoice_date__lt=month_start(today))
                     .values("supplier_id").annotate(n=Count("id")).order_by("-n", "supplier_id")[:STATEMENTS])
    for i, row in enumerate(factories):
        statement = statement_issue(actor=buyer, supplier_id=row["supplier_id"], month=month, currency="CNY")
        invoice_line = next((x for x in statement.lines if x["kind"] == "invoice"), None)
        if i == 0 and invoice_line is not None:
            statement_reply(actor=buyer, statement_id=statement.pk, outcome="disputed", note="工厂回传对账单有异议",
                            disputes=[{"line_ref": invoice_line["ref"], "amount": "",
                                       "reason": "工厂称单价按新报价，每件高 0.20 元"}])
        elif i == 1:
            statement_reply(actor=buyer, statement_id=statement.pk, outcome="confirmed", note="已签字盖章回传")
