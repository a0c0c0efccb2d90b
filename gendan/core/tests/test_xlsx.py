"""Excel output: a real workbook, values typed, nothing Excel would run as a formula."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from gendan.core.xlsx import xlsx_response


def _open(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active


def test_export_is_a_real_workbook_with_headers_and_rows():
    response = xlsx_response(filename="customers.xlsx", sheet_title="Customers", headers=["code", "amount"],
                             rows=[["C00001", Decimal("12.50")], ["C00002", 3]])

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="customers.xlsx"' in response["Content-Disposition"]
    sheet = _open(response)
    assert sheet.title == "Customers"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["code", "amount"], ["C00001", 12.5], ["C00002", 3],
    ]


def test_cells_that_would_run_as_formulas_are_written_as_text():
    hostile = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)"]
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["name"], rows=[[v] for v in hostile])

    values = [r[0] for r in _open(response).iter_rows(min_row=2, values_only=True)]
    assert values == ["'" + v for v in hostile]


def test_control_characters_are_dropped_and_dates_kept_as_dates():
    when = timezone.make_aware(dt.datetime(2026, 11, 3, 9, 30))
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["a", "b", "c"],
                             rows=[["bell\x07name", dt.date(2026, 11, 3), when]])

    (row,) = _open(response).iter_rows(min_row=2, values_only=True)
    assert row[0] == "bellname"
    assert row[1].date() == dt.date(2026, 11, 3)
    assert row[2] == dt.datetime(2026, 11, 3, 9, 30)  # local time, as the page shows it


def test_yes_no_as_on_the_page_not_python_booleans():
    response = xlsx_response(filename="x.xlsx", sheet_title="x", headers=["active"], rows=[[True], [False]])
    assert [r[0] for r in _open(response).iter_rows(min_row=2, values_only=True)] == ["yes", "no"]
