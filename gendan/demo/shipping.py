"""The demo's shipping life, after the order stories (``gendan.demo.sales``) are written:

- ``seed``: every order whose goods were finished has them received into the warehouse (成品入库,
  one receipt per line, from its workshop or factory); every shipment that left by sea has its
  confirmed booking with a forwarder (cut-offs before the ETD), every full-container shipment
  its sealed containers (ISO 6346 numbers, unique seals, VGM) holding exactly the shipped
  cartons, and every sea or air shipment its bill of lading (or air waybill) whose fields are
  the shipment's — issued once on board, released where the order's original B/L was.
- ``plans`` (after the quality step, whose final inspections decide whether an order may
  load): open orders get their shipping plan — a planned shipment with a requested or
  confirmed booking for some orders in production and most ready ones, and a few ready orders
  a shipment loading this week with a container half full.

Bulk inserts; values follow from the story's index and its shipping coins (``Story.ship_u``),
so a run is repeatable and the counts do not depend on ``--seed``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.core.events import choice
from gendan.core.models import Event, Sequence
from gendan.demo.logistics import (
    DEFAULT_CARTON,
    LCL_BELOW_CBM,
    LINES,
    TARE_KG,
    Cargo,
    container_mix,
    container_no,
    stow,
)
from gendan.demo.sales import (
    BATCH,
    CHUNK,
    EASTBOUND,
    EVENT_COLUMNS,
    S,
    ShipmentSpec,
    Story,
    allocate_numbers,
    event,
    insert_rows,
    shipping_marks,
    timestamps_as_given,
)
from gendan.parties.models import Incoterm, PaymentMethod, Supplier
from gendan.sales.gates import ORDER_GATES, SHIP
from gendan.sales.models import SalesOrder, SalesOrderCell
from gendan.shipping.events import (
    BillConfirmed,
    BillDraftReceived,
    BillIssued,
    BillReleased,
    BookingConfirmed,
    BookingRequested,
    ContainerLoaded,
    ContainerSealed,
    ContainerStarted,
    GoodsReceived,
    ShipmentPlanned,
    ShippingAdviceSent,
)
from gendan.shipping.models import (
    BillOfLading,
    Booking,
    Container,
    ContainerLine,
    FinishedGoodsReceipt,
    Shipment,
    ShipmentCell,
    ShipmentLine,
)

DAY = dt.timedelta(days=1)
V = Event.Verb
M = Shipment.Mode
B = Booking.Status
BL = BillOfLading.Status
RECEIPT_SEQUENCE = ("fg_receipt", "成品入库单号", "Finished goods receipt", "RK", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly")
LOCATIONS = "ABCD"
# The seller pays the main carriage under these terms (the B/L says freight prepaid).
FREIGHT_PREPAID = {Incoterm.CFR, Incoterm.CIF, Incoterm.CPT, Incoterm.CIP, Incoterm.DAP, Incoterm.DPU, Incoterm.DDP}
SEA = (M.SEA_FCL, M.SEA_LCL)


class _Refs:
    """What every chunk needs, loaded once."""

    def __init__(self, ctx) -> None:
        self.today, self.now = timezone.localdate(), timezone.now()
        self.tz = timezone.get_current_timezone()
        self.order_ct = ContentType.objects.get_for_model(SalesOrder).pk
        self.shipment_ct = ContentType.objects.get_for_model(Shipment).pk
        self.warehouse_id = (ctx.users.get("warehouse") or ctx.users["admin"]).pk
        self.forwarders = _forwarders()
        self.shipper = (f"{settings.GENDAN_COMPANY_NAME.get('en', '')}\n"
                        f"{settings.GENDAN_COMPANY_NAME.get('zh-hans', '')}, Shenzhen, China").strip()
        self.containers = ctx.data.setdefault("demo_containers", [0])  # containers numbered so far
        self.cartons = {p.pk: (p.units_per_carton, p.carton_cbm, p.gross_weight_kg, p.net_weight_kg)
                        for p in Product.objects.filter(kind=Product.Kind.FINISHED, units_per_carton__isnull=False,
                                                        gross_weight_kg__isnull=False) if p.carton_cbm}

    def cargo(self, s: Story, i: int, quantity: Decimal) -> Cargo:
        """Line ``i`` of ``s``: ``quantity`` pieces in the product's export cartons."""
        return Cargo(i, quantity, *self.cartons.get(s.lines[i].product_id, DEFAULT_CARTON))

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """``day`` at ``hour:minute`` company time, never later than a minute before now."""
        moment = dt.datetime.combine(day, dt.time(hour, minute % 60), tzinfo=self.tz)
        return min(moment, self.now - dt.timedelta(minutes=1))

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        """``moment``, or just before now when it would be later (steps of the last minutes)."""
        return min(moment, self.now - dt.timedelta(seconds=30))

    def next_container(self) -> int:
        self.containers[0] += 1
        return self.containers[0]


