"""Reading an uploaded Excel workbook (.xlsx) without letting it hurt the server.

An .xlsx is a zip of XML files, and a few hundred KB of zip can unpack to gigabytes (a
"zip bomb": a sheet of millions of empty rows, or one huge run of zeros). So every upload
is looked at twice before a row is read:

1. The archive, with ``zipfile`` and without extracting anything: it must be a zip holding
   ``[Content_Types].xml`` and ``xl/workbook.xml``; refused when it has too many entries, an
   entry or the whole unpacks to too much, an entry compresses suspiciously well (its ratio),
   or an entry's name is absolute or climbs out with ``..``. A sheet whose ``<dimension
   ref>`` claims more rows or columns than the limits is refused here too.
2. The rows, streamed by openpyxl in read-only mode and counted as they are read, empty ones
   included, so a sheet of 1 048 576 empty rows stops at the row limit.

The limits are settings (``GENDAN_XLSX_*``), read when a workbook is opened. Every refusal
is an ``UnsafeWorkbook`` (a ``ValidationFailed`` on the field ``file``) whose translated
message names the limit; anything that is not a readable workbook is refused the same way,
never with a 500.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from gendan.core.errors import ValidationFailed

REQUIRED_ENTRIES = ("[Content_Types].xml", "xl/workbook.xml")
# Entries smaller than this cannot hurt whatever their ratio (a tiny, repetitive styles.xml
# compresses well); the ratio is checked on the larger ones.
RATIO_FLOOR_BYTES = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z0-9:$]+)\"")
_HEAD_BYTES = 64 * 1024
_MB = 1024 * 1024  # the <dimension> element comes first in a sheet's XML


@dataclass(frozen=True)
class WorkbookLimits:
    max_entries: int = 2000
    max_entry_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100
    max_rows: int = 20000
    max_columns: int = 200

    @classmethod
    def from_settings(cls) -> WorkbookLimits:
        """The limits of ``settings.GENDAN_XLSX_*``, each defaulting to the values above."""
        names = {"max_entries": "GENDAN_XLSX_MAX_ENTRIES", "max_entry_bytes": "GENDAN_XLSX_MAX_ENTRY_BYTES",
                 "max_total_bytes": "GENDAN_XLSX_MAX_TOTAL_BYTES", "max_ratio": "GENDAN_XLSX_MAX_RATIO",
                 "max_rows": "GENDAN_XLSX_MAX_ROWS", "max_columns": "GENDAN_XLSX_MAX_COLUMNS"}
        default = cls()
        return cls(**{field: int(getattr(settings, name, getattr(default, field))) for field, name in names.items()})


class UnsafeWorkbook(ValidationFailed):
    """The upload is not a readable workbook, or reading it would pass one of the limits."""

    def __init__(self, message: str):
        super().__init__(message, fields={"file": message})


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _size(limit: int) -> str:
    """``52428800`` → "50 MB" (whole megabytes as the settings are given), else Django's format."""
    return f"{_n(limit // _MB)} MB" if limit % _MB == 0 else filesizeformat(limit)


def workbook_check(source: bytes | IO[bytes], *, limits: WorkbookLimits | None = None) -> None:
    """Refuse ``source`` unless it is an .xlsx archive within ``limits`` (step 1 above).
    Nothing is decompressed except the first 64 KB of each sheet (its dimension)."""
    limits = limits or WorkbookLimits.from_settings()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_entries(infos, limits)
            _check_dimensions(archive, infos, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError):
        raise UnsafeWorkbook(_("This is not an Excel workbook (.xlsx), or the file is damaged. "
                               "Save it from Excel as .xlsx and upload it again.")) from None


