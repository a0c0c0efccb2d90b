"""``shipping.selectors``: the shipments list's scope, filters and planned totals, the
shipment's detail read, the bookings list, the ISO week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from gendan.shipping.models import Shipment
from gendan.shipping.selectors import (
    booking_get_for_user,
    booking_list,
    iso_week,
    shipment_get_for_user,
    shipment_list,
    shipment_timeline,
)
from gendan.shipping.tests.helpers_lists import confirmed_booking, planned_shipment
from tests.factories import SalesOrderFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_iso_week():
    assert iso_week("2026-W11") == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert iso_week("2026W01") == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    for bad in ("2026-W54", "2026-W00", "2026-11", "", "W11", "2026-W1x"):
        with pytest.raises(ValueError):
            iso_week(bad)


def test_scope_is_the_orders(people, confirmed):
    w = people
    mine = planned_shipment(confirmed, actor=w.merch)
    other = SalesOrderFactory(customer=w.other_customer, actor=w.manager, state="confirmed")
    theirs = planned_shipment(other, actor=w.manager)
    assert set(shipment_list(user=w.merch)) == {mine}
    assert set(shipment_list(user=w.other_sales)) == {theirs}
    assert set(shipment_list(user=w.finance)) == {mine, theirs}
    with pytest.raises(Http404):
        shipment_get_for_user(user=w.merch, pk=theirs.pk)
    for bad in ("x", 2**70, -1, None):
        with pytest.raises(Http404):
            shipment_get_for_user(user=w.merch, pk=bad)
    assert shipment_get_for_user(user=w.merch, pk=mine.pk) == mine


def test_planned_totals_and_filters(people, confirmed, forwarder):
    w = people
    lines = list(confirmed.lines.all())
    a = planned_shipment(confirmed, actor=w.merch, cartons=4, etd=dt.date(2026, 4, 1), port_of_loading="Ningbo")
    b = planned_shipment(confirmed, actor=w.merch, cartons=5, etd=dt.date(2026, 4, 8), port_of_loading="Shanghai",
                         status=Shipment.Status.LOADING)
    row = shipment_list(user=w.merch).get(pk=a.pk)
    assert row.cartons_planned == 4 * len(lines)
    assert row.qty_planned == sum((ln.quantity for ln in a.lines.all()), Decimal("0"))

    def ids(**filters):
        return {s.pk for s in shipment_list(user=w.merch, filters=filters)}

    assert ids(status="loading") == {b.pk}
    assert ids(etd_week="2026-W14") == {a.pk}  # 30 March – 5 April
    assert ids(etd_week="bad") == set()
    assert ids(port_of_loading="shang") == {b.pk}
    assert ids(customer=w.customer.pk) == {a.pk, b.pk}
    assert ids(customer=w.other_customer.pk) == set()
    assert ids(customer=2**80) == set()
    # A forwarder's booking linked to the shipment, or to the order without a shipment.
    other_forwarder = SupplierFactory(code="FWD2", kind="forwarder")
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, shipment=b)
    assert ids(forwarder=forwarder.pk) == {b.pk}
    assert ids(forwarder=other_forwarder.pk) == set()
    confirmed_booking(confirmed, actor=w.merch, forwarder=other_forwarder)
    assert ids(forwarder=other_forwarder.pk) == {a.pk, b.pk}


def test_detail_reads_are_bounded_and_the_timeline_has_the_orders_shipping_rows(
        people, confirmed, forwarder, django_assert_max_num_queries):
    w = people
    shipment = planned_shipment(confirmed, actor=w.merch)
    booking = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, shipment=shipment)
    with django_assert_max_num_queries(12):
        s = shipment_get_for_user(user=w.merch, pk=shipment.pk)
        cells = [c.order_cell.colour for line in s.lines.all() for c in line.cells.all()]
        assert [b.forwarder.code for b in s.bookings.all()] == ["FWD1"]
        assert list(s.containers.all()) == [] and list(s.notices.all()) == [] and cells == []
    kinds = [e.kind for e in shipment_timeline(shipment)]
    assert "shipping.booking_confirmed" in kinds and "shipping.booking_requested" in kinds
    assert not any(k.startswith("sales.") for k in kinds)  # the order's own rows stay on the order
    assert booking_get_for_user(user=w.merch, pk=booking.pk) == booking
    with pytest.raises(Http404):
        booking_get_for_user(user=w.other_merch, pk=booking.pk)


def test_booking_list_filters(people, confirmed, forwarder):
    w = people
    booking = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    assert list(booking_list(user=w.merch, filters={"forwarder": forwarder.pk})) == [booking]
    assert list(booking_list(user=w.merch, filters={"forwarder": w.factory.pk})) == []
    assert list(booking_list(user=w.merch, filters={"status": "cancelled"})) == []
    assert list(booking_list(user=w.other_merch)) == []