def _forwarders() -> list[Supplier]:
    return list(Supplier.objects.filter(kind=Supplier.Kind.FORWARDER, is_active=True).order_by("code"))


# --- step 1: the life of what shipped --------------------------------------------------------


def seed(ctx) -> None:
    stories: list[Story] = [s for s in ctx.data.get("order_stories", []) if s.order_id]
    if not stories:
        return
    refs = _Refs(ctx)
    Sequence.objects.get_or_create(code=RECEIPT_SEQUENCE[0], defaults=dict(zip(
        ("name_zh", "name_en", "prefix", "pattern", "padding", "reset"), RECEIPT_SEQUENCE[1:], strict=True)))
    numbers: dict[tuple[int, int], str] = {}
    allocate_numbers(RECEIPT_SEQUENCE[0], (
        (_received_on(s, i), s.index * 8 + i, lambda no, key=(s.index, i): numbers.__setitem__(key, no))
        for s in stories if s.level >= 3 for i in range(len(s.lines))))
    totals = Counter()
    with timestamps_as_given(Container):
        for start in range(0, len(stories), CHUNK):
            _write_shipped(stories[start:start + CHUNK], refs, numbers, totals)
    for s in stories:
        if s.state not in (S.IN_PRODUCTION, S.READY):
            s.lines = []  # the finance step needs money and dates only; ``plans`` needs open orders' goods
    ctx.say(f"  {totals['receipts']} finished goods receipts, {totals['bookings']} bookings, "
            f"{totals['containers']} containers, {totals['bills']} B/Ls and air waybills "
            f"(forwarders: {len(refs.forwarders)})")


def _received_on(s: Story, i: int) -> dt.date:
    return s.days["ready"] - DAY * ((s.index + i) % 2)


def _write_shipped(stories: list[Story], refs: _Refs, numbers: dict, totals: Counter) -> None:
    events: list[tuple] = []
    receipts, bookings, containers, loads, bills = [], [], [], [], []
    for s in stories:
        if s.level >= 3:
            receipts += _receipts(s, refs, numbers, events)
        for k, sh in enumerate(s.shipments):
            if sh.pk is None:
                continue
            if sh.mode in SEA:
                bookings.append(_booking_row(s, k, sh, refs, events, mix=None))
            stowed = []
            if sh.mode == M.SEA_FCL:
                for n, (kind, load) in enumerate(stow(sh.cargo, _mix(sh))):
                    text = _lines_text(load)
                    container = _container(s, sh, kind, load, refs, n, sealed=True)
                    _container_events(s, sh, container, load, text, refs, events)
                    containers.append(container)
                    loads.append(load)
                    stowed.append((container, load))
            if sh.mode in (*SEA, M.AIR):
                bills.append((s, sh, stowed))
            if sh.advice_sent:
                events.append(event(refs.order_ct, s.order_id, s.number, s.merchandiser_id, sh.advice_sent,
                                    ShippingAdviceSent.verb, kind=ShippingAdviceSent.kind, params={
                                        "shipment": sh.number, "to": s.customer.email or "—", "bl": sh.bl_no or "—"}))
    insert_rows(FinishedGoodsReceipt, RECEIPT_COLUMNS, receipts)
    insert_rows(Booking, BOOKING_COLUMNS, bookings)
    Container.objects.bulk_create(containers, batch_size=BATCH)
    insert_rows(ContainerLine, CONTAINER_LINE_COLUMNS, (
        (c.pk, line_pk, cartons, pieces, kg, cbm) for c, load in zip(containers, loads, strict=True)
        for line_pk, cartons, pieces, kg, cbm in load))
    insert_rows(BillOfLading, BILL_COLUMNS, (_bill_row(s, sh, stowed, refs, events) for s, sh, stowed in bills))
    insert_rows(Event, EVENT_COLUMNS, events)
    totals.update(receipts=len(receipts), bookings=len(bookings), containers=len(containers), bills=len(bills))


