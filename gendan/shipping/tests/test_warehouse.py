"""Finished goods in, loading and ex-factory through the services: the warehouse receives the
goods, opens a container, counts the cartons in, seals it and lets the shipment leave — the
order ships and the T&A's ex-factory completes — and every refusal: coded, naming the field,
nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from gendan.core.errors import BusinessError, ConflictError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.sales.services.lifecycle import order_override_gate
from gendan.shipping.models import Container, ContainerLine, FinishedGoodsReceipt, Shipment
from gendan.shipping.selectors import order_line_stock, shipment_cartons
from gendan.shipping.services.warehouse import (
    container_cancel,
    container_load,
    container_seal,
    container_start,
    goods_receipt_void,
    goods_receive,
    shipment_depart,
)
from gendan.shipping.tests.helpers_warehouse import lines_of, mug_order, planned_shipment
from gendan.shipping.workflows import SHIPMENT
from gendan.tracking.hooks import Milestone
from gendan.tracking.models import OrderMilestone
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
SH = Shipment.Status


def field_message(caught, field: str) -> str:
    return " ".join(caught.value.fields[field])


def receive(w, order, line_no, qty, cartons, actor=None, **extra):
    line = lines_of(order)[line_no]
    kwargs = {"actor": actor or w.warehouse, "order_id": order.pk, "order_line_id": line.pk, "quantity": qty,
              "cartons": cartons, "received_on": timezone.localdate(), "source": "factory",
              "source_ref": "DN-0311", "inspection": "passed", "location": "A-03"}
    return goods_receive(**(kwargs | extra))


def receive_all(w, order):
    receive(w, order, 1, "1200", 50)
    receive(w, order, 2, "500", 10)


def load_all(w, order, container, **extra):
    lines = lines_of(order)
    return container_load(actor=w.warehouse, container_id=container.pk, lines={
        lines[1].pk: {"cartons": 50, "quantity": "1200"}, lines[2].pk: {"cartons": 10, "quantity": "500"}}, **extra)


def assert_books_balance(order):
    for stock in order_line_stock([line.pk for line in order.lines.all()]).values():
        assert stock.received == stock.in_stock + stock.loaded + stock.shipped
        assert stock.received_cartons == stock.cartons_in_stock + stock.loaded_cartons + stock.shipped_cartons


@pytest.fixture
def order(people):
    return mug_order(people)


@pytest.fixture
def shipment(people, order):
    return planned_shipment(order, actor=people.merch)


def test_received_loaded_sealed_and_gone_the_order_ships_and_ex_factory_completes(people, order, shipment):
    w = people
    receipt = receive(w, order, 1, "1200", 50)
    assert receipt.number.startswith("RK") and receipt.received_by == w.warehouse
    receive(w, order, 2, "500", 10)
    mug, box = lines_of(order)[1], lines_of(order)[2]
    assert order_line_stock([mug.pk])[mug.pk].in_stock == Decimal("1200")

    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="csqu 305438-3",
                                container_type="40hq", expected_version=shipment.version)
    assert container.container_no == "CSQU3054383" and container.container_type == "40HQ"
    shipment.refresh_from_db()
    assert shipment.status == SH.LOADING and shipment.version == 2

    container = load_all(w, order, container, expected_version=container.version)
    rows = {row.order_line_id: row for row in container.lines.all()}
    # 50 cartons × 10.5 kg, 50 × 0.072 m³; 10 × 6 kg, 10 × 0.04375 m³
    assert rows[mug.pk].gross_kg == Decimal("525.00") and rows[mug.pk].cbm == Decimal("3.600")
    assert rows[box.pk].gross_kg == Decimal("60.00") and rows[box.pk].cbm == Decimal("0.438")
    stock = order_line_stock([mug.pk])[mug.pk]
    assert (stock.in_stock, stock.loaded, stock.cartons_in_stock, stock.loaded_cartons) == (0, 1200, 0, 50)
    assert_books_balance(order)

    container = container_seal(actor=w.warehouse, container_id=container.pk, seal_no="cn1234567", vgm_kg="4600",
                               expected_version=container.version)
    assert container.status == Container.Status.LOADED and container.seal_no == "CN1234567"
    assert container.vgm_kg == Decimal("4600.0") and container.loaded_by == w.warehouse

    shipment = shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate(),
                               expected_version=2)
    assert shipment.status == SH.SHIPPED and shipment.shipped_on == timezone.localdate()
    assert shipment.departed_by == w.warehouse
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.COMPLETED  # the last open quantity left, and it was paid
    assert [(ln.quantity, ln.shipped_quantity) for ln in order.lines.order_by("line_no")] == [
        (Decimal("1200"), Decimal("1200")), (Decimal("500"), Decimal("500"))]
    stock = order_line_stock([mug.pk])[mug.pk]
    assert (stock.received, stock.in_stock, stock.loaded, stock.shipped) == (1200, 0, 0, 1200)
    assert stock.shipped_cartons == 50
    assert_books_balance(order)
    done = OrderMilestone.objects.get(plan__order=order, key=Milestone.EX_FACTORY)
    assert done.status == "done" and done.actual_date == timezone.localdate()
    kinds = list(Event.objects.filter(kind__startswith="shipping.").values_list("kind", flat=True).order_by("id"))
    assert kinds[-6:] == ["shipping.goods_received", "shipping.goods_received", "shipping.container_started",
                          "shipping.container_loaded", "shipping.container_sealed", "shipping.order_shipped"]


def test_what_leaves_is_what_the_containers_hold(people, order):
    """Two containers, the gift boxes only partly loaded: the shipment's lines become what went in."""
    w = people
    shipment = planned_shipment(order, actor=w.merch)
    receive_all(w, order)
    mug, box = lines_of(order)[1], lines_of(order)[2]
    first = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                            container_type="20GP")
    second = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="MSKU9070323",
                             container_type="20GP")
    container_load(actor=w.warehouse, container_id=first.pk, lines={mug.pk: {"cartons": 30, "quantity": "720"}})
    container_load(actor=w.warehouse, container_id=second.pk, lines={
        mug.pk: {"cartons": 20, "quantity": "480"}, box.pk: {"cartons": 4, "quantity": "200"}})
    for container, seal in ((first, "S-1"), (second, "S-2")):
        container_seal(actor=w.warehouse, container_id=container.pk, seal_no=seal, vgm_kg="2900")
    shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    shipped = {ln.order_line_id: (ln.quantity, ln.cartons) for ln in shipment.lines.all()}
    assert shipped == {mug.pk: (Decimal("1200"), 50), box.pk: (Decimal("200"), 4)}
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.IN_PRODUCTION  # 300 gift boxes still to go
    assert lines_of(order)[2].shipped_quantity == Decimal("200")
    stock = order_line_stock([box.pk])[box.pk]
    assert (stock.in_stock, stock.cartons_in_stock, stock.shipped) == (300, 6, 200)
    assert_books_balance(order)


