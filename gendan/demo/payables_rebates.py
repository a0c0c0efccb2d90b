"""The demo's export tax rebates and order profit (``gendan.payables``, rebates and profit part).

After the payables step: the latest shipped shipments (at most ``SHIPMENTS``, whatever the
scale) get their customs declaration and rebate. The goods' factories invoiced with a VAT
invoice (created here when the payables step left none); four in five rebates are received
(a few with a small difference from the expected amount), some filed, and ``BLOCKED`` wait for
a factory's VAT invoice — on the blocked list and the merchandiser's board. Products without a
rebate rate get one (13 %, boxes and paper 9 %). Booked exchange rates are added for the orders'
currencies when finance has none; a few orders get a commission; the profit of the latest
confirmed orders is estimated (``ESTIMATES``). Bulk rows; bounded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.core.money import round_money
from gendan.exportdocs.models import ProductExportData
from gendan.finance.models import ExchangeRate
from gendan.payables.models import OrderCost, SupplierInvoice, TaxRebate, VatInvoice
from gendan.payables.selectors.profit import SIGN, RateBook, profits_for
from gendan.payables.selectors.rebates import rebates_compute
from gendan.payables.services.profit import order_cost_add, profit_estimate
from gendan.production.models import ProductionOrder
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment, ShipmentLine

SHIPMENTS = 60
BLOCKED = 5
BLOCKED_WITHIN_DAYS = 45  # its customs declaration + 30 days: late on the board by at most two weeks
ESTIMATES = 150
COMMISSIONS = 12
RATES = {"USD": Decimal("7.1200"), "EUR": Decimal("7.7500"), "GBP": Decimal("9.0500"), "JPY": Decimal("0.0478"),
         "AUD": Decimal("4.6500"), "HKD": Decimal("0.9120")}
DAY = dt.timedelta(days=1)


def seed(ctx) -> None:
    actor = ctx.users.get("finance") or ctx.users.get("gm") or ctx.users["admin"]
    today, now = timezone.localdate(), timezone.now()
    _rates(actor, now)
    shipments = list(Shipment.objects.filter(status=Shipment.Status.SHIPPED, shipped_on__isnull=False,
                                             tax_rebate__isnull=True)
                     .select_related("order").order_by("-shipped_on", "-id")[:SHIPMENTS * 2])
    # one shipment per order (a VAT invoice serves one rebate: a second shipment of an order would
    # compete for its invoices here; the service decides them one by one)
    seen: set[int] = set()
    shipments = [s for s in shipments if not (s.order_id in seen or seen.add(s.order_id))][:SHIPMENTS]
    if not shipments:
        return
    _rebate_rates(shipments)
    # blocked: a few of the last weeks' shipments (a factory's VAT invoice is missing weeks, not months)
    # among those whose factory has not invoiced yet (the invoice made below comes without its VAT
    # invoice); when none shipped in those weeks, the latest such shipment, so the demo always
    # shows one rebate waiting for its VAT invoice, whichever values the seed drew
    uninvoiced = set(ProductionOrder.objects.filter(sales_order_id__in={s.order_id for s in shipments},
                                                    kind=ProductionOrder.Kind.OUTSOURCED)
                     .exclude(status=ProductionOrder.Status.CANCELLED).annotate(n=Count("supplier_invoices"))
                     .filter(n=0).values_list("sales_order_id", flat=True))
    # of an order still open (shipped, its balance to come): a completed one's margin would lose the rebate
    uninvoiced_shipments = [s for s in shipments if s.order_id in uninvoiced]
    candidates = [s for s in uninvoiced_shipments if s.order.status == SalesOrder.Status.SHIPPED]
    recent = ([s for s in candidates if s.shipped_on >= today - BLOCKED_WITHIN_DAYS * DAY] or candidates[:1]
              or uninvoiced_shipments[:1])
    blocked_ids = {s.pk for s in recent[:: max(1, len(recent) // BLOCKED)][:BLOCKED]}
    _invoices(shipments, blocked_ids, actor, today, now)
    rebates = []
    last = TaxRebate.objects.count()
    for n, s in enumerate(shipments, start=last + 1):
        declared = max(s.shipped_on - 2 * DAY, dt.date(2000, 1, 1))
        rebates.append(TaxRebate(shipment=s, declaration_no=f"2231{declared:%Y}{n:010d}", declared_on=declared,
                                 recorded_by=actor))
    TaxRebate.objects.bulk_create(rebates, batch_size=500)
    rebates = list(TaxRebate.objects.filter(shipment__in=shipments).select_related("shipment"))
    comps = rebates_compute([r.shipment_id for r in rebates], rebate_of={r.shipment_id: r.pk for r in rebates})
    claims = []
    for i, r in enumerate(rebates):
        comp = comps[r.shipment_id]
        r.expected_amount = comp.expected
        claims += [(vat_id, r.pk) for vat_id in comp.vat_invoice_ids]
        age = (today - r.declared_on).days
        if comp.missing:
            r.status = TaxRebate.Status.WAITING
        elif age > 45 and i % 5:
            r.status, r.filed_on, r.received_on = TaxRebate.Status.RECEIVED, r.declared_on + 10 * DAY, \
                min(today, r.declared_on + 40 * DAY)
            # the tax office sometimes pays a little less (a line's rate changed, rounding)
            r.received_amount = r.expected_amount - (Decimal("12.50") if i % 7 == 0 else Decimal("0"))
        elif age > 10:
            r.status, r.filed_on = TaxRebate.Status.FILED, r.declared_on + 10 * DAY
        else:
            r.status = TaxRebate.Status.READY
    TaxRebate.objects.bulk_update(rebates, ["status", "expected_amount", "received_amount", "filed_on", "received_on"],
                                  batch_size=500)
    for vat_id, rebate_id in claims:
        VatInvoice.objects.filter(pk=vat_id, rebate__isnull=True).update(rebate_id=rebate_id)
    _commissions(actor, today, now)
    _air_freight_loss(ctx, actor, today)
    _estimates()
    ctx.say(f"  tax rebates: {len(rebates)} ({sum(1 for r in rebates if r.status == 'waiting')} waiting for a VAT "
            f"invoice)")


def _rates(actor, now) -> None:
    have = set(ExchangeRate.objects.values_list("currency_id", flat=True).distinct())
    used = set(SalesOrder.objects.values_list("currency_id", flat=True).distinct())
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(currency_id=c, valid_from=dt.date(2020, 1, 1), cny_per_unit=RATES.get(c, Decimal("1")),
                      set_by=actor, set_at=now, note="demo") for c in sorted(used - have - {"CNY"}) if c in RATES],
        ignore_conflicts=True)


def _rebate_rates(shipments) -> None:
    ids = set(ShipmentLine.objects.filter(shipment__in=shipments, order_line__product__isnull=False)
              .values_list("order_line__product_id", flat=True))
    products = Product.objects.filter(pk__in=ids, export_data__isnull=True)
    rows = []
    for p in products:
        paper = (p.hs_code or "").startswith("48")
        rows.append(ProductExportData(product=p, rebate_rate_pct=Decimal("9") if paper else Decimal("13")))
    ProductExportData.objects.bulk_create(rows, ignore_conflicts=True)
    ProductExportData.objects.filter(product_id__in=ids, rebate_rate_pct__isnull=True).update(rebate_rate_pct=Decimal("13"))


def _invoices(shipments, blocked_ids, actor, today, now) -> None:
    """A production invoice with its VAT invoice for each outsourced production order of the
    shipments' orders that has none (the blocked ones: the invoice without its VAT invoice)."""
    orders = {s.order_id: s for s in shipments}
    blocked_orders = {s.order_id for s in shipments if s.pk in blocked_ids}
    pos = list(ProductionOrder.objects.filter(sales_order_id__in=orders, kind=ProductionOrder.Kind.OUTSOURCED)
               .exclude(status=ProductionOrder.Status.CANCELLED)
               .annotate(n=Count("supplier_invoices")).select_related("sales_order"))
    start = SupplierInvoice.objects.count() + 1
    invoices = []
    for i, po in enumerate(p for p in pos if p.n == 0):
        amount = po.total_cost if po.total_cost > 0 else round_money(po.sales_order.total_amount * Decimal("5"), "CNY")
        shipped_on = orders[po.sales_order_id].shipped_on
        invoices.append(SupplierInvoice(
            number=f"AP-DEMO-{start + i:06d}", supplier_id=po.supplier_id, supplier_invoice_no=f"FR{start + i:08d}",
            kind=SupplierInvoice.Kind.PRODUCTION, production_order=po, sales_order_id=po.sales_order_id,
            currency_id=po.currency_id or "CNY", amount=amount,
            tax_amount=round_money(amount * 13 / 113, "CNY"), invoice_date=min(today, shipped_on + 3 * DAY),
            due_date=shipped_on + 33 * DAY, recorded_by=actor, note="demo"))
    SupplierInvoice.objects.bulk_create(invoices, batch_size=500)
    with_vat = SupplierInvoice.objects.filter(production_order__sales_order_id__in=orders, note="demo",
                                              vat_invoices__isnull=True).exclude(sales_order_id__in=blocked_orders)
    VatInvoice.objects.bulk_create(
        [VatInvoice(supplier_invoice=inv, number=f"4400{inv.pk:08d}", issued_on=inv.invoice_date,
                    net_amount=inv.amount - inv.tax_amount, tax_amount=inv.tax_amount, recorded_by=actor,
                    recorded_at=now) for inv in with_vat],
        batch_size=500, ignore_conflicts=True)


