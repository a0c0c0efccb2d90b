"""Demo purchasing: for the newest in-production orders (at most ``MAX_PRODUCTION_ORDERS``
production orders, so the step costs the same at 300 and 100 000 orders), the BOM confirmed,
the material requirements derived as ``requirements_derive`` would, and purchase orders to
the material suppliers covering them — some received, some on the way, some late — so the
shortage list and the orders' Materials panels have something to say.

Quantities go through the same functions as the services (``bom_quantities``,
``need_date_for``, ``line_amount``), so the demo agrees with what the pages compute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.core.events import events_bulk_created
from gendan.core.money import line_amount, sum_amounts
from gendan.core.numbering import number_next_block
from gendan.demo.events import DEMO_DATA
from gendan.parties.models import Supplier
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.purchasing.models import (
    BomConfirmation,
    GoodsReceipt,
    GoodsReceiptLine,
    MaterialRequirement,
    PurchaseCoverage,
    PurchaseOrder,
    PurchaseOrderLine,
)
from gendan.purchasing.services.requirements import bom_quantities, need_date_for

MAX_PRODUCTION_ORDERS = 120
R, P = MaterialRequirement.Status, PurchaseOrder.Status
# What happened to a purchase order, with its weight, for materials needed by now and for
# materials needed later: received, partly received, on the way, late, not yet sent.
FATES_DUE = (("received", 16), ("partly", 2), ("late", 2))
DAY = dt.timedelta(days=1)
FATES_LATER = (("partly", 1), ("on_time", 6), ("late", 2), ("draft", 1))


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    buyer = ctx.users.get("buyer") or ctx.users["admin"]
    merch = ctx.users.get("merch") or ctx.users["admin"]
    suppliers = list(Supplier.objects.filter(kind=Supplier.Kind.MATERIAL_SUPPLIER, is_active=True).order_by("code"))
    productions = list(
        ProductionOrder.objects.filter(status__in=[ProductionOrder.Status.ISSUED, ProductionOrder.Status.ACCEPTED,
                                                   ProductionOrder.Status.IN_PRODUCTION, ProductionOrder.Status.DRAFT])
        .select_related("supplier").prefetch_related(Prefetch(
            "lines", queryset=ProductionOrderLine.objects.select_related("order_line")))
        .order_by("-id")[:MAX_PRODUCTION_ORDERS])
    if not suppliers or not productions:
        return
    confirmations, requirements = [], []
    for production_order in productions:
        wanted = bom_quantities(production_order)
        if not wanted:
            continue
        need = need_date_for(production_order)
        confirmations.append(BomConfirmation(production_order=production_order, confirmed_by=merch,
                                             confirmed_at=production_order.created_at + dt.timedelta(days=1)))
        for component_id, quantity in wanted.items():
            requirements.append(MaterialRequirement(
                production_order=production_order, component_id=component_id, required_quantity=quantity,
                need_date=need, purchaser=buyer))
    BomConfirmation.objects.bulk_create(confirmations, batch_size=2000)
    units = dict(_units({r.component_id for r in requirements}))
    for requirement in requirements:
        requirement.unit = units.get(requirement.component_id, "pcs")
    MaterialRequirement.objects.bulk_create(requirements, batch_size=2000)
    requirements = list(MaterialRequirement.objects.filter(production_order__in=productions)
                        .order_by("need_date", "pk"))

    # One supplier per material (as a buyer keeps buying from the same one), most requirements
    # ordered, one purchase order per supplier and batch of production orders.
    supplier_of = {}
    for component_id in sorted({r.component_id for r in requirements}):
        supplier_of[component_id] = rng.choice(suppliers)
    batches: dict[tuple[int, bool, int], list[MaterialRequirement]] = defaultdict(list)
    for index, requirement in enumerate(requirements):
        requirement.supplier = supplier_of[requirement.component_id]
        due = requirement.need_date <= today + dt.timedelta(days=3)
        if due or rng.random() < 0.85:  # a few materials needed later are not ordered yet
            batches[(requirement.supplier.pk, due, index // 40)].append(requirement)
    fates = {due: [fate for fate, weight in (FATES_DUE if due else FATES_LATER) for _ in range(weight)]
             for due in (True, False)}
    orders, plans = [], []
    for (_supplier_id, due, _batch), rows in batches.items():
        fate = rng.choice(fates[due])
        first_need = min(r.need_date for r in rows)
        order_date = min(today, first_need - dt.timedelta(days=rng.randint(12, 25)))
        orders.append(PurchaseOrder(supplier=rows[0].supplier, currency_id="CNY", purchaser=buyer,
                                    order_date=order_date, status=_status(fate)))
        plans.append((fate, rows))
    numbers = number_next_block(code="purchase_order", count=len(orders), on_date=today)
    for order, number in zip(orders, numbers, strict=True):
        order.number = number
    PurchaseOrder.objects.bulk_create(orders, batch_size=1000)
    orders = list(PurchaseOrder.objects.filter(number__in=numbers).order_by("pk"))
    by_number = {o.number: o for o in orders}
    lines, coverages, receipt_lines = [], [], []
    receipts: dict[int, GoodsReceipt] = {}
    for number, (fate, rows) in zip(numbers, plans, strict=True):
        order = by_number[number]
        by_material: dict[int, list[MaterialRequirement]] = defaultdict(list)
        for requirement in rows:
            by_material[requirement.component_id].append(requirement)
        amounts = []
        for line_no, (component_id, covered) in enumerate(sorted(by_material.items()), start=1):
            quantity = sum((r.required_quantity for r in covered), Decimal(0))
            price = Decimal(rng.randint(5, 900)) / 100
            eta = _eta(fate, covered, order.order_date, today, rng)
            if fate == "late" and line_no > 1:  # a late order: one material late, the others arrive in time
                eta = max(order.order_date, min(eta, min(r.need_date for r in covered) - (1 + line_no % 5) * DAY))
            received = quantity if fate == "received" else (
                (quantity * Decimal(rng.randint(30, 70)) / 100).quantize(Decimal("1")) if fate == "partly" else 0)
            line = PurchaseOrderLine(purchase_order=order, line_no=line_no, material_id=component_id,
                                     quantity=quantity, unit=covered[0].unit, unit_price=price,
                                     amount=line_amount(quantity, price, "CNY"), eta=eta, received_quantity=received)
            line.covered, line.received_left = covered, received
            lines.append(line)
            amounts.append(line.amount)
        order.total_amount = sum_amounts(amounts, "CNY")
        order.sent_at = None if fate == "draft" else timezone.now() - dt.timedelta(days=(today - order.order_date).days)
    PurchaseOrder.objects.bulk_update(orders, ["total_amount", "sent_at"], batch_size=1000)
    PurchaseOrderLine.objects.bulk_create(lines, batch_size=2000)
    for line in lines:
        left = line.received_left
        for requirement in line.covered:  # oldest need first, as goods_receive fills them
            got = min(left, requirement.required_quantity)
            left -= got
            coverages.append(PurchaseCoverage(line=line, requirement=requirement, quantity=requirement.required_quantity,
                                              received_quantity=got))
            if line.purchase_order.status != P.DRAFT:
                requirement.eta = line.eta
                requirement.received_quantity = got
                requirement.arrived_on = min(today, line.eta) if got else None
                requirement.status = R.RECEIVED if got >= requirement.required_quantity else (
                    R.PARTLY_RECEIVED if got else R.ORDERED)
        if line.received_quantity:  # one delivery per purchase order, on its earliest ETA
            if line.purchase_order.pk not in receipts:
                receipts[line.purchase_order.pk] = GoodsReceipt(
                    purchase_order=line.purchase_order, received_on=min(today, line.eta), received_by=buyer)
            receipts[line.purchase_order.pk].received_on = min(receipts[line.purchase_order.pk].received_on,
                                                               today, line.eta)
            receipt_lines.append(line)
    PurchaseCoverage.objects.bulk_create(coverages, batch_size=2000)
    GoodsReceipt.objects.bulk_create(list(receipts.values()), batch_size=2000)
    GoodsReceiptLine.objects.bulk_create([GoodsReceiptLine(receipt=receipts[line.purchase_order.pk], line=line,
                                                           quantity=line.received_quantity)
                                          for line in receipt_lines], batch_size=2000)
    for n, requirement in enumerate(requirements):
        if requirement.eta is None and rng.random() < 0.5:  # not yet ordered, but the supplier quoted a date
            days = rng.randint(-6, 4)  # before the need date, but for one in five quotes
            requirement.eta = requirement.need_date + dt.timedelta(days=days if days <= 0 or n % 5 == 0 else -days)
    MaterialRequirement.objects.bulk_update(
        requirements, ["supplier", "eta", "received_quantity", "arrived_on", "status"], batch_size=2000)
    events_bulk_created(actor=buyer, objs=orders, kind=DEMO_DATA)
    short = sum(1 for r in requirements if r.shortage_reason(today))
    ctx.say(f"  {len(confirmations)} BOMs confirmed, {len(requirements)} material requirements ({short} short), "
            f"{len(orders)} purchase orders")


def _units(component_ids):
    return Product.objects.filter(pk__in=list(component_ids)).values_list("pk", "unit")


def _status(fate: str) -> str:
    return {"received": P.RECEIVED, "partly": P.PARTLY_RECEIVED, "on_time": P.CONFIRMED, "late": P.CONFIRMED,
            "draft": P.DRAFT}[fate]


def _eta(fate: str, covered, order_date: dt.date, today: dt.date, rng) -> dt.date:
    need = min(r.need_date for r in covered)
    if fate == "late":  # promised after the need date, or already overdue
        return max(order_date, need + dt.timedelta(days=rng.randint(1, 8))) if rng.random() < 0.6 \
            else max(order_date, today - dt.timedelta(days=rng.randint(1, 5)))
    if fate == "received":
        return max(order_date, min(today, need - dt.timedelta(days=rng.randint(1, 6))))
    return max(order_date, need - dt.timedelta(days=rng.randint(1, 7)))
