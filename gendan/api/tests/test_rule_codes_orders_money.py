"""Rules no JSON Schema can state — against today's date, between two fields or items, against the
stored records — answer 400 with a code of their own (``core.errors.RULE_CODES``, an app's code),
the field named, so an API client (and the API fuzz) tells them from a malformed value: orders,
quotations, change orders, confirmations, receipts and their allocations, products. A malformed
value beside a rule keeps ``validation_failed``; a record that does not exist beside a rule keeps
the rule's code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import day_from_today as _day
from gendan.api.tests.conftest import order_body, record_confirmations
from gendan.api.tests.conftest import refused_with as _refused
from gendan.catalog.models import Product
from gendan.finance.models import Receipt
from gendan.sales.models import Confirmation, Quotation, SalesOrder
from tests.factories import CustomerFactory, SalesOrderFactory

pytestmark = pytest.mark.django_db


# --- orders, quotations, change orders -----------------------------------------------------------


def test_order_dates_out_of_order_and_a_po_date_in_the_future(api_for, people, customer):
    api = api_for(people.merch)
    late = order_body(customer, ex_factory_date=_day(60), requested_delivery_date=_day(30))
    fields = _refused(api.post("orders/", late), "dates_out_of_order")
    assert set(fields) == {"requested_delivery_date"}
    assert fields["requested_delivery_date"] == ["The delivery date cannot be before the ex-factory date."]
    fields = _refused(api.post("orders/", order_body(customer, customer_po_date=_day(5))), "date_in_future")
    assert set(fields) == {"customer_po_date"}
    assert not SalesOrder.objects.exists()


def test_order_cells_twice_and_beyond_the_largest_quantity_and_an_amount_too_large(api_for, people, customer):
    api = api_for(people.merch)
    body = order_body(customer)
    body["lines"][0]["cells"][1]["colour"] = "RED"  # the same colour / size as the first, without case
    fields = _refused(api.post("orders/", body), "duplicate_item")
    assert fields == {"lines[0].cells[1]": ["Line 1: RED / M appears twice."]}

    body = order_body(customer)
    body["lines"][0]["cells"] = [{"colour": "Red", "size": size, "quantity": "600000000"} for size in ("S", "M")]
    fields = _refused(api.post("orders/", body), "values_inconsistent")
    assert list(fields) == ["lines[0].cells"] and "too large" in fields["lines[0].cells"][0]

    body = order_body(customer)
    body["lines"][1] |= {"quantity": "999999999", "unit_price": "9999999"}
    fields = _refused(api.post("orders/", body), "values_inconsistent")
    assert list(fields) == ["lines[1].unit_price"] and "Quantity × unit price" in fields["lines[1].unit_price"][0]
    assert not SalesOrder.objects.exists()


def test_a_malformed_value_beside_a_rule_is_validation_failed(api_for, people, customer):
    body = order_body(customer, ex_factory_date=_day(60), requested_delivery_date=_day(30))
    body["lines"][1]["quantity"] = "-3"
    fields = _refused(api_for(people.merch).post("orders/", body), "validation_failed")
    assert {"requested_delivery_date", "lines[1].quantity"} <= set(fields)


def test_a_record_that_does_not_exist_beside_a_rule_keeps_the_rules_code(api_for, people, customer):
    body = order_body(customer, ex_factory_date=_day(60), requested_delivery_date=_day(30))
    body["lines"][1]["product"] = 999999
    del body["lines"][1]["description"]  # the product would give it: not an error of its own
    fields = _refused(api_for(people.merch).post("orders/", body), "dates_out_of_order")
    assert set(fields) == {"lines[1].product", "requested_delivery_date"}
    assert "does not exist" in fields["lines[1].product"][0]
    body["customer"] = 999999  # the rule is still checked on the lines alone: a missing record only
    fields = _refused(api_for(people.merch).post("orders/", body), "validation_failed")
    assert all("does not exist" in messages[0] for messages in fields.values())


def test_a_quotation_valid_until_before_its_date(api_for, people, customer):
    body = {"customer": customer.pk, "quoted_on": _day(-2), "valid_until": _day(-5),
            "lines": [{"description": "Ceramic mug", "unit_price": "1.2", "quantity": "100"}]}
    fields = _refused(api_for(people.sales).post("quotations/", body), "dates_out_of_order")
    assert fields == {"valid_until": ["The validity date cannot be before the quotation date."]}
    assert not Quotation.objects.exists()


def test_a_change_order_delivery_before_ex_factory(api_for, people, draft_order):
    merch = api_for(people.merch)
    record_confirmations(merch, draft_order["id"])
    confirmed = merch.post(f"orders/{draft_order['id']}/confirm/", {"version": draft_order["version"]})
    assert confirmed.status_code == 200, confirmed.json()
    order = confirmed.json()
    body = {"version": order["version"], "reason": "The customer moves the delivery",
            "requested_delivery_date": (dt.date.fromisoformat(order["ex_factory_date"])
                                        - dt.timedelta(days=3)).isoformat()}
    fields = _refused(merch.post(f"orders/{order['id']}/revisions/", body), "dates_out_of_order")
    assert set(fields) == {"requested_delivery_date"}
    assert not SalesOrder.objects.get(pk=order["id"]).revisions.exists()


def test_a_change_order_dropping_a_line_in_production(api_for):
    order = SalesOrderFactory(in_production=True)
    merch = api_for(order.customer.merchandiser)
    mugs = {"description": "Ceramic mug 350 ml", "unit_price": "1.235",
            "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                      {"colour": "Blue", "size": "M", "quantity": "400"}]}
    body = {"version": order.version, "reason": "The customer drops the gift boxes", "lines": [mugs]}
    fields = _refused(merch.post(f"orders/{order.pk}/revisions/", body), "values_inconsistent")
    assert fields == {"lines[1]": ["Line 2 is already in production or shipped; reduce its quantity instead of "
                                   "removing it."]}
    assert not order.revisions.exists()


# --- confirmations -------------------------------------------------------------------------------


def test_a_confirmation_in_the_future_or_with_another_orders_file(api_for, people, customer, draft_order):
    merch = api_for(people.merch)
    later = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    verbal = {"kind": "verbal", "confirmed_at": later, "contact_name": "Mr. Jansen", "phone_number": "+31 10 555",
              "summary": "1000 mugs"}
    fields = _refused(merch.post(f"orders/{draft_order['id']}/confirmations/", verbal), "date_in_future")
    assert fields == {"confirmed_at": ["The confirmation time cannot be in the future."]}

    other = merch.post("orders/", order_body(customer)).json()
    record_confirmations(merch, other["id"])
    attachment = Confirmation.objects.get(order_id=other["id"], kind="written").attachment_id
    written = {"kind": "written", "confirmed_at": timezone.now().isoformat(), "attachment_id": attachment}
    fields = _refused(merch.post(f"orders/{draft_order['id']}/confirmations/", written), "record_mismatch")
    assert fields == {"attachment_id": ["That file is not attached to this order."]}
    assert not Confirmation.objects.filter(order_id=draft_order["id"]).exists()


# --- receipts and allocations --------------------------------------------------------------------


def _receipt(**extra) -> dict:
    return {"currency": "USD", "amount": "500.00", "received_on": timezone.localdate().isoformat(),
            "bank_reference": "FT-1", **extra}


def _confirmed(api, order_id: int, version: int) -> dict:
    record_confirmations(api, order_id)
    response = api.post(f"orders/{order_id}/confirm/", {"version": version})
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_receipt_in_the_future_or_with_decimals_its_currency_has_not(api_for, people, customer):
    finance = api_for(people.finance)
    fields = _refused(finance.post("receipts/", _receipt(customer=customer.pk, received_on=_day(1))),
                      "date_in_future")
    assert fields == {"received_on": ["The value date cannot be in the future."]}
    fields = _refused(finance.post("receipts/", _receipt(customer=customer.pk, currency="JPY", amount="500.50")),
                      "values_inconsistent")
    assert list(fields) == ["amount"] and "JPY" in fields["amount"][0]
    # more decimals than any amount has is a malformed value, whatever the currency
    fields = _refused(finance.post("receipts/", _receipt(customer=customer.pk, currency="JPY", amount="500.505")),
                      "validation_failed")
    assert list(fields) == ["amount"]
    assert not Receipt.objects.exists()


def test_an_allocation_to_an_order_not_confirmed_another_customers_or_beyond_what_is_left(
        api_for, people, customer, draft_order):
    finance, merch = api_for(people.finance), api_for(people.merch)
    receipt = finance.post("receipts/", _receipt(customer=customer.pk)).json()
    fields = _refused(finance.post(f"receipts/{receipt['id']}/allocate/", {"order": draft_order["id"],
                                                                          "amount": "100"}),
                      "order_not_confirmed")
    assert list(fields) == ["order"] and "confirmed orders only" in fields["order"][0]

    order = _confirmed(merch, draft_order["id"], draft_order["version"])
    fields = _refused(finance.post(f"receipts/{receipt['id']}/allocate/", {"order": order["id"],
                                                                          "amount": "600.00"}),
                      "values_inconsistent")
    assert fields == {"amount": ["Only USD 500.00 of this receipt is left to allocate."]}

    euros = finance.post("receipts/", _receipt(customer=customer.pk, currency="EUR", amount="100000000000.00",
                                               bank_reference="FT-EUR")).json()
    fields = _refused(finance.post(f"receipts/{euros['id']}/allocate/", {"order": order["id"], "amount": "100000000000",
                                                                        "exchange_rate": "999999"}),
                      "values_inconsistent")  # each within its bound, the order's amount beyond any amount
    assert list(fields) == ["exchange_rate"] and "too large" in fields["exchange_rate"][0]

    stranger = CustomerFactory(code="ELSE", merchandiser=people.merch, default_currency_id="USD")
    theirs = finance.post("receipts/", _receipt(customer=stranger.pk, bank_reference="FT-2")).json()
    fields = _refused(finance.post(f"receipts/{theirs['id']}/allocate/", {"order": order["id"], "amount": "100"}),
                      "record_mismatch")
    assert fields == {"order": ["That order does not belong to the customer who paid."]}
    # in the receipt's own request: the allocation row named, its rule's code kept
    fields = _refused(finance.post("receipts/", _receipt(customer=stranger.pk, bank_reference="FT-3", allocations=[
        {"order": order["id"], "amount": "100"}])), "record_mismatch")
    assert list(fields) == ["allocations[0].order"]
    assert Receipt.objects.count() == 3 and not Receipt.objects.exclude(allocated_amount=0).exists()


def test_an_empty_file_is_refused_by_the_service_with_its_code(api_for, people, customer, draft_order):
    """DRF's own "The submitted file is empty." was validation_failed for a file the schema allows (API
    fuzz): the services refuse it, each with its code, the field named; nothing is saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    empty = SimpleUploadedFile("slip.pdf", b"", content_type="application/pdf")
    response = api_for(people.finance).multipart("receipts/", _receipt(customer=customer.pk, file=empty))
    assert _refused(response, "bad_file") == {"file": ["The file is empty."]}
    assert not Receipt.objects.exists()
    empty = SimpleUploadedFile("po.pdf", b"", content_type="application/pdf")
    response = api_for(people.merch).multipart(f"orders/{draft_order['id']}/confirmations/", {
        "kind": "written", "confirmed_at": timezone.now().isoformat(), "file": empty})
    assert list(_refused(response, "not_a_written_order")) == ["file"]
    assert not Confirmation.objects.exists()


