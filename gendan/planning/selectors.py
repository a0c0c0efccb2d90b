"""Reads for the planning pages, scoped to the user through the sales orders they may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from gendan.core.calendar import non_working_days
from gendan.planning.models import ProductionException, ProgressEntry, ScheduleEntry, WorkLine
from gendan.planning.services.schedule import daily_load
from gendan.planning.stages import Stage, line_category_id, stages_by_category
from gendan.production.materials import MaterialsDue, materials_due
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.sales.selectors import order_queryset


def production_order_queryset(user) -> QuerySet[ProductionOrder]:
    """Production orders of the sales orders ``user`` may see."""
    if not user.is_authenticated or not user.has_perm("planning.view_progressentry"):
        return ProductionOrder.objects.none()
    return ProductionOrder.objects.filter(sales_order__in=order_queryset(user).values("pk")).select_related(
        "sales_order__customer", "supplier")


def production_order_for_progress(*, user, pk: int) -> ProductionOrder:
    try:
        return production_order_queryset(user).prefetch_related(
            Prefetch("lines", queryset=ProductionOrderLine.objects.select_related("order_line__product")
                     .order_by("order_line__line_no"))).get(pk=pk)
    except (ProductionOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such production order.") from None


@dataclass
class LineProgress:
    line: ProductionOrderLine
    stages: list[Stage]
    done: dict[str, Decimal] = field(default_factory=dict)  # stage → latest cumulative
    today: dict[str, Decimal] = field(default_factory=dict)  # stage → today's entry
    expected_finish: dt.date | None = None

    def percent(self, stage: str) -> int:
        return int(self.done.get(stage, Decimal("0")) * 100 / self.line.quantity) if self.line.quantity else 0

    @property
    def cells(self) -> list[dict]:
        return [{"stage": s, "done": self.done.get(s.code), "today": self.today.get(s.code),
                 "percent": self.percent(s.code)} for s in self.stages]


def progress_grid(production_order: ProductionOrder, *, today: dt.date | None = None) -> list[LineProgress]:
    """Each line with its stages, the latest cumulative quantity and today's entry (2 queries)."""
    today = today or timezone.localdate()
    lines = list(production_order.lines.all())
    stages = stages_by_category(line_category_id(line) for line in lines)
    grid = {line.pk: LineProgress(line=line, stages=stages[line_category_id(line)]) for line in lines}
    for entry in ProgressEntry.objects.filter(production_order=production_order).order_by("date"):
        row = grid.get(entry.line_id)
        if row is None:
            continue
        row.done[entry.stage] = entry.cumulative_quantity
        if entry.date == today:
            row.today[entry.stage] = entry.cumulative_quantity
        if entry.expected_finish:
            row.expected_finish = entry.expected_finish
    return list(grid.values())


def order_progress(order) -> list[dict]:
    """Per production order of a sales order: % done per stage (sum of the lines' latest
    cumulative quantities over the sum of their quantities). Two queries (three with category stages)."""
    lines = list(ProductionOrderLine.objects.filter(production_order__sales_order=order)
                 .exclude(production_order__status="cancelled")
                 .select_related("production_order__supplier", "order_line__product")
                 .order_by("production_order__number", "order_line__line_no"))
    pos = list({line.production_order_id: line.production_order for line in lines}.values())
    stages = stages_by_category(line_category_id(line) for line in lines)
    latest: dict[tuple[int, str], Decimal] = {}
    finish: dict[int, dt.date] = {}
    for line_id, po_id, stage, qty, expected in (ProgressEntry.objects.filter(production_order__sales_order=order)
                                                 .order_by("date").values_list("line_id", "production_order_id",
                                                                               "stage", "cumulative_quantity",
                                                                               "expected_finish")):
        latest[(line_id, stage)] = qty
        if expected:
            finish[po_id] = max(expected, finish.get(po_id, expected))
    result = []
    for po in pos:
        po_lines = [line for line in lines if line.production_order_id == po.pk]
        order_of_stages: list[Stage] = []
        for line in po_lines:
            for stage in stages[line_category_id(line)]:
                if stage.code not in {s.code for s in order_of_stages}:
                    order_of_stages.append(stage)
        cells = []
        for stage in order_of_stages:
            having = [line for line in po_lines if stage in stages[line_category_id(line)]]
            total = sum((line.quantity for line in having), Decimal("0"))
            done = sum((latest.get((line.pk, stage.code), Decimal("0")) for line in having), Decimal("0"))
            cells.append({"stage": stage, "percent": int(done * 100 / total) if total else 0})
        result.append({"po": po, "cells": cells, "expected_finish": finish.get(po.pk)})
    return result


# --- the Gantt -----------------------------------------------------------------------------


@dataclass
class Bar:
    entry: ScheduleEntry
    col_start: int  # grid column: 1 is the line name, 2 the window's first day
    col_end: int  # exclusive
    lane: int
    late: bool
    visible: bool  # the user may see the order: otherwise a grey "busy" bar without details
    materials: str = ""  # why the work would wait for its materials (empty: it would not)


@dataclass
class GanttRow:
    line: WorkLine
    bars: list[Bar]
    lanes: int
    cells: list[dict]  # one per day: {"col", "day", "load", "over", "off"}
    first_row: int = 0

    @property
    def load_row(self) -> int:
        """The grid row under the bars that shows the units planned per day against the capacity."""
        return self.first_row + self.lanes

    @property
    def overloaded(self) -> list[dict]:
        return [c for c in self.cells if c["over"]]


