"""Payments to suppliers: finance only, never above the open amount, a factory's balance after
its goods passed final inspection and were received (or finance's override reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.events import event_message, timeline_for
from gendan.payables.models import SupplierPayment
from gendan.payables.services.invoices import supplier_invoice_record
from gendan.payables.services.payments import supplier_payment_record
from gendan.payables.tests.invoices_setup import (
    english,  # noqa: F401 (fixture)
    invoice_data,
    make_world,
    receive_and_inspect,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def invoice(w):
    return supplier_invoice_record(actor=w.buyer, data=invoice_data(w))  # CNY 802.40


def test_only_finance_pays(w, invoice):
    for user in (w.buyer, w.merch, w.manager):
        with pytest.raises(NotAllowed):
            supplier_payment_record(actor=user, invoice_id=invoice.pk, data={"amount": "100.00"})
    assert not SupplierPayment.objects.exists()


def test_a_payment_above_the_invoice_is_refused_naming_both(w, invoice):
    with pytest.raises(ValidationFailed) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "900.00"})
    assert exc.value.code == "payment_above_invoice"
    assert "CNY 900.00" in exc.value.message and "CNY 802.40" in exc.value.message
    assert "amount" in exc.value.fields
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0 and not SupplierPayment.objects.exists()


@pytest.mark.parametrize("amount", ["-1", "0", "1e30", "0.001", "x"])
def test_bad_amounts_are_refused(w, invoice, amount):
    with pytest.raises(ValidationFailed) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": amount})
    assert "amount" in exc.value.fields


def test_a_deposit_is_paid_before_the_goods_and_the_balance_waits_for_them(w, invoice):
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "240.00",
                                                                         "bank_reference": "HSBC-1"})
    with pytest.raises(BusinessError) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "562.40"})
    assert exc.value.code == "balance_before_goods" and exc.value.status == 409
    assert "is missing: final inspection passed, goods received" in exc.value.message
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("240.00") and invoice.status == "open"
    # inspected but not received: still refused, naming only what is missing
    receive_and_inspect(w, receive=False)
    with pytest.raises(BusinessError) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "562.40"})
    assert "is missing: goods received into the warehouse." in exc.value.message
    receive_and_inspect(w, inspect=False)
    payment = supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "562.40"},
                                      version=invoice.version)
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.open_amount == 0 and payment.override_reason == ""


def test_finance_may_override_with_a_reason_on_the_timeline(w, invoice):
    with pytest.raises(ValidationFailed):
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "802.40",
                                                                             "override_reason": "ok"})
    payment = supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={
        "amount": "802.40", "override_reason": "factory needs cash for the Spring Festival wages"})
    assert payment.override_reason.startswith("factory needs cash")
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    events = list(timeline_for(w.order))
    assert any("CNY 802.40" in event_message(e) and e.reason.startswith("factory needs cash") for e in events)


def test_a_stale_version_and_a_paid_invoice_are_refused(w, invoice):
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "100.00"})
    with pytest.raises(BusinessError) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "100.00"},
                                version=invoice.version)
    assert exc.value.status == 409
    service = supplier_invoice_record(actor=w.buyer, data={
        "supplier": w.factory.pk, "kind": "service", "service_kind": "inspection", "supplier_invoice_no": "INS-1",
        "amount": "50.00", "invoice_date": invoice.invoice_date})
    supplier_payment_record(actor=w.finance, invoice_id=service.pk, data={"amount": "50.00"})
    with pytest.raises(BusinessError) as exc:
        supplier_payment_record(actor=w.finance, invoice_id=service.pk, data={"amount": "1.00"})
    assert exc.value.code == "invoice_not_open"