RECEIPT_COLUMNS = ["number", "order_id", "order_line_id", "received_on", "quantity", "cartons", "source", "source_ref",
                   "inspection", "location", "notes", "received_by_id", "created_at", "updated_at"]


def _receipts(s: Story, refs: _Refs, numbers: dict, events: list[tuple]) -> list[tuple]:
    """The finished goods of every line, received from the production order that made them,
    each with its ``GoodsReceived`` row on the order's timeline."""
    rows = []
    for p in s.productions:
        own = p.supplier.kind == Supplier.Kind.OWN_WORKSHOP
        for i in p.lines:
            line, day = s.lines[i], _received_on(s, i)
            cargo = refs.cargo(s, i, line.quantity)
            coin = (s.ship_u[2] + i * 0.37) % 1
            inspection = (FinishedGoodsReceipt.Inspection.PASSED if coin < 0.85 else
                          FinishedGoodsReceipt.Inspection.CONCESSION if coin < 0.9 else
                          FinishedGoodsReceipt.Inspection.NOT_INSPECTED)
            at = refs.at(day, 10, 7 * i)
            rows.append((numbers[s.index, i], s.order_id, line.pk, day, line.quantity, cargo.cartons,
                         FinishedGoodsReceipt.Source.WORKSHOP if own else FinishedGoodsReceipt.Source.FACTORY,
                         p.number if own else f"{p.number} / 送货单 {s.index % 9000 + 1000}-{i + 1}", inspection,
                         f"成品仓 {LOCATIONS[s.index % 4]}-{s.index % 20 + 1:02d}-{i % 4 + 1}", "",
                         refs.warehouse_id, at, at))
            events.append(event(refs.order_ct, s.order_id, s.number, refs.warehouse_id, at, GoodsReceived.verb,
                                kind=GoodsReceived.kind, params={
                                    "no": rows[-1][0], "line": i + 1, "qty": f"{line.quantity.normalize():f}",
                                    "cartons": cargo.cartons,
                                    "inspection": choice(FinishedGoodsReceipt, "inspection", inspection)}))
    return rows


def _mix(sh: ShipmentSpec) -> list[str]:
    cbm = sum((c.cbm(c.cartons) for c in sh.cargo), Decimal(0))
    return container_mix(cbm, forty_standard=sh.serial % 3 == 0)


BOOKING_COLUMNS = ["order_id", "shipment_id", "forwarder_id", "status", "requested_on", "booking_no", "carrier",
                   "vessel", "voyage", "port_of_loading", "port_of_destination", "etd", "eta", "cy_cutoff",
                   "si_cutoff", "vgm_cutoff", "containers", "notes", "requested_by_id", "confirmed_at",
                   "email_sent_at", "created_at", "updated_at", "version"]


def _cutoffs(etd: dt.date, refs: _Refs) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    tz = refs.tz
    return (dt.datetime.combine(etd - DAY, dt.time(17, 0), tzinfo=tz),  # CY: the full containers at the yard
            dt.datetime.combine(etd - 2 * DAY, dt.time(12, 0), tzinfo=tz),  # SI: the shipping instructions
            dt.datetime.combine(etd - DAY, dt.time(12, 0), tzinfo=tz))  # VGM


