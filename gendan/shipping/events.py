"""What shipping records, as typed domain events (``core.domain_events``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment


@dataclass(kw_only=True)
class ShipmentCreated(DomainEvent):
    """The shipment's own first row."""

    kind = "shipping.shipment_created"
    text = gettext_noop("for order %(order)s")
    verb = Event.Verb.CREATED
    shipment: Shipment

    def subject(self):
        return self.shipment

    def params(self) -> dict:
        return {"order": str(self.shipment.order)}


@dataclass(kw_only=True)
class Shipped(DomainEvent):
    """Goods of ``order`` left (a partial shipment: a note on the order's timeline). The T&A
    completes ex-factory and ETD and re-plans from the real dates."""

    kind = "shipping.shipped"
    text = gettext_noop("Shipment %(no)s: %(lines)s; B/L %(bl)s")
    order: SalesOrder
    shipment: Shipment

    def params(self) -> dict:
        s = self.shipment
        return {"no": s.number, "bl": s.bl_no or "—",
                "lines": ", ".join(f"#{ln.order_line.line_no} × {ln.quantity}" for ln in s.lines.all())}


@dataclass(kw_only=True)
class OrderShipped(Shipped):
    """The last open quantity shipped: the order became "shipped" (``changes``)."""

    kind = "shipping.order_shipped"
    verb = Event.Verb.STATE_CHANGED
