"""Excel (.xlsx) output with openpyxl in write-only mode, so large exports stream in constant memory."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

_ILLEGAL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):  # as the list page shows it, not Python's True/False
        from gendan.core.listing import display  # listing imports this module at start-up

        return display(value)
    if isinstance(value, (int, Decimal, dt.date)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if any(ch in _ILLEGAL for ch in text):
        text = "".join(ch for ch in text if ch not in _ILLEGAL)
    # A cell starting with = + - @ would be run as a formula by Excel (CSV/formula injection).
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text


def xlsx_response(*, filename: str, sheet_title: str, headers: list[str], rows: Iterable[list[Any]]) -> FileResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title)
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
