"""Builders of the rebates and profit tests (no tests here): an order of 1 000 mugs (HS 6912001000,
rebate 13 %) at USD 2.00 and 500 gift boxes (HS 4819100000, rebate 9 %) at USD 0.50 — USD 2 250.00,
booked at 7.10 CNY per USD — made by one outsourced factory at CNY 8.00 and 2.00 (CNY 9 000.00),
shipped in full. The factory's invoice is CNY 9 000.00 incl. VAT; its VAT invoice CNY 7 964.60 net
+ 1 035.40 VAT.

By hand: the net is split by cost 8 000 : 1 000 → mugs 7 079.64 (7 964.60 × 8/9 = 7 079.644…),
boxes 884.96 (884.955…); rebate 7 079.64 × 13 % = 920.3532 → 920.35, 884.96 × 9 % = 79.6464 → 79.65;
expected CNY 1 000.00."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from gendan.catalog.models import Product
from gendan.exportdocs.models import ProductExportData
from gendan.finance.models import ExchangeRate
from gendan.parties.models import Supplier
from gendan.payables.models import SupplierInvoice, VatInvoice
from tests.factories import ContactFactory, CustomerFactory, SalesOrderFactory, SupplierFactory, UserFactory

RATE = Decimal("7.10")
_SEQ = itertools.count(1)


@dataclass
class RebateWorld:
    finance: object
    merch: object
    manager: object
    factory: Supplier
    order: object
    production_order: object
    shipment: object | None


def book_rate(currency: str = "USD", rate: Decimal = RATE, *, since: dt.date | None = None, by=None):
    by = by or UserFactory(roles=["finance"], language="en")
    return ExchangeRate.objects.create(currency_id=currency, valid_from=since or dt.date(2020, 1, 1),
                                       cny_per_unit=rate, set_by=by, set_at=timezone.now())


def products():
    n = next(_SEQ)
    mug = Product.objects.create(code=f"MUG-{n}", name_en="Ceramic mug", name_zh="陶瓷杯", hs_code="6912001000")
    box = Product.objects.create(code=f"BOX-{n}", name_en="Gift box", name_zh="礼盒", hs_code="4819100000")
    ProductExportData.objects.create(product=mug, rebate_rate_pct=Decimal("13"))
    ProductExportData.objects.create(product=box, rebate_rate_pct=Decimal("9"))
    return mug, box


def make_order(*, ship: bool | dict = True, customer=None, merch=None, finance=None, factory=None):
    """The order above, in production (costs set), shipped when ``ship`` (a dict: the quantity of
    each line no. shipped)."""
    from gendan.production.services.drafts import production_order_update
    from gendan.shipping.services import order_ship

    finance = finance or UserFactory(roles=["finance"], language="en")
    manager = UserFactory(roles=["manager"], language="en")
    if not ExchangeRate.objects.filter(currency_id="USD").exists():
        book_rate(by=finance)
    if factory is None:
        factory = SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞一厂", name_en="Dongguan One")
        ContactFactory(supplier=factory, email="account@dg-one.example.com", is_primary=True)
    if customer is None:
        merch = merch or UserFactory(roles=["merchandiser"], language="en")
        customer = CustomerFactory(merchandiser=merch, default_currency_id="USD")
    mug, box = products()
    order = SalesOrderFactory(customer=customer, in_production=True, finance=finance, supplier=factory,
                              lines=[{"product": mug, "description": "Ceramic mug", "unit_price": Decimal("2.00"),
                                      "quantity": "1000"},
                                     {"product": box, "description": "Gift box", "unit_price": Decimal("0.50"),
                                      "quantity": "500"}])
    po = order.production_orders.get()
    costs = {1: "8.00", 2: "2.00"}
    production_order_update(actor=order.customer.merchandiser, production_order_id=po.pk,
                            lines={pl.pk: {"unit_cost": costs[pl.order_line.line_no]} for pl in
                                   po.lines.select_related("order_line")})
    po.refresh_from_db()
    shipment = None
    if ship:
        order.refresh_from_db()
        missing = order.total_amount - order.received_amount
        if missing > 0:
            from tests.factories import pay

            pay(order, missing, actor=finance)
        quantities = {line.pk: (Decimal(ship[line.line_no]) if isinstance(ship, dict) else line.quantity)
                      for line in order.lines.all()}
        quantities = {k: v for k, v in quantities.items() if v > 0}
        shipment = order_ship(actor=order.customer.merchandiser, order_id=order.pk,
                              shipped_on=timezone.localdate() - dt.timedelta(days=5), quantities=quantities)
        order.refresh_from_db()
    return RebateWorld(finance, order.customer.merchandiser, manager, factory, order, po, shipment)


def factory_invoice(w: RebateWorld, *, amount: str = "9000.00", tax: str = "1035.40", vat: bool = True,
                    vat_no: str | None = None, vat_required: bool = True) -> SupplierInvoice:
    """The factory's invoice for the production order (and its VAT invoice when ``vat``)."""
    n = next(_SEQ)
    invoice = SupplierInvoice.objects.create(
        number=f"SI-T{n:05d}", supplier=w.factory, supplier_invoice_no=f"DG-{n}", kind=SupplierInvoice.Kind.PRODUCTION,
        production_order=w.production_order, sales_order=w.order, currency_id="CNY", amount=Decimal(amount),
        tax_amount=Decimal(tax), invoice_date=timezone.localdate() - dt.timedelta(days=3),
        due_date=timezone.localdate() + dt.timedelta(days=30), vat_required=vat_required, recorded_by=w.finance)
    if vat:
        vat_invoice(invoice, net=str(Decimal(amount) - Decimal(tax)), tax=tax, number=vat_no, by=w.finance)
    return invoice


def vat_invoice(invoice: SupplierInvoice, *, net: str, tax: str, number: str | None = None, by=None) -> VatInvoice:
    return VatInvoice.objects.create(supplier_invoice=invoice, number=number or f"{44000000 + next(_SEQ)}",
                                     issued_on=timezone.localdate() - dt.timedelta(days=2), net_amount=Decimal(net),
                                     tax_amount=Decimal(tax), recorded_by=by or invoice.recorded_by,
                                     recorded_at=timezone.now())


def declaration_no(n: int = 1) -> str:
    return f"{223120260000000000 + n}"