@dataclass
class Gantt:
    start: dt.date
    days: list[dt.date]
    weeks: list[dict]
    rows: list[GanttRow]
    off_cols: list[int]
    today_col: int | None
    total_rows: int  # the first grid row after the last line

    @property
    def day_headers(self) -> list[dict]:
        return [{"col": n + 2, "day": d, "off": n + 2 in self.off_cols} for n, d in enumerate(self.days)]


def gantt(*, user, lines: list[WorkLine], start: dt.date, weeks: int) -> Gantt:
    """The schedule of ``lines`` for ``weeks`` weeks from the Monday of ``start``: bars in lanes
    (no two overlapping bars in one lane), the days over capacity, the non-working days."""
    start = start - dt.timedelta(days=start.weekday())
    end = start + dt.timedelta(days=7 * weeks - 1)
    days = [start + dt.timedelta(days=n) for n in range(7 * weeks)]
    entries = list(ScheduleEntry.objects.filter(work_line__in=lines, start__lte=end, end__gte=start)
                   .select_related("production_order__sales_order__customer", "work_line").order_by("start", "pk"))
    visible_orders = set(order_queryset(user).filter(pk__in={e.production_order.sales_order_id for e in entries})
                         .values_list("pk", flat=True))
    due = materials_due(e.production_order_id for e in entries)
    load = daily_load(entries, start, end)
    off = set(non_working_days(start, end))
    rows, next_row = [], 3  # grid rows 1 and 2 hold the weeks and the days
    for line in lines:
        lane_ends: list[dt.date] = []
        bars = []
        for entry in (e for e in entries if e.work_line_id == line.pk):
            lane = next((i for i, last in enumerate(lane_ends) if last < entry.start), None)
            if lane is None:
                lane_ends.append(entry.end)
                lane = len(lane_ends) - 1
            else:
                lane_ends[lane] = entry.end
            ex_factory = entry.production_order.sales_order.ex_factory_date
            bars.append(Bar(entry=entry, col_start=max((entry.start - start).days, 0) + 2,
                            col_end=min((entry.end - start).days, len(days) - 1) + 3, lane=lane,
                            late=bool(ex_factory and entry.end > ex_factory),
                            visible=entry.production_order.sales_order_id in visible_orders,
                            materials=materials_text(due.get(entry.production_order_id), entry.start)))
        cells = [{"col": n + 2, "day": day, "load": round(load.get((line.pk, day), 0)), "off": day in off,
                  "over": load.get((line.pk, day), 0) > line.capacity_per_day} for n, day in enumerate(days)]
        row = GanttRow(line=line, bars=bars, lanes=max(len(lane_ends), 1), cells=cells, first_row=next_row)
        next_row += row.lanes + 1
        rows.append(row)
    today = timezone.localdate()
    weeks_info = [{"start": days[7 * w], "col": 7 * w + 2, "label": f"W{days[7 * w].isocalendar()[1]:02d}"}
                  for w in range(weeks)]
    return Gantt(start=start, days=days, weeks=weeks_info, rows=rows,
                 off_cols=[n + 2 for n, d in enumerate(days) if d in off],
                 today_col=(today - start).days + 2 if start <= today <= end else None, total_rows=next_row)


def materials_text(due: MaterialsDue | None, start: dt.date) -> str:
    """Why work planned to start on ``start`` would wait for its materials, in the reader's
    language (empty when it would not, or nothing is known)."""
    if due is None or not due.late_for(start):
        return ""
    if due.without_eta:
        return ngettext("starts %(start)s, but %(n)d material has no ETA yet",
                        "starts %(start)s, but %(n)d materials have no ETA yet", due.without_eta) % {
            "start": start.isoformat(), "n": due.without_eta}
    return ngettext("starts %(start)s, before its material arrives (ETA %(eta)s)",
                    "starts %(start)s, before its materials arrive (last ETA %(eta)s, %(n)d open)",
                    due.open_count) % {"start": start.isoformat(), "eta": due.latest_eta.isoformat(),
                                       "n": due.open_count}


def entry_materials_warning(entry: ScheduleEntry) -> str:
    """The schedule's warning for one entry just planned or moved (see ``materials_text``)."""
    return materials_text(materials_due([entry.production_order_id]).get(entry.production_order_id), entry.start)


def work_lines(*, workshop_id: int | None = None) -> QuerySet[WorkLine]:
    qs = WorkLine.objects.filter(is_active=True).select_related("workshop")
    return qs.filter(workshop_id=workshop_id) if workshop_id else qs


def exception_queryset(user) -> QuerySet[ProductionException]:
    """Exceptions touching an order ``user`` may see (or reported by them)."""
    if not user.is_authenticated or not user.has_perm("planning.view_productionexception"):
        return ProductionException.objects.none()
    orders = order_queryset(user).values("pk")
    return (ProductionException.objects.filter(Q(sales_orders__in=orders) | Q(reported_by=user)).distinct()
            .select_related("reported_by", "resolved_by"))


def exception_get_for_user(*, user, pk: int) -> ProductionException:
    try:
        return exception_queryset(user).prefetch_related("production_orders__supplier", "sales_orders__customer",
                                                         "sales_orders__merchandiser").get(pk=pk)
    except (ProductionException.DoesNotExist, ValueError, TypeError):
        raise Http404("No such exception.") from None