# --- products ------------------------------------------------------------------------------------


def test_a_product_lighter_gross_than_net(api_for, people):
    body = {"code": "MUG-350", "name_en": "Mug", "net_weight_kg": "9.2", "gross_weight_kg": "8"}
    fields = _refused(api_for(people.merch).post("products/", body), "values_inconsistent")
    assert fields == {"gross_weight_kg": ["G.W. (8 kg) cannot be less than N.W. (9.2 kg)."]}
    # beside a malformed value: validation_failed
    fields = _refused(api_for(people.merch).post("products/", body | {"hs_code": "12"}), "validation_failed")
    assert {"gross_weight_kg", "hs_code"} <= set(fields)
    assert not Product.objects.exists()


# --- the schema says so --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def components(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]


@pytest.mark.parametrize(("component", "field", "words"), [
    ("OrderCreateRequest", "requested_delivery_date", "dates_out_of_order"),
    ("OrderCreateRequest", "customer_po_date", "date_in_future"),
    ("RevisionRequest", "requested_delivery_date", "dates_out_of_order"),
    ("QuotationCreateRequest", "valid_until", "dates_out_of_order"),
    ("LineRequest", "cells", "duplicate_item"),
    ("LineRequest", "unit_price", "values_inconsistent"),
    ("ConfirmationJsonRequest", "confirmed_at", "date_in_future"),
    ("ConfirmationJsonRequest", "attachment_id", "record_mismatch"),
    ("ReceiptJsonRequest", "received_on", "date_in_future"),
    ("ReceiptJsonRequest", "amount", "values_inconsistent"),
    ("AllocationRequest", "order", "order_not_confirmed"),
    ("ProductRequest", "gross_weight_kg", "values_inconsistent"),
])
def test_the_field_description_states_the_rule(components, component, field, words):
    assert words in components[component]["properties"][field]["description"]


@pytest.mark.parametrize(("component", "field"), [
    ("CreditRequest", "number"), ("ReceiptJsonRequest", "bank_reference"),
    ("SupplierInvoiceRequest", "supplier_invoice_no"),
])
def test_a_text_that_may_not_be_blank_is_not_only_characters_python_strips(components, component, field):
    """The services strip a text as Python does (\\x1c-\\x1f and \\x85 too): the pattern says the same."""
    pattern = components[component]["properties"][field]["pattern"]
    assert not re.search(pattern, " \t\x1c\x1f\x85 ") and re.search(pattern, " LC-1 ")
