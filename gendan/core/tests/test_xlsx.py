"""Excel output: a real workbook a person can use — title block, frozen header, typed cells with
number and date formats, widths from the content, totals, nothing Excel would run as a formula."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.core.xlsx import HEADER_ROW, INTEGER, MONEY, QUANTITY, XlsxColumn, xlsx_response
from tests.xlsx_export import export_rows, export_sheet, export_totals

_sheet = export_sheet


def _data(response):
    return [list(r) for r in _sheet(response).iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def test_export_is_a_real_workbook_with_headers_and_rows():
    response = xlsx_response(filename="customers.xlsx", sheet_title="Customers", headers=["code", "amount"],
                             rows=[["C00001", Decimal("12.50")], ["C00002", 3]])

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="customers.xlsx"' in response["Content-Disposition"]
    assert export_rows(response) == [["code", "amount"], ["C00001", 12.5], ["C00002", 3]]


def test_title_block_names_the_list_the_filters_and_the_time_and_the_header_is_frozen(clock):
    response = xlsx_response(filename="x.xlsx", sheet_title="Orders", title="Sales orders",
                             filters=[("status", "confirmed"), ("customer", "C0001 ACME")],
                             exported_by="Zhang San", headers=["order no."], rows=[["SO-1"]])
    sheet = _sheet(response)

    assert sheet.title == "Orders"
    assert sheet["A1"].value == "Sales orders" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Filters: status: confirmed; customer: C0001 ACME"
    assert sheet["A3"].value == "Exported 2026-03-11 07:30 by Zhang San"  # the company's clock, pinned
    assert sheet.cell(HEADER_ROW, 1).value == "order no." and sheet.cell(HEADER_ROW, 1).font.bold
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"  # title and header stay while scrolling
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_no_filter_says_so():
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["a"], rows=[])
    sheet = _sheet(response)
    assert sheet["A1"].value == "x"
    assert sheet["A2"].value == "Filters: none (every row you may see)"


def test_numbers_are_numbers_with_formats_and_dates_are_dates():
    columns = [XlsxColumn("amount", MONEY), XlsxColumn("quantity", QUANTITY), XlsxColumn("cartons", INTEGER),
               XlsxColumn("ETD"), XlsxColumn("cut-off")]
    when = timezone.make_aware(dt.datetime(2026, 11, 3, 9, 30))
    response = xlsx_response(filename="x.xlsx", sheet_title="x", columns=columns, rows=[
        [Decimal("1234567.5"), Decimal("1200.000"), 42, dt.date(2026, 11, 3), when],
        [Decimal("3.25"), Decimal("12.5"), 7, None, None],
    ])
    sheet = _sheet(response)
    first = [sheet.cell(HEADER_ROW + 1, c) for c in range(1, 6)]

    assert first[0].value == Decimal("1234567.5") or first[0].value == 1234567.5
    assert first[0].data_type == "n" and first[0].number_format == "#,##0.00"
    assert first[1].value == 1200 and first[1].number_format == "#,##0"  # no "1200.000"
    assert sheet.cell(HEADER_ROW + 2, 2).number_format == "#,##0.0"  # 12.5 keeps its decimal
    assert first[2].value == 42 and first[2].number_format == "#,##0"
    assert first[3].is_date and first[3].value.date() == dt.date(2026, 11, 3) and first[3].number_format == "yyyy-mm-dd"
    assert first[4].is_date and first[4].value == dt.datetime(2026, 11, 3, 9, 30)  # local time, as the page
    assert first[4].number_format == "yyyy-mm-dd hh:mm"


def test_totals_row_is_the_sum_per_currency_after_a_blank_row():
    columns = [XlsxColumn("order no."), XlsxColumn("currency"), XlsxColumn("total", MONEY, total=True),
               XlsxColumn("cartons", INTEGER, total=True), XlsxColumn("status")]
    rows = [["SO-1", "USD", Decimal("1236.01"), 10, "confirmed"],
            ["SO-2", "EUR", Decimal("100.10"), 3, "draft"],
            ["SO-3", "USD", Decimal("0.99"), 5, "draft"]]
    response = xlsx_response(filename="x.xlsx", sheet_title="x", columns=columns, rows=rows, totals_by=1)

    assert len(export_rows(response)) == 4  # header + 3: the totals are not part of the table
    totals = export_totals(response)
    assert totals == [["Total (1 rows)", "EUR", Decimal("100.10"), 3, None],
                      ["Total (2 rows)", "USD", Decimal("1237.00"), 15, None]] or totals == [
        ["Total (1 rows)", "EUR", 100.1, 3, None], ["Total (2 rows)", "USD", 1237, 15, None]]
    sheet = _sheet(response)
    last = sheet.max_row
    assert sheet.cell(last, 3).number_format == MONEY and sheet.cell(last, 3).font.bold
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:E{HEADER_ROW + 3}"  # sorting never moves a total


def test_widths_follow_the_content_within_bounds():
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["no.", "客户名称", "note"],
                             rows=[["SO-1", "宁波进出口有限公司", "x" * 500]])
    widths = {c: _sheet(response).column_dimensions[c].width for c in "ABC"}
    assert 6 <= widths["A"] < widths["B"]
    assert widths["B"] >= 18  # a Chinese character is two wide
    assert widths["C"] == 60  # a long note does not make a 500-wide column


def test_a_bounded_export_says_where_it_stopped():
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["n"], rows=([i] for i in range(10)),
                             truncated_at=4)
    assert [r[0] for r in export_rows(response)[1:]] == [0, 1, 2, 3]
    assert export_totals(response) == [["Only the first 4 rows are exported: narrow the filters for the rest."]]


def test_a_big_export_streams_in_write_only_mode():
    rows = ([f"SO-{i}", Decimal(i) / 100] for i in range(20_000))
    response = xlsx_response(filename="x.xlsx", sheet_title="x",
                             columns=[XlsxColumn("no."), XlsxColumn("total", MONEY, total=True)], rows=rows)
    totals = export_totals(response)
    assert Decimal(str(totals[0][1])) == sum(Decimal(i) / 100 for i in range(20_000))


def test_cells_that_would_run_as_formulas_are_written_as_text():
    hostile = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)"]
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["name"], rows=[[v] for v in hostile],
                             title="=cmd", filters=[("q", "=1+1")])

    values = [r[0] for r in _data(response)]
    assert values == ["'" + v for v in hostile]
    sheet = _sheet(response)
    assert sheet["A1"].value == "'=cmd" and sheet["A1"].data_type == "s"


def test_control_characters_are_dropped_and_dates_kept_as_dates():
    when = timezone.make_aware(dt.datetime(2026, 11, 3, 9, 30))
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["a", "b", "c"],
                             rows=[["bell\x07name", dt.date(2026, 11, 3), when]])

    (row,) = _data(response)
    assert row[0] == "bellname"
    assert row[1].date() == dt.date(2026, 11, 3)
    assert row[2] == dt.datetime(2026, 11, 3, 9, 30)  # local time, as the page shows it


def test_yes_no_as_on_the_page_not_python_booleans():
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["active"], rows=[[True], [False]])
    assert [r[0] for r in _data(response)] == ["yes", "no"]
