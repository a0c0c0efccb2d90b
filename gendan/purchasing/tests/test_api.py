"""Purchasing through the JSON API: the same services, scope and refusals as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.purchasing.models import MaterialRequirement, PurchaseOrder
from gendan.purchasing.services.orders import purchase_order_create

pytestmark = pytest.mark.django_db


def _api(user) -> ApiClient:
    return ApiClient(obtain_token(user))


def test_purchase_order_steps_through_the_api(derived):
    w = derived
    po = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.switch, "quantity": "1005", "unit_price": "0.83", "eta": None}])
    api = _api(w.buyer)
    listed = api.get("purchase-orders/", {"status": "draft"}).json()
    assert [row["number"] for row in listed["results"]] == [po.number]
    detail = api.get(f"purchase-orders/{po.pk}/").json()
    assert detail["total_amount"] == "834.15" and detail["allowed_actions"]["send"]["allowed"]
    assert detail["lines"][0]["coverages"][0]["requirement"] == w.switch_req.pk
    assert api.post(f"purchase-orders/{po.pk}/send/", {"version": 99}).status_code == 409
    sent = api.post(f"purchase-orders/{po.pk}/send/", {"version": po.version})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    line = detail["lines"][0]["id"]
    eta = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    confirmed = api.post(f"purchase-orders/{po.pk}/confirm/", {"etas": [{"line": line, "eta": eta}]})
    assert confirmed.status_code == 200 and confirmed.json()["lines"][0]["eta"] == eta
    over = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": timezone.localdate().isoformat(), "quantities": [{"line": line, "quantity": "2000"}]})
    assert over.status_code == 400 and "exceed" in over.json()["message"]
    # rules a schema cannot state answer with their own codes, the field named (the API fuzz's contract)
    assert over.json()["code"] == "values_inconsistent" and f"qty_{line}" in over.json()["fields"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": tomorrow, "quantities": [{"line": line, "quantity": "1"}]})
    assert (future.status_code, future.json()["code"], list(future.json()["fields"])) == (
        400, "date_in_future", ["received_on"])
    before_order = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": (po.order_date - dt.timedelta(days=1)).isoformat(),
        "quantities": [{"line": line, "quantity": "1"}]})
    assert (before_order.status_code, before_order.json()["code"]) == (400, "dates_out_of_order")
    not_its_line = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": timezone.localdate().isoformat(), "quantities": [{"line": 10**9, "quantity": "1"}]})
    assert (not_its_line.status_code, not_its_line.json()["code"], list(not_its_line.json()["fields"])) == (
        400, "record_mismatch", ["quantities"])
    # a value wrong in itself beside a broken rule: validation_failed names both
    both = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": tomorrow, "quantities": [{"line": line, "quantity": "-1"}]})
    assert both.json()["code"] == "validation_failed" and set(both.json()["fields"]) == {"received_on", f"qty_{line}"}
    done = api.post(f"purchase-orders/{po.pk}/receive/", {
        "received_on": timezone.localdate().isoformat(), "quantities": [{"line": line, "quantity": "1005"}]})
    assert done.status_code == 200 and done.json()["status"] == "received"
    requirements = api.get("material-requirements/", {"production_order": w.production_order.pk}).json()
    assert {r["component_code"]: r["status"] for r in requirements["results"]} == {
        "ABS-01": "open", "SW-01": "received"}


def test_roles_without_purchasing_rights_are_refused_and_nothing_changes(derived):
    w = derived
    po = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.body, "quantity": "10", "unit_price": "1"}])
    assert _api(w.merch).post(f"purchase-orders/{po.pk}/send/", {}).status_code == 403
    assert _api(w.sales).get(f"purchase-orders/{po.pk}/").status_code == 403
    assert _api(w.sales).get("material-requirements/").status_code == 403
    assert PurchaseOrder.objects.get(pk=po.pk).status == PurchaseOrder.Status.DRAFT
    short = _api(w.merch).get("material-requirements/", {"short": "true"}).json()
    assert short["results"] == [] or all(r["short"] for r in short["results"])
    assert MaterialRequirement.objects.count() == 2
