"""Input that cannot hurt the server (issue 10 item 4, issue 11 defect 2): numbers beyond any
column, 1e30, 100 000 nested brackets, ids beyond 64 bits and dates like 0001-01-01 are each a
400 / 404 in the API's error format, naming the field — never a 500 — and nothing is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import order_body, record_confirmations
from gendan.finance.models import Receipt
from gendan.sales.models import OrderRevision, Quotation, SalesOrder

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def _refused(response, status: int = 400, code: str = "validation_failed") -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


def _with_line(customer, **line) -> dict:
    body = order_body(customer)
    body["lines"][1].update(line)
    return body


@pytest.mark.parametrize(("line", "field", "message", "code"), [
    ({"quantity": "9999999999999", "unit_price": "9999999999999999"}, "lines[1].unit_price",
     "Line 2: Unit price is too large (at most 9,999,999.9999).", "validation_failed"),
    ({"quantity": "1e30"}, "lines[1].quantity", "Line 2: Quantity is too large (at most 999,999,999.999).",
     "validation_failed"),
    ({"quantity": HUGE}, "lines[1].quantity", "Line 2: Quantity is too large (at most 999,999,999.999).",
     "validation_failed"),
    ({"unit_price": HUGE}, "lines[1].unit_price", "Line 2: Unit price is too large (at most 9,999,999.9999).",
     "validation_failed"),
    ({"unit_price": "1E+30"}, "lines[1].unit_price", "Line 2: Unit price is too large (at most 9,999,999.9999).",
     "validation_failed"),
    # each within its bound, the product not: said on the line's unit price, not on total_amount, with the
    # code of a rule between two fields
    ({"quantity": "999999999", "unit_price": "9999999"}, "lines[1].unit_price",
     "Line 2: Quantity × unit price is more than a line may amount to (at most 9,999,999,999,999.99).",
     "values_inconsistent"),
])
def test_numbers_beyond_the_bounds_are_a_message_on_the_lines_field(api_for, people, customer, line, field,
                                                                      message, code):
    body = _refused(api_for(people.merch).post("orders/", _with_line(customer, **line)), code=code)
    assert body["fields"][field] == [message]
    assert "total_amount" not in body["fields"]
    assert not SalesOrder.objects.exists()


def test_a_huge_cell_quantity_is_named_on_its_cell(api_for, people, customer):
    body = order_body(customer)
    body["lines"][0]["cells"][1]["quantity"] = "1e30"
    fields = _refused(api_for(people.merch).post("orders/", body))["fields"]
    assert fields == {"lines[0].cells[1].quantity": ["Line 1: Quantity is too large (at most 999,999,999.999)."]}


def test_an_order_above_the_large_amount_needs_the_confirmation(api_for, people, customer, settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}
    api = api_for(people.merch)
    big = _with_line(customer, quantity="1000000", unit_price="20")  # USD 20 million
    body = _refused(api.post("orders/", big), code="large_amount_unconfirmed")
    assert body["fields"]["confirm_large_amount"] == [
        "The total, USD 20,001,235.00, is above USD 10,000,000: check the quantities and prices, and confirm "
        "that the order is really this large."]
    assert not SalesOrder.objects.exists()
    created = api.post("orders/", {**big, "confirm_large_amount": True})
    assert created.status_code == 201, created.json()
    assert created.json()["total_amount"] == "20001235.00"
    # below the amount nothing is asked
    assert api.post("orders/", order_body(customer)).status_code == 201


def test_editing_a_draft_up_to_a_large_amount_needs_the_confirmation(api_for, people, customer, draft_order,
                                                                     settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}
    api = api_for(people.merch)
    lines = _with_line(customer, quantity="1000000", unit_price="20")["lines"]
    edit = {"version": draft_order["version"], "lines": lines}
    _refused(api.patch(f"orders/{draft_order['id']}/", edit), code="large_amount_unconfirmed")
    assert SalesOrder.objects.get(pk=draft_order["id"]).total_amount == Decimal("1236.01")
    saved = api.patch(f"orders/{draft_order['id']}/", {**edit, "confirm_large_amount": True})
    assert saved.status_code == 200, saved.json()


def test_change_orders_share_the_bounds_and_the_confirmation(api_for, people, customer, draft_order, settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}
    merch = api_for(people.merch)
    order_id = draft_order["id"]
    record_confirmations(merch, order_id)
    assert merch.post(f"orders/{order_id}/confirm/").status_code == 200
    lines = _with_line(customer, quantity="1e30")["lines"]
    body = _refused(merch.post(f"orders/{order_id}/revisions/", {"lines": lines, "reason": "Customer adds"}))
    assert body["fields"] == {"lines[1].quantity": ["Line 2: Quantity is too large (at most 999,999,999.999)."]}
    lines = _with_line(customer, quantity="1000000", unit_price="20")["lines"]
    _refused(merch.post(f"orders/{order_id}/revisions/", {"lines": lines, "reason": "Customer adds"}),
             code="large_amount_unconfirmed")
    assert not OrderRevision.objects.exists()
    proposed = merch.post(f"orders/{order_id}/revisions/",
                          {"lines": lines, "reason": "Customer adds", "confirm_large_amount": True})
    assert proposed.status_code == 201, proposed.json()


def test_quotations_share_the_bounds(api_for, people, customer):
    sales = api_for(people.sales)
    line = {"description": "Mug", "unit_price": "1.20", "quantity": "1e30"}
    body = _refused(sales.post("quotations/", {"customer": customer.pk, "lines": [line]}))
    assert body["fields"] == {"lines[0].quantity": ["Line 1: Quantity is too large (at most 999,999,999.999)."]}
    line = {"description": "Mug", "unit_price": "1.20", "quantity": "5", "factory_cost": HUGE}
    body = _refused(sales.post("quotations/", {"customer": customer.pk, "lines": [line]}))
    assert list(body["fields"]) == ["lines[0].factory_cost"]
    assert not Quotation.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"amount": HUGE}, "amount"),
    ({"amount": "1e30"}, "amount"),
    ({"bank_charges": HUGE}, "bank_charges"),
])
def test_receipts_refuse_numbers_beyond_any_amount(api_for, people, customer, change, field):
    body = {"customer": customer.pk, "currency": "USD", "amount": "100.00",
            "received_on": timezone.localdate().isoformat(), "bank_reference": "FT-1", **change}
    refused = _refused(api_for(people.finance).post("receipts/", body))
    assert list(refused["fields"]) == [field]
    assert not Receipt.objects.exists()


def test_a_huge_exchange_rate_is_refused_on_its_field(api_for, people, customer, draft_order):
    merch = api_for(people.merch)
    record_confirmations(merch, draft_order["id"])
    assert merch.post(f"orders/{draft_order['id']}/confirm/").status_code == 200
    finance = api_for(people.finance)
    receipt = finance.post("receipts/", {"customer": customer.pk, "currency": "EUR", "amount": "100.00",
                                         "received_on": timezone.localdate().isoformat(),
                                         "bank_reference": "FT-EUR"})
    assert receipt.status_code == 201, receipt.json()
    for rate in (HUGE, "1e30", "1.123456789"):
        body = _refused(finance.post(f"receipts/{receipt.json()['id']}/allocate/",
                                     {"order": draft_order["id"], "amount": "10.00", "exchange_rate": rate}))
        assert list(body["fields"]) == ["exchange_rate"], rate


def test_a_hundred_thousand_nested_brackets_are_a_parse_error(api_for, people):
    body = _refused(api_for(people.merch).post("orders/", "[" * 100_000 + "]" * 100_000), code="parse_error")
    assert "nested too deeply" in body["message"]


@pytest.mark.parametrize("path", [
    "orders/?customer={n}", "orders/?merchandiser={n}", "quotations/?customer={n}",
    "production-orders/?supplier={n}", "production-orders/?order={n}", "purchase-orders/?supplier={n}",
    "material-requirements/?production_order={n}", "milestones/?order={n}",
    "customers/?salesperson={n}", "customers/?merchandiser={n}", "customers/?region={n}",
])
@pytest.mark.parametrize("n", [HUGE, str(2**63)])
def test_integer_filters_beyond_64_bits_are_a_400(api_for, people, path, n):
    name = path.split("?")[1].split("=")[0]
    body = _refused(api_for(people.manager).get(path.format(n=n)))
    assert list(body["fields"]) == [name]


def test_ids_beyond_64_bits_are_not_found(api_for, people):
    api = api_for(people.manager)
    for path in (f"orders/{HUGE}/", f"customers/{HUGE}/", f"receipts/{HUGE}/"):
        _refused(api.get(path), 404, "not_found")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_dates_outside_2000_to_2099_are_refused(api_for, people, customer, date):
    merch = api_for(people.merch)
    body = _refused(merch.post("orders/", order_body(customer, customer_po_date=date)),
                    code="validation_failed")
    assert "customer_po_date" in body["fields"]
    assert "outside the dates Gendan accepts" in body["fields"]["customer_po_date"][0]
    ex_factory = _refused(merch.post("orders/", order_body(customer, ex_factory_date=date)))
    assert "ex_factory_date" in ex_factory["fields"]
    receipt = {"customer": customer.pk, "currency": "USD", "amount": "100.00", "received_on": date,
               "bank_reference": "FT-1"}
    assert "received_on" in _refused(api_for(people.finance).post("receipts/", receipt))["fields"]
    assert not SalesOrder.objects.exists() and not Receipt.objects.exists()
    assert merch.get("orders/", {"po_from": date}).status_code == 400


def test_a_date_inside_the_window_still_works(api_for, people, customer):
    later = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert api_for(people.merch).post("orders/", order_body(customer, ex_factory_date=later)).status_code == 201


def test_accepting_a_large_quotation_is_not_blocked_by_the_large_order_question(api_for, people, customer,
                                                                                settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}
    sales = api_for(people.sales)
    created = sales.post("quotations/", {"customer": customer.pk, "lines": [
        {"description": "Container of mugs", "unit_price": "20", "quantity": "1000000"}]})
    assert created.status_code == 201, created.json()
    quotation = created.json()
    assert sales.post(f"quotations/{quotation['id']}/send/").status_code == 200
    today = timezone.localdate()
    accepted = sales.post(f"quotations/{quotation['id']}/accept/", {
        "customer_po_no": "PO-BIG", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today + dt.timedelta(days=45)).isoformat()})
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["total_amount"] == "20000000.00"
