"""Reading an export (gendan.core.xlsx) in a test: the header row and the data rows, without the
title block above them and the totals / notes below them (a blank row separates those)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from gendan.core.xlsx import HEADER_ROW


def export_sheet(response):
    """The export's worksheet (full mode: frozen panes, formats and widths are readable)."""
    content = getattr(response, "_xlsx_content", None)
    if content is None:  # a streamed body is read once: keep it for the next look
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response._xlsx_content = content
    return load_workbook(io.BytesIO(content)).active


def export_rows(response) -> list[list]:
    """The header row then one list per data row, as the values a user sees in the cells."""
    rows = []
    for row in export_sheet(response).iter_rows(min_row=HEADER_ROW, values_only=True):
        if all(v is None or v == "" for v in row):
            break
        rows.append(list(row))
    return rows


def export_totals(response) -> list[list]:
    """The rows after the blank row that ends the data (the totals rows, then any note)."""
    rows = list(export_sheet(response).iter_rows(min_row=HEADER_ROW, values_only=True))
    blank = next((i for i, row in enumerate(rows) if all(v is None or v == "" for v in row)), len(rows))
    return [list(row) for row in rows[blank + 1:] if any(v not in (None, "") for v in row)]
