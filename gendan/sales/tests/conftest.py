"""Fixtures of the order pages: the people around one customer, and orders brought to each
state through the services (the pages under test are the only thing that goes through HTTP).

The ``make_*`` builders are the people-namespace (``w``) face of ``tests.factories.SalesOrderFactory``:
they name who enters, confirms, pays and produces; new tests may call the factory directly."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from tests.factories import pdf_upload  # noqa: F401  (tests import it from here)


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English source messages; the users below read the pages in English."""
    with translation.override("en"):
        yield


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
    """A draft of ``mug_lines()`` entered by ``actor`` (the merchandiser by default)."""
    from tests.factories import SalesOrderFactory

    return SalesOrderFactory(customer=customer or w.customer, actor=actor or w.merch, customer_po_no=po, **extra)


def record_confirmations(w, order, actor=None):
    from tests.factories import record_confirmations

    record_confirmations(order, actor=actor or w.merch)


def make_confirmed(w, customer=None, actor=None, **extra):
    """A confirmed order; ``actor`` enters and confirms it (the merchandiser by default). A
    salesperson holds no confirm permission, so another team's order is confirmed by a manager."""
    return make_draft(w, customer, actor=actor, confirmer=w.manager if actor is not None else w.merch,
                      state="confirmed", **extra)


def pay(w, order, amount, reference=None):
    from tests.factories import pay

    return pay(order, amount, actor=w.finance, reference=reference)


def make_in_production(w, **extra):
    """A confirmed order, its deposit received, released to the factory."""
    return make_draft(w, confirmer=w.merch, finance=w.finance, supplier=w.factory, state="in_production", **extra)


@pytest.fixture
def draft(people):
    return make_draft(people)


@pytest.fixture
def confirmed(people):
    return make_confirmed(people)


@pytest.fixture
def in_production(people):
    return make_in_production(people)
