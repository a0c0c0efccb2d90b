"""Shipping a sales order: a shipment (partial allowed) against the order's open quantities.

``order_ship`` is the use case (the order's in production / ready → shipped step when the
last open quantity leaves); ``shipment_create`` records the shipment itself. The order's
gates on ``ship`` (finance's balance rule, quality's final inspection) hold it back
(``shipping.rules.shipment_check``). The T&A hears ``Shipped`` (ex-factory, ETD, re-plan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import refuse, require
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.shipping.events import ShipmentCreated
from gendan.shipping.models import Shipment, ShipmentLine
from gendan.shipping.rules import shipment_check
from gendan.shipping.selectors import qty_text
from gendan.shipping.services.departure import order_after_departure, shippable

S = SalesOrder.Status


def order_ship(
    *, actor: User, order_id: int, shipped_on: dt.date, quantities: Mapping[int, Decimal], bl_no: str = "",
    vessel_voyage: str = "", etd: dt.date | None = None, eta: dt.date | None = None, notes: str = "",
    expected_version: int | None = None,
) -> Shipment:
    """Record a (partial) shipment of an order in production or ready. Refused by the order's
    gates (the balance rule when the terms require full payment before goods leave, a missing
    passed final inspection). The last open quantity makes the order "shipped" — and
    "completed" when it is already paid. Returns the shipment."""
    require(actor, "sales.ship_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(shipment_check(order))
        shipment = shipment_create(actor=actor, order=order, shipped_on=shipped_on, quantities=quantities,
                                   bl_no=bl_no, vessel_voyage=vessel_voyage, etd=etd, eta=eta, notes=notes)
        order_after_departure(actor=actor, order=order, shipment=shipment)
    return shipment


def shipment_create(
    *, actor: User, order, shipped_on: dt.date, quantities: Mapping[int, Decimal], bl_no: str = "",
    vessel_voyage: str = "", etd: dt.date | None = None, eta: dt.date | None = None, notes: str = "",
) -> Shipment:
    """Create the shipment and add its quantities to the order lines' shipped quantities.
    Call inside the transaction holding the sales order lock (``order_ship``)."""
    errors = {}
    if not isinstance(shipped_on, dt.date):
        errors["shipped_on"] = _("Enter the shipment date.")
    if etd and eta and eta < etd:
        errors["eta"] = _("The ETA cannot be before the ETD.")
    lines = {line.pk: line for line in order.lines.select_for_update()}
    # Quantities the shipping plan keeps for shipments still to leave (planned or loading).
    kept = dict(ShipmentLine.objects.filter(shipment__order=order, shipment__status__in=(
        Shipment.Status.PLANNED, Shipment.Status.LOADING)).order_by().values("order_line_id")
        .annotate(total=Sum("quantity")).values_list("order_line_id", "total"))
    rows = []
    for line_id, raw in quantities.items():
        try:
            line = lines.get(int(line_id))
        except (TypeError, ValueError):
            line = None
        if line is None:
            errors["lines"] = _("Line %(id)s is not on this order.") % {"id": line_id}
            continue
        try:
            qty = to_decimal(raw or "0")
        except MoneyError:
            errors[f"lines[{line.line_no - 1}].quantity"] = _("Line %(n)d: enter a number.") % {"n": line.line_no}
            continue
        if qty < 0:
            errors[f"lines[{line.line_no - 1}].quantity"] = _("Line %(n)d: the quantity may not be negative.") % {
                "n": line.line_no}
        elif qty > shippable(line, order) - kept.get(line.pk, 0):
            free = max(shippable(line, order) - kept.get(line.pk, 0), Decimal(0))
            field = f"lines[{line.line_no - 1}].quantity"
            if kept.get(line.pk):
                errors[field] = _(
                    "Line %(n)d: only %(open)s are still free to ship (ordered %(ordered)s, shipped %(shipped)s, "
                    "%(planned)s kept for planned shipments).") % {
                    "n": line.line_no, "open": qty_text(free), "ordered": qty_text(line.quantity),
                    "shipped": qty_text(line.shipped_quantity), "planned": qty_text(kept[line.pk])}
            else:
                errors[field] = _(
                    "Line %(n)d: only %(open)s are still to ship (ordered %(ordered)s, shipped %(shipped)s).") % {
                    "n": line.line_no, "open": qty_text(free), "ordered": qty_text(line.quantity),
                    "shipped": qty_text(line.shipped_quantity)}
        elif qty > 0:
            rows.append((line, qty))
    if not rows and not errors:
        errors["lines"] = _("Enter the quantity shipped for at least one line.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    shipment = Shipment.objects.create(
        number=number_next(code="shipment"), order=order, status=Shipment.Status.SHIPPED, shipped_on=shipped_on,
        bl_no=bl_no.strip(),
        vessel_voyage=vessel_voyage.strip(), etd=etd, eta=eta, notes=notes, created_by=actor)
    ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipment, order_line=line, quantity=qty)
                                      for line, qty in rows])
    for line, qty in rows:
        type(line).objects.filter(pk=line.pk).update(shipped_quantity=F("shipped_quantity") + qty)
    publish(ShipmentCreated(actor=actor, shipment=shipment))
    return shipment


from gendan.shipping.services.bookings import (  # noqa: E402  (the booking use cases, importable from here)
    booking_cancel,
    booking_confirm,
    booking_request,
    booking_update,
)

__all__ = ["booking_cancel", "booking_confirm", "booking_request", "booking_update", "order_ship",
           "shipment_create"]