def test_a_wrong_check_digit_is_refused_naming_the_container_no(people, order, shipment):
    receive_all(people, order)
    with pytest.raises(ValidationFailed) as caught:
        container_start(actor=people.warehouse, shipment_id=shipment.pk, container_no="CSQU3054384",
                        container_type="40HQ")
    assert caught.value.code == "invalid_container_no"
    assert "check digit" in field_message(caught, "container_no") and "3" in field_message(caught, "container_no")
    shipment.refresh_from_db()
    assert shipment.status == SH.PLANNED and not Container.objects.exists()


def test_an_unknown_container_type_is_refused(people, order, shipment):
    with pytest.raises(ValidationFailed) as caught:
        container_start(actor=people.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                        container_type="53HC")
    assert caught.value.code == "unknown_container_type" and "container_type" in caught.value.fields


def test_the_same_container_cannot_be_loaded_twice_while_the_shipment_has_not_left(people, order, shipment):
    container_start(actor=people.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                    container_type="40HQ")
    with pytest.raises(ValidationFailed) as caught:
        container_start(actor=people.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                        container_type="40HQ")
    assert caught.value.code == "container_no_in_use"
    assert Container.objects.count() == 1


def test_a_seal_used_on_another_live_container_is_refused_until_that_one_is_cancelled(people, order, shipment):
    w = people
    receive_all(w, order)
    mug, box = lines_of(order)[1], lines_of(order)[2]
    first = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                            container_type="20GP")
    container_load(actor=w.warehouse, container_id=first.pk, lines={mug.pk: {"cartons": 50, "quantity": "1200"}})
    container_seal(actor=w.warehouse, container_id=first.pk, seal_no="CN0001", vgm_kg="3000")
    second = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="MSKU9070323",
                             container_type="20GP")
    container_load(actor=w.warehouse, container_id=second.pk, lines={box.pk: {"cartons": 10, "quantity": "500"}})
    with pytest.raises(ValidationFailed) as caught:
        container_seal(actor=w.warehouse, container_id=second.pk, seal_no=" cn0001 ", vgm_kg="2500")
    assert caught.value.code == "seal_in_use" and "CN0001" in field_message(caught, "seal_no")
    second.refresh_from_db()
    assert second.status == Container.Status.LOADING and second.seal_no == "" and second.vgm_kg is None

    container_cancel(actor=w.warehouse, container_id=first.pk, reason="Container damaged, floor broken")
    sealed = container_seal(actor=w.warehouse, container_id=second.pk, seal_no="CN0001", vgm_kg="2500")
    assert sealed.status == Container.Status.LOADED
    # the cancelled container's mugs are back in the warehouse
    assert order_line_stock([mug.pk])[mug.pk].in_stock == Decimal("1200")


