"""The PDF documents as their readers see them: the PI a buyer pays the deposit against, the
购销合同 a domestic customer signs, and the quotation in either language.

Orders are built through the real services (create → confirm → issue). Each test reads the
PDF back the way a reader's machine does — ``pdftotext`` for what it says, ``pdffonts`` for
whether its fonts travel with it — and leaves page images in ``test-artifacts/pdf/`` for a
person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from gendan.core.money import amount_in_chinese_capitals, amount_in_words_en
from gendan.parties.models import Contact, PaymentMethod
from gendan.sales.models import OrderDocument
from gendan.sales.pdf import render_quotation
from gendan.sales.services.documents import current_document, document_issue
from gendan.sales.services.quotations import quotation_create
from gendan.sales.services.revisions import order_revise, order_revision_apply
from tests.factories import CustomerFactory, SalesOrderFactory, record_confirmations

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                       reason="poppler-utils (pdftotext, pdffonts) not installed: apt-get install poppler-utils"),
]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "pdf"


# --- reading a PDF the way a reader's machine does -----------------------------------------------


def _save(pdf: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        for old in ARTIFACTS.glob(f"{name}-[0-9]*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(path), str(ARTIFACTS / name)], check=True, timeout=60)
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def flat(text: str) -> str:
    """The text without layout whitespace, for phrases that may wrap across lines."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> list[dict]:
    """``pdffonts`` rows: name, type, whether embedded."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    fonts = []
    for line in lines[rule + 1:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object ID
        match = re.match(r"^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert match, line
        fonts.append({"name": match[1], "type": match[2], "emb": match[4] == "yes"})
    return fonts


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M)[1])


def assert_fonts_embedded(path: Path) -> None:
    fonts = pdf_fonts(path)
    assert fonts, "the PDF uses no font at all"
    assert [f for f in fonts if not f["emb"]] == [], "every font must travel with the PDF"
    assert not any(f["name"].split("+")[-1] in {"STSong-Light", "Helvetica", "Times-Roman", "Courier"}
                   for f in fonts)


# --- arranging orders through the services ---------------------------------------------------------


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser", full_name="Li Na"), "sales": make_user("sales")}


@pytest.fixture
def export_customer(people):
    customer = CustomerFactory(
        name_en="Jansen Homeware B.V.", name_zh="扬森家居", country="NL", city="Rotterdam",
        address="Westblaak 100", merchandiser=people["merch"], salesperson=people["sales"],
        payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"),
        default_currency_id="USD", incoterm="FOB", incoterm_place="Ningbo", port_of_loading="Ningbo",
        port_of_destination="Rotterdam")
    Contact.objects.create(customer=customer, name="Mr. Jansen", email="jansen@example.nl", is_primary=True)
    return customer


@pytest.fixture
def domestic_customer(people):
    return CustomerFactory(
        name_zh="上海华联百货有限公司", name_en="", country="CN", city="上海", address="上海市黄浦区南京东路 800 号",
        merchandiser=people["merch"], salesperson=people["sales"], default_currency_id="CNY",
        payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"),
        bank_name="中国工商银行上海分行", bank_account="1001 2345 6789 0123")


MUG_LINES = [
    {"description": "Ceramic mug 350 ml, glazed", "unit_price": Decimal("1.235"),
     "cells": [{"colour": "Red", "size": "M", "quantity": "600"}, {"colour": "Red", "size": "L", "quantity": "200"},
               {"colour": "Blue", "size": "M", "quantity": "400"}]},
    {"description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3", "unit": "set"},
]


def confirmed_order(people, customer, lines, **extra):
    return SalesOrderFactory(customer=customer, actor=people["merch"], lines=lines, confirmed=True, **extra)


def issue(people, order, kind, name) -> tuple[OrderDocument, Path]:
    document = document_issue(actor=people["merch"], order_id=order.pk, kind=kind)
    with document.file.open("rb") as fh:
        return document, _save(fh.read(), name)


# --- the proforma invoice -------------------------------------------------------------------------


def test_the_pi_shows_what_the_buyer_pays_against(people, export_customer):
    order = confirmed_order(people, export_customer, MUG_LINES, packing_requirements="6 pcs per inner box",
                            shipping_marks="JANSEN\nROTTERDAM\nC/NO. 1-UP",
                            special_requirements="Lead-free glaze, LFGB test report")
    document, path = issue(people, order, "pi", "pi-mugs")
    text = pdf_text(path)

    assert document.display_number in text and document.display_number.startswith("PI")
    assert "PROFORMA INVOICE" in text
    assert "PO-4711" in text and order.number in text
    assert "Jansen Homeware B.V." in text and "Netherlands" in text
    for amount in ("1,482.00", "1.01"):  # 1200 × 1.235 and 3 × 0.335, rounded per line
        assert re.search(rf"\s{re.escape(amount)}\s", text), amount
    assert order.total_amount == Decimal("1483.01")
    assert "USD 1,483.01" in text
    assert flat(amount_in_words_en(order.total_amount, "USD")) in flat(text)
    assert "FOB Ningbo Incoterms® 2020" in text
    assert "USD 444.90" in text and "USD 1,038.11" in text  # 30 % deposit (half up), balance
    assert "Red" in text and "Blue" in text  # the colour × size breakdown
    assert "Lead-free glaze" in text and "ROTTERDAM" in text
    assert "Page 1 of 1" in text
    assert "Revision" not in text
    assert_fonts_embedded(path)


def test_a_long_order_flows_onto_numbered_pages_with_the_header_repeated(people, export_customer):
    lines = [{"description": f"Stainless steel tumbler model {n:03d}, 500 ml, powder coated",
              "unit_price": Decimal("2.105") + n, "quantity": str(100 + n)} for n in range(1, 81)]
    order = confirmed_order(people, export_customer, lines)
    _document, path = issue(people, order, "pi", "pi-80-lines")
    text = pdf_text(path)

    count = pages(path)
    assert count >= 3
    assert f"Page 2 of {count}" in text and f"Page {count} of {count}" in text
    table_pages = [page for page in text.split("\f") if "tumbler model" in page]
    assert len(table_pages) >= 3
    assert all("Unit price" in page for page in table_pages)  # the table header on every page
    assert all("PROFORMA INVOICE PI" in page for page in table_pages[1:])  # running header
    for line in order.lines.all():
        assert f"model {line.line_no:03d}" in text
        assert re.search(rf"\s{re.escape(f'{line.amount:,.2f}')}\s", text), line.line_no
    assert f"{order.total_amount:,.2f}" in text
    assert_fonts_embedded(path)


def test_a_reissued_pi_says_which_version_it_replaces(people, export_customer):
    order = confirmed_order(people, export_customer, MUG_LINES)
    first, _path = issue(people, order, "pi", "pi-version-1")
    lines = [{**MUG_LINES[0], "cells": [*MUG_LINES[0]["cells"], {"colour": "Blue", "size": "L", "quantity": "200"}]},
             MUG_LINES[1]]
    order_revise(actor=people["merch"], order_id=order.pk, data={}, lines=lines, reason="Customer adds 200 blue L")
    record_confirmations(order, actor=people["merch"], summary="+200")  # the customer confirms the change
    order = order_revision_apply(actor=people["merch"], order_id=order.pk)

    revised = current_document(order, "pi")
    assert revised.display_number == f"{first.number}-R1"
    with revised.file.open("rb") as fh:
        path = _save(fh.read(), "pi-revision-1")
    text = pdf_text(path)
    assert revised.display_number in text
    assert f"Revision 1 — supersedes {first.number}" in text
    assert "1,730.01" in text  # 1400 × 1.235 + 1.01


# --- the 购销合同 -----------------------------------------------------------------------------------


def test_the_contract_names_both_parties_and_the_amount_in_capitals(people, domestic_customer):
    lines = [
        {"description": "陶瓷马克杯 350毫升（釉下彩）Ceramic mug with underglaze decoration, dishwasher safe, "
                        "符合 GB 4806.4-2016 食品接触用陶瓷制品标准", "unit_price": Decimal("12.5"),
         "cells": [{"colour": "红色", "size": "M", "quantity": "60"}, {"colour": "蓝色", "size": "M", "quantity": "40"}]},
        {"description": "礼品盒", "unit_price": Decimal("3.19"), "quantity": "50", "unit": "set"},
    ]
    order = confirmed_order(people, domestic_customer, lines, port_of_destination="上海市浦东新区外高桥仓库",
                            packing_requirements="每 6 只一内盒，36 只一外箱")
    assert order.total_amount == Decimal("1409.50")
    document, path = issue(people, order, "contract", "contract")
    text = pdf_text(path)
    plain = flat(text)

    assert "购销合同" in plain and document.display_number in text
    assert amount_in_chinese_capitals(order.total_amount) == "人民币壹仟肆佰零玖元伍角"
    assert "人民币壹仟肆佰零玖元伍角" in plain
    assert "¥1,409.50" in text
    assert "甲方（买方）" in plain and "乙方（卖方）" in plain
    assert "上海华联百货有限公司" in plain
    for clause in ("质量标准及验收", "交货时间、地点及方式", "包装方式", "结算方式", "违约责任", "争议解决",
                   "合同份数与效力"):
        assert clause in plain, clause
    assert "1,250.00" in text and "159.50" in text
    assert "红色" in plain and "每6只一内盒" in plain
    assert "预付款" in plain and "¥422.85" in text  # 30 % of 1409.50, half up
    assert "第1页共" in plain
    assert "中国工商银行上海分行" in plain
    assert_fonts_embedded(path)


def test_documents_embed_only_the_shipped_font(people, export_customer):
    order = confirmed_order(people, export_customer, MUG_LINES)
    _document, path = issue(people, order, "pi", "pi-fonts")
    names = {f["name"].split("+")[-1] for f in pdf_fonts(path)}
    assert names <= {"GendanSansSC-Regular", "GendanSansSC-Bold"}
    assert all(f["type"] == "TrueType" for f in pdf_fonts(path))


def test_the_seller_is_the_company_the_settings_name(people, export_customer, settings):
    settings.GENDAN_COMPANY = {"name_en": "Ningbo Sunrise Trading Co., Ltd.", "bank_swift": "ICBKCNBJNBO"}
    order = confirmed_order(people, export_customer, MUG_LINES)
    _document, path = issue(people, order, "pi", "pi-company")
    text = pdf_text(path)
    assert "Ningbo Sunrise Trading Co., Ltd." in text and "ICBKCNBJNBO" in text
    assert "Bank of China, Ningbo Branch" in text  # keys the setting leaves out keep their defaults


# --- quotations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_quotation_shows_prices_never_the_factory_cost(people, export_customer, language):
    quotation = quotation_create(
        actor=people["sales"], customer_id=export_customer.pk,
        data={"packing": "12 pcs per carton", "valid_until": timezone.localdate() + dt.timedelta(days=45)},
        lines=[{"description": "Bamboo cutting board 30 × 20 cm", "unit_price": Decimal("2.85"), "quantity": "2000",
                "factory_cost": Decimal("1.9731")},
               {"description": "竹制砧板 套装", "unit_price": Decimal("7.4"), "quantity": "500",
                "factory_cost": Decimal("5.0517")}])
    pdf = render_quotation(quotation=quotation, language=language)
    path = _save(pdf, f"quotation-{language}")
    text = pdf_text(path)
    plain = flat(text)

    assert quotation.number in text
    assert "5,700.00" in text and "3,700.00" in text and "9,400.00" in text
    assert "1.9731" not in text and "5.0517" not in text and "1.97" not in text
    assert "竹制砧板" in plain
    if language == "en":
        assert "QUOTATION" in text and "Page 1 of 1" in text
        assert flat(amount_in_words_en(Decimal("9400.00"), "USD")) in plain
    else:
        assert "报价单" in plain and "第1页共1页" in plain
        assert "美元玖仟肆佰元整" in plain
    assert_fonts_embedded(path)


def test_an_unknown_quotation_language_is_refused(people, export_customer):
    from gendan.sales.pdf import RenderError

    quotation = quotation_create(actor=people["sales"], customer_id=export_customer.pk, data={},
                                 lines=[{"description": "Mug", "unit_price": "1", "quantity": "1"}])
    with pytest.raises(RenderError, match="zh-hans"):
        render_quotation(quotation=quotation, language="de")
