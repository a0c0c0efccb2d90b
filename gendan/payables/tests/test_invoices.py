"""Supplier invoices and VAT invoices through the services: the cost rule, the terms, the
supplier's number, bad input, cancel, the VAT invoice's number and arithmetic, roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.events import event_message, timeline_for
from gendan.payables.models import SupplierInvoice
from gendan.payables.services.invoices import (
    supplier_invoice_cancel,
    supplier_invoice_record,
    vat_invoice_record,
)
from gendan.payables.services.payments import supplier_payment_record
from gendan.payables.tests.invoices_setup import (
    english,  # noqa: F401 (fixture)
    invoice_data,
    make_world,
)
from tests.factories import SupplierFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def w():
    return make_world()


def test_a_production_invoice_fills_the_order_and_the_due_date_by_the_terms(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    assert invoice.number.startswith("AP")
    assert invoice.sales_order == w.order
    assert invoice.currency_id == "CNY" and invoice.amount == w.production_order.total_cost
    assert invoice.due_date == timezone.localdate() + dt.timedelta(days=30)
    assert invoice.vat_required and invoice.status == "open"
    texts = [event_message(e) for e in timeline_for(w.order)]
    assert any(invoice.number in t and "DG-0001" in t for t in texts)
    assert any(invoice.number in event_message(e) for e in timeline_for(invoice))


def test_the_terms_come_from_the_setting_and_the_form_may_change_them(w, settings):
    settings.GENDAN_SUPPLIER_PAYMENT_DAYS = 60
    a = supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="100.00", tax_amount="0"))
    assert a.due_date == timezone.localdate() + dt.timedelta(days=60)
    b = supplier_invoice_record(actor=w.buyer, data=invoice_data(
        w, supplier_invoice_no="DG-0002", amount="100.00", tax_amount="0",
        due_date=(timezone.localdate() + dt.timedelta(days=5)).isoformat()))
    assert b.due_date == timezone.localdate() + dt.timedelta(days=5)


def test_invoices_above_the_production_orders_cost_are_refused_naming_both_figures(w):
    cost = w.production_order.total_cost  # CNY 802.40; tolerance 2 % → 818.45
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="900.00"))
    assert exc.value.code == "invoice_above_cost"
    assert "CNY 900.00" in exc.value.message and "CNY 802.40" in exc.value.message
    assert SupplierInvoice.objects.count() == 0
    # within the tolerance: accepted; then a second invoice that takes the total over: refused
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount=str(cost + Decimal("10"))))
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="DG-9", amount="20.00",
                                                                 tax_amount="0"))
    assert "CNY 832.40" in exc.value.message and "already invoiced CNY 812.40" in exc.value.message


def test_a_production_order_of_another_factory_or_another_currency_is_refused(w):
    other = SupplierFactory()
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier=other.pk))
    assert exc.value.code == "invoice_target" and "production_order" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, currency="USD"))
    assert exc.value.code == "invoice_currency"


def test_the_suppliers_invoice_number_is_unique_per_supplier(w):
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="100.00", tax_amount="0"))
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="dg-0001", amount="100.00",
                                                                 tax_amount="0"))
    assert exc.value.code == "supplier_invoice_no_taken" and "DG-0001" in exc.value.message
    # another supplier may use the same number
    forwarder = SupplierFactory(kind="forwarder")
    inv = supplier_invoice_record(actor=w.buyer, data={
        "supplier": forwarder.pk, "kind": "service", "service_kind": "freight", "supplier_invoice_no": "DG-0001",
        "amount": "3500.00", "invoice_date": timezone.localdate().isoformat(), "sales_order": w.order.pk})
    assert inv.sales_order == w.order and not inv.vat_required  # a forwarder's service: no VAT special invoice


@pytest.mark.parametrize("field,value", [
    ("amount", "-5"), ("amount", "0"), ("amount", "1e20"), ("amount", "12.345"), ("amount", "abc"),
    ("amount", "NaN"), ("tax_amount", "-1"), ("invoice_date", "2026-13-01"), ("invoice_date", "2999-01-01"),
    ("supplier_invoice_no", ""), ("supplier", "99999999999999999999999"), ("kind", "gift"),
])
def test_bad_input_names_the_field_and_saves_nothing(w, field, value):
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, **{field: value}))
    assert field in exc.value.fields
    assert SupplierInvoice.objects.count() == 0


def test_tax_above_amount_and_future_dates_are_refused(w):
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="100.00", tax_amount="200.00"))
    assert "tax_amount" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=w.buyer, data=invoice_data(
            w, invoice_date=(timezone.localdate() + dt.timedelta(days=3)).isoformat()))
    assert "invoice_date" in exc.value.fields


def test_roles_record_invoices(w):
    assert supplier_invoice_record(actor=w.finance, data=invoice_data(w, amount="10.00", tax_amount="0"))
    for role in ("merchandiser", "manager", "sales", "qc"):
        with pytest.raises((NotAllowed, PermissionDenied)):
            supplier_invoice_record(actor=UserFactory(roles=[role]), data=invoice_data(
                w, supplier_invoice_no=f"X-{role}", amount="10.00", tax_amount="0"))


def test_cancel_needs_a_reason_and_nothing_paid(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="100.00", tax_amount="0"))
    with pytest.raises(ValidationFailed):
        supplier_invoice_cancel(actor=w.buyer, invoice_id=invoice.pk, reason="")
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "10.00"})
    with pytest.raises(BusinessError) as exc:
        supplier_invoice_cancel(actor=w.buyer, invoice_id=invoice.pk, reason="wrong amount")
    assert exc.value.code == "invoice_paid_cannot_cancel" and "CNY 10.00" in exc.value.message
    other = supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="DG-2", amount="100.00",
                                                                     tax_amount="0"))
    cancelled = supplier_invoice_cancel(actor=w.buyer, invoice_id=other.pk, reason="sent twice by the factory",
                                        version=other.version)
    assert cancelled.status == "cancelled"
    # a cancelled invoice no longer counts against the cost
    assert supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="DG-3", amount="700.00"))


# --- VAT special invoices ---------------------------------------------------------------------


def test_a_vat_invoice_agrees_with_its_rate_and_its_number_is_used_once(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))  # 802.40 incl. 92.31 VAT
    vat = vat_invoice_record(actor=w.buyer, invoice_id=invoice.pk, data={
        "number": "44001234", "issued_on": timezone.localdate(), "net_amount": "710.09", "tax_rate": "13"})
    assert vat.tax_amount == Decimal("92.31")
    assert any("44001234" in event_message(e) for e in timeline_for(w.order))
    other = supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="DG-2", amount="10.00",
                                                                     tax_amount="0"))
    with pytest.raises(ValidationFailed) as exc:
        vat_invoice_record(actor=w.finance, invoice_id=other.pk, data={
            "number": "44001234", "issued_on": timezone.localdate(), "net_amount": "5.00", "tax_rate": "13"})
    assert exc.value.code == "vat_number_taken"
    assert "44001234" in exc.value.message and invoice.number in exc.value.message


@pytest.mark.parametrize("net,rate,tax,ok", [
    ("100.00", "13", "13.00", True), ("100.00", "13", "13.01", True), ("100.00", "13", "12.99", True),
    ("100.00", "13", "13.02", False), ("100.00", "13", "1.30", False), ("100.05", "6", "6.00", True),
    ("100.00", "101", None, False), ("100.00", "-1", None, False), ("-100.00", "13", None, False),
])
def test_the_vat_arithmetic_within_a_cent(w, net, rate, tax, ok):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    data = {"number": "V1", "issued_on": timezone.localdate(), "net_amount": net, "tax_rate": rate}
    if tax is not None:
        data["tax_amount"] = tax
    if ok:
        assert vat_invoice_record(actor=w.buyer, invoice_id=invoice.pk, data=data)
    else:
        with pytest.raises(ValidationFailed):
            vat_invoice_record(actor=w.buyer, invoice_id=invoice.pk, data=data)


def test_vat_invoices_do_not_exceed_the_supplier_invoice(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w, amount="113.00", tax_amount="13.00"))
    vat_invoice_record(actor=w.buyer, invoice_id=invoice.pk, data={
        "number": "V1", "issued_on": timezone.localdate(), "net_amount": "60.00"})
    with pytest.raises(ValidationFailed) as exc:
        vat_invoice_record(actor=w.buyer, invoice_id=invoice.pk, data={
            "number": "V2", "issued_on": timezone.localdate(), "net_amount": "50.00"})
    assert exc.value.code == "vat_above_invoice" and "CNY 113.00" in exc.value.message
    assert invoice.vat_invoices.count() == 1


def test_only_purchasing_and_finance_record_vat_invoices(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    with pytest.raises(NotAllowed):
        vat_invoice_record(actor=w.merch, invoice_id=invoice.pk, data={
            "number": "V1", "issued_on": timezone.localdate(), "net_amount": "60.00"})
