"""The demo's shipping life (``gendan.demo.shipping``): what left has its goods received, its
booking, containers and B/L, all agreeing with each other and with the order; open orders have
shipping plans, and the warehouse has something to load this week."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.models import Event
from gendan.demo.logistics import Cargo, container_mix, container_no, stow
from gendan.parties.models import Supplier
from gendan.sales.models import SalesOrder
from gendan.shipping import iso6346
from gendan.shipping.models import (
    BillOfLading,
    Booking,
    Container,
    ContainerLine,
    FinishedGoodsReceipt,
    Shipment,
    ShipmentLine,
)
from gendan.shipping.selectors import loading_list_for_week, week_bounds

pytestmark = pytest.mark.django_db

SEA = ("sea_fcl", "sea_lcl")


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed_demo", orders=200, customers=20, products=20, seed=2611, stdout=out)
    return out.getvalue()


def _by_line(rows) -> dict:
    totals = defaultdict(Decimal)
    for line_id, quantity in rows:
        totals[line_id] += quantity
    return totals


def test_shipped_quantities_agree_from_receipt_to_container(seeded):
    shipped = Shipment.objects.filter(status="shipped")
    modes = Counter(shipped.values_list("transport_mode", flat=True))
    assert modes["sea_fcl"] > modes["sea_lcl"] > 0 and modes["air"] > 0 and modes["truck"] > 0, modes
    assert modes["sea_fcl"] > sum(modes.values()) / 2  # mostly full containers
    received = _by_line(FinishedGoodsReceipt.objects.values_list("order_line_id", "quantity"))
    went = _by_line(ShipmentLine.objects.filter(shipment__status="shipped").values_list("order_line_id", "quantity"))
    assert went and all(received[line] >= quantity for line, quantity in went.items())
    for order in SalesOrder.objects.filter(status__in=["shipped", "completed", "closed"]).prefetch_related("lines"):
        for line in order.lines.all():
            assert received[line.pk] >= line.shipped_quantity == went[line.pk] == line.quantity
    fcl = list(shipped.filter(transport_mode="sea_fcl").prefetch_related("lines", "containers__lines"))
    assert fcl
    for shipment in fcl:
        planned = {ln.order_line_id: (ln.quantity, ln.cartons) for ln in shipment.lines.all()}
        loaded = defaultdict(lambda: [Decimal(0), 0])
        for container in shipment.containers.all():
            assert container.status == "loaded" and container.lines.all(), container
            for ln in container.lines.all():
                assert ln.quantity > 0 and ln.cartons > 0
                loaded[ln.order_line_id][0] += ln.quantity
                loaded[ln.order_line_id][1] += ln.cartons
        assert {k: tuple(v) for k, v in loaded.items()} == planned, shipment
    # Receipts are dated before the goods left, by the warehouse.
    for receipt in FinishedGoodsReceipt.objects.filter(order__status="shipped").select_related("received_by")[:100]:
        assert receipt.received_by.username == "warehouse"
        assert receipt.order.shipments.filter(shipped_on__lt=receipt.received_on).count() == 0
    assert not Shipment.objects.filter(status="shipped", departed_by__isnull=True).exists()


def test_containers_have_valid_numbers_unique_seals_and_their_vgm(seeded):
    containers = list(Container.objects.prefetch_related("lines").select_related("shipment"))
    assert len(containers) > 20
    for container in containers:
        assert iso6346.problem(container.container_no) is None, container.container_no
        gross = sum((ln.gross_kg for ln in container.lines.all()), Decimal(0))
        if container.status == "loaded":
            assert container.seal_no and container.loaded_at
            assert container.vgm_kg == (container.tare_kg + gross).quantize(Decimal("0.1"))
    seals = [c.seal_no for c in containers if c.seal_no]
    assert len(seals) == len(set(seals))
    numbers = Counter((c.shipment_id, c.container_no) for c in containers)
    assert max(numbers.values()) == 1
    # Loaded and sealed before the CY cut-off of the shipment's booking.
    cutoffs = dict(Booking.objects.filter(status="confirmed", shipment__isnull=False)
                   .values_list("shipment_id", "cy_cutoff"))
    assert all(c.loaded_at <= cutoffs[c.shipment_id] for c in containers if c.status == "loaded")


def test_bookings_are_confirmed_with_forwarders_and_cutoffs_before_the_etd(seeded):
    assert Supplier.objects.filter(kind="forwarder").count() >= 4
    sea = Shipment.objects.filter(status="shipped", transport_mode__in=SEA)
    bookings = {b.shipment_id: b for b in Booking.objects.filter(shipment__in=sea).select_related("forwarder")}
    assert set(bookings) == set(sea.values_list("pk", flat=True))
    assert len({b.forwarder_id for b in bookings.values()}) >= 4
    now = timezone.now()
    for shipment in sea:
        b = bookings[shipment.pk]
        assert b.status == "confirmed" and b.forwarder.kind == "forwarder" and b.booking_no and b.carrier
        assert (b.etd, b.eta, b.vessel_voyage) == (shipment.etd, shipment.eta, shipment.vessel_voyage)
        assert b.eta >= b.etd > shipment.shipped_on
        for cutoff in (b.cy_cutoff, b.si_cutoff, b.vgm_cutoff):
            assert timezone.localtime(cutoff).date() < b.etd
        assert b.requested_on <= timezone.localdate(b.confirmed_at) < shipment.shipped_on
        assert b.confirmed_at <= now
        containers = Counter(shipment.containers.values_list("container_type", flat=True))
        assert b.containers == (dict(containers) if shipment.transport_mode == "sea_fcl" else {"LCL": 1})
    assert not Shipment.objects.filter(eta__lt=F("etd")).exists()
    # Every booking step is on the order's timeline, as the booking services write it.
    assert Event.objects.filter(kind="shipping.booking_confirmed").count() == \
        Booking.objects.filter(status="confirmed").count()
    assert Event.objects.filter(kind="shipping.booking_requested").count() == Booking.objects.count()


def test_bills_of_lading_say_what_the_shipment_carried(seeded):
    bills = list(BillOfLading.objects.select_related("shipment__order"))
    shipped = Shipment.objects.filter(status="shipped", transport_mode__in=(*SEA, "air"))
    assert {b.shipment_id for b in bills} == set(shipped.values_list("pk", flat=True))
    assert {b.status for b in bills} >= {"issued", "released"}
    for bill in bills:
        shipment, order = bill.shipment, bill.shipment.order
        assert bill.differences == [] and bill.bl_no == shipment.bl_no
        assert (bill.port_of_loading, bill.port_of_discharge) == (shipment.port_of_loading,
                                                                  shipment.port_of_destination)
        assert f"{bill.vessel} / {bill.voyage}" == shipment.vessel_voyage
        assert bill.marks == order.shipping_marks
        assert (bill.kind == "air_waybill") == (shipment.transport_mode == "air")
        if shipment.transport_mode == "sea_fcl":
            lines = ContainerLine.objects.filter(container__shipment=shipment)
            totals = lines.aggregate(p=Sum("cartons"), g=Sum("gross_kg"), c=Sum("cbm"))
            assert (bill.packages, bill.gross_kg, bill.cbm) == (totals["p"], totals["g"], totals["c"]), bill
            for container in shipment.containers.all():
                assert f"{container.container_no} / {container.container_type} / SEAL {container.seal_no}" \
                    in bill.containers
        else:
            assert bill.packages == sum(shipment.lines.values_list("cartons", flat=True))
        if bill.status in ("issued", "released"):
            assert bill.on_board_on == shipment.on_board_on == shipment.etd <= bill.issued_on
        else:
            assert bill.status == "confirmed" and shipment.etd > timezone.localdate() and not bill.on_board_on
        assert (bill.status == "released") == (order.original_bl_released_at is not None), bill
        if bill.released_at:
            assert bill.released_at == order.original_bl_released_at and bill.release_kind
    # Each step is on the order's timeline, as shipping.services.bills writes it.
    steps = Counter(Event.objects.filter(kind__startswith="shipping.bill_").values_list("kind", flat=True))
    statuses = Counter(b.status for b in bills)
    assert steps == {"shipping.bill_draft_received": len(bills), "shipping.bill_confirmed": len(bills),
                     "shipping.bill_issued": statuses["issued"] + statuses["released"],
                     "shipping.bill_released": statuses["released"]}
    # The shipping advice went for most shipments that sailed.
    sailed = Shipment.objects.filter(status="shipped", on_board_on__isnull=False).exclude(transport_mode="truck")
    assert sailed.filter(advice_sent_at__isnull=False).count() > 0.8 * sailed.count()
    assert all(s.advice_sent_at <= timezone.now() for s in sailed.exclude(advice_sent_at=None))
    assert Event.objects.filter(kind="shipping.advice_sent").count() == \
        Shipment.objects.filter(advice_sent_at__isnull=False).count()


def test_open_orders_have_shipping_plans_with_lines_and_bookings(seeded):
    open_shipments = Shipment.objects.filter(status__in=["planned", "loading"]).select_related("order")
    assert open_shipments.filter(status="planned").exists() and open_shipments.filter(status="loading").exists()
    for shipment in open_shipments.prefetch_related("lines__order_line", "bookings", "containers__lines"):
        assert shipment.order.status in ("in_production", "ready") and shipment.shipped_on is None
        lines = list(shipment.lines.all())
        assert lines and all(0 < ln.quantity <= ln.order_line.quantity - ln.order_line.shipped_quantity
                             for ln in lines)
        for booking in shipment.bookings.all():
            assert booking.status in ("requested", "confirmed")
            if booking.status == "confirmed":
                assert booking.etd == shipment.etd >= shipment.planned_ex_factory >= timezone.localdate() - dt.timedelta(7)
        if shipment.status == "loading":
            containers = list(shipment.containers.all())
            assert [c.status for c in containers] == ["loading"] and not containers[0].seal_no
            in_container = {ln.order_line_id: ln.quantity for ln in containers[0].lines.all()}
            planned = {ln.order_line_id: ln.quantity for ln in lines}
            assert in_container and all(q <= planned[k] for k, q in in_container.items())
            assert sum(in_container.values()) < sum(planned.values())  # partly loaded
            received = _by_line(FinishedGoodsReceipt.objects.filter(order_line_id__in=planned)
                                .values_list("order_line_id", "quantity"))
            assert all(received[k] >= q for k, q in in_container.items())


@pytest.mark.dates
def test_the_default_demo_gives_the_warehouse_a_week_to_load(db):
    call_command("seed_demo", stdout=io.StringIO())
    monday, _sunday = week_bounds(timezone.localdate())
    week = list(loading_list_for_week(user=User.objects.get(username="warehouse"), monday=monday))
    assert week
    loading = [s for s in week if s.status == "loading"]
    assert loading and all(0 < s.cartons_loaded < s.cartons_planned <= s.cartons_received for s in loading)
    assert all(s.booking_no and s.cy_cutoff > timezone.now() for s in loading)


def test_stowing_shares_every_carton_and_piece_over_the_containers():
    cargo = [Cargo(0, Decimal(1000), 12, Decimal("0.080"), Decimal("9.5")),
             Cargo(1, Decimal(601), 6, Decimal("0.120"), Decimal("14"))]
    cbm = sum((c.cbm(c.cartons) for c in cargo), Decimal(0))
    mix = container_mix(cbm, forty_standard=False)
    assert cbm == Decimal("18.840") and mix == ["20GP"]  # 84 cartons of 0.08 m³, 101 of 0.12 m³
    big = [Cargo(0, Decimal(12_000), 12, Decimal("0.080"), Decimal("9.5"))]  # 80 CBM
    mix = container_mix(big[0].cbm(big[0].cartons), forty_standard=False)
    assert mix == ["40HQ", "20GP"]
    loads = stow(big, mix)
    assert [kind for kind, _load in loads] == mix
    assert sum(n for _kind, load in loads for _c, n, _q in load) == 1000
    assert sum(q for _kind, load in loads for _c, _n, q in load) == 12_000
    assert container_no("CSQU", 305438) == "CSQU3054383"  # the standard's own example
