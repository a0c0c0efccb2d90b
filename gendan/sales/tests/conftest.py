"""Fixtures of the order pages: the people around one customer, and orders brought to each
state through the services (the pages under test are the only thing that goes through HTTP)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English source messages; the users below read the pages in English."""
    with translation.override("en"):
        yield


def pdf_upload(name: str = "po-fax.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def people(make_user):
    from gendan.parties.models import PaymentMethod, Supplier
    from tests.factories import ContactFactory, CustomerFactory, SupplierFactory, TeamFactory

    team, other_team = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    w = SimpleNamespace()
    w.merch = make_user("merchandiser", username="merch", team=team, language="en")
    w.sales = make_user("sales", username="sales", team=team, language="en")
    w.other_sales = make_user("sales", username="other_sales", team=other_team, language="en")
    w.other_merch = make_user("merchandiser", username="other_merch", team=other_team, language="en")
    w.finance = make_user("finance", username="finance", language="en")
    w.manager = make_user("manager", username="manager", language="en")
    w.planner = make_user("production_planner", username="planner", language="en")
    w.qc = make_user("qc", username="qc", language="en")
    w.warehouse = make_user("warehouse", username="warehouse", language="en")
    w.customer = CustomerFactory(code="NORD", name_en="Nordlicht Handels GmbH", salesperson=w.sales,
                                 merchandiser=w.merch, team=team, payment_method=PaymentMethod.TT_DEPOSIT_BALANCE,
                                 deposit_percent=Decimal("30"), default_currency_id="USD")
    ContactFactory(customer=w.customer, email="buyer@nordlicht.example", is_primary=True)
    w.other_customer = CustomerFactory(code="OTHER", salesperson=w.other_sales, team=other_team)
    w.factory = SupplierFactory(code="FAC1", kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞一厂")
    w.forwarder = SupplierFactory(code="FWD1", kind=Supplier.Kind.FORWARDER)
    return w


def make_draft(w, customer=None, *, po="PO-4711", actor=None, **extra):
    from gendan.sales.services.orders import order_create

    today = timezone.localdate()
    return order_create(
        actor=actor or w.merch, customer_id=(customer or w.customer).pk,
        data={"customer_po_no": po, "customer_po_date": today, "ex_factory_date": today + dt.timedelta(days=60),
              **extra},
        lines=[
            {"description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
             "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                       {"colour": "Blue", "size": "M", "quantity": "400"}]},
            {"description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3"},
        ],
    )


def record_confirmations(w, order, actor=None):
    from gendan.sales.services.orders import confirmation_record

    now, actor = timezone.now(), actor or w.merch
    confirmation_record(actor=actor, order_id=order.pk, kind="written", upload=pdf_upload(), confirmed_at=now)
    confirmation_record(actor=actor, order_id=order.pk, kind="verbal", confirmed_at=now, contact_name="Mr. Jansen",
                        phone_number="+31 10 555 0100", summary="1000 mugs red/blue M, 3 gift boxes")


def make_confirmed(w, customer=None, actor=None, **extra):
    """A confirmed order; ``actor`` enters and confirms it (the merchandiser by default). A
    salesperson holds no confirm permission, so another team's order is confirmed by a manager."""
    from gendan.sales.services.orders import order_confirm

    order = make_draft(w, customer, actor=actor, **extra)
    confirmer = w.manager if actor is not None else w.merch
    record_confirmations(w, order, actor=confirmer)
    return order_confirm(actor=confirmer, order_id=order.pk)


def pay(w, order, amount, reference="FT1"):
    from gendan.finance.services import receipt_record

    return receipt_record(actor=w.finance, customer_id=order.customer_id, currency=order.currency_id, amount=amount,
                          received_on=timezone.localdate(), bank_reference=reference,
                          allocations=[{"order_id": order.pk, "amount": amount}])


def make_in_production(w, **extra):
    from gendan.sales.services.orders import order_release_production

    order = make_confirmed(w, **extra)
    pay(w, order, str(order.deposit_amount))
    return order_release_production(actor=w.merch, order_id=order.pk, assignments=[
        {"supplier": w.factory, "due_date": order.ex_factory_date}])


@pytest.fixture
def draft(people):
    return make_draft(people)


@pytest.fixture
def confirmed(people):
    return make_confirmed(people)


@pytest.fixture
def in_production(people):
    return make_in_production(people)
