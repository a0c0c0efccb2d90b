"""Reads of shipments and bookings, scoped to the user (pages, API, exports and the benchmark
use these). The scope is the order's (``sales.selectors.order_scope``): a shipment or a booking
is seen by whoever sees its sales order.

Other shipping modules may add their own selectors below, each in its own clearly named block.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from gendan.accounts.models import User
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope
from gendan.shipping.models import (
    Booking,
    Container,
    ContainerLine,
    FinishedGoodsReceipt,
    Shipment,
    ShipmentCell,
    ShipmentLine,
    ShippingNotice,
)

# --- shipments list and page (issue 12) ------------------------------------------------------

VIEW_SHIPMENT = "shipping.view_shipment"
VIEW_BOOKING = "shipping.view_booking"
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def iso_week(value: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week ``value`` ("2026-W11"); ``ValueError`` for anything else."""
    match = _WEEK.match((value or "").strip())
    if not match:
        raise ValueError(value)
    year, week = int(match.group(1)), int(match.group(2))
    monday = dt.date.fromisocalendar(year, week, 1)  # ValueError for week 0, 54 …
    return monday, monday + dt.timedelta(days=6)


def _through_order(q: Q) -> Q:
    """``q`` on sales orders as a condition on rows with an ``order`` (``customer_id__in`` →
    ``order__customer_id__in``)."""
    result = Q()
    result.connector, result.negated = q.connector, q.negated
    for child in q.children:
        result.children.append(_through_order(child) if isinstance(child, Q) else (f"order__{child[0]}", child[1]))
    return result


def _in_order_scope(user: User) -> Q:
    """Rows whose sales order ``user`` may see: the order list's scope (``order_scope``) through
    the join to the order, so the database starts from the orders' indexes (customer,
    merchandiser, salesperson). A correlated EXISTS probed per shipment read all of them:
    100 000 orders, SQLite, a merchandiser's first page 178 → 49 ms (bench/README.md)."""
    scope = order_scope(user)
    if scope == Q():  # departments that serve every order
        return Q()
    return _through_order(scope)


def shipment_queryset(user: User) -> QuerySet[Shipment]:
    """The shipments ``user`` may see, with their order and customer."""
    if not user.has_perm(VIEW_SHIPMENT) or not user.has_perm("sales.view_salesorder"):
        return Shipment.objects.none()
    return Shipment.objects.filter(_in_order_scope(user)).select_related("order", "order__customer")


def _planned_totals(qs: QuerySet[Shipment]) -> QuerySet[Shipment]:
    """Annotate ``qty_planned`` and ``cartons_planned``: the sum of the shipment's lines, read by
    one correlated subquery per shown row (a GROUP BY over the joined list would sum every
    shipment before the page is cut)."""
    lines = ShipmentLine.objects.filter(shipment=OuterRef("pk")).order_by().values("shipment")
    return qs.annotate(
        qty_planned=Coalesce(Subquery(lines.annotate(s=Sum("quantity")).values("s")[:1],
                                      output_field=DecimalField(max_digits=16, decimal_places=3)), 0,
                             output_field=DecimalField(max_digits=16, decimal_places=3)),
        cartons_planned=Coalesce(Subquery(lines.annotate(s=Sum("cartons")).values("s")[:1],
                                          output_field=IntegerField()), 0, output_field=IntegerField()),
    )


