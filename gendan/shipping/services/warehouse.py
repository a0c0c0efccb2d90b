"""Finished goods in, loading and ex-factory (成品入库 / 装柜 / 出厂): the warehouse receives an
order's finished goods per line, opens containers for a planned shipment, counts the cartons of
each order line in, seals them (seal no., VGM) and lets the shipment leave the factory.

Every use case is keyword-only, checks the actor's permission, locks the sales order first and
then its row (``expected_version``: 409 when stale), validates everything before saving
anything (a coded ``ValidationFailed`` naming the field) and publishes its event on the order's
timeline. The guards (``shipping.rules``) are those the pages' buttons and the API ask; the
order's gates on ``ship`` (balance, final inspection …) hold back loading and ex-factory alike.
The stock of an order line is ``selectors.order_line_stock`` (received = in stock + loaded +
shipped).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import id_or_zero, no, parse_date, reason_required, refuse, require
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import check_version, lock_row
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.services.orders import lock_order
from gendan.shipping import iso6346
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import (
    ContainerCancelled,
    ContainerLoaded,
    ContainerSealed,
    ContainerStarted,
    GoodsReceiptVoided,
    GoodsReceived,
)
from gendan.shipping.loading import CONTAINER_TYPES
from gendan.shipping.models import Container, ContainerLine, FinishedGoodsReceipt, Shipment
from gendan.shipping.packing import product_gross_kg
from gendan.shipping.rules import (
    container_cancel_check,
    container_change_check,
    container_start_check,
    goods_receive_check,
    shipment_depart_check,
)
from gendan.shipping.selectors import LIVE_CONTAINER, OPEN_SHIPMENT, order_line_stock
from gendan.shipping.services.departure import order_after_departure, shippable
from gendan.shipping.workflows import SHIPMENT

RECEIVE = "shipping.add_finishedgoodsreceipt"
VOID = "shipping.change_finishedgoodsreceipt"
START = "shipping.add_container"
LOAD = "shipping.change_container"
DEPART = "shipping.depart_shipment"

SH = Shipment.Status
C = Container.Status
MAX_QUANTITY = Decimal("1e9")  # of one receipt or one container line: more is a typing mistake
MAX_CARTONS = 1_000_000
# Every ISO dry container in CONTAINER_TYPES is rated 30 480 kg maximum gross mass (ISO 668
# Amd. 1); the tare when none is entered: the typical figures of DOMAIN §2 (freightutils).
MAX_GROSS_KG = {"20GP": Decimal(30480), "40GP": Decimal(30480), "40HQ": Decimal(30480), "45HQ": Decimal(30480)}
TYPICAL_TARE_KG = {"20GP": Decimal(2300), "40GP": Decimal(3750), "40HQ": Decimal(3940), "45HQ": Decimal(4820)}






def _quantity(value, field: str, errors: FieldErrors, *, allow_zero: bool = False) -> Decimal | None:
    """A quantity: a finite decimal above zero (or zero), at most 3 decimals, below a billion."""
    try:
        number = to_decimal(value if value not in (None, "") else "x")
    except MoneyError:
        errors.add(field, _("Enter a number."))
        return None
    if number < 0 or (number == 0 and not allow_zero):
        errors.add(field, _("Enter a quantity above zero."))
        return None
    if number >= MAX_QUANTITY:
        errors.add(field, _("%(value)s is too large.") % {"value": str(value)[:20]})
        return None
    if number != number.quantize(Decimal("0.001")):
        errors.add(field, _("At most 3 decimals."))
        return None
    return number


def _cartons(value, field: str, errors: FieldErrors) -> int | None:
    """A carton count: a whole number from 0 to a million (compared before ``int()``)."""
    if value in (None, ""):
        return 0
    try:
        number = to_decimal(value)
    except MoneyError:
        errors.add(field, _("Enter a whole number of cartons."))
        return None
    if number < 0 or number > MAX_CARTONS or number != number.to_integral_value():
        errors.add(field, _("Enter a whole number of cartons from 0 to %(max)s.") % {"max": MAX_CARTONS})
        return None
    return int(number)


def _kilograms(value, field: str, errors: FieldErrors, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter the verified gross mass (VGM) in kg."), ShippingError.VGM_IMPLAUSIBLE)
        return None
    try:
        number = to_decimal(value)
    except MoneyError:
        errors.add(field, _("Enter a weight in kg."), ShippingError.VGM_IMPLAUSIBLE)
        return None
    if number <= 0 or number >= Decimal("1e7"):
        errors.add(field, _("Enter a weight in kg above zero."), ShippingError.VGM_IMPLAUSIBLE)
        return None
    return number.quantize(Decimal("0.1"))


def _text(value, field: str, model, errors: FieldErrors) -> str:
    text = str(value or "").strip()
    limit = model._meta.get_field(field).max_length
    if limit and len(text) > limit:
        errors.add(field, _("At most %(n)d characters.") % {"n": limit})
    return text


def _qty(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _choice(value, field: str, choices, errors: FieldErrors) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        errors.add(field, _("Choose one of: %(choices)s.") % {"choices": ", ".join(str(c.label) for c in choices)})
    return text


def _lock_shipment(actor: User, shipment_id, expected_version: int | None) -> tuple[SalesOrder, Shipment]:
    """Lock the shipment's sales order (404 outside the actor's orders), then the shipment."""
    order_id = Shipment.objects.filter(pk=id_or_zero(shipment_id)).values_list("order_id", flat=True).first()
    order = lock_order(actor, order_id if order_id is not None else 0)
    shipment = lock_row(Shipment.objects.filter(order=order), id_or_zero(shipment_id), not_found="No such shipment.")
    check_version(shipment, expected_version)
    shipment.order = order
    return order, shipment


def _lock_container(actor: User, container_id, expected_version: int | None) -> tuple[SalesOrder, Shipment,
                                                                                       Container]:
    """Lock the container's sales order, then its shipment, then the container."""
    found = (Container.objects.filter(pk=id_or_zero(container_id)).values_list("shipment_id", "shipment__order_id")
             .first())
    shipment_id, order_id = found if found is not None else (0, 0)
    order = lock_order(actor, order_id)
    shipment = lock_row(Shipment.objects.filter(order=order), shipment_id, not_found="No such container.")
    shipment.order = order
    container = lock_row(Container.objects.filter(shipment=shipment), id_or_zero(container_id),
                         not_found="No such container.")
    check_version(container, expected_version)
    container.shipment = shipment
    return order, shipment, container


