"""The shipping plan (出货计划): the merchandiser plans one or several shipments of an order
(partial shipments), each with the order lines — and, where a line is ordered in colour × size,
the cells — it carries, the transport mode, the ports and the planned ex-factory date.

Quantities never exceed what is ordered plus the order's tolerance (``departure.ceiling``),
counted over every live shipment of the order (planned, loading and shipped; a cancelled one
frees its quantities), per line and per cell. A line ordered in cells is planned by its cells:
its quantity is their sum.

Every use case is keyword-only, checks the permission, locks the sales order and then the
shipment, refuses a stale ``version`` (409), validates everything before saving anything (coded
``ValidationFailed`` naming the field: ``lines.<order line id>.quantity``, ``.cartons``,
``cells.<order cell id>``) and publishes its event on the order's timeline. Changing a shipment
whose shipping notice was already issued does not re-issue the notice by itself: a new version
needs the merchandiser's note of what changed and goes by email to the factory and the
warehouse, so the answer (``shipment.notice_outdated``) and the page ask for it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import parse_date, reason_required, refuse, require
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import check_version, lock_row
from gendan.sales.models import SalesOrder, SalesOrderCell, SalesOrderLine
from gendan.sales.services.orders import lock_order
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import ShipmentCancelled, ShipmentPlanChanged, ShipmentPlanned
from gendan.shipping.models import Shipment, ShipmentCell, ShipmentLine
from gendan.shipping.rules import shipment_cancel_check, shipment_edit_check, shipment_plan_check
from gendan.shipping.selectors import (
    cell_quantities_taken,
    line_quantities_taken,
    notice_outdated,
    qty_text,
    snapshot,
)
from gendan.shipping.services.departure import ceiling, tolerance
from gendan.shipping.workflows import SHIPMENT

SH = Shipment.Status
PLAN = "shipping.add_shipment"
CHANGE = "shipping.change_shipment"
MAX_QUANTITY = Decimal("100000000000")  # 10^11: the columns hold 14 digits, 3 of them decimals
MAX_CARTONS = 1_000_000
THOUSANDTH = Decimal("0.001")
# The fields of a shipment (besides its lines) a plan sets and an update may change.
PLAN_FIELDS = ("transport_mode", "port_of_loading", "port_of_destination", "planned_ex_factory", "notes")
CONTENT_FIELDS = ("lines", "cells", "cartons")




def parse_id(value) -> int:
    """An id typed by a person or a client: 0 (found nowhere) unless a positive 64-bit integer."""
    try:
        number = int(str(value).strip()[:20])
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


def parse_quantity(raw, name: str, errors: FieldErrors, label: str) -> Decimal | None:
    """A quantity typed by a person or a client: a number from 0, at most 3 decimals, below
    10^11 (``1e999``, ``NaN``, ``-1`` and ``abc`` are refused naming ``name``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Decimal(0)
    try:
        value = to_decimal(raw if isinstance(raw, (Decimal, int)) else str(raw)[:40])
    except MoneyError:
        errors.add(name, _("%(what)s: “%(value)s” is not a number.") % {"what": label, "value": str(raw)[:40]},
                   ShippingError.INVALID_QUANTITY)
        return None
    # compare before quantize(): Decimal("1e999").quantize(…) raises
    if value < 0:
        errors.add(name, _("%(what)s: the quantity may not be negative.") % {"what": label},
                   ShippingError.INVALID_QUANTITY)
        return None
    if value >= MAX_QUANTITY or value != value.quantize(THOUSANDTH):
        errors.add(name, _("%(what)s: enter a quantity below 100 000 000 000 with at most 3 decimals.")
                   % {"what": label}, ShippingError.INVALID_QUANTITY)
        return None
    return value


def _cartons(raw, name: str, errors: FieldErrors, label: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = to_decimal(raw if isinstance(raw, (Decimal, int)) else str(raw)[:40])
        whole = 0 <= number <= MAX_CARTONS and number == number.to_integral_value()
    except (MoneyError, ArithmeticError):
        whole = False
    if not whole:
        errors.add(name, _("%(what)s: the cartons must be a whole number from 0 to %(max)s.")
                   % {"what": label, "max": f"{MAX_CARTONS:,}"}, ShippingError.INVALID_QUANTITY)
        return None
    return int(number)


@dataclass
class PlannedLine:
    line: SalesOrderLine
    quantity: Decimal
    cartons: int | None
    cells: list[tuple[SalesOrderCell, Decimal]] = field(default_factory=list)


def _line_label(line: SalesOrderLine) -> str:
    return _("Line %(n)d") % {"n": line.line_no}


def _cell_label(line: SalesOrderLine, cell: SalesOrderCell) -> str:
    return _("Line %(n)d, %(colour)s / %(size)s") % {"n": line.line_no, "colour": cell.colour, "size": cell.size}


def default_cartons(line: SalesOrderLine, quantity: Decimal) -> int | None:
    """Cartons for ``quantity`` of ``line`` by its product's export carton (rounded up), or None."""
    per = getattr(line.product, "units_per_carton", None) if line.product_id else None
    return math.ceil(quantity / per) if per else None


def plan_content(*, order: SalesOrder, lines: Mapping | None, cells: Mapping | None, cartons: Mapping | None,
                 errors: FieldErrors, shipment: Shipment | None = None) -> list[PlannedLine]:
    """Parse and check what a shipment carries (nothing is saved): each line's quantity (for a
    line ordered in colour × size: its cells, the sum of which the line's quantity must equal),
    the cartons (default: by the product's export carton), within what is ordered plus the
    tolerance over every live shipment of ``order`` other than ``shipment``. Call inside the
    transaction holding the order's lock."""
    order_lines = {ln.pk: ln for ln in order.lines.select_related("product").prefetch_related("cells")}
    order_cells = {c.pk: (ln, c) for ln in order_lines.values() for c in ln.cells.all()}
    lines, cells, cartons = dict(lines or {}), dict(cells or {}), dict(cartons or {})
    quantities: dict[int, Decimal | None] = {}
    given_cells: dict[int, list[tuple[SalesOrderCell, Decimal]]] = {}

    for raw_id, raw in lines.items():
        line = order_lines.get(parse_id(raw_id))
        if line is None:
            errors.add(f"lines.{str(raw_id)[:20]}", _("Line %(id)s is not on this order.") % {"id": str(raw_id)[:20]},
                       ShippingError.NOT_ON_ORDER)
            continue
        quantities[line.pk] = parse_quantity(raw, f"lines.{line.pk}.quantity", errors, _line_label(line))
    for raw_id, raw in cells.items():
        found = order_cells.get(parse_id(raw_id))
        if found is None:
            errors.add(f"cells.{str(raw_id)[:20]}", _("Colour / size %(id)s is not on this order.")
                       % {"id": str(raw_id)[:20]}, ShippingError.NOT_ON_ORDER)
            continue
        line, cell = found
        qty = parse_quantity(raw, f"cells.{cell.pk}", errors, _cell_label(line, cell))
        if qty is not None and qty > 0:
            given_cells.setdefault(line.pk, []).append((cell, qty))
        elif qty is not None:
            given_cells.setdefault(line.pk, [])

    taken_lines = line_quantities_taken(order, exclude=shipment)
    taken_cells = cell_quantities_taken(order, exclude=shipment)
    share = 1 + tolerance(order)
    planned: list[PlannedLine] = []
    for line in sorted(order_lines.values(), key=lambda ln: ln.line_no):
        if line.pk not in quantities and line.pk not in given_cells:
            continue
        name = f"lines.{line.pk}.quantity"
        qty = quantities.get(line.pk)
        if line.pk in quantities and qty is None:
            continue  # not a number: already refused
        line_cells = given_cells.get(line.pk)
        ordered_in_cells = bool(line.cells.all())
        if ordered_in_cells:
            total = sum((q for _c, q in line_cells or []), Decimal(0))
            if line_cells is None and qty:
                errors.add(name, _("%(what)s is ordered in colour × size: give the quantity of each colour and "
                                   "size.") % {"what": _line_label(line)}, ShippingError.CELLS_DO_NOT_ADD_UP)
                continue
            if qty is not None and line.pk in quantities and qty != total:
                errors.add(name, _("%(what)s: the colours and sizes add up to %(cells)s, not %(qty)s.") % {
                    "what": _line_label(line), "cells": qty_text(total), "qty": qty_text(qty)},
                    ShippingError.CELLS_DO_NOT_ADD_UP)
                continue
            qty = total
            for cell, cell_qty in line_cells or []:
                limit = cell.quantity * share
                already = taken_cells.get(cell.pk, Decimal(0))
                if already + cell_qty > limit:
                    errors.add(f"cells.{cell.pk}", _(
                        "%(what)s: at most %(open)s more may ship (ordered %(ordered)s, tolerance ±%(tol)s %%, "
                        "on other shipments %(taken)s).") % {
                        "what": _cell_label(line, cell), "open": qty_text(max(limit - already, Decimal(0))),
                        "ordered": qty_text(cell.quantity), "tol": qty_text(order.quantity_tolerance_percent),
                        "taken": qty_text(already)}, ShippingError.ABOVE_ORDERED)
        if not qty:
            continue
        limit = ceiling(line, order)
        already = taken_lines.get(line.pk, Decimal(0))
        if already + qty > limit:
            errors.add(name, _(
                "%(what)s: at most %(open)s more may ship (ordered %(ordered)s, tolerance ±%(tol)s %%, on other "
                "shipments %(taken)s).") % {
                "what": _line_label(line), "open": qty_text(max(limit - already, Decimal(0))),
                "ordered": qty_text(line.quantity), "tol": qty_text(order.quantity_tolerance_percent),
                "taken": qty_text(already)}, ShippingError.ABOVE_ORDERED)
            continue
        count = (_cartons(cartons[key], f"lines.{line.pk}.cartons", errors, _line_label(line))
                 if (key := _carton_key(cartons, line)) is not None else default_cartons(line, qty))
        planned.append(PlannedLine(line=line, quantity=qty, cartons=count,
                                   cells=sorted(line_cells or [], key=lambda item: item[0].pk)))
    for raw_id in cartons:
        if parse_id(raw_id) not in order_lines:
            errors.add(f"lines.{str(raw_id)[:20]}.cartons", _("Line %(id)s is not on this order.")
                       % {"id": str(raw_id)[:20]}, ShippingError.NOT_ON_ORDER)
    if not planned and not errors:
        errors.add("lines", _("Enter the quantity of at least one line."), ShippingError.NOTHING_PLANNED)
    return planned


def _carton_key(cartons: Mapping, line: SalesOrderLine):
    for key in cartons:
        if parse_id(key) == line.pk:
            return key
    return None


def _apply_fields(shipment: Shipment, data: Mapping, errors: FieldErrors) -> None:
    """Put the given plan fields on ``shipment`` (parsed; not saved). Absent keys stay."""
    for name in PLAN_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "planned_ex_factory":
            try:
                value = parse_date(value, field=name, required=True)
            except ValidationFailed as exc:
                errors.add(name, exc.fields[name], exc.code)
                continue
        elif name == "transport_mode":
            value = str(value or "").strip()
            if value not in Shipment.Mode.values:
                errors.add(name, _("Choose the transport mode (%(modes)s).") % {
                    "modes": ", ".join(str(label) for label in Shipment.Mode.labels)}, CoreError.VALIDATION_FAILED)
                continue
        else:
            value = str(value or "").strip()
            limit = Shipment._meta.get_field(name).max_length
            if limit and len(value) > limit:
                errors.add(name, _("At most %(n)d characters.") % {"n": limit}, CoreError.VALIDATION_FAILED)
                continue
        setattr(shipment, name, value)


def _save_content(shipment: Shipment, planned: list[PlannedLine]) -> None:
    shipment.lines.all().delete()
    for item in planned:
        row = ShipmentLine.objects.create(shipment=shipment, order_line=item.line, quantity=item.quantity,
                                          cartons=item.cartons)
        ShipmentCell.objects.bulk_create([ShipmentCell(line=row, order_cell=cell, quantity=qty)
                                          for cell, qty in item.cells])


def content_of(shipment: Shipment) -> tuple[dict, dict, dict]:
    """The shipment's lines, cells and cartons as the plan's input (line id → quantity …)."""
    lines, cells, cartons = {}, {}, {}
    for row in shipment.lines.prefetch_related("cells"):
        lines[row.order_line_id] = row.quantity
        if row.cartons is not None:
            cartons[row.order_line_id] = row.cartons
        for cell in row.cells.all():
            cells[cell.order_cell_id] = cell.quantity
    return lines, cells, cartons


def _flat(snap: dict) -> dict[str, str]:
    flat = {k: v for k, v in snap.items() if k != "lines"}
    flat["lines"] = "; ".join(f"#{no}: {text}" for no, text in snap["lines"].items())
    return flat


def _changes(before: dict, after: dict) -> dict:
    old, new = _flat(before), _flat(after)
    return {name: {"old": old[name], "new": new[name], "model": "shipping.shipment"}
            for name in old if old[name] != new[name]}


def lock_shipment(actor: User, shipment_id, expected_version: int | None) -> tuple[SalesOrder, Shipment]:
    """Lock the shipment's sales order (404 outside the actor's orders), then the shipment."""
    order_id = Shipment.objects.filter(pk=parse_id(shipment_id)).values_list("order_id", flat=True).first()
    order = lock_order(actor, order_id if order_id is not None else 0)
    shipment = lock_row(Shipment.objects.filter(order=order), parse_id(shipment_id), not_found="No such shipment.")
    check_version(shipment, expected_version)
    shipment.order = order
    return order, shipment


# --- the use cases ---------------------------------------------------------------------------


def shipment_plan(*, actor: User, order_id: int, lines: Mapping, cells: Mapping | None = None,
                  cartons: Mapping | None = None, transport_mode: str = Shipment.Mode.SEA_FCL,
                  planned_ex_factory: dt.date | str | None = None, port_of_loading: str = "",
                  port_of_destination: str = "", notes: str = "", expected_version: int | None = None) -> Shipment:
    """Plan a shipment of a confirmed order (in production or ready): ``lines`` (order line id
    → quantity), ``cells`` (order cell id → quantity, for lines ordered in colour × size),
    ``cartons`` (order line id → cartons; default from the product's carton), the transport
    mode, the planned ex-factory date and the ports (default: the order's).
    ``expected_version`` is the order's. Returns the planned shipment."""
    require(actor, PLAN)
    errors = FieldErrors()
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(shipment_plan_check(order))
        shipment = Shipment(order=order, status=SH.PLANNED, created_by=actor,
                            port_of_loading=order.port_of_loading, port_of_destination=order.port_of_destination)
        _apply_fields(shipment, {"transport_mode": transport_mode, "planned_ex_factory": planned_ex_factory,
                                 "notes": notes,
                                 **({"port_of_loading": port_of_loading} if port_of_loading else {}),
                                 **({"port_of_destination": port_of_destination} if port_of_destination else {})},
                      errors)
        planned = plan_content(order=order, lines=lines, cells=cells, cartons=cartons, errors=errors)
        errors.raise_any()
        shipment.number = number_next(code="shipment")
        shipment.save()
        _save_content(shipment, planned)
        publish(ShipmentPlanned(actor=actor, order=order, shipment=shipment))
    return shipment


def shipment_update(*, actor: User, shipment_id: int, data: Mapping, reason: str = "",
                    expected_version: int | None = None) -> Shipment:
    """Change a planned shipment's lines, cells, cartons, mode, ports, date or notes (a shipment
    being loaded: everything but its lines). ``data`` holds the fields to change; ``lines`` /
    ``cells`` (with ``cartons``) replace what the shipment carries. The old and new values go on
    the order's timeline. The answer's ``notice_outdated`` says that a shipping notice was
    issued before the change: issue its next version (``notices.notice_issue``)."""
    require(actor, CHANGE)
    unknown = set(data) - {*PLAN_FIELDS, *CONTENT_FIELDS}
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(_("“%(field)s” cannot be changed.") % {"field": name[:40]},
                               fields={name[:40]: _("This field cannot be changed.")})
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id, expected_version)
        content = any(name in data for name in CONTENT_FIELDS)
        refuse(shipment_edit_check(shipment, lines=content))
        errors = FieldErrors()
        before = snapshot(shipment)
        _apply_fields(shipment, data, errors)
        planned = None
        if content:
            lines, cells, cartons = content_of(shipment)
            if "lines" in data or "cells" in data:
                # what the shipment carries is replaced; cartons by the product's carton unless given
                lines, cells, cartons = dict(data.get("lines") or {}), dict(data.get("cells") or {}), {}
            cartons = {**cartons, **dict(data.get("cartons") or {})}
            planned = plan_content(order=order, lines=lines, cells=cells, cartons=cartons, errors=errors,
                                   shipment=shipment)
        errors.raise_any()
        if planned is not None:
            _save_content(shipment, planned)
        changes = _changes(before, snapshot(shipment))
        if not changes:
            shipment.notice_outdated = notice_outdated(shipment)
            return shipment
        shipment.version += 1
        shipment.save()
        publish(ShipmentPlanChanged(actor=actor, order=order, shipment=shipment, changes=changes,
                                    reason=(reason or "").strip()[:1000]))
        shipment.notice_outdated = notice_outdated(shipment)
    return shipment


def shipment_cancel(*, actor: User, shipment_id: int, reason: str, expected_version: int | None = None) -> Shipment:
    """Give up a planned shipment (or one being loaded whose containers are all cancelled),
    with the reason: its quantities are free for another shipment."""
    require(actor, CHANGE)
    text = reason_required(reason, _("cancelling the shipment"))
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id, expected_version)
        refuse(shipment_cancel_check(shipment))
        old = SHIPMENT.move(shipment, SH.CANCELLED)
        shipment.cancel_reason = text
        shipment.version += 1
        shipment.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
        publish(ShipmentCancelled(actor=actor, order=order, shipment=shipment, reason=text, changes={
            "status": {"old": old, "new": SH.CANCELLED, "model": "shipping.shipment"}}))
    return shipment
