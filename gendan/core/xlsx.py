"""Excel (.xlsx) output with openpyxl in write-only mode, so large exports stream in constant memory.

What a person opening an export sees (``xlsx_response``):

- a title block: the list's name, the filters applied in words, and when (and by whom) it was
  exported, in the user's language;
- the header row (``HEADER_ROW``), frozen, with a filter button on every column, repeated on
  every printed page (landscape, one page wide);
- typed cells: numbers are numbers (money with two decimals and thousands separators,
  quantities with their own decimals), dates and times are dates with a date format;
- column widths from the header and the first rows (bounded), so nothing hides behind "####";
- after a blank row, a totals row for the columns the caller marks ``total`` (one per value of
  the ``totals_by`` column, e.g. per currency: amounts in different currencies are never added);
- when the caller stopped at its row limit, a last row that says so.

Old callers pass ``headers`` only and get all of the above except totals.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

_ILLEGAL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}

# Number formats (Excel codes; Excel shows them in the reader's own locale).
MONEY = "#,##0.00"
INTEGER = "#,##0"
QUANTITY = "quantity"  # "#,##0" plus as many decimals as the column's values carry (at most 4)
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"
AUTO = ""  # by the value: int → INTEGER, Decimal → its own decimals, date → DATE …

HEADER_ROW = 4  # 1 title, 2 filters, 3 exported at, 4 the column headers
WIDTH_SAMPLE_ROWS = 300  # widths are measured on the header and these first rows
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class XlsxColumn:
    """One column of an export: its header, its number format (``MONEY``, ``QUANTITY``,
    ``INTEGER``, ``DATE``, ``DATETIME``, ``TEXT``, any Excel code, or ``AUTO``) and whether the
    totals row adds it up."""

    header: str
    format: str = AUTO
    total: bool = False


class GroupRow(list):
    """A row of a grouped export that is not data: a group's header (``kind="header"``) or its
    subtotal (``kind="subtotal"``). Written in bold, numbers with their column's format; not
    counted as a data row and not added into the totals."""

    def __init__(self, values, kind: str = "subtotal"):
        super().__init__(values)
        self.kind = kind


def _plain_text(text: str) -> str:
    if any(ch in _ILLEGAL for ch in text):
        text = "".join(ch for ch in text if ch not in _ILLEGAL)
    # A cell starting with = + - @ would be run as a formula by Excel (CSV/formula injection).
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):  # as the list page shows it, not Python's True/False
        from gendan.core.listing import display  # listing imports this module at start-up

        return display(value)
    if isinstance(value, (int, Decimal, dt.date)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return _plain_text(str(value))


def _decimals(value: Decimal) -> int:
    """The decimals ``value`` needs (trailing zeros dropped), at most 4."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, i = -exponent, len(digits) - 1
    while places and i >= 0 and digits[i] == 0:
        places, i = places - 1, i - 1
    return min(places, 4)


def _number_format(places: int) -> str:
    return INTEGER + ("." + "0" * places if places else "")


def _format_for(fmt: str, value: Any) -> str | None:
    """The number format of one cell (None: leave Excel's General)."""
    if isinstance(value, dt.datetime):
        return fmt if fmt in (DATE, DATETIME) else DATETIME
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        if fmt in (MONEY, INTEGER):
            return fmt
        if fmt in (AUTO, QUANTITY):
            return _number_format(_decimals(Decimal(value)) if isinstance(value, Decimal) else 0)
        if fmt not in (TEXT, DATE, DATETIME):
            return fmt
    return None


