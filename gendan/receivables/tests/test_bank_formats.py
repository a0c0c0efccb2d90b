"""The bank statement parsers, pure (no database): each format as banks export it, and every
kind of bad input answered with its row and field, all problems at once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from gendan.core.tests.test_xlsx_safe import with_sheet, zeros
from gendan.receivables.bank_formats import CSV, MT940, XLSX, parse_amount, parse_statement
from gendan.receivables.tests.fixtures_bank import sample

TODAY = dt.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def parse(data: bytes, name: str = "x.csv", currency: str = "USD"):
    return parse_statement(data, name, currency=currency, today=TODAY)


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_chinese_bank_csv_in_gbk_with_title_rows():
    st = parse(sample("boc_usd_gbk.csv"))
    assert st.ok, st.messages()
    assert st.layout == CSV and st.account == "4563 7788 9900 1234"
    assert [(ln.row, ln.value_date, ln.amount, ln.payer, ln.reference) for ln in st.lines] == [
        (8, dt.date(2026, 3, 2), Decimal("1236.01"), "NORDLICHT HOME GMBH", "BOC260302000118"),
        (10, dt.date(2026, 3, 5), Decimal("840.21"), "Lakeside Trading LLC", "BOC260305000077"),
        (11, dt.date(2026, 3, 9), Decimal("2000.00"), "UNKNOWN SENDER LTD", "BOC260309000311")]
    assert st.lines[0].remittance == "PAYMENT PO-4711 DEPOSIT"
    assert st.debits_skipped == 1  # the forwarder's freight; the 合计 row is not a line
    assert (st.period_start, st.period_end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 9))


def test_an_english_csv_with_semicolons_decimal_commas_a_bom_and_signed_amounts():
    st = parse(sample("hsbc_usd_semicolon.csv"))
    assert st.ok, st.messages()
    assert [(ln.value_date, ln.amount, ln.charges, ln.reference) for ln in st.lines] == [
        (dt.date(2026, 3, 10), Decimal("1000.00"), Decimal("25.00"), "FT26069ABC01"),
        (dt.date(2026, 3, 8), Decimal("370.80"), Decimal("0"), "FT26067QQ9")]
    assert st.debits_skipped == 1  # the negative amount


def test_an_excel_statement_with_a_credit_debit_flag_and_charges():
    st = parse(sample("cmb_usd.xlsx"), "cmb.xlsx")
    assert st.ok, st.messages()
    assert st.layout == XLSX and st.account == "7559 0000 1111"
    assert [(ln.row, ln.amount, ln.charges, ln.payer) for ln in st.lines] == [
        (5, Decimal("370.80"), Decimal("0"), "Harbour & Co. Ltd"), (7, Decimal("350.80"), Decimal("20.00"), "湖畔贸易有限公司")]
    assert st.debits_skipped == 1


def test_an_mt940_statement():
    st = parse(sample("statement.mt940"), "x.sta")
    assert st.ok, st.messages()
    assert st.layout == MT940 and st.account == "CN12345678901234USD" and st.currency == "USD"
    assert (st.period_start, st.period_end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    first, second = st.lines
    assert (first.value_date, first.amount, first.reference, first.payer) == (
        dt.date(2026, 3, 2), Decimal("1236.01"), "FT2606100001", "NORDLICHT HOME GMBH")
    assert "PO-4711" in first.remittance
    assert (second.amount, second.payer) == (Decimal("840.21"), "LAKESIDE TRADING LLC")
    assert st.debits_skipped == 1


def test_mt940_in_another_currency_than_chosen_is_refused():
    st = parse(sample("statement.mt940"), "x.sta", currency="EUR")
    assert not st.ok and "USD" in st.messages()[0] and "EUR" in st.messages()[0]


def test_an_unknown_layout_names_the_missing_column_and_the_headers_seen():
    st = parse(b"Name,Betrag,Wann\nA,1,2\n")
    assert not st.ok and len(st.problems) == 1
    message = st.messages()[0]
    assert "Unknown layout" in message and "Value date" in message and "Credit" in message
    assert "Name, Betrag, Wann" in message


def test_a_table_with_a_date_but_no_amount_names_the_amount_column():
    message = parse("日期,对方户名,摘要\n2026-03-01,A,B\n".encode("gbk")).messages()[0]
    assert "贷方金额 / 收入金额 / Credit / Amount" in message and "Value date" not in message


def test_bad_rows_are_all_listed_at_once_with_row_and_field():
    data = (b"Value date,Credit,Payer,Bank reference\n"
            b"2026-02-30,100.00,A,R1\n"           # impossible date
            b"2026-03-02,12x.00,B,R2\n"           # malformed amount
            b"2026-03-03,99999999999999.00,C,R3\n"  # huge
            b"2026-03-04,-5.00,D,R4\n"            # negative credit
            b"2026-03-05,1.005,E,R5\n"            # three decimals
            b"1999-12-31,5.00,F,R6\n"             # before 2000
            b"2026-04-01,5.00,G,R7\n"             # in the future
            b"2026-03-06,5.00,H,R8\n")
    st = parse(data)
    rows = [(p.row, p.field) for p in st.problems]
    assert rows == [(2, "date"), (3, "credit"), (4, "credit"), (5, "credit"), (6, "credit"), (7, "date"),
                    (8, "date")]
    text = " ".join(st.messages())
    assert "Row 2" in text and "2026-02-30" in text and "“12x.00” is not an amount" in text
    assert "larger than any transfer" in text and "negative" in text and "more than 2 decimals" in text
    assert "in the future" in text
    with pytest.raises(Exception) as refused:
        st.raise_any()
    assert len(refused.value.fields["file"]) == 7


@pytest.mark.parametrize(("text", "value"), [
    ("1,234.56", "1234.56"), ("1.234,56", "1234.56"), ("1 234,56", "1234.56"), ("¥1,000.00", "1000.00"),
    ("USD 25", "25.00"), ("(25.00)", "-25.00"), ("25.00-", "-25.00"), ("25,5", "25.50"), ("1,234", "1234.00"),
    (370.8, "370.80"), (4980, "4980.00"), ("", None), ("--", None)])
def test_amounts_as_banks_write_them(text, value):
    assert parse_amount(text) == (Decimal(value) if value else None)


def test_a_file_with_only_debits_says_so():
    st = parse(b"Date,Amount\n2026-03-01,-5.00\n")
    assert "no credit" in st.messages()[0] and "1 debit" in st.messages()[0]


def test_lines_in_another_currency_are_skipped_and_counted():
    st = parse("交易日期,贷方金额,币种\n2026-03-01,5.00,美元\n2026-03-02,6.00,人民币\n".encode("gb18030"))
    assert st.ok and [ln.amount for ln in st.lines] == [Decimal("5.00")] and st.other_currency_skipped == 1


def test_an_empty_file_and_a_binary_file_are_refused():
    assert "empty" in parse(b"  \n").messages()[0]
    assert "neither an Excel workbook" in parse(b"\x00\x01\x02\x03" * 100).messages()[0]


@override_settings(GENDAN_BANK_STATEMENT_MAX_LINES=3)
def test_too_many_rows_are_refused():
    data = "Date,Credit\n" + "".join(f"2026-03-0{i},1.00\n" for i in range(1, 6))
    st = parse(data.encode())
    assert not st.ok and "more than 3 rows" in st.messages()[0] and not st.lines


@override_settings(GENDAN_BANK_STATEMENT_MAX_BYTES=1024)
def test_a_file_too_large_is_refused():
    assert "larger than" in parse(b"Date,Credit\n" + b"2026-03-01,1.00\n" * 200).messages()[0]


def test_a_zip_bomb_workbook_is_refused_not_opened():
    st = parse(with_sheet(zeros(200)), "bomb.xlsx")
    assert not st.ok and not st.lines
    assert "zip bomb" in st.messages()[0] or "unpacks to more than" in st.messages()[0]


def test_an_excel_sheet_with_a_bad_date_names_the_row():
    st = parse(xlsx([["交易日期", "贷方金额"], ["2026-13-01", 5], [dt.datetime(2026, 3, 1), "abc"]]), "x.xlsx")
    assert [(p.row, p.field) for p in st.problems] == [(2, "date"), (3, "credit")]


def test_an_mt940_line_that_cannot_be_read_names_its_line():
    data = b":20:X\n:25:ACC\n:60F:C260301USD0,00\n:61:2603XXC100,00NTRFREF\n:61:2602300230C5,00NTRFA//B\n-"
    st = parse(data, "x.sta")
    assert [(p.row, p.field) for p in st.problems] == [(4, "61"), (5, "date")]
