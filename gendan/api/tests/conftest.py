"""API tests go through HTTP with a real token, obtained the way a client obtains it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import TEST_PASSWORD, CustomerFactory, SupplierFactory

API = "/api/v1"


class ApiClient:
    """A JSON client holding an API token; English answers unless told otherwise."""

    def __init__(self, token: str | None = None, language: str = "en"):
        self.client = Client()
        self.headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Token {token}"

    def _call(self, method: str, path: str, data=None, **extra):
        url = path if path.startswith(("/", "http")) else f"{API}/{path}"
        kwargs = {**self.headers, **extra}
        if method == "get":
            return self.client.get(url, data or {}, **kwargs)
        if "format" in kwargs:  # multipart
            kwargs.pop("format")
            return getattr(self.client, method)(url, data or {}, **kwargs)
        body = data if isinstance(data, (str, bytes)) else json.dumps(data or {}, default=str)
        return getattr(self.client, method)(url, body, content_type="application/json", **kwargs)

    def get(self, path, params=None, **extra):
        return self._call("get", path, params, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, None, **extra)

    def multipart(self, path, data, **extra):
        return self._call("post", path, data, format="multipart", **extra)


def obtain_token(user) -> str:
    response = Client().post(f"{API}/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                             content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()["token"]


@pytest.fixture
def api_for(db):
    """Return an ``ApiClient`` authenticated with ``user``'s real API token."""

    def _api(user, language: str = "en") -> ApiClient:
        return ApiClient(obtain_token(user), language=language)

    return _api


@pytest.fixture
def anonymous(db) -> ApiClient:
    return ApiClient()


@pytest.fixture
def people(make_user):
    merch = make_user("merchandiser", username="merch", language="en")
    return SimpleNamespace(
        merch=merch,
        other_merch=make_user("merchandiser", username="other_merch", language="en"),
        sales=make_user("sales", username="sales", language="en"),
        other_sales=make_user("sales", username="other_sales", language="en"),
        finance=make_user("finance", username="finance", language="en"),
        manager=make_user("manager", username="manager", language="en"),
        warehouse=make_user("warehouse", username="warehouse", language="en"),
    )


@pytest.fixture
def customer(people):
    """A customer followed by ``merch`` and sold by ``sales``, with an email for payment requests."""
    return CustomerFactory(code="ACME", merchandiser=people.merch, salesperson=people.sales,
                           email="buyer@acme.example", payment_method="tt_deposit_balance",
                           deposit_percent=Decimal("30"), default_currency_id="USD")


@pytest.fixture
def other_customer(people):
    return CustomerFactory(code="OTHER", merchandiser=people.other_merch, salesperson=people.other_sales)


@pytest.fixture
def factory_supplier(db):
    return SupplierFactory(kind="outsourced_factory")


def order_body(customer, **extra) -> dict:
    """A draft order: 1000 mugs in two colours at 1.235, 3 gift boxes at 0.335 → USD 1236.01."""
    today = timezone.localdate()
    return {
        "customer": customer.pk, "customer_po_no": "PO-4711", "customer_po_date": today.isoformat(),
        "ex_factory_date": (today + dt.timedelta(days=60)).isoformat(),
        "lines": [
            {"description": "Ceramic mug 350 ml", "unit_price": "1.235",
             "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                       {"colour": "Blue", "size": "M", "quantity": 400}]},
            {"description": "Gift box", "unit_price": 0.335, "quantity": 3},
        ],
        **extra,
    }


@pytest.fixture
def draft_order(api_for, people, customer):
    """A draft order created through the API by the merchandiser; returns its JSON."""
    response = api_for(people.merch).post("orders/", order_body(customer))
    assert response.status_code == 201, response.json()
    return response.json()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def po_file(name: str = "po-fax.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record_confirmations(api: ApiClient, order_id: int) -> None:
    now = timezone.now().isoformat()
    written = api.multipart(f"orders/{order_id}/confirmations/",
                            {"kind": "written", "confirmed_at": now, "file": po_file()})
    assert written.status_code == 201, written.json()
    verbal = api.post(f"orders/{order_id}/confirmations/", {
        "kind": "verbal", "confirmed_at": now, "contact_name": "Mr. Jansen", "phone_number": "+31 10 555 0100",
        "summary": "1000 mugs red/blue M at 1.235, 3 gift boxes"})
    assert verbal.status_code == 201, verbal.json()


def day_from_today(days: int) -> str:
    """The date ``days`` from today (the pinned clock's), as an API body gives it."""
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def refused_with(response, code: str) -> dict:
    """Assert a 400 answering ``code`` (a rule's own code, docs/api.md) and return its ``fields``."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code, body
    return body["fields"]
