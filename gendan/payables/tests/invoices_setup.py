"""Builders of the payables invoices part's tests: a factory with a production order at a known
cost (released through the services), its goods inspected and received, and the people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gendan.parties.models import Supplier
from tests.factories import ContactFactory, SalesOrderFactory, SupplierFactory, UserFactory


@dataclass
class World:
    finance: object
    buyer: object
    merch: object
    manager: object
    factory: Supplier
    order: object
    production_order: object


def make_world(*, unit_cost: str = "0.80", contact: bool = True) -> World:
    """A confirmed order released to an outsourced factory; the production order's unit costs
    set (1 000 mugs + 3 boxes: CNY 800.00 + 3 × cost)."""
    from gendan.production.services.drafts import production_order_update

    finance = UserFactory(roles=["finance"], language="en")
    buyer = UserFactory(roles=["purchasing"], language="en")
    manager = UserFactory(roles=["manager"], language="en")
    factory = SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞一厂", name_en="Dongguan One")
    if contact:
        ContactFactory(supplier=factory, email="account@dg-one.example.com", is_primary=True)
    order = SalesOrderFactory(in_production=True, finance=finance, supplier=factory)
    po = order.production_orders.get()
    production_order_update(actor=order.customer.merchandiser, production_order_id=po.pk,
                            lines={line.pk: {"unit_cost": unit_cost} for line in po.lines.all()})
    po.refresh_from_db()
    return World(finance, buyer, order.customer.merchandiser, manager, factory, order, po)


def receive_and_inspect(w: World, *, inspect: bool = True, receive: bool = True, on: dt.date | None = None):
    """The factory's goods: final inspection passed, received into the warehouse."""
    from gendan.quality.services.inspections import inspection_book, inspection_record_result
    from gendan.shipping.services.warehouse import goods_receive

    day = on or timezone.localdate()
    if inspect:
        qc = UserFactory(roles=["qc"], language="en")
        lot = int(sum(line.quantity for line in w.order.lines.all()))
        inspection = inspection_book(actor=w.merch, order_id=w.order.pk, kind="final", party="third_party",
                                     inspector="SGS Shenzhen", planned_on=day, lot_size=lot)
        inspection_record_result(actor=qc, inspection_id=inspection.pk, inspected_on=day, critical=0, major=0,
                                 minor=0)
    if receive:
        keeper = UserFactory(roles=["warehouse"], language="en")
        for line in w.order.lines.all():
            goods_receive(actor=keeper, order_id=w.order.pk, order_line_id=line.pk, quantity=line.quantity,
                          cartons=1, received_on=day, source="factory", inspection="passed",
                          source_ref=w.production_order.number)


def invoice_data(w: World, **changes) -> dict:
    data = {"supplier": w.factory.pk, "kind": "production", "production_order": w.production_order.pk,
            "supplier_invoice_no": "DG-0001", "amount": str(w.production_order.total_cost),
            "tax_amount": str((w.production_order.total_cost * Decimal("13") / Decimal("113")).quantize(
                Decimal("0.01"))), "invoice_date": timezone.localdate().isoformat()}
    return {**data, **changes}


@pytest.fixture
def english():
    """The assertions read English messages; the product's default language is Chinese."""
    with translation.override("en"):
        yield
