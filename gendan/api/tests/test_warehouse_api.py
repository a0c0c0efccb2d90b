"""The warehouse through the API: receive, start a container, load, seal, depart, the loading
plan; refusals coded with the field named, a stale version 409, finance 403 and nothing
changed by a refused call."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import timezone

from gendan.parties.models import Supplier
from gendan.shipping.models import Container, FinishedGoodsReceipt, Shipment
from gendan.shipping.tests.helpers_warehouse import lines_of, mug_order, planned_shipment
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(people, customer):
    w = SimpleNamespace(customer=customer, merch=people.merch, finance=people.finance,
                        factory=SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY))
    return mug_order(w)


@pytest.fixture
def shipment(people, order):
    return planned_shipment(order, actor=people.merch)


def _receipt(order, line_no, qty, cartons, **extra):
    return {"order": order.pk, "order_line": lines_of(order)[line_no].pk, "quantity": qty, "cartons": cartons,
            "received_on": timezone.localdate().isoformat(), "source": "factory", "inspection": "passed", **extra}


def test_receive_load_seal_and_depart(api_for, people, order, shipment):
    api = api_for(people.warehouse)
    response = api.post("goods-receipts/", _receipt(order, 1, "1200", 50, location="A-03"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("RK") and body["quantity"] == "1200.000" and body["location"] == "A-03"
    assert api.post("goods-receipts/", _receipt(order, 2, 500, 10)).status_code == 201
    assert api.get("goods-receipts/", {"order": order.pk}).json()["count"] == 2

    response = api.post(f"shipments/{shipment.pk}/containers/", {"container_no": "CSQU3054383",
                                                                 "container_type": "40HQ", "version": 1})
    assert response.status_code == 201, response.json()
    container = response.json()
    assert container["status"] == "loading" and container["shipment"] == shipment.pk
    mug, box = lines_of(order)[1], lines_of(order)[2]
    response = api.post(f"containers/{container['id']}/load/", {"lines": {
        str(mug.pk): {"cartons": 50, "quantity": "1200"}, str(box.pk): {"cartons": 10, "quantity": 500}},
        "version": container["version"]})
    assert response.status_code == 200, response.json()
    loaded = response.json()
    assert {line["order_line"]: line["gross_kg"] for line in loaded["lines"]} == {mug.pk: "525.00", box.pk: "60.00"}
    response = api.post(f"containers/{container['id']}/seal/", {"seal_no": "CN4711", "vgm_kg": "4600",
                                                                "version": loaded["version"]})
    assert response.status_code == 200 and response.json()["status"] == "loaded"
    response = api.post(f"shipments/{shipment.pk}/depart/", {"shipped_on": timezone.localdate().isoformat(),
                                                             "version": 2})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "shipped"


def test_refusals_are_coded_and_name_the_field(api_for, people, order, shipment):
    api = api_for(people.warehouse)
    response = api.post(f"shipments/{shipment.pk}/containers/", {"container_no": "CSQU3054384",
                                                                 "container_type": "40HQ"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_container_no" and "container_no" in response.json()["fields"]
    container = api.post(f"shipments/{shipment.pk}/containers/", {"container_no": "MSKU9070323",
                                                                  "container_type": "20GP"}).json()
    mug = lines_of(order)[1]
    response = api.post(f"containers/{container['id']}/load/", {"lines": {str(mug.pk): {"cartons": 1,
                                                                                         "quantity": "24"}}})
    assert response.status_code == 400 and response.json()["code"] == "loading_above_stock"
    assert f"lines.{mug.pk}.quantity" in response.json()["fields"]
    response = api.post(f"shipments/{shipment.pk}/depart/", {"shipped_on": timezone.localdate().isoformat()})
    assert response.status_code == 409 and response.json()["code"] == "container_not_sealed"
    response = api.post(f"containers/{container['id']}/load/", {"lines": {}, "version": 99})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = api.post(f"containers/{container['id']}/cancel/", {"reason": "x"})
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    assert api.post(f"containers/{2**70}/seal/", {"seal_no": "A", "vgm_kg": 1}).status_code == 404


def test_a_gate_refuses_loading(api_for, people, customer):
    w = SimpleNamespace(customer=customer, merch=people.merch, finance=people.finance,
                        factory=SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY))
    order = mug_order(w, paid=False)
    shipment = planned_shipment(order, actor=people.merch)
    response = api_for(people.warehouse).post(f"shipments/{shipment.pk}/containers/", {
        "container_no": "CSQU3054383", "container_type": "40HQ"})
    assert response.status_code == 409 and response.json()["code"] == "gate_balance"
    assert not Container.objects.exists()


def test_finance_may_not_receive_load_or_depart(api_for, people, order, shipment):
    api = api_for(people.finance)
    assert api.post("goods-receipts/", _receipt(order, 1, "100", 5)).status_code == 403
    assert api.post(f"shipments/{shipment.pk}/containers/", {"container_no": "CSQU3054383",
                                                             "container_type": "40HQ"}).status_code == 403
    assert api.post(f"shipments/{shipment.pk}/depart/", {"shipped_on": "2026-03-11"}).status_code == 403
    assert not FinishedGoodsReceipt.objects.exists() and not Container.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.PLANNED


def test_void_and_the_loading_plan(api_for, people, order, shipment):
    api = api_for(people.warehouse)
    receipt = api.post("goods-receipts/", _receipt(order, 1, "240", 10)).json()
    response = api.post(f"goods-receipts/{receipt['id']}/void/", {"reason": "Counted twice"})
    assert response.status_code == 200 and response.json()["voided_at"]
    body = api.get(f"shipments/{shipment.pk}/loading-plan/").json()
    assert body["mix"] and body["containers"][0]["placed"] and body["containers"][0]["loading_list"]
    assert [c["ref"] for c in body["cartons"]] == ["1·MUG-350", "2·GIFT-BOX"] and body["missing_lines"] == []
