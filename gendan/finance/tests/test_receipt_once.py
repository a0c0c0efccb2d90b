"""The same receipt posted twice (issue 11 defect 4) made two receipts with one bank reference —
the same money counted twice. A bank reference is one transfer on the account that received it
(one account per currency): the service refuses the second, the database keeps it unique, and
the page's one-time form token turns a double submit into the first result."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.core.errors import ValidationFailed
from gendan.core.models import FormSubmission
from gendan.finance.models import Receipt
from gendan.finance.services import receipt_record
from gendan.sales.tests.conftest import make_confirmed

pytestmark = pytest.mark.django_db


def _record(people, reference: str, currency: str = "USD", amount: str = "100.00"):
    return receipt_record(actor=people.finance, customer_id=people.customer.pk, currency=currency, amount=amount,
                          received_on=timezone.localdate(), bank_reference=reference)


def _receipt_post(people, **overrides) -> dict:
    return {"customer": people.customer.pk, "currency": "USD", "amount": "365.80", "bank_charges": "5.00",
            "received_on": timezone.localdate().isoformat(), "bank_reference": "FT2611", "payer_name": "NORDLICHT",
            "save": "1", **overrides}


def test_a_bank_reference_is_recorded_once_per_account(people):
    first = _record(people, "FT 2611-A")
    with pytest.raises(ValidationFailed) as refused:
        _record(people, "  ft 2611-a ", amount="250.00")  # the same reference, typed differently
    assert refused.value.code == "duplicate_bank_reference"
    assert refused.value.fields == {"bank_reference": [
        f"Receipt {first.number} already records the bank reference “FT 2611-A” (USD 100.00 from "
        f"{people.customer}, value date {timezone.localdate().isoformat()}): the same transfer is not recorded "
        "twice. Open that receipt to allocate it."]}
    assert Receipt.objects.count() == 1
    _record(people, "FT 2611-A", currency="EUR")  # another account (currency): another transfer
    assert Receipt.objects.count() == 2


def test_the_database_keeps_the_reference_unique_too(people):
    first = _record(people, "FT-77")
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(number="R-DUP", customer=first.customer, currency_id="USD", amount="5.00",
                               received_on=first.received_on, bank_reference="ft-77", recorded_by=people.finance)


def test_the_page_names_the_receipt_that_has_the_reference(people, client_for):
    client = client_for(people.finance)
    assert client.post(reverse("finance:receipt_create"), _receipt_post(people)).status_code == 302
    again = client.post(reverse("finance:receipt_create"), _receipt_post(people))
    assert again.status_code == 400
    assert "already records the bank reference “FT2611”" in again.content.decode()
    assert Receipt.objects.count() == 1


def test_the_api_refuses_the_second_post_with_its_code(people):
    finance = ApiClient(obtain_token(people.finance), language="en")
    body = {"customer": people.customer.pk, "currency": "USD", "amount": "100.00",
            "received_on": timezone.localdate().isoformat(), "bank_reference": "FT-API"}
    assert finance.post("receipts/", body).status_code == 201
    again = finance.post("receipts/", body)
    assert again.status_code == 400 and again.json()["code"] == "duplicate_bank_reference"
    assert list(again.json()["fields"]) == ["bank_reference"]


# --- a double submit of the form -------------------------------------------------------------


def _token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f]{32})"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def test_a_double_submit_of_the_receipt_form_records_it_once(people, client_for):
    client = client_for(people.finance)
    token = _token(client.get(reverse("finance:receipt_create")).content.decode())
    first = client.post(reverse("finance:receipt_create"), _receipt_post(people, form_token=token))
    second = client.post(reverse("finance:receipt_create"), _receipt_post(people, form_token=token))
    receipt = Receipt.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == receipt.get_absolute_url()
    page = client.get(second.url).content.decode()
    assert "This form had been sent already; here is what it did. Nothing was done twice." in page


def test_a_double_submit_of_the_order_form_enters_one_order(people, client_for):
    from gendan.sales.models import SalesOrder
    from gendan.sales.tests.test_robust_input import _order_post

    client = client_for(people.merch)
    token = _token(client.get(reverse("sales:order_create")).content.decode())
    responses = [client.post(reverse("sales:order_create"), _order_post(people.customer, form_token=token))
                 for _ in range(3)]
    order = SalesOrder.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r.url for r in responses} == {order.get_absolute_url()}


def test_a_form_with_errors_releases_its_token(people, client_for):
    client = client_for(people.finance)
    token = _token(client.get(reverse("finance:receipt_create")).content.decode())
    wrong = client.post(reverse("finance:receipt_create"), _receipt_post(people, amount="abc", form_token=token))
    assert wrong.status_code == 400
    assert not FormSubmission.objects.filter(token=token).exists()
    fixed = client.post(reverse("finance:receipt_create"), _receipt_post(people, form_token=token))
    assert fixed.status_code == 302 and Receipt.objects.count() == 1


def test_another_persons_token_is_not_replayed(people, client_for, make_user):
    from gendan.sales.models import SalesOrder
    from gendan.sales.tests.test_robust_input import _order_post

    token = _token(client_for(people.merch).get(reverse("sales:order_create")).content.decode())
    assert client_for(people.merch).post(reverse("sales:order_create"),
                                         _order_post(people.customer, form_token=token)).status_code == 302
    other = client_for(people.manager).post(reverse("sales:order_create"),
                                            _order_post(people.customer, form_token=token))
    assert other.status_code == 409
    assert SalesOrder.objects.count() == 1


def test_a_confirmed_order_still_takes_its_balance(people):
    """Every payment has its own reference: deposit and balance of one order are two transfers."""
    from gendan.sales.tests.conftest import pay

    order = make_confirmed(people)
    pay(people, order, "100.00")
    pay(people, order, "50.00")
    assert Receipt.objects.count() == 2
