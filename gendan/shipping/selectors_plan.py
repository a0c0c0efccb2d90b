"""Reads of the shipping plan (出货计划): how much of each order line and colour × size cell the
order's live shipments (planned, loading and shipped — not cancelled) take, what is left to
plan, and whether a shipment changed since its last shipping notice.

Kept beside ``shipping.selectors`` (the shipments list and page) so the plan's services and
pages read the same numbers; every function takes an order or shipment already fetched through
its scoped selector.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment, ShipmentCell, ShipmentLine, ShippingNotice

SH = Shipment.Status
LIVE = (SH.PLANNED, SH.LOADING, SH.SHIPPED)
NOTICE_ISSUED = "shipping.notice_issued"


def qty_text(value: Decimal) -> str:
    """``600.000`` → ``600``; ``12.500`` → ``12.5``."""
    return f"{value.normalize():f}" if value else "0"


def snapshot(shipment: Shipment) -> dict:
    """What the plan says, as text (the timeline's old / new, the notice's "what changed")."""
    rows = shipment.lines.select_related("order_line").prefetch_related("cells__order_cell").order_by(
        "order_line__line_no")
    lines = {}
    for row in rows:
        text = qty_text(row.quantity)
        if row.cartons is not None:
            text += f" ({row.cartons} CTNS)"
        cells = [f"{c.order_cell.colour}/{c.order_cell.size} {qty_text(c.quantity)}" for c in row.cells.all()
                 if c.quantity]
        if cells:
            text += ": " + ", ".join(cells)
        lines[str(row.order_line.line_no)] = text
    return {"transport_mode": shipment.transport_mode, "port_of_loading": shipment.port_of_loading,
            "port_of_destination": shipment.port_of_destination,
            "planned_ex_factory": shipment.planned_ex_factory.isoformat() if shipment.planned_ex_factory else "",
            "notes": shipment.notes, "lines": lines}


def line_quantities_taken(order: SalesOrder, *, exclude: Shipment | None = None) -> dict[int, Decimal]:
    """Order line id → quantity on the order's live shipments (other than ``exclude``)."""
    rows = ShipmentLine.objects.filter(shipment__order=order, shipment__status__in=LIVE)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(shipment=exclude)
    return {row["order_line_id"]: row["total"] for row in
            rows.order_by().values("order_line_id").annotate(total=Sum("quantity"))}


def cell_quantities_taken(order: SalesOrder, *, exclude: Shipment | None = None) -> dict[int, Decimal]:
    """Order cell id → quantity on the order's live shipments (other than ``exclude``)."""
    rows = ShipmentCell.objects.filter(line__shipment__order=order, line__shipment__status__in=LIVE)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(line__shipment=exclude)
    return {row["order_cell_id"]: row["total"] for row in
            rows.order_by().values("order_cell_id").annotate(total=Sum("quantity"))}


def order_plan_quantities(order: SalesOrder) -> list[dict]:
    """Per order line (in line order): ordered, the ceiling (ordered + tolerance), on live
    shipments (``taken``), shipped, and what may still be planned (``remaining``, never below
    zero); with the same per colour × size cell. Three queries."""
    share = 1 + (order.quantity_tolerance_percent or Decimal(0)) / Decimal(100)
    taken_lines = line_quantities_taken(order)
    taken_cells = cell_quantities_taken(order)
    rows = []
    for line in order.lines.prefetch_related("cells").order_by("line_no"):
        limit = line.quantity * share
        taken = taken_lines.get(line.pk, Decimal(0))
        cells = []
        for cell in line.cells.all():
            cell_taken = taken_cells.get(cell.pk, Decimal(0))
            cells.append({"cell": cell, "ordered": cell.quantity, "taken": cell_taken,
                          "remaining": max(cell.quantity * share - cell_taken, Decimal(0))})
        rows.append({"line": line, "ordered": line.quantity, "ceiling": limit, "taken": taken,
                     "shipped": line.shipped_quantity, "remaining": max(limit - taken, Decimal(0)), "cells": cells})
    return rows


def order_shipments(order: SalesOrder):
    """The order's shipments, newest first, with their lines (and cells) and notices."""
    return (Shipment.objects.filter(order=order).order_by("-id")
            .prefetch_related("lines__order_line", "lines__cells__order_cell", "notices"))


def notice_latest(shipment: Shipment) -> ShippingNotice | None:
    return shipment.notices.order_by("-revision").first()


def notice_snapshot(notice: ShippingNotice) -> dict | None:
    """What the shipping notice ``notice`` said (stored with its timeline row), or None."""
    row = (Event.objects.filter(kind=NOTICE_ISSUED, object_id=notice.shipment.order_id,
                                params__notice=notice.pk).order_by("-id").values_list("params", flat=True).first())
    return (row or {}).get("snapshot")


def notice_outdated(shipment: Shipment) -> bool:
    """A shipping notice of ``shipment`` was issued and the plan changed since (its mode, ports,
    date, lines, cells or cartons): the factory and the warehouse need the next version."""
    latest = notice_latest(shipment)
    if latest is None or shipment.status not in (SH.PLANNED, SH.LOADING):
        return False
    said = notice_snapshot(latest)
    return said is not None and _comparable(said) != _comparable(snapshot(shipment))


def _comparable(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k != "notes"}
