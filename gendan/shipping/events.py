"""What shipping records, as typed domain events (``core.domain_events``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice, tr
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.shipping.models import BillOfLading, Booking, Container, FinishedGoodsReceipt, Shipment


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
                "lines": ", ".join(f"#{ln.order_line.line_no} × {ln.quantity.normalize():f}" for ln in s.lines.all())}


@dataclass(kw_only=True)
class OrderShipped(Shipped):
    """The last open quantity shipped: the order became "shipped" (``changes``)."""

    kind = "shipping.order_shipped"
    verb = Event.Verb.STATE_CHANGED


# --- bookings (订舱), on the sales order's timeline ---------------------------------------


def _local(value) -> str:
    """A cut-off as the company reads it ("2027-01-10 17:00", company time zone), or "—"."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


@dataclass(kw_only=True)
class BookingEvent(DomainEvent):
    """A step of ``booking`` (for sales order ``order``); its row is on the order's timeline."""

    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder
    booking: Booking

    def params(self) -> dict:
        b = self.booking
        return {"no": b.booking_no or "—", "forwarder": b.forwarder.code, "containers": b.containers_text or "—",
                "vessel": b.vessel_voyage or "—", "etd": b.etd.isoformat() if b.etd else "—",
                "eta": b.eta.isoformat() if b.eta else "—", "cy": _local(b.cy_cutoff), "si": _local(b.si_cutoff),
                "vgm": _local(b.vgm_cutoff)}


@dataclass(kw_only=True)
class BookingRequested(BookingEvent):
    """The merchandiser asked the forwarder for space; the request email goes out after commit."""

    kind = "shipping.booking_requested"
    text = gettext_noop("Booking requested from forwarder %(forwarder)s: %(containers)s")