def _booking_row(s: Story, k: int, sh: ShipmentSpec, refs: _Refs, events: list[tuple], *, mix: list[str] | None,
                 confirmed: bool = True, requested_on: dt.date | None = None) -> tuple:
    """A booking of shipment ``sh`` with a forwarder (confirmed unless told), and its events on
    the order's timeline as ``booking_request`` and ``booking_confirm`` write them."""
    forwarder = refs.forwarders[sh.serial % len(refs.forwarders)]
    if requested_on is None:
        requested_on = s.days["ready"] - 7 * DAY if k == 0 else sh.shipped_on - 7 * DAY
    requested_at = refs.at(requested_on, 9, 30 + sh.serial % 20)
    booked = Counter(mix if mix is not None else (_mix(sh) if sh.mode == M.SEA_FCL else ["LCL"]))
    containers = dict(sorted(booked.items()))
    text = ", ".join(f"{n} × {kind}" for kind, n in containers.items())
    blank = {"no": "—", "forwarder": forwarder.code, "containers": text, "vessel": "—", "etd": "—", "eta": "—",
             "cy": "—", "si": "—", "vgm": "—"}
    events.append(event(refs.order_ct, s.order_id, s.number, s.merchandiser_id, requested_at, V.NOTE,
                        kind=BookingRequested.kind, params=blank))
    pol, pod = s.customer.port_of_loading, s.customer.port_of_destination
    if not confirmed:
        return (s.order_id, sh.pk, forwarder.pk, B.REQUESTED, requested_on, "", "", "", "", pol, pod, None, None,
                None, None, None, containers, "", s.merchandiser_id, None, requested_at, requested_at, requested_at, 1)
    confirmed_at = refs.at(requested_on + 2 * DAY, 15, sh.serial % 50)
    cy, si, vgm = _cutoffs(sh.etd, refs)
    booking_no = f"{sh.carrier[1][:3]}{'SZ' if sh.serial % 2 else 'YT'}{26_000_000 + sh.serial * 13 % 9_000_000}"
    local = {name: timezone.localtime(value).strftime("%Y-%m-%d %H:%M") for name, value in
             (("cy", cy), ("si", si), ("vgm", vgm))}
    params = {**blank, "no": booking_no, "vessel": f"{sh.vessel} / {sh.voyage}", "etd": sh.etd.isoformat(),
              "eta": sh.eta.isoformat(), **local}
    changes = {name: {"old": "", "new": new, "model": "shipping.booking"} for name, new in (
        ("booking_no", booking_no), ("carrier", sh.carrier[0]), ("vessel", sh.vessel), ("voyage", sh.voyage),
        ("etd", sh.etd.isoformat()), ("eta", sh.eta.isoformat()), ("cy_cutoff", local["cy"]),
        ("si_cutoff", local["si"]), ("vgm_cutoff", local["vgm"]))}
    changes["status"] = {"old": B.REQUESTED, "new": B.CONFIRMED, "model": "shipping.booking"}
    events.append(event(refs.order_ct, s.order_id, s.number, s.merchandiser_id, confirmed_at, V.STATE_CHANGED,
                        kind=BookingConfirmed.kind, params=params, changes=changes))
    return (s.order_id, sh.pk, forwarder.pk, B.CONFIRMED, requested_on, booking_no, sh.carrier[0], sh.vessel,
            sh.voyage, pol, pod, sh.etd, sh.eta, cy, si, vgm, containers, "", s.merchandiser_id, confirmed_at,
            requested_at, requested_at, confirmed_at, 2)


def _lines_text(load: list) -> str:
    """A container's lines as its timeline rows list them: "#1 × 240 (20), #2 × 96 (8)"."""
    return ", ".join(f"#{c.line + 1} × {pieces.normalize():f} ({cartons})" for c, cartons, pieces in load) or "—"


def _container_events(s: Story, sh: ShipmentSpec, container: Container, load: list, lines: str, refs: _Refs,
                      events: list[tuple]) -> None:
    """The warehouse's rows on the order's timeline: container started, loaded and (when the
    loading is done) sealed, as ``shipping.services.warehouse`` writes them."""
    params = {"shipment": sh.number, "container": container.container_no, "type": container.container_type,
              "seal": container.seal_no or "—", "vgm": f"{container.vgm_kg.normalize():f}" if container.vgm_kg else "—",
              "cartons": sum(row[1] for row in load), "lines": lines}
    at = container.created_at
    add = events.append
    add(event(refs.order_ct, s.order_id, s.number, refs.warehouse_id, at, ContainerStarted.verb,
              kind=ContainerStarted.kind, params={**params, "seal": "—", "vgm": "—", "cartons": 0, "lines": "—"}))
    loaded_at = container.loaded_at - dt.timedelta(minutes=10) if container.loaded_at else container.updated_at
    add(event(refs.order_ct, s.order_id, s.number, refs.warehouse_id, loaded_at, ContainerLoaded.verb,
              kind=ContainerLoaded.kind, params={**params, "seal": "—", "vgm": "—"}))
    if container.status == Container.Status.LOADED:
        add(event(refs.order_ct, s.order_id, s.number, refs.warehouse_id, container.loaded_at, ContainerSealed.verb,
                  kind=ContainerSealed.kind, params=params,
                  changes={"status": {"old": Container.Status.LOADING, "new": Container.Status.LOADED,
                                      "model": "shipping.container"}}))