def test_loading_more_than_received_is_refused_naming_the_line(people, order, shipment):
    w = people
    receive(w, order, 1, "600", 25)
    mug = lines_of(order)[1]
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    with pytest.raises(ValidationFailed) as caught:
        container_load(actor=w.warehouse, container_id=container.pk,
                       lines={mug.pk: {"cartons": 50, "quantity": "1200"}})
    assert caught.value.code == "loading_above_stock"
    assert "only 600 are received" in field_message(caught, f"lines.{mug.pk}.quantity")
    assert "only 25 cartons" in field_message(caught, f"lines.{mug.pk}.cartons")
    assert not ContainerLine.objects.exists()
    # within what is received it goes in; loading the same container again counts its own cartons as free
    container_load(actor=w.warehouse, container_id=container.pk, lines={mug.pk: {"cartons": 25, "quantity": "600"}})
    container_load(actor=w.warehouse, container_id=container.pk, lines={mug.pk: {"cartons": 20, "quantity": "480"}})
    assert order_line_stock([mug.pk])[mug.pk].in_stock == Decimal("120")


def test_loading_more_than_the_shipment_plans_is_refused(people, order):
    w = people
    shipment = planned_shipment(order, actor=w.merch, quantities={1: "600", 2: "0"}, cartons={1: 25})
    receive_all(w, order)
    mug, box = lines_of(order)[1], lines_of(order)[2]
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    with pytest.raises(ValidationFailed) as caught:
        container_load(actor=w.warehouse, container_id=container.pk, lines={
            mug.pk: {"cartons": 30, "quantity": "720"}, box.pk: {"cartons": 1, "quantity": "50"}})
    assert caught.value.code == "loading_above_plan"
    assert "plans 600" in field_message(caught, f"lines.{mug.pk}.quantity")
    assert "plans 25 cartons" in field_message(caught, f"lines.{mug.pk}.cartons")
    assert "Not a line of shipment" in field_message(caught, f"lines.{box.pk}")
    assert not ContainerLine.objects.exists()


