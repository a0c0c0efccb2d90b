"""The shipping plan through HTTP: the order page's shipments and "plan a shipment" form (colour ×
size grid, what may still be planned), the shipment page's "plan" and "notices" sections
(change, cancel, issue and re-issue the notice, the PDF download); refusals answered with the
page as it stands, the input kept and the message next to it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment, ShippingNotice
from gendan.shipping.services.notices import notice_issue
from gendan.shipping.services.plan import shipment_plan

pytestmark = pytest.mark.django_db
SH = Shipment.Status


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def html(response) -> str:
    return response.content.decode()


def cells(order) -> dict:
    return {c.colour: c for c in order.lines.get(line_no=1).cells.all()}


def plan_data(order, *, red="600", blue="400", box="3", **extra) -> dict:
    c, box_line = cells(order), order.lines.get(line_no=2)
    return {f"plan-cells.{c['Red'].pk}": red, f"plan-cells.{c['Blue'].pk}": blue,
            f"plan-lines.{box_line.pk}.quantity": box, f"plan-lines.{box_line.pk}.cartons": "",
            "plan-transport_mode": "sea_fcl", "plan-planned_ex_factory": days(20).isoformat(),
            "plan-port_of_loading": "Ningbo", "plan-port_of_destination": "Hamburg", "plan-notes": "",
            "plan-version": order.version, **extra}


@pytest.fixture
def order(people, confirmed):
    SalesOrder.objects.filter(pk=confirmed.pk).update(quantity_tolerance_percent=Decimal("5"))
    confirmed.refresh_from_db()
    return confirmed


def test_plan_a_shipment_from_the_order_page(people, order, client_for, django_assert_max_num_queries):
    w = people
    merch = client_for(w.merch)
    page = html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert 'data-form="plan"' in page and 'data-testid="plan-cells-' in page
    c = cells(order)
    # what may still be planned: 600 red + 5 %
    assert f'name="plan-cells.{c["Red"].pk}"' in page and "≤ 630" in page

    response = merch.post(reverse("shipping:shipment_plan", args=[order.pk]), plan_data(order, red="300"))
    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("shipping:shipment_detail",
                                                                         args=[shipment.pk])
    assert dict(shipment.lines.values_list("order_line__line_no", "quantity")) == {1: Decimal("700"),
                                                                                   2: Decimal("3")}
    page = html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert shipment.number in page and reverse("shipping:shipment_detail", args=[shipment.pk]) in page
    assert "≤ 330" in page  # red: 630 − 300 on the first shipment

    detail = merch.get(reverse("shipping:shipment_detail", args=[shipment.pk]))
    assert detail.status_code == 200
    body = html(detail)
    assert 'data-section="plan"' in body and 'data-section="notices"' in body
    assert body.index('data-section="plan"') < body.index('data-section="notices"')
    assert "Red / M: 300" in body and 'data-action="issue_notice"' in body and 'data-action="cancel_shipment"' in body

    with django_assert_max_num_queries(80):  # the order page with its shipments stays bounded
        merch.get(order.get_absolute_url() + "?tab=all")


def test_refusals_keep_the_input_and_name_the_field(people, order, client_for):
    w = people
    merch = client_for(w.merch)
    c = cells(order)
    url = reverse("shipping:shipment_plan", args=[order.pk])
    response = merch.post(url, plan_data(order, red="631"))
    assert response.status_code == 400
    page = html(response)
    assert "at most 630 more may ship" in page and 'value="631"' in page and 'data-testid="plan-error"' in page
    response = merch.post(url, plan_data(order, box="abc"))
    assert response.status_code == 400 and "“abc” is not a number" in html(response)
    response = merch.post(url, plan_data(order, box="1e999"))
    assert response.status_code == 400 and "at most 3 decimals" in html(response)
    response = merch.post(url, plan_data(order, **{"plan-version": order.version + 5}))
    assert response.status_code == 409
    assert not Shipment.objects.exists()
    assert c  # the cells were offered


def test_who_sees_and_who_plans(people, order, client_for):
    w = people
    shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines={order.lines.get(line_no=2).pk: "3"},
                             transport_mode="air", planned_ex_factory=days(10))
    warehouse = client_for(w.warehouse)
    page = html(warehouse.get(order.get_absolute_url()))
    assert shipment.number in page and 'data-form="plan"' not in page
    detail = html(warehouse.get(reverse("shipping:shipment_detail", args=[shipment.pk])))
    assert 'data-action="edit_shipment"' not in detail and 'data-action="issue_notice"' not in detail
    response = warehouse.post(reverse("shipping:shipment_plan", args=[order.pk]), plan_data(order))
    assert response.status_code == 403
    response = warehouse.post(reverse("shipping:shipment_cancel", args=[shipment.pk]),
                              {f"cancel-{shipment.pk}-reason": "not mine"})
    assert response.status_code == 403
    other = client_for(w.other_merch)
    assert other.get(reverse("shipping:shipment_detail", args=[shipment.pk])).status_code == 404
    response = other.post(reverse("shipping:shipment_edit", args=[shipment.pk]), {})
    assert response.status_code == 404
    assert Shipment.objects.get().status == SH.PLANNED


def test_change_notice_outdated_reissue_and_cancel_on_the_shipment_page(people, order, client_for,
                                                                      django_capture_on_commit_callbacks):
    w = people
    merch = client_for(w.merch)
    box = order.lines.get(line_no=2)
    shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines={box.pk: "3"}, transport_mode="sea_lcl",
                             planned_ex_factory=days(10))
    url = reverse("shipping:shipment_detail", args=[shipment.pk])
    key = f"notice-{shipment.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = merch.post(reverse("shipping:notice_issue", args=[shipment.pk]), {f"{key}-factory": w.factory.pk})
    assert response.status_code == 302
    notice = ShippingNotice.objects.get()
    page = html(merch.get(url))
    assert f"{notice.number}-v1.pdf" in page and "Issue version 2" in page and 'data-testid="notice-outdated"' not in page
    pdf = merch.get(reverse("documents:attachment_download", args=[notice.attachment_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    edit = f"edit-{shipment.pk}"
    response = merch.post(reverse("shipping:shipment_edit", args=[shipment.pk]), {
        f"{edit}-lines.{box.pk}.quantity": "2", f"{edit}-transport_mode": "sea_lcl",
        f"{edit}-planned_ex_factory": days(12).isoformat(), f"{edit}-port_of_loading": "Ningbo",
        f"{edit}-port_of_destination": "Hamburg", f"{edit}-version": 1}, follow=True)
    assert response.status_code == 200
    page = html(response)
    assert "issue the next version" in page and 'data-testid="notice-outdated"' in page
    shipment.refresh_from_db()
    assert shipment.version == 2 and shipment.lines.get().quantity == Decimal("2")

    response = merch.post(reverse("shipping:notice_issue", args=[shipment.pk]), {f"{key}-factory": w.factory.pk,
                                                                              f"{key}-change_note": ""})
    assert response.status_code == 400 and ShippingNotice.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = merch.post(reverse("shipping:notice_issue", args=[shipment.pk]), {
            f"{key}-factory": w.factory.pk, f"{key}-change_note": "Two gift boxes only"})
    assert response.status_code == 302 and ShippingNotice.objects.count() == 2
    page = html(merch.get(url))
    assert "Two gift boxes only" in page and 'data-testid="notice-outdated"' not in page

    cancel = f"cancel-{shipment.pk}"
    response = merch.post(reverse("shipping:shipment_cancel", args=[shipment.pk]),
                          {f"{cancel}-reason": "", f"{cancel}-version": 2})
    assert response.status_code == 400
    response = merch.post(reverse("shipping:shipment_cancel", args=[shipment.pk]),
                          {f"{cancel}-reason": "Customer changed the date", f"{cancel}-version": 2})
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == SH.CANCELLED
    page = html(merch.get(url))
    assert 'data-action="edit_shipment"' not in page and 'data-action="issue_notice"' in page  # disabled, with why
    assert "no shipping notice is issued" in page


def test_the_pages_in_chinese(people, order, client_for):
    w = people
    w.merch.language = "zh-hans"
    w.merch.save(update_fields=["language"])
    shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines={order.lines.get(line_no=2).pk: "3"},
                             transport_mode="air", planned_ex_factory=days(10))
    notice_issue(actor=w.merch, shipment_id=shipment.pk)
    merch = client_for(w.merch)
    page = html(merch.get(order.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "计划出货" in page and "空运" in page
    detail = html(merch.get(reverse("shipping:shipment_detail", args=[shipment.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "出货计划" in detail and "出货通知" in detail and "发出第 2 版" in detail


def test_the_order_page_does_not_query_per_shipment(people, order, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = people
    merch = client_for(w.merch)
    box, c = order.lines.get(line_no=2), cells(order)

    def one_more(red):
        shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines={box.pk: "1"}, cells={c["Red"].pk: red},
                                 transport_mode="sea_fcl", planned_ex_factory=days(20))
        notice_issue(actor=w.merch, shipment_id=shipment.pk)

    one_more("100")
    merch.get(order.get_absolute_url() + "?tab=all")  # warm the caches (sessions, content types)
    with CaptureQueriesContext(connection) as first:
        merch.get(order.get_absolute_url() + "?tab=all")
    one_more("100")
    one_more("100")
    with CaptureQueriesContext(connection) as third:
        page = html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert page.count('data-shipment="') == 3
    assert len(third.captured_queries) == len(first.captured_queries)
