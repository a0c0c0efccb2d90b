"""The demo's payables (gendan.demo.payables): invoices for shipped orders' factories, VAT
invoices, payments in every state, last month's statements (one disputed, on the board)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gendan.payables.models import (
    StatementDispute,
    SupplierInvoice,
    SupplierPayment,
    SupplierStatement,
    VatInvoice,
)
from gendan.payables.selectors.statements import statement_balance_check

pytestmark = pytest.mark.django_db


def test_the_demo_has_payables(settings):
    settings.GENDAN_DEMO_ALLOWED = True
    call_command("seed_demo", customers=8, orders=120, stdout=io.StringIO())
    invoices = SupplierInvoice.objects.exclude(number__startswith="AP-DEMO")
    assert invoices.filter(kind="production").exists()
    assert invoices.filter(status="paid").exists() and invoices.filter(status="open").exists()
    assert VatInvoice.objects.filter(supplier_invoice__in=invoices).exists()
    assert SupplierPayment.objects.exists()
    for invoice in invoices:
        paid = sum(p.amount for p in invoice.payments.all())
        assert paid == invoice.paid_amount <= invoice.amount
    for statement in SupplierStatement.objects.all():
        assert statement_balance_check(statement)
    assert SupplierStatement.objects.count() <= 3
    if SupplierStatement.objects.exists():
        assert StatementDispute.objects.filter(settled_at__isnull=True).count() <= 1