# --- finished goods in (成品入库) -------------------------------------------------------------


def goods_receive(*, actor: User, order_id: int, order_line_id: int, quantity, cartons, received_on,
                  source: str, inspection: str, source_ref: str = "", location: str = "",
                  notes: str = "") -> FinishedGoodsReceipt:
    """Receive finished goods of an order line into the warehouse (成品入库): from the own
    workshop or the outsourced factory (``source_ref``: its production order or delivery note),
    with the inspection result. Refused beyond what the line may still ship (quantity plus the
    order's tolerance, less what left) counting what the warehouse already holds for it, or on
    a received date in the future. Returns the numbered receipt."""
    require(actor, RECEIVE)
    errors = FieldErrors()
    qty = _quantity(quantity, "quantity", errors)
    boxes = _cartons(cartons, "cartons", errors)
    try:
        day = parse_date(received_on, field="received_on", required=True)
    except ValidationFailed as exc:
        errors.add("received_on", exc.fields["received_on"][0], exc.code)
        day = None
    if day and day > timezone.localdate():
        errors.add("received_on", _("The goods cannot be received in the future (%(date)s).")
                   % {"date": day.isoformat()}, CoreError.INVALID_DATE)
    source = _choice(source, "source", FinishedGoodsReceipt.Source, errors)
    inspection = _choice(inspection, "inspection", FinishedGoodsReceipt.Inspection, errors)
    texts = {name: _text(value, name, FinishedGoodsReceipt, errors)
             for name, value in (("source_ref", source_ref), ("location", location))}
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(goods_receive_check(order))
        line = SalesOrderLine.objects.filter(order=order, pk=id_or_zero(order_line_id)).first()
        if line is None:
            errors.add("order_line", _("Line %(line)s does not exist on order %(order)s: choose one of its lines.")
                       % {"line": str(order_line_id)[:20], "order": order.number})
        elif qty is not None:
            stock = order_line_stock([line.pk])[line.pk]
            room = shippable(line, order) - stock.in_stock - stock.loaded
            if qty > room:
                errors.add("quantity", _(
                    "Line %(n)s: at most %(room)s more may be received (ordered %(ordered)s ± %(tol)s %%, shipped "
                    "%(shipped)s, in the warehouse %(held)s).") % {
                    "n": line.line_no, "room": _qty(max(room, Decimal(0))), "ordered": _qty(line.quantity),
                    "tol": _qty(order.quantity_tolerance_percent or 0), "shipped": _qty(line.shipped_quantity),
                    "held": _qty(stock.in_stock + stock.loaded)}, ShippingError.RECEIPT_ABOVE_ORDERED)
        errors.raise_any()
        receipt = FinishedGoodsReceipt.objects.create(
            number=number_next(code="fg_receipt"), order=order, order_line=line, received_on=day, quantity=qty,
            cartons=boxes, source=source, inspection=inspection, notes=str(notes or "").strip(),
            received_by=actor, **texts)
        publish(GoodsReceived(actor=actor, order=order, receipt=receipt))
    return receipt


