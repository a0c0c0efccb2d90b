"""The ledger part's API (GET): ledger, statement (JSON) and aging through the pages' selectors
and scopes — out of scope 404, other roles 403, a bad period 400 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.finance.services import receipt_record
from tests.factories import CustomerFactory, SalesOrderFactory, finance_user

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
API = "/api/v1/receivables"


@pytest.fixture
def book(make_user):
    merch = make_user("merchandiser", language="en")
    customer = CustomerFactory(merchandiser=merch)
    order = SalesOrderFactory(customer=customer, confirmed=True)
    fin = finance_user()
    receipt_record(actor=fin, customer_id=customer.pk, currency="USD", amount="365.80", bank_charges="5.00",
                   received_on=timezone.localdate(), bank_reference="FT-API-1",
                   allocations=[{"order_id": order.pk, "amount": "370.80"}])
    return {"merch": merch, "customer": customer, "order": order, "finance": fin}


def test_ledger_statement_and_aging(book, client_for):
    client = client_for(book["merch"])
    pk = book["customer"].pk
    ledger = client.get(f"{API}/customers/{pk}/ledger/").json()
    [usd] = ledger["currencies"]
    assert Decimal(usd["balance"]) == Decimal("865.21") and usd["entries"][-1]["kind"] == "payment"
    today = timezone.localdate()
    statement = client.get(f"{API}/customers/{pk}/statement/",
                           {"start": (today - dt.timedelta(days=31)).isoformat(), "end": today.isoformat()}).json()
    [c] = statement["currencies"]
    assert Decimal(c["closing"]) == Decimal(c["opening"]) + Decimal(c["debit"]) - Decimal(c["credit"])
    assert Decimal(c["closing"]) == Decimal("865.21")
    aging = client.get(f"{API}/aging/", {"group": "merchandiser"}).json()
    assert aging["group"] == "merchandiser" and Decimal(aging["totals"][0]["total"]) == Decimal("865.21")


def test_scopes_and_roles(book, client_for, make_user):
    pk = book["customer"].pk
    other = client_for(make_user("merchandiser", language="en"))
    assert other.get(f"{API}/customers/{pk}/ledger/").status_code == 404
    assert other.get(f"{API}/aging/").json()["rows"] == []
    qc = client_for(make_user("qc", language="en"))
    assert qc.get(f"{API}/customers/{pk}/ledger/").status_code == 403
    assert qc.get(f"{API}/aging/").status_code == 403


def test_bad_period_is_400_naming_the_field(book, client_for):
    client = client_for(book["finance"])
    response = client.get(f"{API}/customers/{book['customer'].pk}/statement/", {"start": "2026-02-30", "end": "x"})
    assert response.status_code == 400
    assert "start" in response.json()["fields"]
    response = client.get(f"{API}/aging/", {"group": "planet"})
    assert response.status_code == 400 and "group" in response.json()["fields"]