def _commissions(actor, today, now) -> None:
    orders = list(SalesOrder.objects.filter(confirmed_at__isnull=False, extra_costs__isnull=True)
                  .exclude(status=SalesOrder.Status.CANCELLED).order_by("-confirmed_at")[:COMMISSIONS])
    OrderCost.objects.bulk_create([OrderCost(
        order=o, kind=OrderCost.Kind.COMMISSION, currency_id=o.currency_id,
        amount=max(Decimal("1.00"), round_money(o.total_amount * Decimal("0.02"), "CNY")),
        incurred_on=min(today, timezone.localdate(o.confirmed_at) + 5 * DAY), note="代理佣金 2%", recorded_by=actor,
        recorded_at=now) for o in orders])


AIR_FREIGHT_NOTE = ("出货前发现两款颜色做错，重做后为赶船期改空运，运费由我司承担 / Two colours made wrong; "
                    "remade and flown to keep the customer's date — air freight at our cost")


def _air_freight_loss(ctx, actor, today: dt.date) -> None:
    """One completed order that lost money, and why (its timeline says it): remade goods sent by
    air at our cost — the profit report's one red line."""
    order = (SalesOrder.objects.filter(status=SalesOrder.Status.COMPLETED, currency_id="USD")
             .exclude(extra_costs__kind=OrderCost.Kind.FREIGHT).order_by("-confirmed_at").first())
    if order is None:
        return
    lines = profits_for([order])[order.pk]
    selling = lines["selling"].value
    profit = sum((SIGN[key] * line.value for key, line in lines.items()), Decimal("0"))
    amount = round_money(max(profit, Decimal("0")) + selling * Decimal("0.03"), "CNY")  # 3 % below nothing
    if amount <= 0:
        return
    order_cost_add(actor=actor, order_id=order.pk, kind=OrderCost.Kind.FREIGHT, currency="CNY", amount=amount,
                   incurred_on=min(today, order.ex_factory_date + 2 * DAY), note=AIR_FREIGHT_NOTE)
    ctx.say(f"  {order.number}: air freight at our cost (CNY {amount}), the order made a loss")


def _estimates() -> None:
    book = RateBook()
    orders = (SalesOrder.objects.filter(confirmed_at__isnull=False, profit_estimate__isnull=True)
              .exclude(status=SalesOrder.Status.CANCELLED).select_related("quotation").order_by("-confirmed_at"))
    for order in orders[:ESTIMATES]:
        profit_estimate(order, book=book)