@dataclass(kw_only=True)
class BookingConfirmed(BookingEvent):
    """The forwarder confirmed: booking no., vessel / voyage, ETD / ETA, cut-offs, containers.
    The T&A completes "booking" and forecasts "ETD" from it."""

    kind = "shipping.booking_confirmed"
    text = gettext_noop("Booking %(no)s confirmed by %(forwarder)s: %(vessel)s, ETD %(etd)s, ETA %(eta)s, "
                        "%(containers)s; cut-offs CY %(cy)s, SI %(si)s, VGM %(vgm)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BookingAmended(BookingEvent):
    """A confirmed (or requested) booking's fields changed (``changes``: field → old / new)."""

    kind = "shipping.booking_amended"
    text = gettext_noop("Booking %(no)s (%(forwarder)s) amended")
    verb: ClassVar[str] = Event.Verb.UPDATED


@dataclass(kw_only=True)
class BookingCancelled(BookingEvent):
    """The booking was cancelled (``reason``)."""

    kind = "shipping.booking_cancelled"
    text = gettext_noop("Booking %(no)s with forwarder %(forwarder)s cancelled")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


# --- the shipping plan and the shipping notice (出货计划 / 出货通知), on the order's timeline ----


@dataclass(kw_only=True)
class ShipmentPlanEvent(DomainEvent):
    """A step of the plan of ``shipment`` (of sales order ``order``)."""

    order: SalesOrder
    shipment: Shipment

    def params(self) -> dict:
        s = self.shipment
        return {"no": s.number, "mode": choice(Shipment, "transport_mode", s.transport_mode),
                "date": s.planned_ex_factory.isoformat() if s.planned_ex_factory else "—",
                "lines": ", ".join(f"#{ln.order_line.line_no} × {ln.quantity.normalize():f}"
                                   for ln in s.lines.select_related("order_line").order_by("order_line__line_no"))}


@dataclass(kw_only=True)
class ShipmentPlanned(ShipmentPlanEvent):
    """A shipment of the order was planned: its lines, transport mode and ex-factory date."""

    kind = "shipping.shipment_planned"
    text = gettext_noop("Shipment %(no)s planned: %(lines)s, %(mode)s, ex-factory %(date)s")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class ShipmentPlanChanged(ShipmentPlanEvent):
    """The plan of a shipment changed (``changes``: field → old / new)."""

    kind = "shipping.shipment_plan_changed"
    text = gettext_noop("Shipment %(no)s changed: %(lines)s, %(mode)s, ex-factory %(date)s")
    verb: ClassVar[str] = Event.Verb.UPDATED


@dataclass(kw_only=True)
class ShipmentCancelled(ShipmentPlanEvent):
    """A planned (or loading, its containers cancelled) shipment was given up (``reason``)."""

    kind = "shipping.shipment_cancelled"
    text = gettext_noop("Shipment %(no)s cancelled")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class ShippingNoticeIssued(DomainEvent):
    """A version of the shipping notice (出货通知) of ``shipment`` was issued; the email goes
    after commit. ``snapshot`` is what the notice says (the next version lists what changed)."""

    kind = "shipping.notice_issued"
    text = gettext_noop("Shipping notice %(number)s version %(revision)s issued for shipment %(no)s")
    order: SalesOrder
    shipment: Shipment
    notice: object
    snapshot: dict

    def params(self) -> dict:
        return {"number": self.notice.number, "revision": self.notice.revision, "no": self.shipment.number,
                "notice": self.notice.pk, "snapshot": self.snapshot}


# --- finished goods in, loading and ex-factory (成品入库 / 装柜 / 出厂), on the order's timeline ----


@dataclass(kw_only=True)
class GoodsReceived(DomainEvent):
    """Finished goods of an order line were received into the warehouse."""

    kind = "shipping.goods_received"
    text = gettext_noop("Finished goods received %(no)s: line %(line)s × %(qty)s, %(cartons)s cartons (%(inspection)s)")
    order: SalesOrder
    receipt: FinishedGoodsReceipt

    def params(self) -> dict:
        r = self.receipt
        return {"no": r.number, "line": r.order_line.line_no, "qty": f"{r.quantity.normalize():f}",
                "cartons": r.cartons, "inspection": choice(FinishedGoodsReceipt, "inspection", r.inspection)}


@dataclass(kw_only=True)
class GoodsReceiptVoided(GoodsReceived):
    """A receipt entered by mistake was voided (``reason``)."""

    kind = "shipping.goods_receipt_voided"
    text = gettext_noop("Finished goods receipt %(no)s voided (line %(line)s × %(qty)s)")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class ContainerEvent(DomainEvent):
    """A step of a container of shipment ``container.shipment`` (order ``order``)."""

    order: SalesOrder
    container: Container

    def params(self) -> dict:
        c = self.container
        return {"shipment": c.shipment.number, "container": c.container_no, "type": c.container_type,
                "seal": c.seal_no or "—", "vgm": f"{c.vgm_kg.normalize():f}" if c.vgm_kg is not None else "—",
                "cartons": sum(line.cartons for line in c.lines.all()),
                "lines": ", ".join(f"#{line.order_line.line_no} × {line.quantity.normalize():f} ({line.cartons})"
                                   for line in c.lines.select_related("order_line").order_by("order_line__line_no"))
                or "—"}


@dataclass(kw_only=True)
class ContainerStarted(ContainerEvent):
    """The warehouse opened a container for the shipment (the first one: the shipment is loading)."""

    kind = "shipping.container_started"
    text = gettext_noop("Shipment %(shipment)s: loading started in container %(container)s (%(type)s)")


@dataclass(kw_only=True)
class ContainerLoaded(ContainerEvent):
    """The cartons of a container were counted in: its lines as they now stand."""

    kind = "shipping.container_loaded"
    text = gettext_noop("Shipment %(shipment)s: container %(container)s holds %(cartons)s cartons (%(lines)s)")
    verb: ClassVar[str] = Event.Verb.UPDATED


@dataclass(kw_only=True)
class ContainerSealed(ContainerEvent):
    """The container is sealed and its VGM declared."""

    kind = "shipping.container_sealed"
    text = gettext_noop("Shipment %(shipment)s: container %(container)s sealed (seal %(seal)s, VGM %(vgm)s kg, "
                        "%(cartons)s cartons)")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class ContainerCancelled(ContainerEvent):
    """A container was given up (``reason``): its cartons are back in the warehouse."""

    kind = "shipping.container_cancelled"
    text = gettext_noop("Shipment %(shipment)s: container %(container)s cancelled")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


# --- bills of lading and the shipping advice (装船通知), on the sales order's timeline -------


# The B/L's checked boxes as the timeline names them (the model's labels: one translation).
BILL_FIELD_LABELS = {
    "shipper": gettext_noop("shipper"), "consignee": gettext_noop("consignee"),
    "notify_party": gettext_noop("notify party"), "port_of_loading": gettext_noop("port of loading"),
    "port_of_discharge": gettext_noop("port of discharge"), "vessel": gettext_noop("vessel"),
    "voyage": gettext_noop("voyage"), "marks": gettext_noop("marks and numbers"),
    "packages": gettext_noop("packages"), "gross_kg": gettext_noop("gross weight (kg)"),
    "cbm": gettext_noop("measurement (CBM)"), "containers": gettext_noop("containers and seals"),
}


@dataclass(kw_only=True)
class BillEvent(DomainEvent):
    """A step of the bill of lading ``bill`` of a shipment of ``order``."""

    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder
    bill: BillOfLading

    def params(self) -> dict:
        b = self.bill
        return {"shipment": b.shipment.number, "kind": choice(BillOfLading, "kind", b.kind), "draft": b.draft_no,
                "no": b.bl_no or "—", "n": len(b.differences or []),
                "fields": [tr(BILL_FIELD_LABELS.get(d["field"], d["field"])) for d in b.differences or []] or "—",
                "on_board": b.on_board_on.isoformat() if b.on_board_on else "—",
                "originals": b.originals, "release": choice(BillOfLading, "release_kind", b.release_kind)
                if b.release_kind else "—"}


@dataclass(kw_only=True)
class BillDraftReceived(BillEvent):
    """The forwarder's draft was entered and checked against the shipment (``differences``)."""

    kind = "shipping.bill_draft_received"
    text = gettext_noop("Shipment %(shipment)s: %(kind)s draft %(draft)s checked, %(n)s differences (%(fields)s)")


@dataclass(kw_only=True)
class BillConfirmed(BillEvent):
    """The draft was confirmed to the forwarder (``reason``: why remaining differences are accepted)."""

    kind = "shipping.bill_confirmed"
    text = gettext_noop("Shipment %(shipment)s: %(kind)s draft %(draft)s confirmed")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BillIssued(BillEvent):
    """The carrier issued the bill: its no., the on-board date, the originals. The T&A completes "ETD"."""

    kind = "shipping.bill_issued"
    text = gettext_noop("Shipment %(shipment)s: %(kind)s %(no)s issued, on board %(on_board)s, "
                        "%(originals)s originals")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BillReleased(BillEvent):
    """The bill went to the customer (originals, telex release, surrender, or a waybill)."""

    kind = "shipping.bill_released"
    text = gettext_noop("Shipment %(shipment)s: %(kind)s %(no)s released to the customer (%(release)s)")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class ShippingAdviceSent(DomainEvent):
    """The shipping advice (装船通知) of ``shipment`` went to the customer's contacts (``recipients``).
    The T&A completes "shipping advice"; a re-sent advice is logged the same way."""

    kind = "shipping.advice_sent"
    text = gettext_noop("Shipment %(shipment)s: shipping advice sent to %(to)s (B/L %(bl)s)")
    order: SalesOrder
    shipment: Shipment
    recipients: list

    def params(self) -> dict:
        return {"shipment": self.shipment.number, "to": ", ".join(self.recipients) or "—",
                "bl": self.shipment.bl_no or "—"}


@dataclass(kw_only=True)
class ShippingAdviceFailed(DomainEvent):
    """The shipping advice email could not be sent (``error``): nothing counts as sent."""

    kind = "shipping.advice_failed"
    text = gettext_noop("Shipment %(shipment)s: the shipping advice email failed: %(error)s")
    order: SalesOrder
    shipment: Shipment
    error: str

    def params(self) -> dict:
        return {"shipment": self.shipment.number, "error": self.error[:200]}