def id_or_none(value) -> int | None:
    """An id from a filter: ``None`` for anything that is not a database-sized positive integer."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**63 else None


def shipment_list(*, user: User, filters: dict | None = None) -> QuerySet[Shipment]:
    """The shipments list with its filters: ``status``, ``etd_week`` (ISO week "2026-W11"),
    ``forwarder`` (a supplier id: shipments with a booking of that forwarder — linked to the
    shipment, or not linked to any shipment of the shipment's order), ``port_of_loading`` /
    ``port_of_destination`` (contains), ``customer`` (id), ``order`` (order no. contains).
    Each row carries ``qty_planned`` and ``cartons_planned``; newest first. An unknown id or a
    malformed week matches nothing."""
    qs = _planned_totals(shipment_queryset(user))
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("etd_week"):
        try:
            monday, sunday = iso_week(str(f["etd_week"]))
        except ValueError:
            return qs.none()
        qs = qs.filter(etd__range=(monday, sunday))
    if f.get("forwarder"):
        forwarder = id_or_none(getattr(f["forwarder"], "pk", f["forwarder"]))
        if forwarder is None:
            return qs.none()
        # Two IN (subquery) read once through the (forwarder, etd) index, not an OR inside a
        # correlated EXISTS probed per shipment (1.7 s → see bench/README.md on 10 000 orders).
        booked = Booking.objects.filter(forwarder_id=forwarder).order_by()
        qs = qs.filter(Q(pk__in=booked.filter(shipment__isnull=False).values("shipment_id"))
                       | Q(order_id__in=booked.filter(shipment__isnull=True).values("order_id")))
    if f.get("port_of_loading"):
        qs = qs.filter(port_of_loading__icontains=str(f["port_of_loading"]).strip())
    if f.get("port_of_destination"):
        qs = qs.filter(port_of_destination__icontains=str(f["port_of_destination"]).strip())
    if f.get("customer"):
        customer = id_or_none(getattr(f["customer"], "pk", f["customer"]))
        if customer is None:
            return qs.none()
        qs = qs.filter(order__customer_id=customer)
    if f.get("order"):
        qs = qs.filter(order__number__icontains=str(f["order"]).strip())
    return qs


def shipment_get_for_user(*, user: User, pk) -> Shipment:
    """The shipment with everything its page and the API's detail show (lines with their
    cells, containers with their lines, the B/L, the notices, the bookings); 404 for missing
    or out of scope alike."""
    if id_or_none(pk) is None:
        raise Http404("No such shipment.")
    try:
        return (_planned_totals(shipment_queryset(user))
                .select_related("order__currency", "order__merchandiser", "created_by")
                .prefetch_related(
                    Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line__product")
                             .prefetch_related("cells__order_cell")),
                    Prefetch("containers", queryset=Container.objects.prefetch_related("lines")),
                    Prefetch("notices", queryset=ShippingNotice.objects.select_related("issued_by", "factory")),
                    Prefetch("bookings", queryset=Booking.objects.select_related("forwarder")))
                .get(pk=pk))
    except (Shipment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such shipment.") from None


def shipment_bill(shipment: Shipment):
    """The shipment's bill of lading, or ``None``."""
    try:
        return shipment.bill
    except Shipment.bill.RelatedObjectDoesNotExist:
        return None


def shipment_timeline(shipment: Shipment, *, limit: int = 200) -> QuerySet[Event]:
    """The shipment's timeline: its own rows and its order's shipping rows (bookings, goods
    that left …), newest first, with their actors."""
    types = ContentType.objects.get_for_models(Shipment, SalesOrder, for_concrete_models=False)
    return (Event.objects.filter(Q(content_type=types[Shipment], object_id=shipment.pk)
                                 | Q(content_type=types[SalesOrder], object_id=shipment.order_id,
                                     kind__startswith="shipping."))
            .select_related("actor", "content_type").order_by("-created_at", "-id")[:limit])


# --- bookings list (by forwarder) ------------------------------------------------------------


def booking_queryset(user: User) -> QuerySet[Booking]:
    """The bookings ``user`` may see (those of orders in their scope), with order, customer and forwarder."""
    if not user.has_perm(VIEW_BOOKING) or not user.has_perm("sales.view_salesorder"):
        return Booking.objects.none()
    return Booking.objects.filter(_in_order_scope(user)).select_related(
        "order", "order__customer", "forwarder", "shipment")


def booking_list(*, user: User, filters: dict | None = None) -> QuerySet[Booking]:
    """The bookings list: ``forwarder`` (supplier id), ``status``, ``order`` (order no.
    contains), ``etd_week``; latest ETD first (those without an ETD last)."""
    qs = booking_queryset(user)
    f = filters or {}
    if f.get("forwarder"):
        forwarder = id_or_none(getattr(f["forwarder"], "pk", f["forwarder"]))
        if forwarder is None:
            return qs.none()
        qs = qs.filter(forwarder_id=forwarder)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("order"):
        qs = qs.filter(order__number__icontains=str(f["order"]).strip())
    if f.get("etd_week"):
        try:
            monday, sunday = iso_week(str(f["etd_week"]))
        except ValueError:
            return qs.none()
        qs = qs.filter(etd__range=(monday, sunday))
    return qs


def booking_get_for_user(*, user: User, pk) -> Booking:
    """The booking on an order ``user`` may see; 404 for missing or out of scope alike."""
    if id_or_none(pk) is None:
        raise Http404("No such booking.")
    try:
        return booking_queryset(user).select_related("requested_by").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such booking.") from None


# --- the warehouse: stock per order line, the week's loading, the loading plan's cartons ---------
# (gendan.shipping.services.warehouse, views_warehouse, api.views.warehouse)