def goods_receipt_void(*, actor: User, receipt_id: int, reason: str) -> FinishedGoodsReceipt:
    """Void a receipt entered by mistake (with the reason). Refused when the order line's
    stock would fall below what is loaded or shipped (``receipt_already_loaded``)."""
    require(actor, VOID)
    reason = reason_required(reason, _("voiding the receipt"))
    with transaction.atomic():
        order_id = (FinishedGoodsReceipt.objects.filter(pk=id_or_zero(receipt_id)).values_list("order_id", flat=True)
                    .first())
        order = lock_order(actor, order_id if order_id is not None else 0)
        receipt = lock_row(FinishedGoodsReceipt.objects.filter(order=order).select_related("order_line"),
                           id_or_zero(receipt_id), not_found="No such receipt.")
        if receipt.voided_at is not None:
            refuse(no(CoreError.TRANSITION_NOT_ALLOWED, _("Receipt %(no)s is already voided.") % {"no": receipt.number}))
        stock = order_line_stock([receipt.order_line_id])[receipt.order_line_id]
        if stock.in_stock < receipt.quantity or stock.cartons_in_stock < receipt.cartons:
            raise ValidationFailed(_(
                "Receipt %(no)s cannot be voided: of line %(n)s only %(free)s (%(cartons)s cartons) are free in the "
                "warehouse, the rest is loaded or shipped. Cancel the container first.") % {
                "no": receipt.number, "n": receipt.order_line.line_no, "free": _qty(stock.in_stock),
                "cartons": stock.cartons_in_stock}, code=ShippingError.RECEIPT_ALREADY_LOADED)
        receipt.voided_at = timezone.now()
        receipt.void_reason = reason
        receipt.save(update_fields=["voided_at", "void_reason", "updated_at"])
        publish(GoodsReceiptVoided(actor=actor, order=order, receipt=receipt, reason=reason))
    return receipt


# --- loading (装柜) --------------------------------------------------------------------------