CONTAINER_LINE_COLUMNS = ["container_id", "order_line_id", "cartons", "quantity", "gross_kg", "cbm"]


def _container(s: Story, sh: ShipmentSpec, kind: str, load: list, refs: _Refs, n: int, *, sealed: bool) -> Container:
    """A container of ``sh`` holding ``load`` ((cargo, cartons, pieces) …); ``load`` becomes the
    rows of its lines (order line id, cartons, pieces, kg, CBM)."""
    serial = refs.next_container()
    owner = sh.carrier[2] if sh.carrier else "TGHU"
    rows = [(s.lines[c.line].pk, cartons, pieces, c.kg(cartons, pieces), c.cbm(cartons)) for c, cartons, pieces in load]
    load[:] = rows
    gross = sum((row[3] for row in rows), Decimal(0))
    tare = TARE_KG[kind]
    day = sh.shipped_on or refs.today
    at = refs.at(day, 8, 30) + dt.timedelta(minutes=25 * n)
    return Container(
        shipment_id=sh.pk, container_no=container_no(owner, serial * 7_919 + 104_729), container_type=kind,
        status=Container.Status.LOADED if sealed else Container.Status.LOADING,
        seal_no=f"{(sh.carrier[1] if sh.carrier else 'CN')[:2]}{serial:08d}" if sealed else "",
        tare_kg=tare, vgm_kg=(tare + gross).quantize(Decimal("0.1")) if sealed else None,
        loaded_at=at if sealed else None, loaded_by_id=refs.warehouse_id, created_at=at - dt.timedelta(hours=2),
        updated_at=at if sealed else at - dt.timedelta(hours=1), version=3 if sealed else 2)


BILL_COLUMNS = ["shipment_id", "kind", "status", "draft_no", "bl_no", "shipper", "consignee", "notify_party",
                "port_of_loading", "port_of_discharge", "place_of_delivery", "vessel", "voyage", "marks",
                "description", "packages", "gross_kg", "cbm", "containers", "freight", "differences",
                "draft_received_on", "checked_at", "checked_by_id", "on_board_on", "issued_on", "originals",
                "release_kind", "released_at", "released_by_id", "created_at", "updated_at", "version"]


