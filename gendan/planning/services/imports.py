"""Import of a factory's 每日生产进度表 from Excel: template → upload → preview → confirm.

The upload is parsed and checked row by row (types first, then every progress rule, in a
dry run of ``progress_save``). The parsed rows stay on the server in a ``ProgressImport``
keyed by a random token; confirming re-checks them all against the current data and
saves all or nothing. Rows already recorded as given change nothing, so importing the
same sheet twice is harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gendan.core.errors import ValidationFailed
from gendan.core.xlsx_safe import UnsafeWorkbook, safe_workbook
from gendan.planning.errors import PlanningError
from gendan.planning.models import ProgressImport
from gendan.planning.services.progress import ProgressInput, progress_save
from gendan.planning.stages import DEFAULT, line_category_id, stages_by_category
from gendan.production.models import ProductionOrderLine

MAX_BYTES = 5 * 1024 * 1024
# (key, Chinese header in the template, English header also accepted, required)
COLUMNS = [
    ("production_order", "生产单号", "production order no.", True),
    ("line_no", "订单行号", "line no.", True),
    ("stage", "工序", "stage", True),
    ("date", "日期", "date", True),
    ("cumulative_quantity", "累计完成数量", "cumulative quantity", True),
    ("expected_finish", "预计完成日期", "expected finish", False),
    ("reason", "更正原因", "reason for the correction", False),
]
HEADERS = {key: zh for key, zh, _en, _req in COLUMNS}
SHEET_TITLE = "每日生产进度表"
CHECK_PART_ROWS = 500  # a background check goes this many rows at a time, reporting its progress


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportPreview:
    file_name: str
    rows: list[dict]
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0
    batch: ProgressImport | None = None  # kept for the confirmation only when every row is correct

    @property
    def ok(self) -> bool:
        return not self.errors


def progress_template() -> bytes:
    """The empty 每日生产进度表 with its Chinese headers and one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append([zh for _k, zh, _en, _r in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["MO2611-0001", 1, DEFAULT[0].name_zh, timezone.localdate(), 100, None, None])  # the company's today
    ws["D2"].number_format = ws["F2"].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFG", (16, 10, 10, 12, 14, 14, 30), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=PlanningError.BAD_FILE, fields={"file": message})


def _read_sheet(upload: UploadedFile) -> list[tuple[int, dict]]:
    if upload is None:
        raise _bad(_("Choose the 每日生产进度表 Excel file to upload."))
    if not upload.size:
        raise _bad(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise _bad(_("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)})
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise _bad(_("“%(name)s” is not an Excel file (.xlsx). Download the template and fill it in.") % {
            "name": upload.name})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with safe_workbook(data) as book:
            return _sheet_rows(book.rows(SHEET_TITLE))
    except UnsafeWorkbook as exc:
        raise _bad(str(exc.message)) from None


def _sheet_rows(raw) -> list[tuple[int, dict]]:
    header = next(raw, None)
    if not header or not any(header):
        raise _bad(_("The sheet is empty: the first row must hold the column headers of the template."))
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    positions: dict[str, int] = {}
    for key, zh, en, required in COLUMNS:
        for index, name in enumerate(names):
            if name in (zh, en):
                positions[key] = index
                break
        else:
            if required:
                raise _bad(_("Column “%(zh)s” (%(en)s) is missing from the first row. Use the template.") % {
                    "zh": zh, "en": en})
    rows = []
    for number, values in enumerate(raw, start=2):  # the safe reader stops at its row limit, empty rows counted
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {key: values[i] if i < len(values) else None for key, i in positions.items()}))
    if not rows:
        raise _bad(_("The sheet has headers but no rows of progress."))
    return rows


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text)


def _parse(rows: list[tuple[int, dict]]) -> tuple[list[dict], list[RowError]]:
    """Turn cells into typed values; a cell that can't be read is a row error."""
    parsed, errors = [], []
    for number, cells in rows:
        row = {"row": number}
        text = {k: ("" if cells.get(k) is None else str(cells.get(k)).strip()) for k, *_rest in COLUMNS}
        row["production_order"] = text["production_order"]
        if not row["production_order"]:
            errors.append(RowError(number, HEADERS["production_order"], _("Give the production order no.")))
        try:
            row["line_no"] = int(Decimal(text["line_no"]))
        except (InvalidOperation, ValueError):
            errors.append(RowError(number, HEADERS["line_no"], _("Give the order line no. as a whole number.")))
        row["stage"] = text["stage"]
        for key in ("date", "expected_finish"):
            if cells.get(key) in (None, ""):
                row[key] = None
                if key == "date":
                    errors.append(RowError(number, HEADERS[key], _("Give the date.")))
                continue
            try:
                row[key] = _as_date(cells[key]).isoformat()
            except (ValueError, TypeError):
                errors.append(RowError(number, HEADERS[key], _("“%(value)s” is not a date (YYYY-MM-DD).") % {
                    "value": text[key]}))
        value = cells.get("cumulative_quantity")
        try:
            if isinstance(value, bool) or value in (None, ""):
                raise InvalidOperation
            qty = Decimal(str(value).strip())
            if not qty.is_finite():
                raise InvalidOperation
            row["cumulative_quantity"] = str(qty)
        except (InvalidOperation, ValueError):
            errors.append(RowError(number, HEADERS["cumulative_quantity"], _("Enter the cumulative quantity as a number.")))
        row["reason"] = text["reason"][:300]
        parsed.append(row)
    return parsed, errors


def _inputs(rows: list[dict]) -> tuple[list[ProgressInput], list[RowError]]:
    """Find each row's production order line and stage code (stage given by code or name)."""
    numbers = {r["production_order"] for r in rows}
    lines = {(line.production_order.number, line.order_line.line_no): line for line in
             ProductionOrderLine.objects.filter(production_order__number__in=numbers)
             .select_related("production_order", "order_line__product")}
    stages = stages_by_category(line_category_id(line) for line in lines.values())
    inputs, errors = [], []
    for row in rows:
        line = lines.get((row["production_order"], row["line_no"]))
        if line is None:
            known = any(po == row["production_order"] for po, _n in lines)
            column = HEADERS["line_no"] if known else HEADERS["production_order"]
            message = (_("Production order %(po)s has no line %(n)s.") if known
                       else _("There is no production order %(po)s.")) % {"po": row["production_order"],
                                                                          "n": row["line_no"]}
            errors.append(RowError(row["row"], column, message))
            continue
        wanted = row["stage"].lower()
        stage = next((s.code for s in stages[line_category_id(line)]
                      if wanted in (s.code, s.name_zh, s.name_en.lower())), row["stage"])
        inputs.append(ProgressInput(
            line_id=line.pk, stage=stage, date=dt.date.fromisoformat(row["date"]),
            cumulative_quantity=row["cumulative_quantity"],
            expected_finish=dt.date.fromisoformat(row["expected_finish"]) if row["expected_finish"] else None,
            reason=row["reason"], key=f"row{row['row']}"))
    return inputs, errors


_FIELD_COLUMNS = {"stage": "stage", "date": "date", "cumulative_quantity": "cumulative_quantity",
                  "expected_finish": "expected_finish", "line": "line_no"}
_COLUMN_ORDER = {zh: index for index, (_k, zh, _en, _r) in enumerate(COLUMNS)}


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, 99)))