@pytest.mark.parametrize(("lines", "field"), [
    ({"x": {"cartons": 1, "quantity": "1"}}, "lines.x"),
    ({"LINE": {"cartons": "1e999999999", "quantity": "24"}}, "lines.LINE"),
    ({"LINE": {"cartons": 1, "quantity": "NaN"}}, "lines.LINE.quantity"),
    ({"LINE": {"cartons": 1, "quantity": "1e999"}}, "lines.LINE.quantity"),
    ({"LINE": {"cartons": -1, "quantity": "24"}}, "lines.LINE.cartons"),
    ({"LINE": {"cartons": 1, "quantity": "-24"}}, "lines.LINE.quantity"),
    ({"LINE": {"cartons": 1.5, "quantity": "24"}}, "lines.LINE.cartons"),
    ({"99999999999999999999999": {"cartons": 1, "quantity": "24"}}, "lines.99999999999999999999"),
])
def test_bad_numbers_are_refused_naming_the_field(people, order, shipment, lines, field):
    w = people
    receive_all(w, order)
    mug = lines_of(order)[1]
    lines = {(mug.pk if key == "LINE" else key): value for key, value in lines.items()}
    field = field.replace("LINE", str(mug.pk))
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    with pytest.raises(ValidationFailed) as caught:
        container_load(actor=w.warehouse, container_id=container.pk, lines=lines)
    assert any(name.startswith(field) for name in caught.value.fields), caught.value.fields
    assert not ContainerLine.objects.exists()


def test_departing_with_an_unsealed_container_is_refused_and_changes_nothing(people, order, shipment):
    w = people
    receive_all(w, order)
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    load_all(w, order, container)
    with pytest.raises(BusinessError) as caught:
        shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    assert caught.value.code == "container_not_sealed" and caught.value.status == 409
    assert "CSQU3054383" in caught.value.message
    shipment.refresh_from_db()
    assert shipment.status == SH.LOADING and shipment.shipped_on is None
    assert all(line.shipped_quantity == 0 for line in order.lines.all())


def test_a_full_container_shipment_without_a_container_cannot_leave(people, order, shipment):
    receive_all(people, order)
    with pytest.raises(BusinessError) as caught:
        shipment_depart(actor=people.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    assert caught.value.code == "container_not_sealed"


@pytest.mark.parametrize(("vgm", "tare", "message"), [
    ("", None, "Enter the verified gross mass"),
    ("0", None, "above zero"),
    ("3000", None, "below the tare 3940 kg plus the cargo's gross weight 585"),
    ("4000", "3500", "below the tare 3500 kg plus"),
    ("31000", None, "above the maximum gross mass of a 40HQ (30480 kg)"),
    ("abc", None, "Enter a weight"),
])
def test_an_implausible_vgm_is_refused(people, order, shipment, vgm, tare, message):
    w = people
    receive_all(w, order)
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    load_all(w, order, container)
    with pytest.raises(ValidationFailed) as caught:
        container_seal(actor=w.warehouse, container_id=container.pk, seal_no="CN1", vgm_kg=vgm, tare_kg=tare)
    assert caught.value.code == "vgm_implausible" and message in field_message(caught, "vgm_kg")
    container.refresh_from_db()
    assert container.status == Container.Status.LOADING


def test_an_empty_container_is_not_sealed(people, order, shipment):
    container = container_start(actor=people.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    with pytest.raises(BusinessError) as caught:
        container_seal(actor=people.warehouse, container_id=container.pk, seal_no="CN1", vgm_kg="5000")
    assert caught.value.code == "container_empty"


def test_a_sealed_container_no_longer_changes(people, order, shipment):
    w = people
    receive_all(w, order)
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    load_all(w, order, container)
    container_seal(actor=w.warehouse, container_id=container.pk, seal_no="CN1", vgm_kg="4600")
    with pytest.raises(BusinessError) as caught:
        load_all(w, order, container)
    assert caught.value.code == "container_not_loading" and caught.value.status == 409


def test_final_inspection_required_and_not_passed_refuses_loading_until_a_manager_overrides(people):
    w = people
    order = mug_order(w, requires_final_inspection=True)
    shipment = planned_shipment(order, actor=w.merch)
    with pytest.raises(BusinessError) as caught:
        container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                        container_type="40HQ")
    assert caught.value.code == "gate_final_inspection" and "inspection" in caught.value.message.lower()
    assert not Container.objects.exists()
    order_override_gate(actor=w.manager, order_id=order.pk, gate="inspection",
                        reason="Customer waived the inspection by email")
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    assert container.pk


def test_balance_required_and_not_received_refuses_loading_and_departure(people):
    w = people
    order = mug_order(w, paid=False)
    shipment = planned_shipment(order, actor=w.merch, mode=Shipment.Mode.AIR)
    receive_all(w, order)
    with pytest.raises(BusinessError) as caught:
        container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                        container_type="40HQ")
    assert caught.value.code == "no_container_for_mode"  # air freight: no container at the factory
    with pytest.raises(BusinessError) as caught:
        shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    assert caught.value.code == "gate_balance" and "Balance rule" in caught.value.message
    fcl = planned_shipment(order, actor=w.merch)
    with pytest.raises(BusinessError) as caught:
        container_start(actor=w.warehouse, shipment_id=fcl.pk, container_no="CSQU3054383", container_type="40HQ")
    assert caught.value.code == "gate_balance"
    shipment.refresh_from_db()
    assert shipment.status == SH.PLANNED and not Container.objects.exists()