def _bill_row(s: Story, sh: ShipmentSpec, stowed: list, refs: _Refs, events: list[tuple]) -> tuple:
    """The B/L (or air waybill) of ``sh``: every field as the shipment has it, checked without
    differences; issued once on board, released where the order's original B/L was. Its steps
    and the shipping advice go on the order's timeline as ``shipping.services.bills`` writes them."""
    c = s.customer
    if stowed:  # the containers' totals
        packages = sum(row[1] for _container, load in stowed for row in load)
        gross = sum((row[3] for _container, load in stowed for row in load), Decimal(0))
        cbm = sum((row[4] for _container, load in stowed for row in load), Decimal(0))
        boxes = "\n".join(f"{k.container_no} / {k.container_type} / SEAL {k.seal_no}" for k, _load in stowed)
    else:
        packages = sum(cargo.cartons for cargo in sh.cargo)
        gross = sum((cargo.kg(cargo.cartons, cargo.quantity) for cargo in sh.cargo), Decimal(0))
        cbm = sum((cargo.cbm(cargo.cartons) for cargo in sh.cargo), Decimal(0))
        boxes = "LCL" if sh.mode == M.SEA_LCL else ""
    kind = (BillOfLading.Kind.AIR_WAYBILL if sh.mode == M.AIR else
            BillOfLading.Kind.SEA_WAYBILL if s.ship_u[3] < 0.15 else BillOfLading.Kind.OCEAN)
    name = c.name_en or c.name_zh
    party = f"{name}\n{c.address}\nTEL {c.phone}"
    consignee = "TO ORDER" if c.payment_method == PaymentMethod.LC_SIGHT and kind == BillOfLading.Kind.OCEAN else party
    goods = "; ".join(dict.fromkeys(s.lines[cargo.line].description for cargo in sh.cargo))
    draft = min(sh.etd - 2 * DAY, refs.today)
    checked = refs.at(draft, 16, sh.serial % 50)
    status, version, released_at, release_kind, issued_on = BL.CONFIRMED, 2, None, "", None
    if sh.on_board:
        status, version, issued_on = BL.ISSUED, 3, min(sh.on_board + DAY * (sh.serial % 2), refs.today,
                                                       s.days.get("bl_release", refs.today))
        if "bl_release" in s.times:
            status, version, released_at = BL.RELEASED, 4, s.times["bl_release"]
            release_kind = (BillOfLading.Release.WAYBILL if kind != BillOfLading.Kind.OCEAN else
                            BillOfLading.Release.TELEX if s.ship_u[4] < 0.6 else BillOfLading.Release.ORIGINALS)
    last = released_at or (refs.at(issued_on, 11) if issued_on else checked)
    params = {"shipment": sh.number, "kind": choice(BillOfLading, "kind", kind), "draft": 1 + sh.serial % 2,
              "no": sh.bl_no or "—", "n": 0, "fields": "—", "on_board": "—",
              "originals": 3 if kind == BillOfLading.Kind.OCEAN else 0, "release": "—"}
    merch, add = s.merchandiser_id, events.append
    add(event(refs.order_ct, s.order_id, s.number, merch, checked, BillDraftReceived.verb,
              kind=BillDraftReceived.kind, params=params))
    add(event(refs.order_ct, s.order_id, s.number, merch, refs.clamp(checked + dt.timedelta(minutes=5)),
              BillConfirmed.verb,
              kind=BillConfirmed.kind, params=params, changes={"status": {"old": BL.DRAFT, "new": BL.CONFIRMED,
                                                                          "model": "shipping.billoflading"}}))
    if issued_on:
        params = {**params, "on_board": sh.on_board.isoformat()}
        add(event(refs.order_ct, s.order_id, s.number, merch, max(refs.at(issued_on, 11), checked), BillIssued.verb,
                  kind=BillIssued.kind, params=params, changes={"status": {"old": BL.CONFIRMED, "new": BL.ISSUED,
                                                                           "model": "shipping.billoflading"}}))
    if released_at:
        add(event(refs.order_ct, s.order_id, s.number, merch, released_at, BillReleased.verb,
                  kind=BillReleased.kind, params={**params, "release": choice(BillOfLading, "release_kind",
                                                                                release_kind)},
                  changes={"status": {"old": BL.ISSUED, "new": BL.RELEASED, "model": "shipping.billoflading"}}))
    return (sh.pk, kind, status, 1 + sh.serial % 2, sh.bl_no, refs.shipper, consignee, party, c.port_of_loading,
            c.port_of_destination, c.port_of_destination, sh.vessel, sh.voyage, shipping_marks(s),
            f"{goods[:400]}\n{packages} CARTONS", packages, gross, cbm, boxes,
            "FREIGHT PREPAID" if c.incoterm in FREIGHT_PREPAID else "FREIGHT COLLECT", [],
            draft, checked, s.merchandiser_id, sh.on_board, issued_on,
            3 if kind == BillOfLading.Kind.OCEAN else 0, release_kind, released_at,
            s.merchandiser_id if released_at else None, refs.at(draft, 9), max(last, checked), version)


# --- step 2: the shipping plan of open orders ------------------------------------------------

PLAN_SHARE = {S.IN_PRODUCTION: 0.3, S.READY: 0.65}  # open orders with a planned shipment
LOADING_SHARE = 0.15  # ready orders the warehouse is loading this week


@dataclass(slots=True)
class _Plan:
    """The shipping plan of one open order: what it carries, whether the warehouse is loading
    it, the state of its booking ("" when not booked yet) and when it was made."""

    story: Story
    sh: ShipmentSpec
    loading: bool
    booking: str = ""
    created: dt.date | None = None


def plans(ctx) -> None:
    stories = [s for s in ctx.data.get("order_stories", []) if s.order_id and s.state in PLAN_SHARE and s.lines]
    if not stories:
        return
    with timestamps_as_given(Shipment, Container):
        _plans(ctx, stories)


