"""The order pages with input that once answered 500 (issue 10 item 4, issue 11 defect 2): numbers
beyond any column, an order of billions without a second look, dates like 0001-01-01, a PI whose
file is gone from storage."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.sales.models import SalesOrder
from gendan.sales.tests.conftest import make_confirmed

pytestmark = pytest.mark.django_db


def _order_post(customer, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "customer": customer.pk, "customer_po_no": "NL-PO-9", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today + dt.timedelta(days=45)).isoformat(),
        "lines-TOTAL": "1",
        "lines-0-description": "Gift box", "lines-0-unit_price": "0.335", "lines-0-quantity": "3",
        "save": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("typed", "message"), [
    ({"lines-0-quantity": "1e30"}, "Line 1: Quantity is too large (at most 999,999,999.999)."),
    ({"lines-0-quantity": "9" * 30}, "Line 1: Quantity is too large (at most 999,999,999.999)."),
    ({"lines-0-unit_price": "9999999999999999"}, "Line 1: Unit price is too large (at most 9,999,999.9999)."),
])
def test_huge_numbers_come_back_on_their_line(people, client_for, typed, message):
    response = client_for(people.merch).post(reverse("sales:order_create"), _order_post(people.customer, **typed))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_a_large_order_is_saved_on_the_second_submit_with_the_box_ticked(people, client_for, settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}
    client = client_for(people.merch)
    data = _order_post(people.customer, **{"lines-0-quantity": "999999999", "lines-0-unit_price": "3.2"})
    first = client.post(reverse("sales:order_create"), data)
    assert first.status_code == 400
    html = first.content.decode()
    assert "The total, USD 3,199,999,996.80, is above USD 10,000,000" in html
    assert re.search(r'<input type="checkbox" name="confirm_large_amount"', html)
    assert not SalesOrder.objects.exists()
    second = client.post(reverse("sales:order_create"), {**data, "confirm_large_amount": "on"})
    assert second.status_code == 302
    assert SalesOrder.objects.get().total_amount == Decimal("3199999996.80")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_2000_to_2099_is_refused_on_the_page(people, client_for, date):
    response = client_for(people.merch).post(reverse("sales:order_create"),
                                             _order_post(people.customer, ex_factory_date=date))
    assert response.status_code == 400
    assert f"{date} is outside the dates Gendan accepts (2000-01-01 to 2099-12-31)." in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_a_pi_missing_from_storage_is_a_404_that_says_so(people, client_for):
    from gendan.sales.services.documents import document_issue

    order = make_confirmed(people)
    document = document_issue(actor=people.merch, order_id=order.pk, kind="pi")
    document.file.storage.delete(document.file.name)
    response = client_for(people.merch).get(reverse("sales:order_document_download", args=[order.pk, document.pk]))
    assert response.status_code == 404
    assert "is missing from the file storage" in response.content.decode()


# --- ids beyond 64 bits and impossible years on other pages ------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize(("who", "url"), [
    ("finance", "/finance/receipts/new/?customer=" + HUGE),
    ("manager", "/purchasing/orders/new/?requirement=" + HUGE),
    ("manager", "/tracking/calendar/?year=" + HUGE),
    ("manager", "/tracking/calendar/?year=99999"),
])
def test_huge_ids_and_years_in_a_query_are_ignored_not_a_500(people, client_for, who, url):
    assert client_for(getattr(people, who)).get(url).status_code == 200


def test_a_receipt_dated_0001_01_01_is_refused_on_the_page(people, client_for):
    from gendan.finance.models import Receipt

    response = client_for(people.finance).post(reverse("finance:receipt_create"), {
        "customer": people.customer.pk, "currency": "USD", "amount": "100.00", "bank_charges": "0",
        "received_on": "0001-01-01", "bank_reference": "FT-1", "save": "1"})
    assert response.status_code == 400
    assert "0001-01-01 is outside the dates Gendan accepts" in response.content.decode()
    assert not Receipt.objects.exists()


# --- change orders: a re-posted text is not a change (issue 11 defect 6) -----------------------


def test_a_change_of_quantity_and_date_does_not_list_unchanged_shipping_marks(people, client_for):
    from gendan.sales.models import OrderRevision

    order = make_confirmed(people, shipping_marks="NORDLICHT\nPO NO.: PO-4711\nMADE IN CHINA",
                           packing_requirements="12 pcs / carton")
    later = order.ex_factory_date + dt.timedelta(days=7)
    data = {
        "customer_po_no": order.customer_po_no, "customer_po_date": order.customer_po_date.isoformat(),
        "ex_factory_date": later.isoformat(), "currency": "USD", "incoterm": order.incoterm,
        "payment_method": order.payment_method, "deposit_percent": "30", "payment_days": "0",
        # what a browser sends back for the untouched text areas: CR LF, a trailing space, a last newline
        "shipping_marks": "NORDLICHT\r\nPO NO.: PO-4711 \r\nMADE IN CHINA\r\n",
        "packing_requirements": "12 pcs / carton\r\n",
        "version": str(order.version), "reason": "Customer adds 200 red, a week later",
        "lines-TOTAL": "2", "lines-0-description": "Ceramic mug 350 ml", "lines-0-unit_price": "1.235",
        "lines-0-colours": "Red, Blue", "lines-0-sizes": "M", "lines-0-gc": ["Red", "Blue"], "lines-0-gs": ["M"],
        "lines-0-q-0-0": "800", "lines-0-q-1-0": "400",
        "lines-1-description": "Gift box", "lines-1-unit_price": "0.335", "lines-1-quantity": "3", "save": "1",
    }
    response = client_for(people.merch).post(reverse("sales:order_revise", args=[order.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = OrderRevision.objects.get(order=order)
    changed = {d["field"] for d in revision.diff}
    assert changed == {"ex_factory_date", "cell", "quantity", "total_amount"}
    html = client_for(people.merch).get(order.get_absolute_url()).content.decode()
    diff = re.search(r'data-testid="revision-1".*?</table>', html, re.S).group(0)
    assert "shipping marks" not in diff and "packing" not in diff
