"""Pages and API of the invoices part: zh / en, the roles (purchasing and finance record,
merchandisers read, payments finance only), bad input answered 400 with nothing saved, the
list's filters and its Excel of what is shown, the aging page and its Excel, statements' PDF
and Excel downloads, the API round trip."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.payables.models import SupplierInvoice, SupplierPayment
from gendan.payables.services.invoices import supplier_invoice_record, vat_invoice_record
from gendan.payables.services.statements import statement_issue
from gendan.payables.tests.invoices_setup import invoice_data, make_world
from tests.factories import SupplierFactory, UserFactory
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _form(w, **changes):
    data = invoice_data(w, **{"production_order": w.production_order.number.lower(), **changes})
    data.setdefault("vat_required", "on")
    return {k: v for k, v in data.items() if v is not None}


def test_pages_in_chinese_and_english(w, client_for):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=timezone.localdate())
    client = client_for(w.finance)
    urls = ["/payables/invoices/", "/payables/invoices/new/", invoice.get_absolute_url(), "/payables/open/",
            "/payables/statements/", "/payables/statements/new/", statement.get_absolute_url()]
    for url in urls:
        zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert zh.status_code == 200, url
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert en.status_code == 200, url
    page = client.get(invoice.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "VAT invoice missing" in page and "DG-0001" in page and "Record a payment" in page
    zh = client_for(UserFactory(roles=["finance"], language="zh-hans"))
    zh_page = zh.get(invoice.get_absolute_url()).content.decode()
    assert "应付账款" in zh_page and "增值税专用发票未到" in zh_page and "记录付款" in zh_page


def test_roles_on_the_pages(w, client_for):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    merch = client_for(w.merch)
    assert merch.get("/payables/invoices/").status_code == 200
    assert merch.get(invoice.get_absolute_url()).status_code == 200
    assert merch.get("/payables/invoices/new/").status_code == 403
    assert merch.post(f"/payables/invoices/{invoice.pk}/pay/", {"amount": "1.00"}).status_code == 403
    buyer = client_for(w.buyer)
    assert buyer.post(f"/payables/invoices/{invoice.pk}/pay/", {"amount": "1.00"}).status_code == 403
    assert "Record a payment" not in buyer.get(invoice.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sales = client_for(UserFactory(roles=["sales"]))
    assert sales.get("/payables/invoices/").status_code == 403
    assert not SupplierPayment.objects.exists()


def test_the_form_records_and_bad_input_is_a_400_naming_the_field(w, client_for):
    buyer = client_for(w.buyer)
    response = buyer.post("/payables/invoices/new/", _form(w, amount="900.00"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "CNY 900.00" in response.content.decode() and "CNY 802.40" in response.content.decode()
    response = buyer.post("/payables/invoices/new/", _form(w, amount="-3"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not SupplierInvoice.objects.exists()
    response = buyer.post("/payables/invoices/new/", _form(w), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    invoice = SupplierInvoice.objects.get()
    assert invoice.amount == Decimal("802.40") and invoice.vat_required
    assert invoice.production_order == w.production_order
    response = buyer.post("/payables/invoices/new/", _form(w, supplier_invoice_no="X2", production_order="MO-NOPE"),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "MO-NOPE" in response.content.decode()
    page = buyer.get(f"/payables/invoices/new/?production_order={w.production_order.pk}").content.decode()
    assert w.production_order.number in page


def test_payment_page_refusals_show_the_message(w, client_for):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    finance = client_for(w.finance)
    response = finance.post(f"/payables/invoices/{invoice.pk}/pay/", {"amount": "5000.00", "paid_on": "2026-03-10"},
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "CNY 5,000.00" in response.content.decode()
    response = finance.post(f"/payables/invoices/{invoice.pk}/pay/", {"amount": "802.40", "paid_on": "2026-03-10"},
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "final inspection passed" in response.content.decode()
    response = finance.post(f"/payables/invoices/{invoice.pk}/pay/", {
        "amount": "802.40", "paid_on": "2026-03-10", "override_reason": "agreed with the GM"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_the_list_filters_and_exports_what_is_shown(w, client_for, django_assert_max_num_queries):
    a = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    vat_invoice_record(actor=w.buyer, invoice_id=a.pk, data={"number": "4400999", "issued_on": timezone.localdate(),
                                                             "net_amount": "710.09"})
    forwarder = SupplierFactory(kind="forwarder")
    for n in range(12):
        supplier_invoice_record(actor=w.buyer, data={
            "supplier": forwarder.pk, "kind": "service", "service_kind": "freight", "supplier_invoice_no": f"F{n}",
            "amount": "100.00", "invoice_date": "2026-01-05", "due_date": "2026-02-04", "vat_required": True})
    client = client_for(w.finance)
    with django_assert_max_num_queries(20):
        page = client.get("/payables/invoices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert a.number in page
    overdue = client.get("/payables/invoices/?overdue=on", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert a.number not in overdue and "F3" in overdue
    response = client.get("/payables/invoices/?vat_missing=on&export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    rows = export_rows(response)
    assert rows[0][0] == "our reference"
    numbers = {r[2] for r in rows[1:]}
    assert numbers == {f"F{n}" for n in range(12)}  # the factory's invoice has its VAT invoice: not shown
    assert {r[12] for r in rows[1:]} == {"missing"}
    response = client.get(f"/payables/invoices/?supplier={w.factory.pk}&export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    rows = export_rows(response)
    assert [r[0] for r in rows[1:]] == [a.number] and rows[1][12] == "received"


def test_the_aging_page_and_its_excel(w, client_for):
    forwarder = SupplierFactory(kind="forwarder")
    supplier_invoice_record(actor=w.buyer, data={
        "supplier": forwarder.pk, "kind": "service", "service_kind": "freight", "supplier_invoice_no": "F1",
        "amount": "100.00", "invoice_date": "2026-01-05", "due_date": "2026-01-20"})  # 50 days overdue
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w))  # due in 30 days
    client = client_for(w.manager)
    page = client.get("/payables/open/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "CNY 802.40" in page and "CNY 100.00" in page and "days overdue" in page
    response = client.get("/payables/open/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    rows = export_rows(response)
    assert rows[0][:7] == ["supplier", "currency", "not due", "1–30 days", "31–60 days", "61–90 days",
                           "over 90 days"]
    by_supplier = {r[0]: r for r in rows[1:]}
    assert by_supplier[str(forwarder)][4] == 100 and by_supplier[str(w.factory)][2] == 802.4


def test_statement_downloads(w, client_for):
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=timezone.localdate())
    client = client_for(w.merch)
    pdf = client.get(f"/payables/statements/{statement.pk}/pdf/file/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/payables/statements/{statement.pk}/xlsx/file/")
    assert xlsx.status_code == 200
    assert client.get(f"/payables/statements/{statement.pk}/doc/file/").status_code == 404
    assert client.post(f"/payables/statements/{statement.pk}/reply/", {"outcome": "disputed"}).status_code == 403


def test_statement_reply_on_the_page_before_the_month_ends(w, client_for):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=timezone.localdate())
    buyer = client_for(w.buyer)
    response = buyer.post(f"/payables/statements/{statement.pk}/reply/", {"outcome": "confirmed"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "has not ended yet" in response.content.decode()
    response = buyer.post(f"/payables/statements/{statement.pk}/reply/", {
        "outcome": "disputed", "disputes": f"{invoice.number}; 22.40; unit price is 0.78"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "disputed" and statement.disputes.get().amount == Decimal("22.40")


def _api(client, method, url, body=None):
    if method == "get":
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    else:
        r = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json",
                                    HTTP_ACCEPT_LANGUAGE="en")
    return r.status_code, (r.json() if r.content else None)


def test_the_api_round_trip(w, client_for):
    buyer, finance = client_for(w.buyer), client_for(w.finance)
    status, body = _api(buyer, "post", "/api/v1/supplier-invoices/", invoice_data(w, amount="1000.00"))
    assert status == 400 and body["code"] == "invoice_above_cost" and "amount" in body["fields"]
    status, body = _api(buyer, "post", "/api/v1/supplier-invoices/", invoice_data(w))
    assert status == 201, body
    pk = body["id"]
    assert body["open_amount"] == "802.40" and body["vat_received"] is False
    status, body = _api(buyer, "post", f"/api/v1/supplier-invoices/{pk}/vat-invoices/", {
        "number": "44001", "issued_on": "2026-03-10", "net_amount": "710.09", "tax_rate": "13"})
    assert status == 201 and body["tax_amount"] == "92.31"
    status, body = _api(finance, "post", f"/api/v1/supplier-invoices/{pk}/vat-invoices/", {
        "number": "44001", "issued_on": "2026-03-10", "net_amount": "1.00"})
    assert status == 400 and body["code"] == "vat_number_taken"
    status, body = _api(buyer, "post", f"/api/v1/supplier-invoices/{pk}/payments/", {"amount": "10.00"})
    assert status == 403
    status, body = _api(finance, "post", f"/api/v1/supplier-invoices/{pk}/payments/", {"amount": "900.00"})
    assert status == 400 and body["code"] == "payment_above_invoice"
    status, body = _api(finance, "post", f"/api/v1/supplier-invoices/{pk}/payments/", {"amount": "802.40"})
    assert status == 409 and body["code"] == "balance_before_goods"
    status, body = _api(finance, "post", f"/api/v1/supplier-invoices/{pk}/payments/", {"amount": "200.00"})
    assert status == 201 and body["amount"] == "200.00"
    status, body = _api(w and client_for(w.merch), "get", f"/api/v1/supplier-invoices/?supplier={w.factory.pk}")
    assert status == 200 and [r["id"] for r in body["results"]] == [pk] and body["results"][0]["vat_received"]
    status, body = _api(buyer, "post", "/api/v1/supplier-statements/", {"supplier": w.factory.pk, "month": "2026-03"})
    assert status == 201 and body["closing_balance"] == "602.40"
    sid = body["id"]
    status, body = _api(buyer, "post", f"/api/v1/supplier-statements/{sid}/reply/", {"outcome": "confirmed"})
    assert status == 400 and body["code"] == "statement_month_open"
    status, body = _api(buyer, "post", f"/api/v1/supplier-statements/{sid}/reply/", {
        "outcome": "disputed", "disputes": [{"line_ref": body and "NOPE", "reason": "wrong"}]})
    assert status == 400 and body["code"] == "statement_line_unknown"
    ref = next(x["ref"] for x in _api(buyer, "get", f"/api/v1/supplier-statements/{sid}/")[1]["lines"]
               if x["kind"] == "invoice")
    status, body = _api(buyer, "post", f"/api/v1/supplier-statements/{sid}/reply/", {
        "outcome": "disputed", "disputes": [{"line_ref": ref, "reason": "unit price"}]})
    assert status == 200 and body["status"] == "disputed"
    did = body["disputes"][0]["id"]
    status, body = _api(buyer, "post", f"/api/v1/supplier-statements/{sid}/disputes/{did}/settle/",
                        {"settlement": "credit note CN-1"})
    assert status == 200 and body["disputes"][0]["settlement"] == "credit note CN-1"
    assert _api(buyer, "get", "/api/v1/supplier-invoices/abc/")[0] == 404
