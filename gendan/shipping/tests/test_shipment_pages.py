"""The shipments list, the shipment's page and the bookings lists through HTTP: who sees what
(another team's shipment is a 404), the filters, the Excel export, the registered sections,
the timeline, both languages, a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gendan.shipping import sections
from gendan.shipping.models import Shipment
from gendan.shipping.tests.helpers_lists import confirmed_booking, planned_shipment
from tests.factories import SalesOrderFactory
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _other_team_order(w):
    return SalesOrderFactory(customer=w.other_customer, actor=w.manager, state="confirmed")


def test_the_list_shows_the_teams_shipments_only_and_another_teams_page_is_not_found(people, confirmed, client_for):
    w = people
    mine = planned_shipment(confirmed, actor=w.merch)
    theirs = planned_shipment(_other_team_order(w), actor=w.manager)
    merch = client_for(w.merch)
    html = _html(merch.get(reverse("shipping:shipment_list")))
    assert f'data-shipment="{mine.pk}"' in html and f'data-shipment="{theirs.pk}"' not in html
    assert merch.get(reverse("shipping:shipment_detail", args=[theirs.pk])).status_code == 404
    assert merch.get(reverse("shipping:shipment_detail", args=[mine.pk])).status_code == 200
    assert merch.get("/sales/shipments/99999999999999999999999/").status_code == 404
    # A department that serves every order (the warehouse) sees both.
    html = _html(client_for(w.warehouse).get(reverse("shipping:shipment_list")))
    assert f'data-shipment="{mine.pk}"' in html and f'data-shipment="{theirs.pk}"' in html


def test_filters_status_week_port_order_and_forwarder(people, confirmed, forwarder, client_for):
    w = people
    week_day = dt.date.fromisocalendar(2026, 14, 3)  # a Wednesday of 2026-W14
    a = planned_shipment(confirmed, actor=w.merch, etd=week_day, port_of_destination="Hamburg")
    b = planned_shipment(confirmed, actor=w.merch, etd=week_day + dt.timedelta(days=7),
                         port_of_destination="Rotterdam", status=Shipment.Status.LOADING)
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, shipment=b,
                      etd=timezone.localdate() + dt.timedelta(days=30))
    merch = client_for(w.merch)
    url = reverse("shipping:shipment_list")

    def shown(**query) -> set[int]:
        html = _html(merch.get(url, query))
        return {s.pk for s in (a, b) if f'data-shipment="{s.pk}"' in html}

    assert shown() == {a.pk, b.pk}
    assert shown(status="loading") == {b.pk}
    assert shown(etd_week="2026-W14") == {a.pk}
    assert shown(port_of_destination="rotter") == {b.pk}
    assert shown(forwarder=forwarder.pk) == {b.pk}
    assert shown(order=confirmed.number) == {a.pk, b.pk}
    assert shown(order="NOPE") == set()
    response = merch.get(url, {"etd_week": "2026-W99"})
    assert response.status_code == 200 and "Enter a week like 2026-W11." in _html(response)
    assert merch.get(url, {"forwarder": "9" * 30}).status_code == 200


def test_the_excel_export_has_the_filtered_rows(people, confirmed, client_for):
    w = people
    a = planned_shipment(confirmed, actor=w.merch, port_of_destination="Hamburg", cartons=7)
    planned_shipment(confirmed, actor=w.merch, port_of_destination="Rotterdam")
    response = client_for(w.merch).get(reverse("shipping:shipment_list"),
                                       {"port_of_destination": "Hamburg", "export": "xlsx"})
    assert response.status_code == 200
    rows = export_rows(response)
    assert rows[0][:3] == ["shipment no.", "order no.", "customer"]
    assert [r[0] for r in rows[1:]] == [a.number]
    assert rows[1][rows[0].index("cartons")] == 7 * confirmed.lines.count()


def test_the_lists_query_count_does_not_grow_with_its_rows(people, confirmed, client_for):
    w = people
    merch = client_for(w.merch)
    url = reverse("shipping:shipment_list")
    planned_shipment(confirmed, actor=w.merch)
    merch.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        merch.get(url)
    for _ in range(19):
        planned_shipment(confirmed, actor=w.merch)
    with CaptureQueriesContext(connection) as twenty:
        response = merch.get(url)
    assert _html(response).count("data-shipment=") == 20
    assert len(twenty) == len(one)


def test_the_shipment_page_shows_header_registered_sections_and_timeline(people, confirmed, forwarder, client_for):
    w = people
    shipment = planned_shipment(confirmed, actor=w.merch, etd=timezone.localdate() + dt.timedelta(days=30),
                                bl_no="MSCU1234567")
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder, shipment=shipment)
    seen = []

    def context(request, s):
        seen.append(s.pk)
        return {"n": 42}

    sections.register("test_section", template="shipping/tests/_test_section.html", context=context, rank=99)
    sections.register("test_hidden", template="shipping/tests/_test_section.html", context=lambda r, s: None,
                      rank=98)
    try:
        html = _html(client_for(w.merch).get(shipment.get_absolute_url()))
    finally:
        sections._SECTIONS.pop("test_section")
        sections._SECTIONS.pop("test_hidden")
    assert shipment.get_absolute_url() == f"/sales/shipments/{shipment.pk}/"
    assert seen == [shipment.pk]
    assert 'data-section="test_section"' in html and "section says 42" in html
    assert 'data-section="test_hidden"' not in html
    assert "MSCU1234567" in html and "Ningbo" in html and confirmed.number in html
    assert "Booking BK-" in html and "confirmed by FWD1" in html  # the order's shipping rows on the timeline


def test_both_languages(people, confirmed, client_for):
    w = people
    shipment = planned_shipment(confirmed, actor=w.merch)
    merch = client_for(w.merch)
    with translation.override("zh-hans"):
        w.merch.language = "zh-hans"
        w.merch.save(update_fields=["language"])
        zh_list = _html(merch.get(reverse("shipping:shipment_list"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
        zh_page = _html(merch.get(shipment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "出货单号" in zh_list and "装货港" in zh_page
    w.merch.language = "en"
    w.merch.save(update_fields=["language"])
    en_page = _html(merch.get(shipment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "port of loading" in en_page and "Shipments" in en_page


def test_the_navigation_has_shipments(people, client_for):
    nav = [str(i["label"]) for i in client_for(people.merch).get(reverse("shipping:shipment_list"))
           .context["nav_items"]]
    assert "Shipments" in nav


def test_a_forwarders_bookings_page_and_the_supplier_pages_link(people, confirmed, forwarder, client_for):
    w = people
    booking = confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    theirs = confirmed_booking(_other_team_order(w), actor=w.manager, forwarder=forwarder)
    merch = client_for(w.merch)
    html = _html(merch.get(reverse("shipping:forwarder_bookings", args=[forwarder.pk])))
    assert f'data-booking="{booking.pk}"' in html and f'data-booking="{theirs.pk}"' not in html
    assert "MSC ANNA / 12W" in html and "FWD1" in html
    assert merch.get(reverse("shipping:forwarder_bookings", args=[w.factory.pk])).status_code == 404
    assert merch.get("/sales/forwarders/99999999999999999999999/bookings/").status_code == 404
    html = _html(merch.get(reverse("shipping:booking_list"), {"forwarder": w.forwarder.pk, "status": "confirmed"}))
    assert f'data-booking="{booking.pk}"' in html

    supplier_page = _html(client_for(w.manager).get(reverse("parties:supplier_detail", args=[forwarder.pk])))
    assert reverse("shipping:forwarder_bookings", args=[forwarder.pk]) in supplier_page
    factory_page = client_for(w.manager).get(reverse("parties:supplier_detail", args=[w.factory.pk]))
    assert "/bookings/" not in _html(factory_page)


def test_the_filter_bar_gets_the_results_only_and_the_bookings_list_reads_a_fixed_number_of_queries(
        people, confirmed, forwarder, client_for):
    w = people
    planned_shipment(confirmed, actor=w.merch)
    merch = client_for(w.merch)
    partial = merch.get(reverse("shipping:shipment_list"), {"status": "planned"}, HTTP_HX_REQUEST="true",
                        HTTP_HX_TARGET="list-results")
    assert 'data-testid="shipment-list"' in _html(partial) and "<html" not in _html(partial)

    url = reverse("shipping:booking_list")
    confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    merch.get(url)
    with CaptureQueriesContext(connection) as one:
        merch.get(url)
    for _ in range(5):
        confirmed_booking(confirmed, actor=w.merch, forwarder=forwarder)
    with CaptureQueriesContext(connection) as six:
        html = _html(merch.get(url))
    assert html.count("data-booking=") == 6 and len(six) == len(one)
    export = merch.get(url, {"export": "xlsx", "forwarder": forwarder.pk})
    rows = export_rows(export)
    assert len(rows) == 7 and rows[0][0] == "booking no."