def _plans(ctx, stories: list[Story]) -> None:
    refs = _Refs(ctx)
    chosen: list[_Plan] = []
    first_ready = True  # the first ready export order is loading: the warehouse's week is never empty
    for s in stories:
        open_lines = {i: ln.quantity - ln.shipped for i, ln in enumerate(s.lines) if ln.quantity > ln.shipped}
        if not open_lines or s.ship_u[3] >= PLAN_SHARE[s.state]:
            continue
        export_ready = s.state == S.READY and bool(s.customer.port_of_loading)
        chosen.append(_Plan(s, ShipmentSpec(open_lines, True), export_ready and (s.ship_u[3] < LOADING_SHARE
                                                                                or first_ready)))
        first_ready = first_ready and not export_ready
    for plan in chosen:
        s, sh = plan.story, plan.sh
        sh.serial = s.index * 31 + 7
        sh.cargo = [refs.cargo(s, i, qty) for i, qty in sh.quantities.items()]
        _plan_sailing(s, sh, refs, plan.loading)
        if sh.mode in SEA and not (s.state == S.IN_PRODUCTION and s.ship_u[4] >= 0.75):
            plan.booking = B.CONFIRMED if plan.loading or s.ship_u[4] < (0.7 if s.state == S.READY else 0.4) \
                else B.REQUESTED
        if plan.booking != B.CONFIRMED:
            sh.etd = sh.eta = None
        plan.created = max(min(refs.today - DAY * (2 + s.index % 5), sh.planned_ex_factory), s.days["release"])
    _gates(chosen)  # after the plan is made: what the gates decide changes no count
    allocate_numbers("shipment", ((p.created, p.story.index, lambda no, sh=p.sh: setattr(sh, "number", no))
                                  for p in chosen))
    shipments, events = [], []
    for plan in chosen:
        s, sh = plan.story, plan.sh
        at = refs.at(plan.created, 11, s.index % 60)
        shipments.append(Shipment(
            number=sh.number, order_id=s.order_id,
            status=Shipment.Status.LOADING if plan.loading else Shipment.Status.PLANNED, transport_mode=sh.mode,
            port_of_loading=s.customer.port_of_loading, port_of_destination=s.customer.port_of_destination,
            planned_ex_factory=sh.planned_ex_factory, vessel_voyage=f"{sh.vessel} / {sh.voyage}" if sh.etd else "",
            etd=sh.etd, eta=sh.eta, created_by_id=s.merchandiser_id, created_at=at, updated_at=at,
            version=2 if plan.loading else 1))
    Shipment.objects.bulk_create(shipments, batch_size=BATCH)
    lines = []
    for shipment, plan in zip(shipments, chosen, strict=True):
        s, sh = plan.story, plan.sh
        sh.pk = shipment.pk
        events.append(event(refs.order_ct, s.order_id, s.number, s.merchandiser_id, shipment.created_at,
                            ShipmentPlanned.verb, kind=ShipmentPlanned.kind, params={
                                "no": sh.number, "mode": choice(Shipment, "transport_mode", sh.mode),
                                "date": sh.planned_ex_factory.isoformat(),
                                "lines": ", ".join(f"#{c.line + 1} × {c.quantity.normalize():f}" for c in sh.cargo)}))
        lines += [ShipmentLine(shipment_id=shipment.pk, order_line_id=s.lines[c.line].pk, quantity=c.quantity,
                               cartons=c.cartons) for c in sh.cargo]
    ShipmentLine.objects.bulk_create(lines, batch_size=BATCH)
    _cells(chosen, lines)
    bookings, containers, loads = [], [], []
    for plan in chosen:
        s, sh = plan.story, plan.sh
        if not plan.booking:
            continue
        mix = _mix(sh) if sh.mode == M.SEA_FCL else ["LCL"]
        requested_on = max(min(refs.today - DAY * (3 + s.index % 6), sh.planned_ex_factory - 5 * DAY),
                           s.days["release"])
        bookings.append(_booking_row(s, 0, sh, refs, events, mix=mix, confirmed=plan.booking == B.CONFIRMED,
                                     requested_on=requested_on))
        if plan.loading:  # the first container, a little more than half full
            kind, load = stow(sh.cargo, mix)[0]
            part = []
            for c, cartons, pieces in load:
                n = max(1, cartons * 6 // 10)
                part.append((c, n, pieces if n == cartons else Decimal(n * c.per_carton)))
            text = _lines_text(part)
            container = _container(s, sh, kind, part, refs, 0, sealed=False)
            _container_events(s, sh, container, part, text, refs, events)
            containers.append(container)
            loads.append(part)
    insert_rows(Booking, BOOKING_COLUMNS, bookings)
    Container.objects.bulk_create(containers, batch_size=BATCH)
    insert_rows(ContainerLine, CONTAINER_LINE_COLUMNS, (
        (c.pk, line_pk, cartons, pieces, kg, cbm) for c, load in zip(containers, loads, strict=True)
        for line_pk, cartons, pieces, kg, cbm in load))
    insert_rows(Event, EVENT_COLUMNS, events)
    for s in stories:
        s.lines = []
    states = Counter(shipment.status for shipment in shipments)
    ctx.say(f"  shipping plans: {states[Shipment.Status.PLANNED]} shipments planned, "
            f"{states[Shipment.Status.LOADING]} loading ({len(containers)} containers), {len(bookings)} bookings")


def _gates(chosen: list[_Plan]) -> None:
    """An order the gates keep from shipping (balance, final inspection) is not loading: its
    shipment stays planned for this week, booked, until the balance or the inspection comes."""
    orders = SalesOrder.objects.in_bulk([p.story.order_id for p in chosen if p.loading])
    for plan in chosen:
        if plan.loading and not ORDER_GATES.check(SHIP, orders[plan.story.order_id]):
            plan.loading = False


def _plan_sailing(s: Story, sh: ShipmentSpec, refs: _Refs, loading: bool) -> None:
    """Mode, planned ex-factory and the sailing a confirmed booking would give, for an open order."""
    today, coin = refs.today, s.ship_u[0]
    monday = today - DAY * today.weekday()
    if loading:  # leaves this week
        sh.planned_ex_factory = today + DAY * (s.index % (7 - today.weekday()))
    elif s.state == S.READY:
        sh.planned_ex_factory = today + DAY * (1 + s.index % 12)
    else:
        sh.planned_ex_factory = max(s.ex_factory, today + DAY * (7 + s.index % 5), monday + 14 * DAY)
    sh.shipped_on = None
    if not s.customer.port_of_loading:
        sh.mode = M.TRUCK
        return
    if coin < 0.03 and not loading:
        sh.mode = M.COURIER
        return
    if coin < 0.1 and not loading:
        sh.mode = M.AIR
        return
    cbm = sum((c.cbm(c.cartons) for c in sh.cargo), Decimal(0))
    sh.mode = M.SEA_FCL if loading or cbm >= LCL_BELOW_CBM else M.SEA_LCL
    sh.carrier = LINES[sh.serial % len(LINES)]
    sh.vessel = sh.carrier[3][sh.serial // len(LINES) % len(sh.carrier[3])]
    sh.voyage = f"{sh.serial * 37 % 200 + 1:03d}{'E' if s.customer.country in EASTBOUND else 'W'}"
    sh.etd = sh.planned_ex_factory + DAY * (3 + s.index % 3)  # every cut-off still ahead
    sh.eta = sh.etd + DAY * (12 + sh.serial % 24)
    sh.on_board = None


def _cells(chosen: list[_Plan], lines: list[ShipmentLine]) -> None:
    """The colour × size quantities of planned lines that carry the whole order line."""
    whole = {}
    rows = iter(lines)
    for plan in chosen:
        s = plan.story
        for c in plan.sh.cargo:
            line = next(rows)
            order_line = s.lines[c.line]
            if order_line.cells and c.quantity == order_line.quantity:
                whole[order_line.pk] = line.pk
    ids = list(whole)
    cells = []
    for start in range(0, len(ids), 900):
        for pk, line_id, quantity in (SalesOrderCell.objects.filter(line_id__in=ids[start:start + 900])
                                      .values_list("pk", "line_id", "quantity")):
            cells.append((whole[line_id], pk, quantity))
    insert_rows(ShipmentCell, ["line_id", "order_cell_id", "quantity"], cells)