def container_start(*, actor: User, shipment_id: int, container_no: str, container_type: str,
                    expected_version: int | None = None) -> Container:
    """Open a container for a planned shipment (sea FCL, rail or truck) of an order the gates
    let ship: the container no. by ISO 6346 (check digit), one of the planner's types. The
    first container moves the shipment from planned to loading. ``expected_version`` is the
    shipment's."""
    require(actor, START)
    errors = FieldErrors()
    number = iso6346.normalize(container_no)
    problem = iso6346.problem(container_no)
    if problem:
        errors.add("container_no", problem, ShippingError.INVALID_CONTAINER_NO)
    kind = str(container_type or "").strip().upper()
    if kind not in CONTAINER_TYPES:
        errors.add("container_type", _("“%(type)s” is not a container type (%(types)s).") % {
            "type": str(container_type)[:20], "types": ", ".join(CONTAINER_TYPES)}, ShippingError.UNKNOWN_CONTAINER_TYPE)
    with transaction.atomic():
        order, shipment = _lock_shipment(actor, shipment_id, expected_version)
        refuse(container_start_check(shipment, order))
        if not problem and Container.objects.filter(container_no=number, status__in=LIVE_CONTAINER,
                                                    shipment__status__in=OPEN_SHIPMENT).exists():
            errors.add("container_no", _("Container %(no)s is already being loaded for a shipment that has not left.")
                       % {"no": number}, ShippingError.CONTAINER_NO_IN_USE)
        errors.raise_any()
        if shipment.status == SH.PLANNED:
            SHIPMENT.move(shipment, SH.LOADING)
        shipment.version += 1
        shipment.save(update_fields=["status", "version", "updated_at"])
        container = Container.objects.create(shipment=shipment, container_no=number, container_type=kind,
                                             loaded_by=actor)
        publish(ContainerStarted(actor=actor, order=order, container=container))
    return container


def _line_totals(container: Container) -> dict[int, tuple[Decimal, int]]:
    return {line.order_line_id: (line.quantity, line.cartons) for line in container.lines.all()}