@dataclass(frozen=True)
class LineStock:
    """Finished goods of an order line in the warehouse's books. Always
    ``received == in_stock + loaded + shipped`` (quantities and cartons alike):

    - ``received``: the live (not voided) finished goods receipts;
    - ``loaded``: in live containers of shipments that have not left yet;
    - ``shipped``: on planned shipments that left from the warehouse (``departed_by`` set);
    - ``in_stock``: what is left, free to load or to leave without a container."""

    received: Decimal = Decimal(0)
    loaded: Decimal = Decimal(0)
    shipped: Decimal = Decimal(0)
    received_cartons: int = 0
    loaded_cartons: int = 0
    shipped_cartons: int = 0

    @property
    def in_stock(self) -> Decimal:
        return self.received - self.loaded - self.shipped

    @property
    def cartons_in_stock(self) -> int:
        return self.received_cartons - self.loaded_cartons - self.shipped_cartons


OPEN_SHIPMENT = (Shipment.Status.PLANNED, Shipment.Status.LOADING)
LIVE_CONTAINER = (Container.Status.LOADING, Container.Status.LOADED)


def order_line_stock(order_line_ids: Iterable[int]) -> dict[int, LineStock]:
    """The stock of each order line in ``order_line_ids`` (one query: the three grouped sums as a
    UNION ALL; a line with nothing received is ``LineStock()``). Read inside the order's lock
    when deciding."""
    ids = list(order_line_ids)
    if not ids:
        return {}

    def sums(qs, name: str):
        return (qs.filter(order_line_id__in=ids).order_by().values("order_line_id")
                .annotate(q=Sum("quantity"), c=Sum("cartons"), kind=Value(name, output_field=CharField())))

    received = sums(FinishedGoodsReceipt.objects.filter(voided_at__isnull=True), "received")
    loaded = sums(ContainerLine.objects.filter(container__status__in=LIVE_CONTAINER,
                                               container__shipment__status__in=OPEN_SHIPMENT), "loaded")
    shipped = sums(ShipmentLine.objects.filter(shipment__status=Shipment.Status.SHIPPED,
                                               shipment__departed_by__isnull=False), "shipped")
    totals: dict[int, dict] = {pk: {} for pk in ids}
    for row in received.union(loaded, shipped, all=True):
        totals[row["order_line_id"]][row["kind"]] = row["q"] or Decimal(0)
        totals[row["order_line_id"]][f"{row['kind']}_cartons"] = row["c"] or 0
    return {pk: LineStock(**values) for pk, values in totals.items()}


def goods_receipts_for_order(order: SalesOrder) -> QuerySet[FinishedGoodsReceipt]:
    """An order's finished goods receipts (voided ones too), newest first, with line and receiver."""
    return (FinishedGoodsReceipt.objects.filter(order=order)
            .select_related("order_line", "received_by").order_by("-received_on", "-id"))


def goods_receipt_queryset(user: User) -> QuerySet[FinishedGoodsReceipt]:
    """The finished goods receipts ``user`` may see (those of orders in their scope)."""
    if not user.has_perm("shipping.view_finishedgoodsreceipt") or not user.has_perm("sales.view_salesorder"):
        return FinishedGoodsReceipt.objects.none()
    return (FinishedGoodsReceipt.objects.filter(_in_order_scope(user))
            .select_related("order", "order_line", "received_by").order_by("-received_on", "-id"))


