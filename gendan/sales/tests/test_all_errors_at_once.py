"""Issue 11 defect 9: a form with several problems in different layers — the page's own form,
the service's header rules, each line and cell, the large-order confirmation — shows every one
of them on the first submit (the order form once needed three), on the page beside its input
and in the API's ``fields``; nothing is saved while any remains."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.sales.models import Quotation, SalesOrder
from gendan.sales.tests.conftest import make_draft
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EX_FACTORY_BEFORE_PO = "The ex-factory date cannot be before the PO date."
LARGE = "is above USD 10,000,000"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.GENDAN_LARGE_ORDER_AMOUNT = {"USD": 10_000_000}


def _field_block(html: str, name: str) -> str:
    """The ``<div class="field">`` holding the input ``name``: its label, input and messages."""
    for block in html.split('<div class="field'):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def _line_block(html: str, index: int) -> str:
    """Line ``index``'s row, its grid and its messages, up to the next line."""
    start = html.index(f'name="lines-{index}-description"')
    end = html.find(f'name="lines-{index + 1}-description"', start)
    return html[start:end if end > 0 else None]


def _four_problems(customer=None) -> dict:
    """Missing PO no. (the page's form), ex-factory before the PO (the service's header rule),
    line 1 a price with five decimals and a grid cell with four, line 2 a negative quantity,
    line 3 right alone but over the large-order limit."""
    today = timezone.localdate()
    data = {
        "customer_po_no": "", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today - dt.timedelta(days=3)).isoformat(),
        "lines-TOTAL": "3",
        "lines-0-description": "Ceramic mug", "lines-0-unit_price": "1.23456",
        "lines-0-colours": "Red, Blue", "lines-0-sizes": "S, M",
        "lines-0-gc": ["Red", "Blue"], "lines-0-gs": ["S", "M"],
        "lines-0-q-0-0": "100", "lines-0-q-1-1": "2.5001",
        "lines-1-description": "Gift box", "lines-1-unit_price": "0.335", "lines-1-quantity": "-5",
        "lines-2-description": "Carton", "lines-2-unit_price": "3.2", "lines-2-quantity": "999999999",
        "save": "1",
    }
    if customer is not None:
        data["customer"] = customer.pk
    return data


def _assert_every_problem_shown(html: str) -> None:
    assert "This field is required." in _field_block(html, "customer_po_no")
    assert EX_FACTORY_BEFORE_PO in _field_block(html, "ex_factory_date")
    line1 = _line_block(html, 0)
    assert "Line 1: Unit price allows at most 4 decimals." in line1
    assert "Line 1: Quantity allows at most 3 decimals." in line1
    assert re.search(r'name="lines-0-q-1-1" value="2.5001" class="input has-error"', line1)
    line2 = _line_block(html, 1)
    assert "Line 2: Quantity may not be negative." in line2
    assert re.search(r'name="lines-1-quantity" value="-5" class="input[^"]*has-error', line2)
    # line 3 alone is USD 3.2 bn: above the limit whatever the wrong lines hold; the box to confirm it is offered
    assert LARGE in _field_block(html, "confirm_large_amount")


def test_one_submit_of_a_new_order_shows_every_problem_at_once(people, client_for):
    response = client_for(people.merch).post(reverse("sales:order_create"), _four_problems(people.customer))
    assert response.status_code == 400
    _assert_every_problem_shown(response.content.decode())
    assert not SalesOrder.objects.exists()