def test_without_containers_the_goods_leave_from_the_warehouse(people, order):
    w = people
    shipment = planned_shipment(order, actor=w.merch, mode=Shipment.Mode.SEA_LCL, quantities={1: "600", 2: "500"},
                                cartons={1: 25, 2: 10})
    receive(w, order, 1, "480", 20)
    with pytest.raises(BusinessError) as caught:
        shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    assert caught.value.code == "not_in_warehouse" and "Line 1: 600 are to leave" in caught.value.message
    receive(w, order, 1, "120", 5)
    receive(w, order, 2, "500", 10)
    shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    mug = lines_of(order)[1]
    assert mug.shipped_quantity == Decimal("600")
    stock = order_line_stock([mug.pk])[mug.pk]
    assert (stock.received, stock.shipped, stock.in_stock, stock.shipped_cartons) == (600, 600, 0, 25)
    assert_books_balance(order)


def test_receiving_beyond_the_order_and_its_tolerance_is_refused(people, order):
    w = people
    receive(w, order, 1, "1000", 40)
    with pytest.raises(ValidationFailed) as caught:
        receive(w, order, 1, "201", 9)
    assert caught.value.code == "receipt_above_ordered" and "at most 200 more" in field_message(caught, "quantity")
    assert FinishedGoodsReceipt.objects.count() == 1


@pytest.mark.parametrize(("extra", "field"), [
    ({"quantity": "0"}, "quantity"), ({"quantity": "1e999"}, "quantity"), ({"quantity": "abc"}, "quantity"),
    ({"cartons": "2.5"}, "cartons"), ({"received_on": "2026-13-01"}, "received_on"),
    ({"received_on": "2099-01-01"}, "received_on"), ({"source": "moon"}, "source"),
    ({"inspection": "maybe"}, "inspection"), ({"order_line_id": 2**70}, "order_line"),
    ({"location": "x" * 61}, "location"),
])
def test_a_bad_receipt_is_refused_naming_the_field(people, order, extra, field):
    with pytest.raises(ValidationFailed) as caught:
        receive(people, order, 1, extra.pop("quantity", "100"), extra.pop("cartons", 5), **extra)
    assert field in caught.value.fields
    assert not FinishedGoodsReceipt.objects.exists()