def container_load(*, actor: User, container_id: int, lines: Mapping, expected_version: int | None = None
                   ) -> Container:
    """Set what ``container_id`` holds: ``lines`` maps an order line id of the shipment to
    ``{"cartons": int, "quantity": qty}`` (a line left out, or with quantity 0, is taken out).
    Gross kg and CBM come from the product's carton data. Refused above what is received and
    free in the warehouse for the line (``loading_above_stock``) or above what the shipment
    line plans over all its live containers (``loading_above_plan``), naming the field."""
    require(actor, LOAD)
    errors = FieldErrors()
    wanted: dict[int, tuple[Decimal, int]] = {}
    if not isinstance(lines, Mapping):
        errors.add("lines", _("Give the cartons and quantity per order line."), ShippingError.LOADING_ABOVE_PLAN)
        lines = {}
    for raw_id, values in lines.items():
        field = f"lines.{str(raw_id)[:20]}"
        line_id = id_or_zero(raw_id)
        if not line_id:
            errors.add(field, _("Not a line of this shipment."), ShippingError.LOADING_ABOVE_PLAN)
            continue
        values = values if isinstance(values, Mapping) else {}
        qty = _quantity(values.get("quantity"), f"{field}.quantity", errors, allow_zero=True)
        boxes = _cartons(values.get("cartons"), f"{field}.cartons", errors)
        if qty is not None and boxes is not None and (qty > 0 or boxes > 0):
            if qty == 0:
                errors.add(f"{field}.quantity", _("Enter the quantity in the cartons."))
                continue
            wanted[line_id] = (qty, boxes)
    with transaction.atomic():
        order, shipment, container = _lock_container(actor, container_id, expected_version)
        refuse(container_change_check(container))
        refuse(container_start_check(shipment, order))
        planned = {sl.order_line_id: sl for sl in shipment.lines.select_related("order_line__product")}
        before = _line_totals(container)
        others: dict[int, tuple[Decimal, int]] = {}
        for cl in ContainerLine.objects.filter(container__shipment=shipment, container__status__in=LIVE_CONTAINER
                                               ).exclude(container=container):
            qty, boxes = others.get(cl.order_line_id, (Decimal(0), 0))
            others[cl.order_line_id] = (qty + cl.quantity, boxes + cl.cartons)
        stock = order_line_stock(planned)
        for line_id, (qty, boxes) in wanted.items():
            field = f"lines.{line_id}"
            plan = planned.get(line_id)
            if plan is None:
                errors.add(field, _("Not a line of shipment %(no)s.") % {"no": shipment.number},
                           ShippingError.LOADING_ABOVE_PLAN)
                continue
            n = plan.order_line.line_no
            held = stock[line_id]
            mine_qty, mine_boxes = before.get(line_id, (Decimal(0), 0))
            free_qty, free_boxes = held.in_stock + mine_qty, held.cartons_in_stock + mine_boxes
            if qty > free_qty:
                errors.add(f"{field}.quantity", _(
                    "Line %(n)s: %(qty)s to load, but only %(free)s are received and free in the warehouse.") % {
                    "n": n, "qty": _qty(qty), "free": _qty(max(free_qty, Decimal(0)))},
                    ShippingError.LOADING_ABOVE_STOCK)
            if boxes > free_boxes:
                errors.add(f"{field}.cartons", _(
                    "Line %(n)s: %(cartons)s cartons to load, but only %(free)s cartons are received and free in "
                    "the warehouse.") % {"n": n, "cartons": boxes, "free": max(free_boxes, 0)},
                    ShippingError.LOADING_ABOVE_STOCK)
            other_qty, other_boxes = others.get(line_id, (Decimal(0), 0))
            if qty + other_qty > plan.quantity:
                errors.add(f"{field}.quantity", _(
                    "Line %(n)s: the shipment plans %(plan)s; with the other containers (%(other)s) this would be "
                    "%(total)s.") % {"n": n, "plan": _qty(plan.quantity), "other": _qty(other_qty),
                                      "total": _qty(qty + other_qty)}, ShippingError.LOADING_ABOVE_PLAN)
            if plan.cartons and boxes + other_boxes > plan.cartons:
                errors.add(f"{field}.cartons", _(
                    "Line %(n)s: the shipment plans %(plan)s cartons; with the other containers (%(other)s) this "
                    "would be %(total)s.") % {"n": n, "plan": plan.cartons, "other": other_boxes,
                                               "total": boxes + other_boxes}, ShippingError.LOADING_ABOVE_PLAN)
        if not wanted and not errors:
            errors.add("lines", _("Enter the cartons and quantity of at least one line."),
                       ShippingError.LOADING_ABOVE_PLAN)
        errors.raise_any()
        container.lines.all().delete()
        rows = []
        for line_id, (qty, boxes) in wanted.items():
            product = planned[line_id].order_line.product
            gross = product_gross_kg(product, qty, boxes) or 0  # a part carton weighs what it holds
            cbm = (product.carton_cbm or 0) * boxes if product else 0
            rows.append(ContainerLine(container=container, order_line_id=line_id, quantity=qty, cartons=boxes,
                                      gross_kg=Decimal(gross).quantize(Decimal("0.01")),
                                      cbm=Decimal(cbm).quantize(Decimal("0.001"))))
        ContainerLine.objects.bulk_create(rows)
        container.version += 1
        container.save(update_fields=["version", "updated_at"])
        publish(ContainerLoaded(actor=actor, order=order, container=container))
    return container


