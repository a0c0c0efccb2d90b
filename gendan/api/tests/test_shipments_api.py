"""Shipments and bookings through the API: the list's filters and scope, the detail with its
lines, containers, B/L, notices and bookings, and the booking actions through their services
(refusals coded, a stale version 409, nothing changed by a refused call)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.shipping.models import Booking
from gendan.shipping.tests.helpers_lists import confirmed_booking, planned_shipment
from tests.factories import ContactFactory, SalesOrderFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def forwarder(db):
    supplier = SupplierFactory(code="FWD1", kind="forwarder")
    ContactFactory(supplier=supplier, email="ops@fwd1.example", is_primary=True)
    return supplier


@pytest.fixture
def order(people, customer):
    return SalesOrderFactory(customer=customer, actor=people.merch, state="confirmed")


@pytest.fixture
def other_order(people, other_customer):
    return SalesOrderFactory(customer=other_customer, actor=people.manager, state="confirmed")


def test_shipments_list_is_scoped_filtered_and_paginated(api_for, people, order, other_order, forwarder):
    mine = planned_shipment(order, actor=people.merch, etd=dt.date(2026, 4, 1), cartons=3)
    theirs = planned_shipment(other_order, actor=people.manager)
    confirmed_booking(order, actor=people.merch, forwarder=forwarder, shipment=mine)
    api = api_for(people.merch)
    body = api.get("shipments/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == mine.pk
    row = body["results"][0]
    assert row["order"]["number"] == order.number and row["order"]["customer"]["code"] == "ACME"
    assert row["cartons_planned"] == 3 * order.lines.count() and row["status"] == "planned"
    assert api.get("shipments/", {"etd_week": "2026-W14"}).json()["count"] == 1
    assert api.get("shipments/", {"etd_week": "2026-W15"}).json()["count"] == 0
    assert api.get("shipments/", {"forwarder": forwarder.pk}).json()["count"] == 1
    assert api.get("shipments/", {"status": "shipped"}).json()["count"] == 0
    bad = api.get("shipments/", {"etd_week": "2026-W60", "customer": str(2**70)})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"etd_week", "customer"}
    assert api.get(f"shipments/{theirs.pk}/").status_code == 404
    assert api_for(people.warehouse).get("shipments/").json()["count"] == 2


def test_shipment_detail_has_lines_cells_bookings_and_no_bill_yet(api_for, people, order, forwarder):
    shipment = planned_shipment(order, actor=people.merch)
    booking = confirmed_booking(order, actor=people.merch, forwarder=forwarder, shipment=shipment)
    body = api_for(people.merch).get(f"shipments/{shipment.pk}/").json()
    assert [line["line_no"] for line in body["lines"]] == sorted(ln.line_no for ln in order.lines.all())
    assert body["bill"] is None and body["containers"] == [] and body["notices"] == []
    assert body["bookings"][0]["id"] == booking.pk and body["bookings"][0]["forwarder"]["code"] == "FWD1"
    assert body["bookings"][0]["allowed_actions"]["cancel"]["allowed"] is True
    assert body["bookings"][0]["allowed_actions"]["confirm"]["code"] == "transition_not_allowed"


def test_booking_request_confirm_amend_cancel(api_for, people, order, forwarder):
    api = api_for(people.merch)
    response = api.post("bookings/", {"order": order.pk, "forwarder": forwarder.pk, "containers": {"40HQ": 1}})
    assert response.status_code == 201, response.json()
    booking = response.json()
    assert booking["status"] == "requested" and booking["containers"] == {"40HQ": 1}

    refused = api.post(f"bookings/{booking['id']}/confirm/", {"booking_no": "BK-9", "vessel": "MSC ANNA",
                                                                "etd": days(30), "eta": days(20)})
    assert refused.status_code == 400 and "eta" in refused.json()["fields"]
    assert Booking.objects.get().status == "requested"

    confirmed = api.post(f"bookings/{booking['id']}/confirm/", {
        "booking_no": "BK-9", "vessel": "MSC ANNA", "voyage": "12W", "etd": days(30), "eta": days(60),
        "cy_cutoff": f"{days(28).isoformat()}T17:00:00+08:00", "version": booking["version"]})
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["booking_no"] == "BK-9"

    stale = api.post(f"bookings/{booking['id']}/amend/", {"vessel": "MSC BERTA", "version": booking["version"]})
    assert stale.status_code == 409 and Booking.objects.get().vessel == "MSC ANNA"
    amended = api.post(f"bookings/{booking['id']}/amend/", {"vessel": "MSC BERTA", "reason": "rolled over",
                                                             "version": confirmed.json()["version"]})
    assert amended.status_code == 200 and amended.json()["vessel"] == "MSC BERTA"

    assert api.post(f"bookings/{booking['id']}/cancel/", {"reason": ""}).status_code == 400
    cancelled = api.post(f"bookings/{booking['id']}/cancel/", {"reason": "customer delays"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    listed = api.get("bookings/", {"forwarder": forwarder.pk, "status": "cancelled"}).json()
    assert [b["id"] for b in listed["results"]] == [booking["id"]]


def test_booking_scope_and_roles(api_for, people, order, other_order, forwarder):
    theirs = confirmed_booking(other_order, actor=people.manager, forwarder=forwarder)
    api = api_for(people.merch)
    assert api.get(f"bookings/{theirs.pk}/").status_code == 404
    assert api.post(f"bookings/{theirs.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert api.get("bookings/").json()["count"] == 0
    assert api.post(f"bookings/{2**70}/cancel/", {"reason": "x"}).status_code == 404
    finance = api_for(people.finance)
    response = finance.post(f"bookings/{theirs.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 403 and Booking.objects.get().status == "confirmed"
    response = api.post("bookings/", {"order": other_order.pk, "forwarder": forwarder.pk, "containers": {"40HQ": 1}})
    assert response.status_code == 404 and Booking.objects.count() == 1


def test_the_lists_query_count_does_not_grow_with_its_rows(api_for, people, order, forwarder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(people.merch)
    planned_shipment(order, actor=people.merch)
    confirmed_booking(order, actor=people.merch, forwarder=forwarder)
    api.get("shipments/"), api.get("bookings/")  # warm up (content types, the token)
    with CaptureQueriesContext(connection) as one_shipment:
        api.get("shipments/")
    with CaptureQueriesContext(connection) as one_booking:
        api.get("bookings/")
    for _ in range(9):
        planned_shipment(order, actor=people.merch)
        confirmed_booking(order, actor=people.merch, forwarder=forwarder)
    with CaptureQueriesContext(connection) as ten_shipments:
        assert api.get("shipments/").json()["count"] == 10
    with CaptureQueriesContext(connection) as ten_bookings:
        assert api.get("bookings/").json()["count"] == 10
    assert len(ten_shipments) == len(one_shipment) and len(ten_bookings) == len(one_booking)
