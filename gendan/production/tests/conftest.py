"""Fixtures of the production order tests: the people and order states of the sales tests,
a workshop, a product with a bill of materials, and the first-article rule of the quality app
set explicitly (so these tests do not depend on how quality decides it)."""

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


@pytest.fixture
def first_article_ok(monkeypatch):
    from gendan.quality import rules as quality_rules
    from gendan.sales.rules import OK

    monkeypatch.setattr(quality_rules, "first_article_check", lambda production_order: OK)


@pytest.fixture
def first_article_refused(monkeypatch):
    from gendan.quality import rules as quality_rules
    from gendan.sales.rules import Check

    refusal = Check(False, "First-article rule: the first article of this order is not approved yet.",
                    "first_article_pending")
    monkeypatch.setattr(quality_rules, "first_article_check", lambda production_order: refusal)
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
    from gendan.sales.services.orders import order_release_production
    from gendan.sales.tests.conftest import pay

    pay(w, order, str(order.deposit_amount))
    return order_release_production(actor=w.merch, order_id=order.pk, assignments=assignments or [
        {"supplier": w.factory, "due_date": order.ex_factory_date}])


@pytest.fixture
def workshop(db):
    from gendan.parties.models import Supplier
    from tests.factories import SupplierFactory

    return SupplierFactory(code="WS1", kind=Supplier.Kind.OWN_WORKSHOP, name_zh="一车间", email="ws1@example.com")


@pytest.fixture
def order_with_mug(people, mug):
    """A confirmed order of 1000 mugs (red 600, blue 400) and 3 gift boxes, released to the factory."""
    from gendan.sales.services.orders import order_confirm
    from gendan.sales.tests.conftest import make_draft, record_confirmations

    order = make_draft(people, packing_requirements="每只彩盒，24只一外箱", special_requirements="AQL 2.5")
    line = order.lines.get(line_no=1)
    line.product = mug  # the order entry form sets it; the draft helper has no product
    line.save(update_fields=["product"])
    record_confirmations(people, order)
    order = order_confirm(actor=people.merch, order_id=order.pk)
    people.factory.email = "orders@dongguan-factory.example"
    people.factory.save(update_fields=["email"])
    return release(people, order)


def due(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