def container_seal(*, actor: User, container_id: int, seal_no: str, vgm_kg, tare_kg=None,
                   expected_version: int | None = None) -> Container:
    """Seal a loaded container: the seal no. (unique among live containers) and the verified
    gross mass (VGM, SOLAS): above zero, at least the tare (entered, or the type's typical
    tare) plus the cargo's gross weight, at most the container's maximum gross mass. The
    container becomes loaded."""
    require(actor, LOAD)
    errors = FieldErrors()
    seal = str(seal_no or "").strip().upper()
    if not seal:
        errors.add("seal_no", _("Enter the seal no."), CoreError.VALIDATION_FAILED)
    elif len(seal) > Container._meta.get_field("seal_no").max_length:
        errors.add("seal_no", _("At most %(n)d characters.") % {"n": Container._meta.get_field("seal_no").max_length})
    vgm = _kilograms(vgm_kg, "vgm_kg", errors, required=True)
    tare = _kilograms(tare_kg, "tare_kg", errors, required=False)
    with transaction.atomic():
        order, shipment, container = _lock_container(actor, container_id, expected_version)
        refuse(container_change_check(container))
        cargo = list(container.lines.all())
        if not cargo:
            refuse(no(ShippingError.CONTAINER_EMPTY, _("Container %(no)s is empty: load its cartons first.")
                      % {"no": container.container_no}))
        if seal and Container.objects.filter(seal_no=seal).exclude(status=C.CANCELLED).exclude(
                pk=container.pk).exists():
            errors.add("seal_no", _("Seal %(seal)s is already on another container: every seal is used once.")
                       % {"seal": seal}, ShippingError.SEAL_IN_USE)
        tare_used = tare if tare is not None else TYPICAL_TARE_KG.get(container.container_type, Decimal(0))
        gross = sum((line.gross_kg for line in cargo), Decimal(0))
        limit = MAX_GROSS_KG.get(container.container_type, Decimal(30480))
        if vgm is not None:
            if vgm < tare_used + gross:
                errors.add("vgm_kg", _(
                    "The VGM %(vgm)s kg is below the tare %(tare)s kg plus the cargo's gross weight %(gross)s kg: "
                    "check the weighing.") % {"vgm": _qty(vgm), "tare": _qty(tare_used), "gross": _qty(gross)},
                    ShippingError.VGM_IMPLAUSIBLE)
            elif vgm > limit:
                errors.add("vgm_kg", _("The VGM %(vgm)s kg is above the maximum gross mass of a %(type)s "
                                       "(%(max)s kg).") % {"vgm": _qty(vgm), "type": container.container_type,
                                                            "max": _qty(limit)}, ShippingError.VGM_IMPLAUSIBLE)
        if tare is not None and tare >= limit:
            errors.add("tare_kg", _("The tare %(tare)s kg is not plausible for a %(type)s.") % {
                "tare": _qty(tare), "type": container.container_type}, ShippingError.VGM_IMPLAUSIBLE)
        errors.raise_any()
        container.seal_no, container.vgm_kg, container.tare_kg = seal, vgm, tare
        container.status = C.LOADED
        container.loaded_at, container.loaded_by = timezone.now(), actor
        container.version += 1
        try:
            with transaction.atomic():
                container.save(update_fields=["seal_no", "vgm_kg", "tare_kg", "status", "loaded_at", "loaded_by",
                                              "version", "updated_at"])
        except IntegrityError:  # another order's container took the seal between the check and the save
            msg = _("Seal %(seal)s is already on another container: every seal is used once.") % {"seal": seal}
            raise ValidationFailed(msg, code=ShippingError.SEAL_IN_USE, fields={"seal_no": msg}) from None
        publish(ContainerSealed(actor=actor, order=order, container=container,
                                changes={"status": {"old": C.LOADING, "new": C.LOADED, "model": "shipping.container"}}))
    return container


def container_cancel(*, actor: User, container_id: int, reason: str, expected_version: int | None = None
                     ) -> Container:
    """Give a container up before the shipment left (with the reason): its cartons count as in
    the warehouse again, its seal may be used on another container."""
    require(actor, LOAD)
    reason = reason_required(reason, _("cancelling the container"))
    with transaction.atomic():
        order, shipment, container = _lock_container(actor, container_id, expected_version)
        refuse(container_cancel_check(container, shipment))
        old = container.status
        container.status = C.CANCELLED
        container.notes = (f"{container.notes}\n{reason}" if container.notes else reason)[:2000]
        container.version += 1
        container.save(update_fields=["status", "notes", "version", "updated_at"])
        publish(ContainerCancelled(actor=actor, order=order, container=container, reason=reason,
                                   changes={"status": {"old": old, "new": C.CANCELLED, "model": "shipping.container"}}))
    return container


