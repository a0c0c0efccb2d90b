"""The warehouse's pages through HTTP: "to load this week", the order's finished goods
receipts, the shipment page's warehouse section (start, load, seal, cancel, goods leave — the
button disabled with the rule's reason), the loading plan; refusals answered with the page as
it stands (the message, the input kept, the one mapping's status); who may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.shipping.models import Container, FinishedGoodsReceipt, Shipment
from gendan.shipping.services.warehouse import container_load, container_start, goods_receive
from gendan.shipping.tests.helpers_warehouse import lines_of, mug_order, planned_shipment

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def order(people):
    return mug_order(people)


@pytest.fixture
def shipment(people, order):
    return planned_shipment(order, actor=people.merch)


def _receive_data(order, line_no=1, **extra) -> dict:
    return {"receive-order_line": lines_of(order)[line_no].pk, "receive-quantity": "1200", "receive-cartons": "50",
            "receive-received_on": timezone.localdate().isoformat(), "receive-source": "workshop",
            "receive-source_ref": "MO2603-0001", "receive-inspection": "passed", "receive-location": "A-03",
            **extra}


def _receive_all(w, order):
    for line_no, qty, cartons in ((1, "1200", 50), (2, "500", 10)):
        goods_receive(actor=w.warehouse, order_id=order.pk, order_line_id=lines_of(order)[line_no].pk, quantity=qty,
                      cartons=cartons, received_on=timezone.localdate(), source="factory", inspection="passed")


def test_the_warehouse_receives_loads_seals_and_lets_the_shipment_leave(people, order, shipment, client_for):
    w = people
    wh = client_for(w.warehouse)
    page = wh.get(reverse("shipping:goods_receipts", args=[order.pk]))
    assert page.status_code == 200 and 'data-form="receive"' in _html(page)
    assert wh.post(reverse("shipping:goods_receipts", args=[order.pk]), _receive_data(order)).status_code == 302
    assert wh.post(reverse("shipping:goods_receipts", args=[order.pk]), _receive_data(
        order, 2, **{"receive-quantity": "500", "receive-cartons": "10"})).status_code == 302
    html = _html(wh.get(reverse("shipping:goods_receipts", args=[order.pk])))
    assert html.count('data-receipt="RK') == 2

    detail = reverse("shipping:shipment_detail", args=[shipment.pk])
    html = _html(wh.get(detail))
    assert 'data-testid="warehouse-section"' in html and 'data-form="start"' in html
    assert 'data-why="depart"' in html and "No container is loaded" in html  # the reason, not a hidden button
    response = wh.post(reverse("shipping:container_start", args=[shipment.pk]), {
        "start-container_no": "CSQU3054383", "start-container_type": "40HQ", "start-version": shipment.version})
    assert response.status_code == 302
    container = Container.objects.get()
    mug, box = lines_of(order)[1], lines_of(order)[2]
    response = wh.post(reverse("shipping:container_load", args=[container.pk]), {
        f"load-{container.pk}-lines.{mug.pk}.cartons": "50", f"load-{container.pk}-lines.{mug.pk}.quantity": "1200",
        f"load-{container.pk}-lines.{box.pk}.cartons": "10", f"load-{container.pk}-lines.{box.pk}.quantity": "500",
        f"load-{container.pk}-version": container.version})
    assert response.status_code == 302
    container.refresh_from_db()
    html = _html(wh.get(detail))
    assert "Container CSQU3054383 is not sealed yet" in html and 'data-form="seal-' in html
    response = wh.post(reverse("shipping:container_seal", args=[container.pk]), {
        f"seal-{container.pk}-seal_no": "CN7788990", f"seal-{container.pk}-vgm_kg": "4650",
        f"seal-{container.pk}-version": container.version})
    assert response.status_code == 302
    html = _html(wh.get(detail))
    assert "CN7788990" in html and 'data-form="depart"' in html
    shipment.refresh_from_db()
    response = wh.post(reverse("shipping:shipment_depart", args=[shipment.pk]), {
        "depart-shipped_on": timezone.localdate().isoformat(), "depart-version": shipment.version})
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.SHIPPED and shipment.departed_by == w.warehouse


def test_a_wrong_check_digit_shows_the_page_with_the_message_and_the_input_kept(people, order, shipment,
                                                                                client_for):
    wh = client_for(people.warehouse)
    response = wh.post(reverse("shipping:container_start", args=[shipment.pk]), {
        "start-container_no": "CSQU3054384", "start-container_type": "40HQ"})
    assert response.status_code == 400
    html = _html(response)
    assert "the check digit is wrong" in html and 'value="CSQU3054384"' in html
    assert not Container.objects.exists()


def test_loading_more_than_received_is_refused_on_the_page(people, order, shipment, client_for):
    w = people
    goods_receive(actor=w.warehouse, order_id=order.pk, order_line_id=lines_of(order)[1].pk, quantity="240",
                  cartons=10, received_on=timezone.localdate(), source="workshop", inspection="passed")
    container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                container_type="40HQ")
    mug = lines_of(order)[1]
    response = client_for(w.warehouse).post(reverse("shipping:container_load", args=[container.pk]), {
        f"load-{container.pk}-lines.{mug.pk}.cartons": "50", f"load-{container.pk}-lines.{mug.pk}.quantity": "1200"})
    assert response.status_code == 400
    html = _html(response)
    assert "only 240 are received and free in the warehouse" in html and 'value="1200"' in html
    assert not container.lines.exists()


def test_a_stale_form_is_refused_with_409(people, order, shipment, client_for):
    response = client_for(people.warehouse).post(reverse("shipping:container_start", args=[shipment.pk]), {
        "start-container_no": "CSQU3054383", "start-container_type": "40HQ", "start-version": shipment.version + 5})
    assert response.status_code == 409
    assert not Container.objects.exists()


def test_the_gate_reason_shows_on_the_disabled_buttons(people, client_for):
    w = people
    order = mug_order(w, paid=False)
    shipment = planned_shipment(order, actor=w.merch)
    html = _html(client_for(w.warehouse).get(reverse("shipping:shipment_detail", args=[shipment.pk])))
    assert 'data-why="start_container"' in html and 'data-why="depart"' in html
    assert html.count("Balance rule") >= 2
    assert 'data-form="start"' not in html


def test_finance_sees_no_forms_and_may_not_post(people, order, shipment, client_for):
    w = people
    finance = client_for(w.finance)
    html = _html(finance.get(reverse("shipping:shipment_detail", args=[shipment.pk])))
    assert 'data-form="start"' not in html and 'data-action="depart"' not in html
    response = finance.post(reverse("shipping:container_start", args=[shipment.pk]), {
        "start-container_no": "CSQU3054383", "start-container_type": "40HQ"})
    assert response.status_code == 403
    response = finance.post(reverse("shipping:goods_receipts", args=[order.pk]), _receive_data(order))
    assert response.status_code == 403
    assert not Container.objects.exists() and not FinishedGoodsReceipt.objects.exists()


def test_to_load_this_week_lists_the_weeks_shipments_in_bounded_queries(people, client_for):
    w = people
    today = timezone.localdate()
    for n in range(4):
        order = mug_order(w)
        shipment = planned_shipment(order, actor=w.merch, planned_ex_factory=today + dt.timedelta(days=n % 2))
        _receive_all(w, order)
        if n == 0:
            container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no="CSQU3054383",
                                        container_type="40HQ")
            container_load(actor=w.warehouse, container_id=container.pk,
                           lines={lines_of(order)[1].pk: {"cartons": 20, "quantity": "480"}})
    later = planned_shipment(mug_order(w), actor=w.merch, planned_ex_factory=today + dt.timedelta(days=15))
    wh = client_for(w.warehouse)
    with CaptureQueriesContext(connection) as queries:
        response = wh.get(reverse("shipping:warehouse_loading"))
    assert response.status_code == 200
    html = _html(response)
    assert html.count("data-shipment=") == 4 and later.number not in html
    assert ">20<" in html  # the cartons loaded of the first
    assert html.count(">60<") == 4  # each received its 50 + 10 cartons
    few = len(queries)
    for _n in range(3):
        planned_shipment(mug_order(w), actor=w.merch, planned_ex_factory=today)
    with CaptureQueriesContext(connection) as queries:
        wh.get(reverse("shipping:warehouse_loading"))
    assert len(queries) == few  # no query per row
    week = (today + dt.timedelta(days=15)).isocalendar()
    html = _html(wh.get(reverse("shipping:warehouse_loading") + f"?week={week[0]}-W{week[1]:02d}"))
    assert later.number in html and html.count("data-shipment=") == 1
    html = _html(wh.get(reverse("shipping:warehouse_loading") + "?week=garbage"))
    assert html.count("data-shipment=") == 7  # falls back to this week


def test_the_loading_plan_page_draws_the_recommended_containers(people, order, shipment, client_for):
    response = client_for(people.warehouse).get(reverse("shipping:loading_plan", args=[shipment.pk]))
    assert response.status_code == 200
    html = _html(response)
    assert 'data-testid="recommendation"' in html and "<svg" in html and "@media print" in html
    assert "1·MUG-350" in html and 'data-testid="loading-list-rows"' in html


def test_the_nav_shows_the_loading_list_to_the_warehouse_only(people, client_for):
    url = reverse("shipping:warehouse_loading")
    assert f'href="{url}"' in _html(client_for(people.warehouse).get(reverse("core:home")))
    assert f'href="{url}"' not in _html(client_for(people.finance).get(reverse("core:home")))


def test_chinese_pages_read_in_chinese(people, order, shipment, client_for):
    people.warehouse.language = "zh-hans"
    people.warehouse.save(update_fields=["language"])
    wh = client_for(people.warehouse)
    html = _html(wh.get(reverse("shipping:shipment_detail", args=[shipment.pk])))
    assert "仓库" in html and "出厂" in html
    html = _html(wh.get(reverse("shipping:goods_receipts", args=[order.pk])))
    assert "成品入库" in html


def test_the_warehouse_section_reads_in_bounded_queries(people, order, shipment, client_for):
    """More containers (each with its lines and forms) do not mean more queries."""
    w = people
    _receive_all(w, order)
    mug = lines_of(order)[1]
    wh = client_for(w.warehouse)
    url = reverse("shipping:shipment_detail", args=[shipment.pk])

    def open_container(number):
        container = container_start(actor=w.warehouse, shipment_id=shipment.pk, container_no=number,
                                    container_type="20GP")
        container_load(actor=w.warehouse, container_id=container.pk, lines={mug.pk: {"cartons": 5, "quantity": "120"}})

    open_container("CSQU3054383")
    wh.get(url)
    with CaptureQueriesContext(connection) as one:
        assert wh.get(url).status_code == 200
    open_container("MSKU9070323")
    open_container("BICU1234565")
    with CaptureQueriesContext(connection) as three:
        html = _html(wh.get(url))
    assert html.count("data-container=") == 3
    assert len(three) == len(one), [q["sql"][:120] for q in three.captured_queries][len(one):]


def test_the_order_page_shows_the_stock_and_the_way_to_receive(people, order, client_for):
    _receive_all(people, order)
    html = _html(client_for(people.warehouse).get(order.get_absolute_url() + "?tab=all"))
    assert 'data-testid="warehouse-stock-panel"' in html
    assert reverse("shipping:goods_receipts", args=[order.pk]) in html and "Receive finished goods" in html
    html = _html(client_for(people.finance).get(order.get_absolute_url() + "?tab=all"))
    assert 'data-testid="warehouse-stock-panel"' in html and "Receive finished goods" not in html
