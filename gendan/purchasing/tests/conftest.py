"""Fixtures of purchasing: the people, a kettle with a two-line BOM, a material supplier, and an
order for 1 000 kettles released to a factory — all through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def world(make_user):
    from gendan.catalog.models import BomLine, Product
    from gendan.catalog.tests.factories import ComponentFactory, ProductFactory
    from gendan.parties.models import PaymentMethod, Supplier
    from tests.factories import ContactFactory, CustomerFactory, SupplierFactory, TeamFactory

    team, other_team = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    w = SimpleNamespace()
    w.buyer = make_user("purchasing", username="buyer", language="en")
    w.merch = make_user("merchandiser", username="merch", team=team, language="en")
    w.other_merch = make_user("merchandiser", username="other_merch", team=other_team, language="en")
    w.planner = make_user("production_planner", username="planner", language="en")
    w.manager = make_user("manager", username="manager", language="en")
    w.sales = make_user("sales", username="sales", team=team, language="en")
    w.qc = make_user("qc", username="qc", language="en")
    w.finance = make_user("finance", username="finance", language="en")
    w.customer = CustomerFactory(code="NORD", name_en="Nordlicht Handels GmbH", salesperson=w.sales,
                                 merchandiser=w.merch, team=team, payment_method=PaymentMethod.TT_DEPOSIT_BALANCE,
                                 deposit_percent=Decimal("30"), default_currency_id="USD")
    w.factory = SupplierFactory(code="FAC1", kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞一厂",
                                daily_capacity=200)
    w.plastics = SupplierFactory(code="MAT1", kind=Supplier.Kind.MATERIAL_SUPPLIER, name_zh="惠州立新塑胶原料行",
                                 phone="0752-1234567")
    ContactFactory(supplier=w.plastics, name="王经理", mobile="13800138000", is_primary=True)
    w.cartons = SupplierFactory(code="MAT2", kind=Supplier.Kind.MATERIAL_SUPPLIER, name_zh="深圳恒信纸品")
    w.kettle = ProductFactory(code="EK-100", name_en="Electric kettle 1.7 l")
    w.body = ComponentFactory(code="ABS-01", name_en="ABS resin", unit=Product.Unit.KG)
    w.switch = ComponentFactory(code="SW-01", name_en="Thermostat switch")
    BomLine.objects.create(product=w.kettle, component=w.body, quantity=Decimal("0.3500"),
                           scrap_percent=Decimal("3"))
    BomLine.objects.create(product=w.kettle, component=w.switch,
                           quantity=Decimal("1"), scrap_percent=Decimal("0.5"))
    return w


def make_order_in_production(w, *, quantity="1000", due_in_days=60):
    """An order for ``quantity`` kettles, confirmed, deposit paid, released to the factory."""
    from tests.factories import SalesOrderFactory

    order = SalesOrderFactory(customer=w.customer, actor=w.merch, finance=w.finance, supplier=w.factory,
                              in_production=True, ex_factory_date=timezone.localdate() + dt.timedelta(days=due_in_days),
                              lines=[{"product": w.kettle, "unit_price": Decimal("12.50"), "quantity": quantity}])
    return order, order.production_orders.get()


@pytest.fixture
def released(world):
    order, production_order = make_order_in_production(world)
    world.order, world.production_order = order, production_order
    return world


@pytest.fixture
def derived(released):
    """The BOM confirmed by the merchandiser: requirements exist."""
    from gendan.purchasing.services.requirements import bom_confirm

    bom_confirm(actor=released.merch, production_order_id=released.production_order.pk)
    w = released
    w.body_req = w.production_order.material_requirements.get(component=w.body)
    w.switch_req = w.production_order.material_requirements.get(component=w.switch)
    return w