# --- ex-factory (出厂) -----------------------------------------------------------------------


def shipment_depart(*, actor: User, shipment_id: int, shipped_on, expected_version: int | None = None) -> Shipment:
    """Let a planned (or loading) shipment leave the factory on ``shipped_on`` (出厂). With
    containers (sea FCL, or any shipment that has one) every live container must be sealed with
    its VGM and the shipment's lines become what the containers hold; without, each line's
    quantity must be received and free in the warehouse. The order's gates decide as for any
    shipment. The lines' quantities are added to the order lines' shipped quantities (never
    beyond the ceiling: quantity plus tolerance), the shipment becomes shipped, and the order
    follows (``departure.order_after_departure``: "shipped" after the last open quantity, the
    T&A's ex-factory)."""
    require(actor, DEPART)
    errors = FieldErrors()
    try:
        day = parse_date(shipped_on, field="shipped_on", required=True)
    except ValidationFailed as exc:
        errors.add("shipped_on", exc.fields["shipped_on"], exc.code)
        day = None
    if day and day > timezone.localdate():
        errors.add("shipped_on", _("The ex-factory date cannot be in the future (%(date)s).")
                   % {"date": day.isoformat()}, CoreError.INVALID_DATE)
    with transaction.atomic():
        order, shipment = _lock_shipment(actor, shipment_id, expected_version)
        containers = list(shipment.containers.prefetch_related("lines"))
        plan = list(shipment.lines.select_related("order_line").select_for_update(of=("self",)))
        stock = order_line_stock([line.order_line_id for line in plan])
        refuse(shipment_depart_check(shipment, order, containers=containers, stock=stock))
        live = [c for c in containers if c.status == C.LOADED]
        if live:  # what leaves is what the sealed containers hold
            held: dict[int, tuple[Decimal, int]] = {}
            for container in live:
                for cl in container.lines.all():
                    qty, boxes = held.get(cl.order_line_id, (Decimal(0), 0))
                    held[cl.order_line_id] = (qty + cl.quantity, boxes + cl.cartons)
        else:
            held = {line.order_line_id: (line.quantity, line.cartons or 0) for line in plan}
        order_lines = {line.pk: line for line in order.lines.select_for_update()}
        for line_id, (qty, _boxes) in held.items():
            line = order_lines[line_id]
            if qty > shippable(line, order):
                errors.add(f"lines.{line_id}.quantity", _(
                    "Line %(n)d: only %(open)s may still ship (ordered %(ordered)s ± tolerance, shipped "
                    "%(shipped)s).") % {"n": line.line_no, "open": _qty(shippable(line, order)),
                                        "ordered": _qty(line.quantity), "shipped": _qty(line.shipped_quantity)},
                    CoreError.VALIDATION_FAILED)
        errors.raise_any()
        if live:
            for line in plan:
                if line.order_line_id not in held:
                    line.delete()  # planned but nothing of it was loaded: it does not leave
                    continue
                qty, boxes = held[line.order_line_id]
                if (line.quantity, line.cartons) != (qty, boxes):
                    line.quantity, line.cartons = qty, boxes
                    line.save(update_fields=["quantity", "cartons"])
        for line_id, (qty, _boxes) in held.items():
            SalesOrderLine.objects.filter(pk=line_id).update(shipped_quantity=F("shipped_quantity") + qty)
        SHIPMENT.move(shipment, SH.SHIPPED)
        shipment.shipped_on, shipment.departed_by = day, actor
        shipment.version += 1
        shipment.save(update_fields=["status", "shipped_on", "departed_by", "version", "updated_at"])
        shipment._prefetched_objects_cache = {}
        order_after_departure(actor=actor, order=order, shipment=shipment)
    return shipment