def _text_width(value: Any, fmt: str | None) -> int:
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        digits = len(f"{abs(value):,.{_decimals(Decimal(value)) if fmt != MONEY else 2}f}")
        return digits + (1 if value < 0 else 0)
    text = str(value)
    longest = max((len(part) + sum(1 for ch in part if unicodedata.east_asian_width(ch) in "WF")
                   for part in text.splitlines() or [""]), default=0)
    return longest


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def xlsx_response(
    *,
    filename: str,
    sheet_title: str,
    headers: Sequence[str] | None = None,
    rows: Iterable[Sequence[Any]],
    columns: Sequence[XlsxColumn] | None = None,
    title: str | None = None,
    filters: Sequence[tuple[str, str]] | None = None,
    exported_at: dt.datetime | None = None,
    exported_by: str = "",
    totals_by: int | None = None,
    truncated_at: int | None = None,
) -> FileResponse:
    """Return ``rows`` as an .xlsx download.

    ``columns`` (or plain ``headers``) describe the columns; ``title``, ``filters`` (pairs of
    label and value, already in the user's language) and ``exported_at`` / ``exported_by`` fill
    the title block; ``totals_by`` is the index of the column whose value splits the totals
    (e.g. the currency); ``truncated_at``: the caller passes at most this many rows and one
    more when there were more (the extra row is not written, a note says the export stops there).
    """
    if columns is None:
        columns = [XlsxColumn(str(h)) for h in (headers or [])]
    columns = list(columns)
    n = len(columns)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_plain_text(str(sheet_title))[:31].lstrip("'") or "Sheet1")

    rows_iter = iter(rows)
    if truncated_at is not None:
        rows_iter = itertools.islice(rows_iter, truncated_at + 1)
    def converted(row):
        values = [_cell_value(v) for v in row]
        return GroupRow(values, row.kind) if isinstance(row, GroupRow) else values

    sample = [converted(row) for row in itertools.islice(rows_iter, WIDTH_SAMPLE_ROWS)]

    # Widths: the header and the first rows, bounded; set before the first row is written.
    for i, column in enumerate(columns):
        widest = max([min(_text_width(column.header, None), 30)]
                     + [_text_width(row[i], column.format) for row in sample
                        if i < len(row) and not (isinstance(row, GroupRow) and row.kind == "header")])
        ws.column_dimensions[get_column_letter(i + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    def text_cell(value: str, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_plain_text(value))
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    # The title block.
    when = timezone.localtime(exported_at or timezone.now())
    described = "; ".join(f"{label}: {value}" for label, value in (filters or []))
    ws.append([text_cell(str(title or sheet_title), font=Font(bold=True, size=14))])
    ws.append([text_cell(_("Filters: %(filters)s") % {"filters": described or _("none (every row you may see)")},
                         font=Font(italic=True))])
    stamp = when.strftime("%Y-%m-%d %H:%M")
    ws.append([text_cell((_("Exported %(when)s by %(user)s") % {"when": stamp, "user": exported_by}) if exported_by
                         else (_("Exported %(when)s") % {"when": stamp}), font=Font(italic=True))])

    styles: dict[str, StyleArray] = {}

    def styled(value: Any, number_format: str) -> WriteOnlyCell:
        """A cell with ``number_format``; the style is worked out once per format, then copied."""
        cell = WriteOnlyCell(ws, value=value)
        style = styles.get(number_format)
        if style is None:
            cell.number_format = number_format
            styles[number_format] = copy(cell._style)
        else:
            cell._style = copy(style)
        return cell

    header_fill = PatternFill("solid", fgColor="DDE4EE")
    ws.append([text_cell(str(c.header), font=Font(bold=True), fill=header_fill,
                         alignment=Alignment(wrap_text=True, vertical="top")) for c in columns])

    totals: dict[Any, list[Decimal]] = {}
    counts: dict[Any, int] = {}
    places = [0] * n
    written = 0
    written_extra = 0  # group headers and subtotals
    truncated = False
    bold_font = Font(bold=True)
    for row in itertools.chain(sample, (converted(r) for r in rows_iter)):
        if isinstance(row, GroupRow):
            if truncated_at is not None and written >= truncated_at:
                continue
            out = []
            for i, value in enumerate(row):
                if _is_number(value):
                    fmt = columns[i].format if i < n and columns[i].format in (MONEY, INTEGER) else None
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt or _number_format(max(places[i] if i < n else 0,
                                                                   _decimals(Decimal(value))))
                    cell.font = bold_font
                elif value == "":
                    cell = WriteOnlyCell(ws, value=None)
                else:
                    cell = text_cell(str(value), font=bold_font)
                out.append(cell)
            ws.append(out)
            written_extra += 1
            continue
        if truncated_at is not None and written >= truncated_at:
            truncated = True
            break
        out = []
        for i, value in enumerate(row):
            if value.__class__ is str:  # most cells: plain text, written as it is (fast path)
                out.append(value)
                continue
            fmt = columns[i].format if i < n else AUTO
            if fmt == TEXT and value != "":
                out.append(_plain_text(str(value)))
                continue
            number_format = _format_for(fmt, value)
            if number_format:
                out.append(styled(value, number_format))
            else:
                out.append(value)
            if i < n and _is_number(value) and isinstance(value, Decimal):
                places[i] = max(places[i], _decimals(value))
        ws.append(out)
        written += 1
        if any(c.total for c in columns):
            key = row[totals_by] if totals_by is not None and totals_by < len(row) else None
            sums = totals.setdefault(key, [Decimal(0)] * n)
            counts[key] = counts.get(key, 0) + 1
            for i, column in enumerate(columns):
                if column.total and i < len(row) and _is_number(row[i]):
                    sums[i] += Decimal(row[i])

    last_row = HEADER_ROW + written + written_extra
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(max(n, 1))}{max(last_row, HEADER_ROW)}"
    if totals:
        ws.append([])
        bold = Font(bold=True)
        for key in sorted(totals, key=lambda k: str(k)):
            out = []
            for i, column in enumerate(columns):
                if column.total:
                    fmt = column.format if column.format in (MONEY, INTEGER) else _number_format(places[i])
                    cell = WriteOnlyCell(ws, value=totals[key][i])
                    cell.number_format, cell.font = fmt, bold
                elif i == totals_by:
                    cell = text_cell(str(key), font=bold)
                elif i == 0:
                    cell = text_cell(_("Total (%(count)s rows)") % {"count": counts[key]}, font=bold)
                else:
                    cell = WriteOnlyCell(ws, value=None)
                out.append(cell)
            ws.append(out)
    if truncated:
        ws.append([])
        ws.append([text_cell(_("Only the first %(count)s rows are exported: narrow the filters for the rest.")
                             % {"count": f"{truncated_at:,}"}, font=Font(bold=True, color="9C0006"))])

    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
