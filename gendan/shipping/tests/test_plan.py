"""The shipping plan (出货计划) through its services: a merchandiser plans one or several
shipments of an order within what is ordered ± the order's tolerance (per line and per colour ×
size cell, over every live shipment), changes and cancels them; every refusal is coded, names
the field and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from gendan.core.errors import BusinessError, ConflictError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Container, Shipment, ShipmentCell, ShipmentLine
from gendan.shipping.selectors import order_plan_quantities
from gendan.shipping.services.plan import shipment_cancel, shipment_plan, shipment_update
from gendan.shipping.workflows import SHIPMENT
from tests.factories import SalesOrderFactory
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
SH = Shipment.Status


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def kettles(w, *, tolerance="5", quantity="100", state="confirmed") -> SalesOrder:
    """An order of one line without colours and sizes, shipped ± ``tolerance`` %."""
    order = SalesOrderFactory(customer=w.customer, actor=w.merch, state=state, port_of_loading="Ningbo",
                              port_of_destination="Hamburg", lines=[
                                  {"description": "Electric kettle", "unit_price": Decimal("9.5"),
                                   "quantity": quantity}])
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal(tolerance))
    order.refresh_from_db()
    return order


def plan(w, order, lines, **extra) -> Shipment:
    kwargs = {"actor": w.merch, "order_id": order.pk, "lines": lines, "transport_mode": "sea_fcl",
              "planned_ex_factory": days(20)}
    return shipment_plan(**(kwargs | extra))


def line(order, n=1):
    return order.lines.get(line_no=n)


def cells(order):
    """{"Red": cell, "Blue": cell} of the mug line."""
    return {c.colour: c for c in line(order).cells.all()}


def test_plan_within_tolerance_per_line_and_across_shipments(people):
    w = people
    order = kettles(w)
    kettle = line(order)
    shipment = plan(w, order, {kettle.pk: "105"})  # 100 ordered, ±5 %: 105 may ship
    assert shipment.status == SH.PLANNED and shipment.number.startswith("SH")
    assert shipment.port_of_loading == "Ningbo" and shipment.port_of_destination == "Hamburg"
    assert list(shipment.lines.values_list("quantity", flat=True)) == [Decimal("105")]
    row = Event.objects.get(kind="shipping.shipment_planned")
    assert row.object_id == order.pk and "105" in row.params["lines"]
    shipment_cancel(actor=w.merch, shipment_id=shipment.pk, reason="Split in two")

    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {kettle.pk: "106"})
    assert refused.value.code == "above_ordered"
    assert list(refused.value.fields) == [f"lines.{kettle.pk}.quantity"]
    assert "at most 105 more may ship" in refused.value.fields[f"lines.{kettle.pk}.quantity"][0]

    plan(w, order, {kettle.pk: "60"})
    plan(w, order, {kettle.pk: "45"}, transport_mode="air", port_of_destination="Frankfurt")
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {kettle.pk: "1"})
    assert refused.value.code == "above_ordered" and "on other shipments 105" in str(refused.value.message)
    assert Shipment.objects.filter(status=SH.PLANNED).count() == 2
    remaining = order_plan_quantities(order)[0]
    assert (remaining["taken"], remaining["remaining"]) == (Decimal("105"), Decimal("0"))


def test_a_cancelled_shipment_frees_its_quantity(people):
    w = people
    order = kettles(w, tolerance="0")
    kettle = line(order)
    first = plan(w, order, {kettle.pk: "100"})
    with pytest.raises(ValidationFailed):
        plan(w, order, {kettle.pk: "1"})
    with pytest.raises(ValidationFailed) as refused:
        shipment_cancel(actor=w.merch, shipment_id=first.pk, reason="  ")
    assert refused.value.code == "reason_required" and "reason" in refused.value.fields
    cancelled = shipment_cancel(actor=w.merch, shipment_id=first.pk, reason="Customer moved the date",
                                expected_version=1)
    assert cancelled.status == SH.CANCELLED and cancelled.cancel_reason == "Customer moved the date"
    row = Event.objects.get(kind="shipping.shipment_cancelled")
    assert row.reason == "Customer moved the date" and row.changes["status"]["new"] == "cancelled"
    assert plan(w, order, {kettle.pk: "100"}).lines.get().quantity == Decimal("100")


def test_colour_and_size_cells_must_add_up_and_stay_within_their_own_tolerance(people, confirmed):
    w, order = people, confirmed  # mugs: red M 600, blue M 400; 3 gift boxes
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal("5"))
    order.refresh_from_db()
    mug, box, c = line(order), line(order, 2), cells(order)

    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {mug.pk: "500", box.pk: "3"}, cells={c["Red"].pk: "300", c["Blue"].pk: "100"})
    assert refused.value.code == "cells_do_not_add_up"
    assert refused.value.fields == {f"lines.{mug.pk}.quantity": ["Line 1: the colours and sizes add up to 400, "
                                                                 "not 500."]}
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {mug.pk: "500"})
    assert refused.value.code == "cells_do_not_add_up" and "give the quantity of each colour" in str(
        refused.value.message)
    with pytest.raises(ValidationFailed) as refused:  # red: 600 + 5 % = 630
        plan(w, order, {}, cells={c["Red"].pk: "631", c["Blue"].pk: "400"})
    assert refused.value.code == "above_ordered" and list(refused.value.fields) == [f"cells.{c['Red'].pk}"]
    assert not Shipment.objects.exists() and not ShipmentLine.objects.exists()

    shipment = plan(w, order, {mug.pk: "700", box.pk: "3"}, cells={c["Red"].pk: "400", c["Blue"].pk: "300"},
                    cartons={mug.pk: "30"})
    mug_row = shipment.lines.get(order_line=mug)
    assert (mug_row.quantity, mug_row.cartons) == (Decimal("700"), 30)
    assert dict(ShipmentCell.objects.values_list("order_cell__colour", "quantity")) == {
        "Red": Decimal("400"), "Blue": Decimal("300")}
    # only the cells given: the line's quantity is their sum
    second = plan(w, order, {}, cells={c["Red"].pk: "230"})
    assert second.lines.get().quantity == Decimal("230")
    with pytest.raises(ValidationFailed) as refused:  # 400 + 230 = 630 red already
        plan(w, order, {}, cells={c["Red"].pk: "1"})
    assert list(refused.value.fields) == [f"cells.{c['Red'].pk}"]


@pytest.mark.parametrize("raw", ["1e999", "-1", "abc", "NaN", "1.0001", "Infinity", "99999999999999999999"])
def test_bad_numbers_are_refused_naming_the_field_and_nothing_is_saved(people, raw):
    w = people
    order = kettles(w)
    kettle = line(order)
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {kettle.pk: raw})
    assert refused.value.code == "invalid_quantity"
    assert list(refused.value.fields) == [f"lines.{kettle.pk}.quantity"]
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {kettle.pk: "10"}, cartons={kettle.pk: raw})
    assert list(refused.value.fields) == [f"lines.{kettle.pk}.cartons"]
    assert not Shipment.objects.exists() and not Event.objects.filter(kind__startswith="shipping.shipment").exists()


def test_other_refusals_name_their_field(people, confirmed):
    w, order = people, confirmed
    other = SalesOrderFactory(customer=w.customer, actor=w.merch, confirmed=True)
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {line(other).pk: "1"})
    assert refused.value.code == "not_on_order" and list(refused.value.fields) == [f"lines.{line(other).pk}"]
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {"99999999999999999999999": "1"})
    assert refused.value.code == "not_on_order"
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {line(order, 2).pk: "0"})
    assert refused.value.code == "nothing_planned" and list(refused.value.fields) == ["lines"]
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {line(order, 2).pk: "1"}, transport_mode="zeppelin", planned_ex_factory="2026-02-30")
    assert set(refused.value.fields) == {"transport_mode", "planned_ex_factory"}
    with pytest.raises(ValidationFailed) as refused:
        plan(w, order, {line(order, 2).pk: "1"}, planned_ex_factory=None)
    assert list(refused.value.fields) == ["planned_ex_factory"]
    assert not Shipment.objects.exists()


def test_only_a_confirmed_order_in_production_or_ready_is_planned(people):
    draft = SalesOrderFactory(customer=people.customer, actor=people.merch)
    with pytest.raises(BusinessError) as refused:
        plan(people, draft, {line(draft, 2).pk: "1"})
    assert refused.value.status == 409 and refused.value.code == "order_not_plannable"


def test_roles_scope_and_stale_versions(people, confirmed):
    w, order = people, confirmed
    box = line(order, 2)
    for user in (w.warehouse, w.sales, w.finance):
        with pytest.raises(NotAllowed):
            plan(w, order, {box.pk: "1"}, actor=user)
    with pytest.raises(Http404):  # another team's merchandiser does not see the order
        plan(w, order, {box.pk: "1"}, actor=w.other_merch)
    with pytest.raises(ConflictError):
        plan(w, order, {box.pk: "1"}, expected_version=order.version - 1 or 99)
    assert not Shipment.objects.exists()

    shipment = plan(w, order, {box.pk: "1"}, expected_version=order.version)
    shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"port_of_destination": "Rotterdam"},
                    expected_version=1)
    with pytest.raises(ConflictError):
        shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"port_of_destination": "Bremen"},
                        expected_version=1)
    with pytest.raises(NotAllowed):
        shipment_update(actor=w.warehouse, shipment_id=shipment.pk, data={"port_of_destination": "Bremen"})
    with pytest.raises(NotAllowed):
        shipment_cancel(actor=w.warehouse, shipment_id=shipment.pk, reason="not mine to cancel")
    with pytest.raises(Http404):
        shipment_cancel(actor=w.merch, shipment_id=10**30, reason="no such shipment")
    shipment.refresh_from_db()
    assert (shipment.port_of_destination, shipment.version, shipment.status) == ("Rotterdam", 2, SH.PLANNED)


def test_update_changes_lines_and_fields_with_old_and_new_on_the_timeline(people, in_production):
    w, order = people, in_production
    mug, box, c = line(order), line(order, 2), cells(order)
    shipment = plan(w, order, {box.pk: "2"}, cells={c["Red"].pk: "600"})
    updated = shipment_update(actor=w.merch, shipment_id=shipment.pk, reason="Customer wants blue first", data={
        "lines": {box.pk: "3"}, "cells": {c["Red"].pk: "100", c["Blue"].pk: "400"}, "transport_mode": "sea_lcl",
        "planned_ex_factory": days(25).isoformat()}, expected_version=1)
    assert updated.version == 2 and updated.transport_mode == "sea_lcl" and updated.planned_ex_factory == days(25)
    assert updated.notice_outdated is False  # no notice yet
    assert dict(updated.lines.values_list("order_line__line_no", "quantity")) == {1: Decimal("500"), 2: Decimal("3")}
    row = Event.objects.get(kind="shipping.shipment_plan_changed")
    assert row.reason == "Customer wants blue first"
    assert row.changes["transport_mode"] == {"old": "sea_fcl", "new": "sea_lcl", "model": "shipping.shipment"}
    assert row.changes["lines"]["old"] == "#1: 600: Red/M 600; #2: 2" and row.changes["lines"]["new"] == (
        "#1: 500: Red/M 100, Blue/M 400; #2: 3")
    assert row.changes["planned_ex_factory"]["new"] == days(25).isoformat()

    # the same values again: nothing changes, no row
    again = shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"transport_mode": "sea_lcl"})
    assert again.version == 2 and Event.objects.filter(kind="shipping.shipment_plan_changed").count() == 1
    # this shipment's own quantities do not count against it
    shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"cells": {c["Red"].pk: "600", c["Blue"].pk: "400"},
                                                                   "lines": {box.pk: "3"}})
    with pytest.raises(ValidationFailed) as refused:
        shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"bl_no": "X"})
    assert list(refused.value.fields) == ["bl_no"]
    with pytest.raises(ValidationFailed) as refused:
        shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"lines": {mug.pk: "-5"}})
    assert refused.value.code == "invalid_quantity"


def test_a_loading_shipment_changes_its_fields_not_its_lines_and_cancels_once_its_containers_are(people,
                                                                                               in_production):
    w, order = people, in_production
    box = line(order, 2)
    shipment = plan(w, order, {box.pk: "3"})
    Shipment.objects.filter(pk=shipment.pk).update(status=SH.LOADING)  # the warehouse opened a container
    container = Container.objects.create(shipment=shipment, container_no="CSQU3054383", container_type="20GP",
                                         loaded_by=w.warehouse)
    updated = shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"planned_ex_factory": days(22)})
    assert updated.planned_ex_factory == days(22)
    with pytest.raises(BusinessError) as refused:
        shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"lines": {box.pk: "2"}})
    assert refused.value.status == 409 and refused.value.code == "shipment_not_editable"
    with pytest.raises(BusinessError) as refused:
        shipment_cancel(actor=w.merch, shipment_id=shipment.pk, reason="Vessel missed")
    assert refused.value.status == 409 and refused.value.code == "containers_not_cancelled"
    Container.objects.filter(pk=container.pk).update(status=Container.Status.CANCELLED)
    assert shipment_cancel(actor=w.merch, shipment_id=shipment.pk, reason="Vessel missed").status == SH.CANCELLED
    with pytest.raises(BusinessError) as refused:
        shipment_update(actor=w.merch, shipment_id=shipment.pk, data={"notes": "again"})
    assert refused.value.code == "shipment_not_editable"


def test_shipment_cancel_edges_of_the_workflow_table(people, in_production):
    w, order = people, in_production
    box = line(order, 2)

    def make(state):
        Shipment.objects.filter(order=order).update(status=SH.CANCELLED)  # free the quantity
        shipment = plan(w, order, {box.pk: "1"})
        extra = {"shipped_on": timezone.localdate()} if state == SH.SHIPPED else {}
        Shipment.objects.filter(pk=shipment.pk).update(status=state, **extra)
        return Shipment.objects.get(pk=shipment.pk)

    tried = assert_forbidden_edges_refused(SHIPMENT, make=make, attempt={
        SH.CANCELLED: lambda s: shipment_cancel(actor=w.merch, shipment_id=s.pk, reason="Not needed any more")})
    assert tried == 1  # shipped → cancelled (cancelled → cancelled is no edge, refused as well:)
    shipment = make(SH.CANCELLED)
    with pytest.raises(BusinessError) as refused:
        shipment_cancel(actor=w.merch, shipment_id=shipment.pk, reason="Not needed any more")
    assert refused.value.status == 409


def test_the_timeline_reads_in_both_languages(people, confirmed):
    from django.utils import translation

    from gendan.core.events import event_message

    shipment = plan(people, confirmed, {line(confirmed, 2).pk: "3"}, transport_mode="air")
    row = Event.objects.get(kind="shipping.shipment_planned")
    assert event_message(row) == (f"Shipment {shipment.number} planned: #2 × 3, air, ex-factory "
                                  f"{days(20).isoformat()}")
    with translation.override("zh-hans"):
        text = event_message(row)
    assert shipment.number in text and "空运" in text and "Shipment" not in text


def test_a_change_reads_in_chinese_on_the_timeline(people, confirmed):
    from django.utils import translation

    from gendan.core.events import change_rows

    box = line(confirmed, 2)
    shipment = plan(people, confirmed, {box.pk: "3"})
    shipment_update(actor=people.merch, shipment_id=shipment.pk, data={"lines": {box.pk: "2"},
                                                                        "transport_mode": "air"})
    row = Event.objects.get(kind="shipping.shipment_plan_changed")
    with translation.override("zh-hans"):
        rows = {r["field"]: (r["old"], r["new"]) for r in change_rows(row)}
    assert rows["出货: 出货明细"] == ("#2: 3", "#2: 2")
    assert rows["出货: 运输方式"] == ("海运整柜（FCL）", "空运")


def test_recording_a_shipment_in_one_step_leaves_what_the_plan_keeps(people):
    """``order_ship`` (goods that already left, recorded in one step) may not take the quantity a
    planned shipment keeps: 100 ordered, 70 planned, only 30 may be recorded as shipped."""
    from gendan.shipping.services import order_ship

    w = people
    from tests.factories import pay

    order = kettles(w, tolerance="0", state="in_production")
    pay(order, order.total_amount - order.received_amount, actor=w.finance, reference="FT-KETTLES")
    kettle = line(order)
    plan(w, order, {kettle.pk: "70"})
    with pytest.raises(ValidationFailed, match="only 30 are still free to ship") as refused:
        order_ship(actor=w.merch, order_id=order.pk, shipped_on=timezone.localdate(), quantities={kettle.pk: "31"})
    assert "70 kept for planned shipments" in str(refused.value.fields)
    kettle.refresh_from_db()
    assert kettle.shipped_quantity == 0
    order_ship(actor=w.merch, order_id=order.pk, shipped_on=timezone.localdate(), quantities={kettle.pk: "30"})
    kettle.refresh_from_db()
    assert kettle.shipped_quantity == 30