def _save_errors(exc: ValidationFailed) -> list[RowError]:
    """The row errors of a refused ``progress_save`` (fields ``"row<n>.<field>"``)."""
    errors = []
    for name, messages in exc.fields.items():
        key, _dot, fieldname = name.partition(".")
        errors.append(RowError(int(key.removeprefix("row")), HEADERS[_FIELD_COLUMNS.get(fieldname, "stage")],
                               messages[0]))
    return errors


def _check(actor, rows: list[dict], errors: list[RowError], *,
           on_progress: Callable[[int], None] | None = None) -> tuple[list[RowError], int]:
    """Every error of the sheet at once: ``errors`` (cells that could not be read), rows naming
    no known line, and every progress rule the other rows break (a dry run of ``progress_save``).
    Return the errors, row by row, and how many rows are already recorded as given.

    With ``on_progress`` the dry run goes a few hundred rows at a time, all the rows of a line
    in the same part (a row is checked against the line's earlier days), and ``on_progress``
    hears how many rows are checked after each part."""
    readable = [row for row in rows if row["row"] not in {e.row for e in errors}]
    inputs, unknown = _inputs(readable)
    errors = errors + unknown
    done = len(rows) - len(inputs)
    unchanged = 0
    for part in (_by_line(inputs) if on_progress else [inputs]):
        try:
            unchanged += progress_save(actor=actor, entries=part, dry_run=True).unchanged
        except ValidationFailed as exc:
            errors += _save_errors(exc)
        done += len(part)
        if on_progress:
            on_progress(done)
    return _sorted(errors), unchanged


