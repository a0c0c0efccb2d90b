"""The order list and draft edits: filters, pagination, query counts, optimistic concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.api.tests.conftest import order_body
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from tests.factories import CustomerFactory, SalesOrderFactory

pytestmark = pytest.mark.django_db


def _orders(people, customer, n: int, actor=None, **data):
    """``n`` drafts of 10 mugs, PO-0 dated today, PO-1 yesterday …"""
    today = timezone.localdate()
    for i in range(n):
        SalesOrderFactory(**{"customer_po_no": f"PO-{i}", **data}, customer=customer, actor=actor or people.merch,
                          customer_po_date=today - dt.timedelta(days=i), ex_factory_date=today + dt.timedelta(days=30),
                          lines=[{"description": "Mug", "unit_price": "1.5", "quantity": "10"}])


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("orders/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_order_list_query_count_does_not_grow_with_rows(api_for, people, customer):
    api = api_for(people.merch)
    api.get("auth/me/")  # a token's first use records its last-used time (a write once per 5 minutes)
    _orders(people, customer, 2)
    few = _list_queries(api)
    other = CustomerFactory(merchandiser=people.merch, salesperson=people.sales)
    _orders(people, other, 12)
    assert api.get("orders/").json()["count"] == 14
    assert _list_queries(api) == few


def test_order_list_pages_of_fifty(api_for, people, customer):
    _orders(people, customer, 51)
    api = api_for(people.merch)
    first = api.get("orders/").json()
    assert first["count"] == 51 and len(first["results"]) == 50 and first["next"].endswith("page=2")
    second = api.get("orders/", {"page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert api.get("orders/", {"page": 3}).json()["code"] == "not_found"


@pytest.mark.dates
def test_order_list_filters(api_for, people, customer, other_customer):
    _orders(people, customer, 3)
    _orders(people, other_customer, 1, actor=people.other_merch, customer_po_no="ZZ-99")
    api = api_for(people.finance)  # sees every order
    assert api.get("orders/").json()["count"] == 4
    assert api.get("orders/", {"customer": customer.pk}).json()["count"] == 3
    assert api.get("orders/", {"q": "ZZ-99"}).json()["count"] == 1
    today = timezone.localdate()
    assert api.get("orders/", {"po_from": (today - dt.timedelta(days=1)).isoformat()}).json()["count"] == 3
    assert api.get("orders/", {"status": "draft", "merchandiser": people.merch.pk}).json()["count"] == 3
    assert api.get("orders/", {"payment_overdue": "true"}).json()["count"] == 0
    bad = api.get("orders/", {"status": "nope", "po_to": "2026-02-31", "blocked": "gate"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"status", "po_to", "blocked"}
    row = api.get("orders/", {"customer": customer.pk}).json()["results"][0]
    assert row["total_amount"] == "15.00" and row["customer"]["code"] == "ACME"


def test_stale_version_is_refused_and_changes_nothing(api_for, people, draft_order):
    merch = api_for(people.merch)
    order_id, version = draft_order["id"], draft_order["version"]
    first = merch.patch(f"orders/{order_id}/", {"version": version, "notes": "pack in pairs"})
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == version + 1 and first.json()["notes"] == "pack in pairs"
    events = Event.objects.filter(object_id=order_id, content_type__model="salesorder").count()

    stale = merch.patch(f"orders/{order_id}/", {"version": version, "notes": "overwrite",
                                                "lines": [{"description": "x", "unit_price": "1", "quantity": "1"}]})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    order = SalesOrder.objects.get(pk=order_id)
    assert (order.notes, order.version, order.total_amount, order.lines.count()) == (
        "pack in pairs", version + 1, draft_order_total(draft_order), 2)
    assert Event.objects.filter(object_id=order_id, content_type__model="salesorder").count() == events

    missing = merch.patch(f"orders/{order_id}/", {"notes": "no version"})
    assert missing.status_code == 400 and missing.json()["fields"] == {"version": ["This field is required."]}


def draft_order_total(order_json):
    from decimal import Decimal

    return Decimal(order_json["total_amount"])


def test_draft_lines_are_replaced(api_for, people, draft_order):
    merch = api_for(people.merch)
    response = merch.patch(f"orders/{draft_order['id']}/", {
        "version": draft_order["version"], "lines": [{"description": "Plate", "unit_price": "2.5",
                                                      "quantity": "4"}]})
    assert response.status_code == 200, response.json()
    assert [line["description"] for line in response.json()["lines"]] == ["Plate"]
    assert response.json()["total_amount"] == "10.00"


def test_order_detail_shows_allowed_actions_with_reasons(api_for, people, draft_order):
    actions = api_for(people.merch).get(f"orders/{draft_order['id']}/").json()["allowed_actions"]
    assert actions["update"]["allowed"] is True
    assert actions["release_production"] == {
        "allowed": False, "code": "transition_not_allowed",
        "reason": "Production can be released only for a confirmed order."}
    assert actions["override_deposit"]["code"] == "forbidden"  # a merchandiser is no manager
    assert {"confirm", "request_deposit", "request_balance", "ship", "cancel", "close", "hold", "resume",
            "issue_pi"} <= set(actions)


def test_confirmation_needs_its_details(api_for, people, draft_order):
    merch = api_for(people.merch)
    url = f"orders/{draft_order['id']}/confirmations/"
    verbal = merch.post(url, {"kind": "verbal", "confirmed_at": timezone.now().isoformat()})
    assert verbal.status_code == 400
    assert set(verbal.json()["fields"]) == {"contact_name", "phone_number", "summary"}
    written = merch.post(url, {"kind": "written", "confirmed_at": timezone.now().isoformat()})
    assert written.status_code == 400 and "file" in written.json()["fields"]
    future = merch.post(url, {"kind": "verbal", "confirmed_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
                              "contact_name": "A", "phone_number": "1", "summary": "x"})
    assert future.status_code == 400 and "confirmed_at" in future.json()["fields"]
    bad_file = merch.multipart(url, {"kind": "written", "confirmed_at": timezone.now().isoformat(),
                                     "file": _text_file()})
    assert bad_file.status_code == 400 and bad_file.json()["code"] == "not_a_written_order"
    assert merch.get(url).json() == []


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("po.exe", b"MZ\x90\x00", content_type="application/octet-stream")


def test_quotation_to_order(api_for, people, customer):
    sales = api_for(people.sales)
    created = sales.post("quotations/", {
        "customer": customer.pk, "lines": [{"description": "Mug", "unit_price": "1.20", "quantity": "500",
                                            "factory_cost": "0.80"}]})
    assert created.status_code == 201, created.json()
    quotation = created.json()
    assert quotation["status"] == "draft" and quotation["total_amount"] == "600.00"
    assert quotation["lines"][0]["margin_percent"] == "33.3"

    stale = sales.patch(f"quotations/{quotation['id']}/", {"version": quotation["version"] + 5, "notes": "x"})
    assert stale.status_code == 409
    sent = sales.post(f"quotations/{quotation['id']}/send/")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    # Field-level access: a role without cost sees no cost.
    warehouse = api_for(people.warehouse)
    assert warehouse.get(f"quotations/{quotation['id']}/").status_code == 403

    today = timezone.localdate()
    accepted = sales.post(f"quotations/{quotation['id']}/accept/", {
        "customer_po_no": "PO-1", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today + dt.timedelta(days=45)).isoformat()})
    assert accepted.status_code == 201, accepted.json()
    order = accepted.json()
    assert order["status"] == "draft" and order["total_amount"] == "600.00" and order["quotation"] == quotation["id"]
    assert sales.get(f"quotations/{quotation['id']}/").json()["sales_order"] == order["id"]
    again = sales.post(f"quotations/{quotation['id']}/reject/")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert sales.get("quotations/", {"status": "accepted"}).json()["count"] == 1


def test_order_body_uses_services_line_format(customer):
    assert order_body(customer)["lines"][0]["cells"][0] == {"colour": "Red", "size": "M", "quantity": "600"}


def test_actions_refuse_a_stale_version_and_change_nothing(api_for, people, draft_order):
    """Two people act on the same order: the one who loaded it before the other's change gets 409."""
    from gendan.api.tests.conftest import record_confirmations

    merch, manager = api_for(people.merch), api_for(people.manager)
    order_id = draft_order["id"]
    record_confirmations(merch, order_id)
    confirmed = merch.post(f"orders/{order_id}/confirm/", {"version": draft_order["version"]})
    assert confirmed.status_code == 200, confirmed.json()
    loaded = confirmed.json()["version"]

    held = manager.post(f"orders/{order_id}/hold/", {"reason": "customer asked to wait", "version": loaded})
    assert held.status_code == 200, held.json()
    assert held.json()["status"] == "on_hold"

    stale = merch.post(f"orders/{order_id}/cancel/", {"reason": "customer cancelled", "version": loaded})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    order = SalesOrder.objects.get(pk=order_id)
    assert order.status == "on_hold" and order.cancel_reason == ""

    bad = merch.post(f"orders/{order_id}/resume/", {"version": "abc"})
    assert bad.status_code == 400 and "version" in bad.json()["fields"]