def _check_entries(infos: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    if len(infos) > limits.max_entries:
        raise UnsafeWorkbook(_("The file holds more than %(n)s parts; an Excel workbook of this kind has far fewer. "
                               "It was not opened.") % {"n": _n(limits.max_entries)})
    names = {info.filename for info in infos}
    if not all(name in names for name in REQUIRED_ENTRIES):
        raise UnsafeWorkbook(_("This is not an Excel workbook (.xlsx): it has no workbook inside. "
                               "Save it from Excel as .xlsx and upload it again."))
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise UnsafeWorkbook(_("The file holds a part named “%(name)s” outside the workbook; it was not opened.")
                                 % {"name": info.filename[:100]})
        if info.file_size > limits.max_entry_bytes:
            raise UnsafeWorkbook(_("A part of the file unpacks to more than %(limit)s; it was not opened.")
                                 % {"limit": _size(limits.max_entry_bytes)})
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UnsafeWorkbook(_("The file unpacks to more than %(limit)s; it was not opened. "
                                   "Split the sheet into smaller files.") % {
                                       "limit": _size(limits.max_total_bytes)})
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeWorkbook(_("A part of the file is compressed more than %(ratio)s to 1, as a zip bomb is; "
                                   "it was not opened.") % {"ratio": _n(limits.max_ratio)})


def _check_dimensions(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with archive.open(info) as sheet:
            head = sheet.read(_HEAD_BYTES)
        match = _DIMENSION.search(head)
        if not match:
            continue
        try:
            _min_col, _min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii"))
        except (ValueError, TypeError):
            continue
        _refuse_size(rows=max_row or 0, columns=max_col or 0, limits=limits)


def _refuse_size(*, rows: int, columns: int, limits: WorkbookLimits) -> None:
    if rows > limits.max_rows:
        raise UnsafeWorkbook(_("The sheet has more than %(n)s rows (empty rows count too); split it into "
                               "smaller files.") % {"n": _n(limits.max_rows)})
    if columns > limits.max_columns:
        raise UnsafeWorkbook(_("The sheet has more than %(n)s columns (empty columns count too); delete the "
                               "columns that are not part of the template.") % {"n": _n(limits.max_columns)})


# What openpyxl raises on a damaged part; SyntaxError covers the XML parser's ParseError.
_DAMAGED = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, EOFError,
            IndexError, AttributeError, SyntaxError)


def _damaged_message() -> str:
    return _("This Excel workbook cannot be read (a part of it is damaged). "
             "Open it in Excel, save it as .xlsx and upload it again.")


class SafeWorkbook:
    """A workbook opened read-only; ``rows()`` streams a sheet's values within the limits."""

    def __init__(self, book, limits: WorkbookLimits):
        self._book = book
        self.limits = limits

    @property
    def sheetnames(self) -> list[str]:
        return list(self._book.sheetnames)

    def rows(self, title: str | None = None) -> Iterator[tuple]:
        """The values of sheet ``title`` (default: the first), row by row, empty rows included;
        raise ``UnsafeWorkbook`` on the first row or column beyond the limits."""
        if title is not None and title in self._book.sheetnames:
            sheet = self._book[title]
        elif self._book.worksheets:
            sheet = self._book.worksheets[0]
        else:
            raise UnsafeWorkbook(_("The workbook has no sheet."))
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            raise UnsafeWorkbook(_("The sheet “%(title)s” holds no cells.") % {"title": sheet.title})
        limits = self.limits
        # Ask for one row more than allowed: reading it proves the sheet is too long, and
        # openpyxl then stops instead of filling in the empty rows up to the last one.
        reader = sheet.iter_rows(max_row=limits.max_rows + 1, values_only=True)
        count = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except _DAMAGED:
                raise UnsafeWorkbook(_damaged_message()) from None
            count += 1
            _refuse_size(rows=count, columns=len(values), limits=limits)
            yield tuple(values)


@contextmanager
def safe_workbook(source: bytes | IO[bytes], *, limits: WorkbookLimits | None = None) -> Iterator[SafeWorkbook]:
    """Check ``source`` (``workbook_check``), then open it read-only with cached values (no
    formulas) and close it on leaving, whatever happened."""
    limits = limits or WorkbookLimits.from_settings()
    data = source if isinstance(source, bytes | bytearray) else source.read()
    workbook_check(data, limits=limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED:
        raise UnsafeWorkbook(_damaged_message()) from None
    try:
        yield SafeWorkbook(book, limits)
    finally:
        book.close()
