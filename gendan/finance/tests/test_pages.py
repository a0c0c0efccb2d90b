"""Receipt pages through HTTP: only finance records and allocates money; the list's filters and
export; allocation errors on their row; nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.finance.models import Receipt
from gendan.sales.models import SalesOrder
from gendan.sales.tests.conftest import make_confirmed, make_draft, pay, pdf_upload
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def order(people):
    return make_confirmed(people)


def _receipt_post(people, order=None, **overrides) -> dict:
    data = {"customer": people.customer.pk, "currency": "USD", "amount": "365.80", "bank_charges": "5.00",
            "received_on": timezone.localdate().isoformat(), "bank_reference": "FT2611", "payer_name": "NORDLICHT",
            "save": "1"}
    if order is not None:
        data.update({"alloc-0-order": order.pk, "alloc-0-amount": "370.80"})
    data.update(overrides)
    return data


@pytest.mark.parametrize(("name", "allowed", "refused", "status"), [
    ("finance:receipt_list", "finance", "sales", 403),
    ("finance:receipt_list", "merch", "qc", 403),
    ("finance:receipt_create", "finance", "merch", 403),
    ("finance:receipt_create", "finance", "manager", 403),
    ("finance:receipt_detail", "finance", "sales", 404),
    ("finance:receipt_detail", "merch", "other_merch", 404),
])
def test_page_access(name, allowed, refused, status, people, order, client_for):
    receipt = pay(people, order, "100.00")
    url = reverse(name, args=[receipt.pk]) if name == "finance:receipt_detail" else reverse(name)
    assert client_for(getattr(people, allowed)).get(url).status_code == 200
    assert client_for(getattr(people, refused)).get(url).status_code == status


def test_finance_records_money_and_allocates_it_in_one_go(people, order, client_for):
    data = _receipt_post(people, order)
    data["bank_slip"] = pdf_upload("slip.pdf")
    response = client_for(people.finance).post(reverse("finance:receipt_create"), data)
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert response.url == receipt.get_absolute_url()
    assert receipt.amount == Decimal("365.80") and receipt.allocated_amount == Decimal("370.80")
    order.refresh_from_db()
    assert order.payment_status == SalesOrder.PaymentStatus.DEPOSIT_RECEIVED
    html = _html(client_for(people.finance).get(receipt.get_absolute_url()))
    assert order.number in html and "slip.pdf" in html


def test_only_finance_records_money(people, order, client_for):
    response = client_for(people.merch).post(reverse("finance:receipt_create"), _receipt_post(people, order))
    assert response.status_code == 403
    assert not Receipt.objects.exists()
    order.refresh_from_db()
    assert order.received_amount == 0


def test_an_over_allocation_is_put_on_its_row_and_nothing_is_saved(people, order, client_for):
    second = make_confirmed(people, po="PO-2")
    data = _receipt_post(people, order, amount="2000.00", **{"alloc-0-amount": "300.00",
                                                            "alloc-1-order": second.pk, "alloc-1-amount": "1500.00"})
    response = client_for(people.finance).post(reverse("finance:receipt_create"), data)
    assert response.status_code == 400
    html = _html(response)
    assert "owes only USD 1,236.01" in html
    row = html.split('data-allocation="1"')[1].split("</tr>")[0]
    assert "owes only" in row and 'value="1500.00"' in row  # on the row that asked for too much, input kept
    assert not Receipt.objects.exists()  # all or nothing: not even the first allocation
    order.refresh_from_db()
    assert order.received_amount == 0


def test_a_draft_is_not_offered_and_a_forced_allocation_is_refused(people, order, client_for):
    draft = make_draft(people, po="PO-DRAFT")
    html = _html(client_for(people.finance).get(reverse("finance:receipt_create")))
    assert "PO-4711" in html and "PO-DRAFT" not in html
    data = _receipt_post(people, **{"alloc-0-order": draft.pk, "alloc-0-amount": "10"})
    response = client_for(people.finance).post(reverse("finance:receipt_create"), data)
    assert response.status_code == 400
    assert not Receipt.objects.exists()


def test_show_this_customers_orders_comes_back_unsaved(people, order, client_for):
    make_confirmed(people, people.other_customer, po="PO-X", actor=people.other_sales)
    response = client_for(people.finance).post(reverse("finance:receipt_create"),
                                               {"customer": people.customer.pk, "amount": "12.00", "refresh": "1"})
    assert response.status_code == 200 and not Receipt.objects.exists()
    html = _html(response)
    assert "PO-4711" in html and "PO-X" not in html and 'value="12.00"' in html


def test_allocate_what_is_left_from_the_receipt_page(people, order, client_for):
    from gendan.finance.services import receipt_record

    receipt = receipt_record(actor=people.finance, customer_id=people.customer.pk, currency="EUR", amount="500.00",
                             received_on=timezone.localdate(), bank_reference="FT-EUR")
    client = client_for(people.finance)
    html = _html(client.get(receipt.get_absolute_url()))
    assert 'name="order"' in html and 'value="500.00"' in html
    url = reverse("finance:receipt_allocate", args=[receipt.pk])
    response = client.post(url, {"order": order.pk, "amount": "300.00"})
    assert response.status_code == 400 and "enter the exchange rate" in _html(response)
    assert not receipt.allocations.exists()
    assert client_for(people.merch).post(url, {"order": order.pk, "amount": "300.00", "exchange_rate": "1.1"}
                                         ).status_code == 403
    response = client.post(url, {"order": order.pk, "amount": "300.00", "exchange_rate": "1.1"})
    assert response.status_code == 302
    allocation = receipt.allocations.get()
    assert allocation.order_amount == Decimal("330.00")
    order.refresh_from_db()
    assert order.received_amount == Decimal("330.00")


@pytest.mark.dates
def test_receipt_list_filters_and_export(people, order, client_for):
    from gendan.finance.services import receipt_record

    full = pay(people, order, "370.80", reference="FT-A")
    old = receipt_record(actor=people.finance, customer_id=people.customer.pk, currency="EUR", amount="50.00",
                         received_on=timezone.localdate() - dt.timedelta(days=40), bank_reference="FT-B")
    client = client_for(people.finance)
    url = reverse("finance:receipt_list")

    def numbers(params):
        return [r.number for r, _c in client.get(url, params).context["rows"]]

    assert set(numbers({})) == {full.number, old.number}
    assert numbers({"unallocated": "on"}) == [old.number]
    assert numbers({"currency": "USD"}) == [full.number]
    assert numbers({"date_from": (timezone.localdate() - dt.timedelta(days=7)).isoformat()}) == [full.number]
    assert numbers({"q": "ft-b"}) == [old.number]
    response = client.get(url, {"unallocated": "on", "export": "xlsx"})
    rows = export_rows(response)
    assert [r[0] for r in rows[1:]] == [old.number]
    assert Decimal(str(rows[1][rows[0].index("left to allocate")])) == Decimal("50.00")


def test_receipt_list_is_scoped_for_a_merchandiser(people, order, client_for):
    other_order = make_confirmed(people, people.other_customer, po="PO-X", actor=people.other_sales)
    mine, theirs = pay(people, order, "10.00"), pay(people, other_order, "10.00", reference="FT-O")
    rows = client_for(people.merch).get(reverse("finance:receipt_list")).context["rows"]
    assert [r.number for r, _c in rows] == [mine.number]
    assert client_for(people.merch).get(theirs.get_absolute_url()).status_code == 404
