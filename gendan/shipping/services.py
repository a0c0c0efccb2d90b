"""Recording a shipment (partial allowed) against a sales order's open quantities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.shipping.models import Shipment, ShipmentLine


def shipment_create(
    *, actor: User, order, shipped_on: dt.date, quantities: Mapping[int, Decimal], bl_no: str = "",
    vessel_voyage: str = "", etd: dt.date | None = None, eta: dt.date | None = None, notes: str = "",
) -> Shipment:
    """Create the shipment and add its quantities to the order lines' shipped quantities.
    Call inside the transaction holding the sales order lock (``sales.services.order_ship``)."""
    errors = {}
    if not isinstance(shipped_on, dt.date):
        errors["shipped_on"] = _("Enter the shipment date.")
    if etd and eta and eta < etd:
        errors["eta"] = _("The ETA cannot be before the ETD.")
    lines = {line.pk: line for line in order.lines.select_for_update()}
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
        elif qty > line.open_quantity:
            errors[f"lines[{line.line_no - 1}].quantity"] = _(
                "Line %(n)d: only %(open)s are still to ship (ordered %(ordered)s, shipped %(shipped)s).") % {
                "n": line.line_no, "open": line.open_quantity, "ordered": line.quantity,
                "shipped": line.shipped_quantity}
        elif qty > 0:
            rows.append((line, qty))
    if not rows and not errors:
        errors["lines"] = _("Enter the quantity shipped for at least one line.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    shipment = Shipment.objects.create(
        number=number_next(code="shipment"), order=order, shipped_on=shipped_on, bl_no=bl_no.strip(),
        vessel_voyage=vessel_voyage.strip(), etd=etd, eta=eta, notes=notes, created_by=actor)
    ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipment, order_line=line, quantity=qty)
                                      for line, qty in rows])
    for line, qty in rows:
        type(line).objects.filter(pk=line.pk).update(shipped_quantity=F("shipped_quantity") + qty)
    event_record(actor=actor, obj=shipment, verb=Event.Verb.CREATED,
                 message=_("for order %(order)s") % {"order": order})
    return shipment