def _by_line(inputs: list[ProgressInput]) -> list[list[ProgressInput]]:
    size = CHECK_PART_ROWS
    by_line: dict[int, list[ProgressInput]] = {}
    for entry in inputs:
        by_line.setdefault(entry.line_id, []).append(entry)
    parts: list[list[ProgressInput]] = [[]]
    for entries in by_line.values():
        if parts[-1] and len(parts[-1]) + len(entries) > size:
            parts.append([])
        parts[-1].extend(entries)
    return [part for part in parts if part]


def progress_import_read(*, upload: UploadedFile) -> tuple[list[dict], list[RowError], str]:
    """Read the uploaded sheet within the safe limits and type its cells: the rows, the cells
    that could not be read, and the file's SHA-256."""
    raw = _read_sheet(upload)
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    rows, errors = _parse(raw)
    return rows, errors, digest


def progress_import_check(*, actor, file_name: str, digest: str, rows: list[dict], errors: list[RowError],
                          on_progress: Callable[[int], None] | None = None) -> ImportPreview:
    """Check ``rows`` against the data; when every row is correct keep them under a token for
    the confirmation."""
    errors, unchanged = _check(actor, rows, errors, on_progress=on_progress)
    preview = ImportPreview(file_name=file_name[:255], rows=rows, errors=errors, unchanged=0 if errors else unchanged)
    if not errors:
        preview.batch = ProgressImport.objects.create(file_name=preview.file_name, sha256=digest, rows=rows,
                                                      created_by=actor)
    return preview


def progress_import_preview(*, actor, upload: UploadedFile) -> ImportPreview:
    """Read and check the uploaded sheet; keep its rows under a token for the confirmation."""
    rows, errors, digest = progress_import_read(upload=upload)
    return progress_import_check(actor=actor, file_name=upload.name or "", digest=digest, rows=rows, errors=errors)


class ImportRefused(ValidationFailed):
    """The confirmation found rows that became wrong; ``errors`` lists every one."""

    def __init__(self, message: str, *, errors: list[RowError], fields: dict[str, str]):
        super().__init__(message, fields=fields)
        self.errors = errors


def _not_imported(errors: list[RowError]) -> ImportRefused:
    first = errors[0]
    message = _("Nothing imported. Row %(row)d, %(column)s: %(message)s") % vars(first)
    others = len({e.row for e in errors} - {first.row})
    if others:
        message += " " + _("(%(n)d more rows need a correction.)") % {"n": others}
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(f"row{error.row}", f"{error.column}: {error.message}")
    return ImportRefused(message, errors=errors, fields=fields)


def progress_import_confirm(*, actor, token) -> ProgressImport:
    """Save the previewed rows of ``token`` (the user's own upload), all or nothing, after
    checking them again against the data as it is now."""
    with transaction.atomic():
        batch = ProgressImport.objects.select_for_update().filter(token=token, created_by=actor).first()
        if batch is None:
            raise ValidationFailed(_("This upload is unknown or not yours; upload the sheet again."))
        if batch.status == ProgressImport.Status.IMPORTED:
            raise ValidationFailed(_("This upload was already imported on %(when)s.") % {
                "when": batch.created_at.date().isoformat()}, code=PlanningError.ALREADY_IMPORTED)
        inputs, errors = _inputs(batch.rows)
        if not errors:
            try:
                result = progress_save(actor=actor, entries=inputs)
            except ValidationFailed as exc:
                errors = _save_errors(exc)
        if errors:
            raise _not_imported(_sorted(errors))
        batch.status = ProgressImport.Status.IMPORTED
        batch.imported_count = len(result.saved)
        batch.unchanged_count = result.unchanged
        batch.save(update_fields=["status", "imported_count", "unchanged_count"])
    return batch
