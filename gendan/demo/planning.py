"""Demo planning data: lines for the workshops and factories that have work, the schedule of a
bounded set of open production orders (the 300 due soonest), a few days of progress for those
in production, and a few production exceptions. Bounded, so ``--orders 100000`` stays fast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.core.calendar import WorkCalendar
from gendan.core.events import events_bulk_created
from gendan.demo.events import DEMO_SCHEDULE
from gendan.planning.models import DEFAULT_STAGES, ProductionException, ProgressEntry, ScheduleEntry, WorkLine
from gendan.production.models import ProductionOrder, ProductionOrderLine

LIMIT = 300
STAGES = [code for code, _zh, _en in DEFAULT_STAGES]


def seed(ctx) -> None:
    planner = ctx.users.get("planner") or ctx.users["admin"]
    S = ProductionOrder.Status
    orders = list(ProductionOrder.objects.filter(status__in=[S.ISSUED, S.ACCEPTED, S.IN_PRODUCTION])
                  .select_related("sales_order", "supplier").order_by("due_date", "pk")[:LIMIT])
    if not orders:
        return
    rng, today = ctx.rng, timezone.localdate()
    suppliers = sorted({po.supplier_id for po in orders})
    lines = WorkLine.objects.bulk_create([
        WorkLine(workshop_id=sid, name=name, capacity_per_day=rng.choice([1500, 2500, 4000]))
        for sid in suppliers for name in ("A线", "B线")])
    by_supplier: dict[int, list[WorkLine]] = {}
    for line in lines:
        by_supplier.setdefault(line.workshop_id, []).append(line)
    totals: dict[int, Decimal] = {}
    for po_id, qty in ProductionOrderLine.objects.filter(production_order__in=orders).values_list(
            "production_order_id", "quantity"):
        totals[po_id] = totals.get(po_id, Decimal("0")) + qty
    entries, calendar = [], WorkCalendar()
    for po in orders:
        line = rng.choice(by_supplier[po.supplier_id])
        started = po.status == S.IN_PRODUCTION
        start = today - dt.timedelta(days=rng.randint(2, 8)) if started else today + dt.timedelta(days=rng.randint(1, 20))
        start = start + dt.timedelta(days=(7 - start.weekday()) % 7 if start.weekday() >= 5 else 0)
        days = max(2, min(15, int(totals.get(po.pk, Decimal("1")) / line.capacity_per_day * Decimal("1.3")) + 1))
        # The run ends on its days-th working day: past a weekend and past a holiday (Qingming,
        # the Spring Festival) that falls in it.
        end = calendar.add_working_days(calendar.add_working_days(start, 0), days - 1)
        # Now and then the factory is planned past the order's ex-factory date: the Gantt marks it.
        entries.append(ScheduleEntry(production_order=po, work_line=line, start=start, end=end,
                                     quantity=totals.get(po.pk, Decimal("1")), created_by=planner))
    ScheduleEntry.objects.bulk_create(entries, batch_size=500)
    events_bulk_created(actor=planner, objs=entries, kind=DEMO_SCHEDULE)
    _progress(orders=[po for po in orders if po.status == S.IN_PRODUCTION], planner=planner, rng=rng, today=today)
    _exceptions(orders=orders, ctx=ctx, today=today)
    ctx.say(f"Planning: {len(lines)} lines, {len(entries)} schedule entries.")


def _progress(*, orders, planner, rng, today) -> None:
    rows = []
    for line in ProductionOrderLine.objects.filter(production_order__in=orders).select_related("production_order"):
        created = timezone.localtime(line.production_order.created_at).date()
        days = [d for d in (today - dt.timedelta(days=n) for n in (2, 1, 0)) if d >= created]
        if not days:
            continue
        packed = line.produced_quantity  # the last stage is what the order already shows as produced
        for index, stage in enumerate(STAGES):
            final = packed if stage == STAGES[-1] else min(line.quantity, packed + (
                line.quantity - packed) * Decimal(len(STAGES) - 1 - index) / Decimal(len(STAGES)))
            final = final.quantize(Decimal("1")) if stage != STAGES[-1] else final
            for k, day in enumerate(days, start=1):
                qty = final if k == len(days) else (final * k / len(days)).quantize(Decimal("1"))
                if stage == STAGES[-1] and k < len(days):
                    qty = min(qty, packed)
                rows.append(ProgressEntry(line=line, production_order_id=line.production_order_id, stage=stage,
                                          date=day, cumulative_quantity=qty, recorded_by=planner,
                                          expected_finish=line.production_order.due_date if k == len(days) else None))
    ProgressEntry.objects.bulk_create(rows, batch_size=1000)


def _exceptions(*, orders, ctx, today) -> None:
    reporters = [ctx.users.get(name) for name in ("planner", "qc", "merch")]
    texts = [
        (ProductionException.Kind.MATERIAL_SHORTAGE, "釉料供应商延迟到货 200 kg，预计晚 5 天 / Glaze delivery 5 days late"),
        (ProductionException.Kind.QUALITY, "首检发现杯把开裂，需调整窑温 / Cracked handles at first article"),
        (ProductionException.Kind.CAPACITY, "A线设备检修两天 / Line A down for maintenance, 2 days"),
    ]
    for (kind, text), po, reporter in zip(texts, orders[:3], reporters, strict=False):
        if reporter is None:
            continue
        moved = max(po.sales_order.ex_factory_date or today, today) + dt.timedelta(days=5)
        exception = ProductionException.objects.create(
            kind=kind, description=text, reported_by=reporter, escalated_at=timezone.now(),
            escalated_to=", ".join(u.email for u in (ctx.users.get("gm"),) if u is not None),
            new_ex_factory_date=moved if kind == ProductionException.Kind.MATERIAL_SHORTAGE else None)
        exception.production_orders.add(po)
        exception.sales_orders.add(po.sales_order)
        events_bulk_created(actor=reporter, objs=[exception], message=text)
