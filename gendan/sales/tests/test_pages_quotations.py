"""Quotation pages through HTTP: entering one with the factory's cost, who sees cost and
margin, sending, the customer's yes (which creates the order) or no, and the PDFs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from gendan.sales.models import Quotation, SalesOrder
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _quotation_post(people, **overrides) -> dict:
    data = {
        "customer": people.customer.pk, "lines-TOTAL": "3",
        "lines-0-description": "Ceramic mug 350 ml", "lines-0-unit_price": "1.20", "lines-0-quantity": "5000",
        "lines-0-factory_cost": "0.95", "lines-0-cost_supplier": people.factory.pk,
        "lines-1-description": "Gift box", "lines-1-unit_price": "0.30", "lines-1-quantity": "5000",
        "save": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def quotation(people):
    from gendan.sales.services.quotations import quotation_create

    return quotation_create(actor=people.sales, customer_id=people.customer.pk, data={}, lines=[
        {"description": "Ceramic mug 350 ml", "unit_price": Decimal("1.20"), "quantity": Decimal("5000"),
         "factory_cost": Decimal("0.95"), "cost_supplier": people.factory}])


@pytest.fixture
def sent(people, quotation):
    from gendan.sales.services.quotations import quotation_send

    return quotation_send(actor=people.sales, quotation_id=quotation.pk)


@pytest.mark.parametrize(("name", "allowed", "refused", "status"), [
    ("sales:quotation_list", "sales", "finance", 403),
    ("sales:quotation_create", "sales", "finance", 403),
    ("sales:quotation_detail", "sales", "other_sales", 404),
    ("sales:quotation_detail", "merch", "finance", 404),
    ("sales:quotation_edit", "sales", "other_sales", 404),
])
def test_page_access(name, allowed, refused, status, people, quotation, client_for):
    url = reverse(name, args=[quotation.pk]) if name in ("sales:quotation_detail", "sales:quotation_edit") \
        else reverse(name)
    assert client_for(getattr(people, allowed)).get(url).status_code == 200
    assert client_for(getattr(people, refused)).get(url).status_code == status


def test_enter_a_quotation_with_factory_cost(people, client_for):
    response = client_for(people.sales).post(reverse("sales:quotation_create"), _quotation_post(people))
    assert response.status_code == 302
    quotation = Quotation.objects.get()
    assert response.url == quotation.get_absolute_url()
    assert quotation.total_amount == Decimal("7500.00")
    first = quotation.lines.get(line_no=1)
    assert first.factory_cost == Decimal("0.95") and first.cost_supplier == people.factory
    assert quotation.valid_until == timezone.localdate() + dt.timedelta(days=30)  # the service's default


def test_a_quotation_line_error_stays_on_its_row(people, client_for):
    response = client_for(people.sales).post(reverse("sales:quotation_create"),
                                             _quotation_post(people, **{"lines-1-quantity": "-1"}))
    assert response.status_code == 400
    assert "Line 2: Quantity may not be negative." in _html(response)
    assert not Quotation.objects.exists()


def test_cost_and_margin_only_for_who_may_see_cost(people, quotation, client_for):
    html = _html(client_for(people.sales).get(quotation.get_absolute_url()))
    assert "factory cost per unit" in html and "20.8 %" in html  # (1.20 − 0.95) / 1.20
    group = Group.objects.get(name="sales")
    group.permissions.remove(Permission.objects.get(codename="view_cost", content_type__app_label="sales"))
    html = _html(client_for(people.sales).get(quotation.get_absolute_url()))
    assert "factory cost per unit" not in html and "0.95" not in html and "20.8" not in html


def test_editing_without_cost_permission_keeps_the_cost(people, quotation, client_for):
    group = Group.objects.get(name="sales")
    group.permissions.remove(Permission.objects.get(codename="view_cost", content_type__app_label="sales"))
    client = client_for(people.sales)
    html = _html(client.get(reverse("sales:quotation_edit", args=[quotation.pk])))
    assert "factory_cost" not in html
    response = client.post(reverse("sales:quotation_edit", args=[quotation.pk]), {
        "currency": "USD", "incoterm": "FOB", "payment_method": quotation.payment_method, "deposit_percent": "30",
        "payment_days": "0", "quoted_on": quotation.quoted_on.isoformat(),
        "valid_until": quotation.valid_until.isoformat(), "version": quotation.version, "lines-TOTAL": "1",
        "lines-0-description": "Ceramic mug 350 ml", "lines-0-unit_price": "1.25", "lines-0-quantity": "5000",
        "save": "1"})
    assert response.status_code == 302
    line = quotation.lines.get()
    assert line.unit_price == Decimal("1.25") and line.factory_cost == Decimal("0.95")


def test_send_then_accept_creates_the_order(people, quotation, client_for):
    client = client_for(people.sales)
    assert client.post(reverse("sales:quotation_send", args=[quotation.pk])).status_code == 302
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.SENT
    html = _html(client.get(quotation.get_absolute_url()))
    assert 'data-action="accept"' in html and 'data-action="send"' not in html

    url = reverse("sales:quotation_accept", args=[quotation.pk])
    response = client.post(url, {"accept-customer_po_no": "", "accept-customer_po_date": "",
                                 "accept-ex_factory_date": ""})
    assert response.status_code == 400 and 'id="act-accept" open' in _html(response)
    assert not SalesOrder.objects.exists()
    today = timezone.localdate()
    response = client.post(url, {"accept-customer_po_no": "NL-77", "accept-customer_po_date": today.isoformat(),
                                 "accept-ex_factory_date": (today + dt.timedelta(days=40)).isoformat()})
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert order.quotation == quotation and order.customer_po_no == "NL-77" and order.total_amount == Decimal("6000")
    assert order.get_absolute_url() in _html(client.get(quotation.get_absolute_url()))


def test_reject_and_a_refused_transition(people, sent, client_for):
    client = client_for(people.sales)
    assert client.post(reverse("sales:quotation_reject", args=[sent.pk]), {"reject-note": "Too expensive"}
                       ).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Quotation.Status.REJECTED and sent.decision_note == "Too expensive"
    response = client.post(reverse("sales:quotation_send", args=[sent.pk]))
    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.status == Quotation.Status.REJECTED


def test_a_role_that_may_not_change_quotations_cannot_send(people, quotation, client_for):
    assert client_for(people.finance).post(reverse("sales:quotation_send", args=[quotation.pk])).status_code == 404
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.DRAFT


def test_pdf_buttons_only_when_the_renderer_exists(people, quotation, client_for, monkeypatch):
    from gendan.sales import pdf as rendering

    client = client_for(people.sales)
    if hasattr(rendering, "render_quotation"):
        html = _html(client.get(quotation.get_absolute_url()))
        assert 'data-pdf="en"' in html and 'data-pdf="zh-hans"' in html
        response = client.get(reverse("sales:quotation_pdf", args=[quotation.pk, "zh-hans"]))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        monkeypatch.delattr(rendering, "render_quotation")
    html = _html(client.get(quotation.get_absolute_url()))
    assert "data-pdf=" not in html
    assert client.get(reverse("sales:quotation_pdf", args=[quotation.pk, "en"])).status_code == 404


def test_quotation_list_filters_and_export(people, quotation, sent, client_for):
    from gendan.sales.services.quotations import quotation_create

    other = quotation_create(actor=people.sales, customer_id=people.customer.pk, data={}, lines=[
        {"description": "Tray", "unit_price": Decimal("2"), "quantity": Decimal("10")}])
    client = client_for(people.sales)
    url = reverse("sales:quotation_list")
    assert {q.number for q, _c in client.get(url, {"status": "draft"}).context["rows"]} == {other.number}
    response = client.get(url, {"status": "sent", "export": "xlsx"})
    assert [r[0] for r in export_rows(response)[1:]] == [sent.number]


def test_global_search_finds_quotations(people, quotation, client_for):
    html = _html(client_for(people.sales).get(reverse("core:search"), {"q": quotation.number}))
    assert re.search(rf'href="{quotation.get_absolute_url()}"', html)


def test_a_factory_cost_that_is_not_a_number_stays_on_its_row(people, client_for):
    response = client_for(people.sales).post(reverse("sales:quotation_create"),
                                             _quotation_post(people, **{"lines-0-factory_cost": "abc"}))
    assert response.status_code == 400
    html = _html(response)
    assert "Line 1: factory cost must be a number." in html
    assert re.search(r'name="lines-0-factory_cost" value="abc" class="input has-error"', html)
    assert not Quotation.objects.exists()