def test_a_receipt_is_voided_with_a_reason_unless_its_goods_are_loaded(people, order, shipment):
    w = people
    wrong = receive(w, order, 1, "240", 10)
    with pytest.raises(ValidationFailed) as caught:
        goods_receipt_void(actor=w.warehouse, receipt_id=wrong.pk, reason="")
    assert caught.value.code == "reason_required"
    voided = goods_receipt_void(actor=w.warehouse, receipt_id=wrong.pk, reason="Counted twice")
    assert voided.voided_at and voided.void_reason == "Counted twice"
    assert order_line_stock([wrong.order_line_id])[wrong.order_line_id].received == 0
    with pytest.raises(BusinessError) as caught:
        goods_receipt_void(actor=w.warehouse, receipt_id=wrong.pk, reason="again")
    assert caught.value.status == 409

    receipt = receive(w, order, 1, "1200", 50)
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    container_load(actor=w.warehouse, container_id=container.pk,
                   lines={receipt.order_line_id: {"cartons": 10, "quantity": "240"}})
    with pytest.raises(BusinessError) as caught:
        goods_receipt_void(actor=w.warehouse, receipt_id=receipt.pk, reason="Wrong order")
    assert caught.value.code == "receipt_already_loaded" and caught.value.status == 409
    receipt.refresh_from_db()
    assert receipt.voided_at is None


def test_a_stale_version_is_refused_with_409(people, order, shipment):
    w = people
    receive_all(w, order)
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    load_all(w, order, container, expected_version=container.version)
    with pytest.raises(ConflictError):
        load_all(w, order, container, expected_version=container.version)  # the version before the load
    with pytest.raises(ConflictError):
        container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="MSKU9070323",
                        container_type="20GP", expected_version=1)
    with pytest.raises(ConflictError):
        shipment_depart(actor=w.warehouse, shipment_id=shipment.pk, shipped_on=timezone.localdate(),
                        expected_version=1)


def test_the_warehouse_may_and_finance_may_not(people, order, shipment):
    w = people
    before = Event.objects.count()
    with pytest.raises(NotAllowed):
        receive(w, order, 1, "100", 5, actor=w.finance)
    with pytest.raises(NotAllowed):
        container_start(actor=w.finance, shipment_id=shipment.pk, container_no="CSQU3054383", container_type="40HQ")
    with pytest.raises(NotAllowed):
        shipment_depart(actor=w.finance, shipment_id=shipment.pk, shipped_on=timezone.localdate())
    assert Event.objects.count() == before and not FinishedGoodsReceipt.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == SH.PLANNED
    assert receive(w, order, 1, "100", 5).pk  # the warehouse may
    assert receive(w, order, 1, "100", 5, actor=w.merch).pk  # merchandisers supervise, too


def test_ids_beyond_64_bits_are_not_found(people):
    for call in (lambda: container_load(actor=people.warehouse, container_id=2**70, lines={}),
                 lambda: shipment_depart(actor=people.warehouse, shipment_id=2**70, shipped_on=timezone.localdate()),
                 lambda: goods_receipt_void(actor=people.warehouse, receipt_id=2**70, reason="typo")):
        with pytest.raises(Http404):
            call()


def test_the_shipment_workflow_refuses_forbidden_moves(people, order):
    w = people
    receive_all(w, order)

    def make(state):
        shipment = planned_shipment(order, actor=w.merch)
        if state != SH.PLANNED:
            Shipment.objects.filter(pk=shipment.pk).update(status=state, shipped_on=timezone.localdate())
            shipment.refresh_from_db()
        return shipment

    tried = assert_forbidden_edges_refused(SHIPMENT, make=make, attempt={
        SH.LOADING: lambda s: container_start(actor=w.warehouse, shipment_id=s.pk, container_no="CSQU3054383",
                                              container_type="40HQ"),
        SH.SHIPPED: lambda s: shipment_depart(actor=w.warehouse, shipment_id=s.pk, shipped_on=timezone.localdate()),
    })
    assert tried >= 3


def test_the_loading_plan_cartons_come_from_the_products(people, order):
    shipment = planned_shipment(order, actor=people.merch, quantities={1: "1190", 2: "500"}, cartons={2: 12})
    cartons, missing = shipment_cartons(shipment)
    assert missing == []
    assert cartons == [
        {"ref": "1·MUG-350", "length_mm": 600, "width_mm": 400, "height_mm": 300, "gross_kg": Decimal("10.500"),
         "count": 50},  # ceil(1190 / 24)
        {"ref": "2·GIFT-BOX", "length_mm": 500, "width_mm": 350, "height_mm": 250, "gross_kg": Decimal("6.000"),
         "count": 12}]