def test_one_submit_of_an_edited_draft_shows_every_problem_at_once(people, client_for):
    draft = make_draft(people)
    before = (draft.version, draft.total_amount, draft.lines.count())
    data = {**_four_problems(), "version": str(draft.version), "currency": "USD", "incoterm": "FOB",
            "payment_method": draft.payment_method, "deposit_percent": "30", "payment_days": "0"}
    response = client_for(people.merch).post(reverse("sales:order_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    _assert_every_problem_shown(response.content.decode())
    draft.refresh_from_db()
    assert (draft.version, draft.total_amount, draft.lines.count()) == before
    assert draft.customer_po_no == "PO-4711"


def test_the_corrected_order_saves_on_the_next_submit(people, client_for):
    client = client_for(people.merch)
    data = _four_problems(people.customer)
    assert client.post(reverse("sales:order_create"), data).status_code == 400
    data.update({"customer_po_no": "NL-PO-7", "ex_factory_date": (timezone.localdate() + dt.timedelta(days=40))
                .isoformat(), "lines-0-unit_price": "1.235", "lines-0-q-1-1": "50", "lines-1-quantity": "3",
                 "confirm_large_amount": "on"})
    response = client.post(reverse("sales:order_create"), data)
    assert response.status_code == 302
    order = SalesOrder.objects.get()
    assert order.customer_po_no == "NL-PO-7"
    assert [line.quantity for line in order.lines.order_by("line_no")] == [150, 3, 999999999]


def test_without_a_customer_the_lines_are_still_checked(people, client_for):
    data = _four_problems()
    response = client_for(people.merch).post(reverse("sales:order_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in _field_block(html, "customer")
    assert "Line 2: Quantity may not be negative." in _line_block(html, 1)
    assert not SalesOrder.objects.exists()


def test_one_submit_of_a_quotation_shows_every_problem_at_once(people, client_for):
    today = timezone.localdate()
    response = client_for(people.sales).post(reverse("sales:quotation_create"), {
        "customer": people.customer.pk, "currency": "XXX",  # not a currency: the page's form
        "quoted_on": today.isoformat(), "valid_until": (today - dt.timedelta(days=1)).isoformat(),  # the service
        "lines-TOTAL": "2",
        "lines-0-description": "Ceramic mug", "lines-0-unit_price": "1.23456", "lines-0-quantity": "100",
        "lines-1-description": "Gift box", "lines-1-unit_price": "0.3", "lines-1-quantity": "abc",
        "save": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in _field_block(html, "currency")
    assert "The validity date cannot be before the quotation date." in _field_block(html, "valid_until")
    assert "Line 1: Unit price allows at most 4 decimals." in _line_block(html, 0)
    assert "Line 2: Quantity must be a number." in _line_block(html, 1)
    assert not Quotation.objects.exists()


# --- the API: every problem in ``fields`` of one 400 -------------------------------------------------


def _api(user) -> Client:
    token = Client().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                          content_type="application/json").json()["token"]
    return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")


def _post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def _order_body(customer, **overrides) -> dict:
    today = timezone.localdate()
    body = {
        "customer": customer.pk, "customer_po_no": "NL-PO-8", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today - dt.timedelta(days=3)).isoformat(),
        "lines": [
            {"description": "Ceramic mug", "unit_price": "1.23456", "quantity": "10"},
            {"description": "Gift box", "unit_price": "0.335", "quantity": "-5"},
            {"description": "T-shirt", "unit_price": "2", "quantity": "100",
             "cells": [{"colour": "Red", "size": "S", "quantity": "60"},
                       {"colour": "Red", "size": "M", "quantity": "30"}]},
            {"description": "Carton", "unit_price": "3.2", "quantity": "999999999"},
        ],
    }
    body.update(overrides)
    return body


def test_the_api_answers_every_problem_in_one_400(people):
    response = _post(_api(people.merch), "/api/v1/orders/", _order_body(people.customer))
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"ex_factory_date", "lines[0].unit_price", "lines[1].quantity", "lines[2].cells",
                           "confirm_large_amount"}
    assert fields["ex_factory_date"] == [EX_FACTORY_BEFORE_PO]
    assert fields["lines[2].cells"] == [
        "Line 3: the colour × size quantities add up to 90, not to the line's quantity 100."]
    assert not SalesOrder.objects.exists()


def test_the_api_edit_answers_every_problem_in_one_400_and_changes_nothing(people):
    draft = make_draft(people)
    before = (draft.version, draft.total_amount, draft.lines.count())
    body = _order_body(people.customer, version=draft.version, customer_po_no="PO-4711-B")
    body.pop("customer")
    response = _api(people.merch).patch(f"/api/v1/orders/{draft.pk}/", json.dumps(body),
                                        content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"ex_factory_date", "lines[0].unit_price", "lines[1].quantity",
                                              "lines[2].cells", "confirm_large_amount"}
    draft.refresh_from_db()
    assert (draft.version, draft.total_amount, draft.lines.count()) == before
    assert draft.customer_po_no == "PO-4711"


def test_the_api_saves_a_correct_order(people):
    body = _order_body(people.customer, ex_factory_date=(timezone.localdate() + dt.timedelta(days=40)).isoformat(),
                       confirm_large_amount=True)
    body["lines"][0]["unit_price"] = "1.2345"
    body["lines"][1]["quantity"] = "5"
    body["lines"][2]["quantity"] = "90"
    response = _post(_api(people.merch), "/api/v1/orders/", body)
    assert response.status_code == 201, response.content
    order = SalesOrder.objects.get()
    assert [line.quantity for line in order.lines.order_by("line_no")] == [10, 5, 90, 999999999]
    assert order.total_amount == Decimal("12.35") + Decimal("1.68") + Decimal("180") + Decimal("3199999996.80")


def test_one_submit_of_a_change_order_shows_every_problem_at_once(people, client_for):
    from gendan.sales.tests.conftest import make_confirmed

    confirmed = make_confirmed(people)
    response = client_for(people.merch).post(reverse("sales:order_revise", args=[confirmed.pk]), {
        "customer_po_no": "PO-4711", "customer_po_date": confirmed.customer_po_date.isoformat(),
        "ex_factory_date": (confirmed.customer_po_date - dt.timedelta(days=1)).isoformat(),  # the service
        "currency": "USD", "incoterm": "FOB", "payment_method": confirmed.payment_method, "deposit_percent": "30",
        "payment_days": "0", "version": str(confirmed.version), "reason": "",  # the page's form
        "lines-TOTAL": "2", "lines-0-description": "Ceramic mug 350 ml", "lines-0-unit_price": "1.23456",
        "lines-0-quantity": "600",
        "lines-1-description": "Gift box", "lines-1-unit_price": "0.335", "lines-1-quantity": "-3", "save": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in _field_block(html, "reason")
    assert EX_FACTORY_BEFORE_PO in _field_block(html, "ex_factory_date")
    assert "Line 1: Unit price allows at most 4 decimals." in _line_block(html, 0)
    assert "Line 2: Quantity may not be negative." in _line_block(html, 1)
    assert not confirmed.revisions.exists()


def test_the_api_answers_what_it_cannot_read_with_the_services_errors(people):
    """A product of another customer's catalogue or none at all, a header field of the wrong type (the
    API's own reading), with the service's header and line errors: one 400 names them all."""
    body = _order_body(people.customer, payment_days="soon")
    body["lines"][0]["product"] = 999999
    response = _post(_api(people.merch), "/api/v1/orders/", body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "validation_failed"
    assert set(answer["fields"]) == {"payment_days", "lines[0].product", "ex_factory_date", "lines[0].unit_price",
                                     "lines[1].quantity", "lines[2].cells", "confirm_large_amount"}
    assert not SalesOrder.objects.exists()


def test_the_api_change_order_and_quotation_answer_every_problem_in_one_400(people):
    from gendan.sales.tests.conftest import make_confirmed

    confirmed = make_confirmed(people)
    api = _api(people.merch)
    response = _post(api, f"/api/v1/orders/{confirmed.pk}/revisions/", {
        "reason": "", "version": confirmed.version,
        "ex_factory_date": (confirmed.customer_po_date - dt.timedelta(days=1)).isoformat(),
        "lines": [{"description": "Mug", "unit_price": "1.23456", "quantity": "600"},
                  {"description": "Box", "unit_price": "0.3", "quantity": "-1", "product": 999999}]})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason", "ex_factory_date", "lines[0].unit_price",
                                              "lines[1].quantity", "lines[1].product"}
    assert not confirmed.revisions.exists()

    today = timezone.localdate()
    response = _post(_api(people.sales), "/api/v1/quotations/", {
        "customer": people.customer.pk, "quoted_on": today.isoformat(), "payment_days": "soon",
        "valid_until": (today - dt.timedelta(days=1)).isoformat(),
        "lines": [{"description": "Mug", "unit_price": "1.23456", "quantity": "10"},
                  {"description": "Box", "unit_price": "0.3", "quantity": "abc"}]})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"payment_days", "valid_until", "lines[0].unit_price",
                                              "lines[1].quantity"}
    assert not Quotation.objects.exists()
