"""The files of the set: real PDFs (fonts embedded, the text a reader extracts says the
invoice number, the total and the amount in words) and Excel workbooks whose figures are the
document's."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gendan.exportdocs.models import ShipmentDocument
from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.sales.tests import conftest as sales_fixtures
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def read(attachment) -> bytes:
    with attachment.file.open("rb") as fh:
        return fh.read()


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=30).stdout.decode()


def documents(shipment) -> dict[str, ShipmentDocument]:
    return {d.kind: d for d in ShipmentDocument.objects.filter(shipment=shipment, is_current=True)
            .select_related("pdf", "xlsx")}


@needs_poppler
def test_the_invoice_pdf_says_its_number_total_and_words(people):
    _order, shipment, _lc = shipped(people, credit=True, incoterm="CIF", incoterm_place="Hamburg")
    document_set_generate(by=people.merch, shipment=shipment)
    docs = documents(shipment)
    invoice = docs["commercial_invoice"]
    content = read(invoice.pdf)
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_text(content).split())
    assert invoice.number in text and "1,236.01" in text and "LC-DB-7788" in text
    assert "SAY US DOLLARS ONE THOUSAND TWO HUNDRED THIRTY-SIX AND CENTS ONE ONLY" in text
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, timeout=30).stdout.decode()
    assert "GendanSansSC" in fonts and " no " not in fonts.split("---\n")[-1]  # every font embedded
    packing = " ".join(pdf_text(read(docs["packing_list"].pdf)).split())
    assert "1–41" in packing and "401.50" in packing and "SAY TOTAL FORTY-THREE CARTONS ONLY" in packing
    draft = " ".join(pdf_text(read(docs["draft"].pdf)).split())
    assert "BILL OF EXCHANGE" in draft and "USD 1,236.01" in draft and "Deutsche Bank AG, Hamburg" in draft
    insurance = " ".join(pdf_text(read(docs["insurance_declaration"].pdf)).split())
    assert "USD 1,360.00" in insurance and "110 %" in insurance
    for kind, doc in docs.items():
        assert read(doc.pdf).startswith(b"%PDF"), kind


@needs_poppler
def test_a_domestic_customer_reads_a_chinese_invoice_and_a_planned_shipment_a_draft(people):
    customer = CustomerFactory(code="HZ", name_zh="杭州贸易有限公司", name_en="Hangzhou Trading", country="CN",
                               salesperson=people.sales, merchandiser=people.merch, team=people.customer.team,
                               default_currency_id="USD")
    _order, shipment, _lc = shipped(people, customer=customer, ship=False)
    document_set_generate(by=people.merch, shipment=shipment)
    text = pdf_text(read(documents(shipment)["commercial_invoice"].pdf))
    assert "商业发票" in text and "COMMERCIAL INVOICE" in text and "杭州贸易有限公司" in text
    assert "美元壹仟贰佰叁拾陆元零壹分" in text and "草稿" in text and "DRAFT" in text


@needs_poppler
def test_a_new_version_is_told_apart_by_its_number_and_keeps_its_note_inside(people):
    order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    order.shipping_marks = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-43"
    order.save(update_fields=["shipping_marks"])
    document_set_generate(by=people.merch, shipment=shipment, note="carton count in the marks")
    current = documents(shipment)["commercial_invoice"]
    text = " ".join(pdf_text(read(current.pdf)).split())
    assert "v2" in text and "carton count in the marks" not in text  # no internal remark before the bank
    assert current.version == 2 and current.change_note == "carton count in the marks"


def test_the_workbooks_total_what_the_documents_say(people):
    _order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    docs = documents(shipment)
    invoice, packing = docs["commercial_invoice"], docs["packing_list"]
    assert invoice.xlsx.original_name.endswith(".xlsx") and not docs["shipping_marks"].xlsx_id

    sheet = load_workbook(io.BytesIO(read(invoice.xlsx))).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(r for r in rows if r[2] == "TOTAL")
    line_rows = [r for r in rows if isinstance(r[0], int) and r[7] is not None]
    assert Decimal(str(total_row[7])) == Decimal(invoice.data["total"]) == sum(Decimal(str(r[7])) for r in line_rows)
    assert any(r[0] == invoice.data["amount_in_words"] for r in rows)
    assert sheet["A1"].font.bold

    sheet = load_workbook(io.BytesIO(read(packing.xlsx))).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(r for r in rows if r[3] == "TOTAL")
    assert total_row[5] == packing.data["packages"] == 43
    assert Decimal(str(total_row[10])) == Decimal(packing.data["gross_weight_kg"])
    assert Decimal(str(total_row[12])) == Decimal(packing.data["cbm"])
    ranges = [(r[0], r[1]) for r in rows if isinstance(r[0], int) and isinstance(r[1], int)]
    assert ranges == [(1, 41), (42, 42), (43, 43)]
