"""Fixtures of the production order tests: the people and order states of the sales tests,
a workshop, a product with a bill of materials, and the first-article gate on the start of
production set explicitly (so these tests do not depend on how quality decides it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.sales.tests import conftest as sales_fixtures
from tests.smtp import smtp  # noqa: F401 (fixture)

# The people around one customer and English messages, as in the sales order tests.
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


def _first_article_gate(monkeypatch, answer) -> None:
    """Replace the first-article gate quality registered on the start (same key, same override)."""
    from gendan.core.gates import Gate
    from gendan.production.gates import PRODUCTION_GATES, START

    monkeypatch.setitem(PRODUCTION_GATES._gates, "first_article", Gate(
        key="first_article", actions=frozenset({START}), check=lambda production_order: answer,
        override_field="first_article_override"))


@pytest.fixture
def first_article_ok(monkeypatch):
    from gendan.core.guards import OK

    _first_article_gate(monkeypatch, OK)


@pytest.fixture
def first_article_refused(monkeypatch):
    from gendan.core.guards import no

    refusal = no("gate_first_article", "First-article rule: the first article of this order is not approved yet.")
    _first_article_gate(monkeypatch, refusal)
    return refusal


@pytest.fixture
def mug(db):
    """A mug with a bill of materials: a handle (2 % scrap), glaze in kg, a gift box and a carton."""
    from gendan.catalog.models import BomLine, Product

    mug = Product.objects.create(code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯 350毫升",
                                 spec="350 ml, Ø 8 cm", surface_finish="glossy glaze")
    handle = Product.objects.create(code="HDL-01", kind=Product.Kind.COMPONENT, name_zh="杯柄", name_en="Handle")
    glaze = Product.objects.create(code="GLZ-RED", kind=Product.Kind.COMPONENT, name_zh="红色釉料", name_en="Red glaze",
                                   unit="kg")
    box = Product.objects.create(code="BOX-01", kind=Product.Kind.PACKAGING, name_zh="彩盒", name_en="Gift box")
    carton = Product.objects.create(code="CTN-24", kind=Product.Kind.PACKAGING, name_zh="外箱 24只装",
                                    name_en="Carton of 24")
    BomLine.objects.create(product=mug, component=handle, quantity=Decimal("1"), scrap_percent=Decimal("2"),
                           sort_order=1)
    BomLine.objects.create(product=mug, component=glaze, quantity=Decimal("0.0125"), scrap_percent=Decimal("5"),
                           sort_order=2)
    BomLine.objects.create(product=mug, component=box, quantity=Decimal("1"), sort_order=3)
    BomLine.objects.create(product=mug, component=carton, quantity=Decimal("0.0417"), sort_order=4)
    return mug


def release(w, order, assignments=None):
    """Receive the deposit of the confirmed ``order`` and release it (to the factory, unless ``assignments``)."""
    from tests.factories import release_to_production

    return release_to_production(order, actor=w.merch, finance=w.finance, supplier=w.factory,
                                 assignments=assignments)


@pytest.fixture
def workshop(db):
    from gendan.parties.models import Supplier
    from tests.factories import SupplierFactory

    return SupplierFactory(code="WS1", kind=Supplier.Kind.OWN_WORKSHOP, name_zh="一车间", email="ws1@example.com")


@pytest.fixture
def order_with_mug(people, mug):
    """A confirmed order of 1000 mugs (red 600, blue 400) and 3 gift boxes, released to the factory."""
    from tests.factories import SalesOrderFactory, mug_lines

    people.factory.email = "orders@dongguan-factory.example"
    people.factory.save(update_fields=["email"])
    lines = mug_lines()
    lines[0]["product"] = mug
    return SalesOrderFactory(customer=people.customer, actor=people.merch, finance=people.finance,
                             supplier=people.factory, in_production=True, lines=lines,
                             packing_requirements="每只彩盒，24只一外箱", special_requirements="AQL 2.5")


def due(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
