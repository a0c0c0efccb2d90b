"""The shipping plan through the API, with a real token: plan, change, cancel a shipment and
issue its shipping notice — the same services as the pages, the same coded refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment, ShippingNotice
from tests.factories import SalesOrderFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def order(people, customer):
    """1 000 mugs (red 600, blue 400 M) and 3 gift boxes, confirmed, shipped ± 5 %."""
    order = SalesOrderFactory(customer=customer, actor=people.merch, confirmed=True)
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal("5"))
    order.refresh_from_db()
    return order


def ids(order):
    mug, box = order.lines.get(line_no=1), order.lines.get(line_no=2)
    cells = {c.colour: c.pk for c in mug.cells.all()}
    return mug, box, cells


def body(order, **extra) -> dict:
    _mug, box, cells = ids(order)
    return {"order": order.pk, "lines": {str(box.pk): "3"}, "cells": {str(cells["Red"]): "600",
                                                                        str(cells["Blue"]): 400},
            "transport_mode": "sea_fcl", "planned_ex_factory": days(20), **extra}


def test_plan_change_cancel_and_notice(api_for, people, order, django_capture_on_commit_callbacks):
    merch = api_for(people.merch)
    mug, box, cells = ids(order)
    created = merch.post("shipments/plan/", body(order, cells={str(cells["Red"]): "630", str(cells["Blue"]): "420"},
                                                 lines={str(box.pk): "3.15"}, version=order.version))
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "planned" and data["port_of_loading"] == order.port_of_loading
    assert {ln["line_no"]: ln["quantity"] for ln in data["lines"]} == {1: "1050.000", 2: "3.150"}  # 105 %
    shipment_id, version = data["id"], data["version"]

    more = merch.post("shipments/plan/", body(order, cells={}, lines={str(box.pk): "0.001"}))
    assert more.status_code == 400 and more.json()["code"] == "above_ordered"
    assert list(more.json()["fields"]) == [f"lines.{box.pk}.quantity"]

    with django_capture_on_commit_callbacks(execute=True):
        issued = merch.post(f"shipments/{shipment_id}/notices/", {"factory": None})
    assert issued.status_code == 201, issued.json()
    notice = issued.json()
    assert notice["revision"] == 1 and notice["number"].startswith("SN")
    pdf = merch.get(notice["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert api_for(people.other_merch).get(notice["pdf"]).status_code == 404

    changed = merch.patch(f"shipments/{shipment_id}/plan/", {
        "version": version, "reason": "Less red", "cells": {str(cells["Red"]): "500", str(cells["Blue"]): "400"},
        "lines": {str(box.pk): "3"}, "port_of_destination": "Rotterdam"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["notice_outdated"] is True and changed.json()["version"] == version + 1
    assert changed.json()["port_of_destination"] == "Rotterdam"
    stale = merch.patch(f"shipments/{shipment_id}/plan/", {"version": version, "notes": "overwrite"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Shipment.objects.get().notes == ""

    again = merch.post(f"shipments/{shipment_id}/notices/", {})
    assert again.status_code == 400 and again.json()["code"] == "reason_required"
    assert "change_note" in again.json()["fields"]
    second = merch.post(f"shipments/{shipment_id}/notices/", {"change_note": "Red cut to 500, to Rotterdam"})
    assert second.status_code == 201 and second.json()["revision"] == 2
    labels = [row[0] for row in second.json()["changes"]]
    assert "目的港 Port of destination" in labels and "第 1 行 Line 1" in labels

    refused = merch.post(f"shipments/{shipment_id}/cancel/", {"reason": ""})
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    cancelled = merch.post(f"shipments/{shipment_id}/cancel/", {"reason": "Customer postponed",
                                                                "version": version + 1})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # its quantity is free again
    assert merch.post("shipments/plan/", body(order)).status_code == 201
    assert ShippingNotice.objects.count() == 2


@pytest.mark.parametrize("raw", ["1e999", "-1", "abc", "NaN"])
def test_bad_numbers_are_field_errors(api_for, people, order, raw):
    merch = api_for(people.merch)
    _mug, box, cells = ids(order)
    response = merch.post("shipments/plan/", body(order, lines={str(box.pk): raw}))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_quantity" and list(response.json()["fields"]) == [
        f"lines.{box.pk}.quantity"]
    response = merch.post("shipments/plan/", body(order, cartons={str(box.pk): raw}))
    assert response.status_code == 400 and f"lines.{box.pk}.cartons" in response.json()["fields"]
    assert not Shipment.objects.exists()


def test_cells_that_do_not_add_up_and_other_refusals(api_for, people, order):
    merch = api_for(people.merch)
    mug, box, cells = ids(order)
    response = merch.post("shipments/plan/", body(order, lines={str(mug.pk): "900"}))
    assert response.status_code == 400 and response.json()["code"] == "cells_do_not_add_up"
    assert list(response.json()["fields"]) == [f"lines.{mug.pk}.quantity"]
    response = merch.post("shipments/plan/", body(order, transport_mode="zeppelin"))
    assert response.status_code == 400 and "transport_mode" in response.json()["fields"]
    response = merch.post("shipments/plan/", body(order, planned_ex_factory="9999-12-31"))
    assert response.status_code == 400 and "planned_ex_factory" in response.json()["fields"]
    response = merch.post("shipments/plan/", {**body(order), "order": 10**30})
    assert response.status_code == 400 and "order" in response.json()["fields"]
    response = merch.post("shipments/plan/", body(order, version=order.version + 3))
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert merch.patch(f"shipments/{10**30}/plan/", {"version": 1}).status_code == 404
    assert merch.post("shipments/999999/cancel/", {"reason": "nothing"}).status_code == 404
    assert not Shipment.objects.exists()


def test_roles_and_scope(api_for, people, order, other_customer):
    for user in (people.warehouse, people.sales, people.finance):
        response = api_for(user).post("shipments/plan/", body(order))
        assert response.status_code == 403, user
    merch = api_for(people.merch)
    shipment = merch.post("shipments/plan/", body(order)).json()
    warehouse = api_for(people.warehouse)
    assert warehouse.post(f"shipments/{shipment['id']}/cancel/", {"reason": "not mine"}).status_code == 403
    assert warehouse.post(f"shipments/{shipment['id']}/notices/", {}).status_code == 403
    other = api_for(people.other_merch)
    assert other.patch(f"shipments/{shipment['id']}/plan/", {"version": 1, "notes": "x"}).status_code == 404
    assert Shipment.objects.get().status == "planned" and Shipment.objects.get().notes == ""
    assert Event.objects.filter(kind__startswith="shipping.").count() == 1  # the one planned shipment