def container_queryset(user: User) -> QuerySet[Container]:
    """The containers ``user`` may see (those of shipments of orders in their scope), with their lines."""
    if not user.has_perm("shipping.view_container") or not user.has_perm("sales.view_salesorder"):
        return Container.objects.none()
    scope = order_scope(user)
    qs = Container.objects.all()
    if scope != Q():
        qs = qs.filter(Exists(SalesOrder.objects.filter(scope, pk=OuterRef("shipment__order_id"))))
    return qs.select_related("shipment", "shipment__order").prefetch_related("lines__order_line")


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week of ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def loading_list_for_week(*, user: User, monday: dt.date) -> QuerySet[Shipment]:
    """The warehouse's "to load this week": shipments planned or loading whose planned
    ex-factory date or booked ETD falls in the ISO week starting ``monday``, earliest first.
    Each row carries ``qty_planned``, ``cartons_planned``, ``cartons_received`` (live receipts
    of the shipment's order lines), ``cartons_loaded`` (its live containers), ``booking_no``
    and ``cy_cutoff`` (its earliest confirmed booking); one query per page, no N+1."""
    sunday = monday + dt.timedelta(days=6)
    booking = (Booking.objects.filter(shipment=OuterRef("pk"), status=Booking.Status.CONFIRMED)
               .order_by("etd", "id"))
    line_ids = ShipmentLine.objects.filter(shipment=OuterRef(OuterRef("pk"))).values("order_line_id")
    received = (FinishedGoodsReceipt.objects.filter(order_line_id__in=line_ids, voided_at__isnull=True)
                .order_by().annotate(one=Value(1)).values("one").annotate(s=Sum("cartons")).values("s")[:1])
    loaded = (ContainerLine.objects.filter(container__shipment=OuterRef("pk"), container__status__in=LIVE_CONTAINER)
              .order_by().values("container__shipment").annotate(s=Sum("cartons")).values("s")[:1])
    in_week = (Q(planned_ex_factory__range=(monday, sunday))
               | Q(Exists(Booking.objects.filter(shipment=OuterRef("pk"), etd__range=(monday, sunday))
                          .exclude(status=Booking.Status.CANCELLED))))
    return (_planned_totals(shipment_queryset(user)).filter(status__in=OPEN_SHIPMENT).filter(in_week)
            .annotate(cartons_received=Coalesce(Subquery(received, output_field=IntegerField()), 0),
                      cartons_loaded=Coalesce(Subquery(loaded, output_field=IntegerField()), 0),
                      booking_no=Subquery(booking.values("booking_no")[:1]),
                      booking_etd=Subquery(booking.values("etd")[:1]),
                      cy_cutoff=Subquery(booking.values("cy_cutoff")[:1]))
            .order_by(F("planned_ex_factory").asc(nulls_last=True), "id"))


def shipment_cartons(shipment: Shipment) -> tuple[list[dict], list]:
    """The cartons of ``shipment`` as ``shipping.loading.load_plan`` takes them, one entry per
    shipment line whose product has its carton data (dimensions cm → mm, gross kg per carton;
    cartons: the line's, or its quantity ÷ units per carton rounded up). Returns
    ``(cartons, lines_without_carton_data)``."""
    cartons, missing = [], []
    for line in shipment.lines.select_related("order_line__product").order_by("order_line__line_no"):
        product = line.order_line.product
        dims = [getattr(product, f"carton_{d}_cm", None) for d in ("length", "width", "height")] if product else []
        if product is None or not all(dims) or not product.gross_weight_kg:
            missing.append(line)
            continue
        count = line.cartons
        if not count:
            if not product.units_per_carton:
                missing.append(line)
                continue
            count = math.ceil(line.quantity / product.units_per_carton)
        cartons.append({"ref": f"{line.order_line.line_no}·{product.code}",
                        "length_mm": int((dims[0] * 10).to_integral_value(ROUND_HALF_UP)),
                        "width_mm": int((dims[1] * 10).to_integral_value(ROUND_HALF_UP)),
                        "height_mm": int((dims[2] * 10).to_integral_value(ROUND_HALF_UP)),
                        "gross_kg": product.gross_weight_kg, "count": count})
    return cartons, missing

# --- the shipping plan (出货计划) and the shipping notice ---------------------------------------
# How much of each order line and colour × size cell the order's live shipments (planned, loading,
# shipped) take, what is left to plan, what a plan says (the timeline's old / new, the notice's
# "what changed") and whether a shipment changed since its last shipping notice.

# The shipments whose quantities count against the order (a cancelled one frees its quantities).
LIVE_SHIPMENT = (Shipment.Status.PLANNED, Shipment.Status.LOADING, Shipment.Status.SHIPPED)
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
    rows = ShipmentLine.objects.filter(shipment__order=order, shipment__status__in=LIVE_SHIPMENT)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(shipment=exclude)
    return {row["order_line_id"]: row["total"] for row in
            rows.order_by().values("order_line_id").annotate(total=Sum("quantity"))}


def cell_quantities_taken(order: SalesOrder, *, exclude: Shipment | None = None) -> dict[int, Decimal]:
    """Order cell id → quantity on the order's live shipments (other than ``exclude``)."""
    rows = ShipmentCell.objects.filter(line__shipment__order=order, line__shipment__status__in=LIVE_SHIPMENT)
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
    if latest is None or shipment.status not in OPEN_SHIPMENT:
        return False
    said = notice_snapshot(latest)
    return said is not None and _comparable(said) != _comparable(snapshot(shipment))


def _comparable(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k != "notes"}
