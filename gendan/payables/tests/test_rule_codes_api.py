"""Supplier invoices, payments, statement replies and tax rebates through the API: the rules no JSON
Schema can state (against today's date, between two fields, against the stored record, each item
once) answer 400 with a code of their own, the field named, and nothing is saved; the schema states
what it can (the outcome's two values, a dispute's amount and reason, the rebate's dates and amount)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.api.tests.conftest import day_from_today as _day
from gendan.api.tests.conftest import refused_with as _refused
from gendan.payables.models import StatementDispute, SupplierInvoice, SupplierPayment, TaxRebate
from gendan.payables.services.invoices import supplier_invoice_record
from gendan.payables.services.rebates import rebate_file, rebate_record
from gendan.payables.services.statements import statement_issue
from gendan.payables.tests.invoices_setup import invoice_data, make_world
from gendan.payables.tests.test_rebates_world import declaration_no, factory_invoice, make_order

pytestmark = pytest.mark.django_db


def test_a_supplier_invoice_refused_by_its_rules():
    w = make_world()
    buyer = ApiClient(obtain_token(w.buyer))
    fields = _refused(buyer.post("supplier-invoices/", invoice_data(w, tax_amount="900.00")), "values_inconsistent")
    assert list(fields) == ["tax_amount"] and "cannot exceed" in fields["tax_amount"][0]
    fields = _refused(buyer.post("supplier-invoices/", invoice_data(w, invoice_date=_day(1))), "date_in_future")
    assert list(fields) == ["invoice_date"]
    fields = _refused(buyer.post("supplier-invoices/", invoice_data(w, due_date=_day(-1))), "dates_out_of_order")
    assert fields == {"due_date": ["The due date cannot be before the invoice date."]}
    service = {"supplier": w.factory.pk, "kind": "service", "service_kind": "inspection", "currency": "JPY",
               "supplier_invoice_no": "SGS-1", "amount": "15000.50", "invoice_date": _day(0)}
    fields = _refused(buyer.post("supplier-invoices/", service), "values_inconsistent")
    assert fields == {"amount": ["At most 0 decimal places."]}
    assert not SupplierInvoice.objects.exists()


def test_a_payment_in_the_future_or_with_decimals_the_invoices_currency_has_not():
    w = make_world()
    invoice = supplier_invoice_record(actor=w.buyer, data={
        "supplier": w.factory.pk, "kind": "service", "service_kind": "inspection", "currency": "JPY",
        "supplier_invoice_no": "SGS-2", "amount": "15000", "invoice_date": _day(0)})
    finance = ApiClient(obtain_token(w.finance))
    fields = _refused(finance.post(f"supplier-invoices/{invoice.pk}/payments/", {"amount": "100", "paid_on": _day(2)}),
                      "date_in_future")
    assert list(fields) == ["paid_on"]
    fields = _refused(finance.post(f"supplier-invoices/{invoice.pk}/payments/", {"amount": "100.50"}),
                      "values_inconsistent")
    assert list(fields) == ["amount"]
    assert not SupplierPayment.objects.exists()


def test_a_statement_reply_naming_a_line_twice():
    w = make_world()
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=timezone.localdate())
    ref = next(line["ref"] for line in statement.lines if line["kind"] == "invoice")
    buyer = ApiClient(obtain_token(w.buyer))
    twice = {"outcome": "disputed", "disputes": [{"line_ref": ref, "reason": "unit price"},
                                                 {"line_ref": ref, "reason": "quantity"}]}
    fields = _refused(buyer.post(f"supplier-statements/{statement.pk}/reply/", twice), "duplicate_item")
    assert fields == {"disputes.1.line_ref": [f"Line {ref} is named twice."]}
    assert not StatementDispute.objects.exists()


def test_rebate_dates_in_the_future_or_before_the_one_stored():
    w = make_order()
    factory_invoice(w)
    finance = ApiClient(obtain_token(w.finance))
    body = {"shipment": w.shipment.pk, "declaration_no": declaration_no(1), "declared_on": _day(1)}
    fields = _refused(finance.post("rebates/", body), "date_in_future")
    assert list(fields) == ["declared_on"]
    assert not TaxRebate.objects.exists()

    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(1),
                           declared_on=timezone.localdate() - dt.timedelta(days=3))
    fields = _refused(finance.post(f"rebates/{rebate.pk}/file/", {"filed_on": _day(-5)}), "dates_out_of_order")
    assert list(fields) == ["filed_on"]
    fields = _refused(finance.post(f"rebates/{rebate.pk}/file/", {"filed_on": _day(1)}), "date_in_future")
    assert list(fields) == ["filed_on"]
    rebate = rebate_file(actor=w.finance, rebate_id=rebate.pk, filed_on=timezone.localdate() - dt.timedelta(days=1))
    fields = _refused(finance.post(f"rebates/{rebate.pk}/receive/", {"amount": "990.00", "received_on": _day(-2)}),
                      "dates_out_of_order")
    assert list(fields) == ["received_on"]
    fields = _refused(finance.post(f"rebates/{rebate.pk}/receive/", {"amount": "990.00", "received_on": _day(1)}),
                      "date_in_future")
    assert list(fields) == ["received_on"]
    rebate.refresh_from_db()
    assert rebate.status == TaxRebate.Status.FILED


@pytest.fixture(scope="module")
def components(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]


def test_the_schema_states_the_reply_and_the_rebates_inputs(components):
    reply = components["StatementReplyRequest"]
    assert reply["properties"]["outcome"]["allOf"][0]["enum"] == ["confirmed", "disputed"]
    assert reply["properties"]["note"]["maxLength"] == 400
    confirmed, disputed = reply["anyOf"]
    assert disputed == {"required": ["disputes"], "properties": {"disputes": {"minItems": 1}}}
    dispute = components["DisputeLineRequest"]
    assert "reason" in dispute["required"] and "duplicate_item" in dispute["properties"]["line_ref"]["description"]
    assert dispute["properties"]["amount"]["oneOf"][0]["pattern"]
    for name, field in [("RebateCreateRequest", "declared_on"), ("RebateFileRequest", "filed_on"),
                        ("RebateReceiveRequest", "received_on")]:
        assert components[name]["properties"][field]["pattern"].startswith("^20"), name
        assert "date_in_future" in components[name]["properties"][field]["description"]
    assert components["RebateReceiveRequest"]["properties"]["amount"]["oneOf"][0]["pattern"]
    invoice = components["SupplierInvoiceRequest"]["properties"]
    assert "values_inconsistent" in invoice["tax_amount"]["description"]
    assert "dates_out_of_order" in invoice["due_date"]["description"]
