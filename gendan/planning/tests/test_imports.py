"""Importing a factory's 每日生产进度表: a good sheet, a sheet with one bad row (nothing
imported, the row named), a file that is not Excel, an empty sheet, the same sheet twice."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gendan.core.errors import ValidationFailed
from gendan.planning.models import ProgressEntry, ProgressImport
from gendan.planning.services.imports import (
    progress_import_confirm,
    progress_import_preview,
    progress_template,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
HEAD = ["生产单号", "订单行号", "工序", "日期", "累计完成数量", "预计完成日期", "更正原因"]


def sheet(rows, *, name="进度-东莞一厂.xlsx", head=HEAD) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "每日生产进度表"
    if head:
        ws.append(head)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def good_rows(po):
    yesterday, today = timezone.localdate() - dt.timedelta(days=1), timezone.localdate()
    return [
        [po.number, 1, "裁剪", yesterday, 400, None, None],
        [po.number, 1, "裁剪", today, 700, today + dt.timedelta(days=9), None],
        [po.number, 1, "包装", today, 250, None, None],
        [po.number, 2, "packing", today.isoformat(), 3, None, None],
    ]


def test_the_template_has_the_chinese_headers():
    ws = load_workbook(io.BytesIO(progress_template())).active
    assert [c.value for c in ws[1]] == HEAD
    assert ws["D2"].value.date() == timezone.localdate()  # the example row: the company's today, not the server's


def test_a_good_sheet_is_previewed_then_imported(people, production_order, mug_line):
    preview = progress_import_preview(actor=people.planner, upload=sheet(good_rows(production_order)))
    assert preview.ok and len(preview.rows) == 4
    assert ProgressEntry.objects.count() == 0  # nothing before the confirmation
    batch = progress_import_confirm(actor=people.planner, token=preview.batch.token)
    assert batch.imported_count == 4 and ProgressEntry.objects.count() == 4
    mug_line.refresh_from_db()
    assert mug_line.produced_quantity == Decimal("250")


def test_one_bad_row_imports_nothing_and_names_the_row(people, production_order):
    rows = good_rows(production_order)
    rows[2][4] = 5000  # more than the 1 000 ordered
    preview = progress_import_preview(actor=people.planner, upload=sheet(rows))
    assert not preview.ok
    [error] = preview.errors
    assert (error.row, error.column) == (4, "累计完成数量") and "more than the 1000 ordered" in error.message
    assert ProgressEntry.objects.count() == 0
    assert preview.batch is None  # nothing kept that could be confirmed
    assert ProgressEntry.objects.count() == 0 and ProgressImport.objects.count() == 0


def test_type_errors_and_unknown_orders_are_row_errors(people, production_order):
    rows = [[production_order.number, 1, "裁剪", "yesterday", 10, None, None], ["MO-NOPE", 1, "裁剪",
                                                                                timezone.localdate(), 1, None, None]]
    preview = progress_import_preview(actor=people.planner, upload=sheet(rows))
    assert [(e.row, e.column) for e in preview.errors] == [(2, "日期"), (3, "生产单号")]  # all at once
    preview = progress_import_preview(actor=people.planner, upload=sheet(rows[1:]))
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(2, "生产单号", "There is no production order MO-NOPE.")]


def test_rows_that_became_wrong_before_the_confirmation_import_nothing(people, production_order, mug_line):
    from gendan.planning.services.progress import ProgressInput, progress_save

    preview = progress_import_preview(actor=people.planner, upload=sheet(good_rows(production_order)))
    # Meanwhile the planner records more cutting today than the sheet says.
    progress_save(actor=people.planner, entries=[ProgressInput(line_id=mug_line.pk, stage="cutting",
                                                               date=timezone.localdate(), cumulative_quantity="900")])
    with pytest.raises(ValidationFailed, match="Nothing imported. Row 3"):
        progress_import_confirm(actor=people.planner, token=preview.batch.token)
    assert ProgressEntry.objects.count() == 1


def test_the_same_sheet_twice_changes_nothing_the_second_time(people, production_order, mug_line):
    first = progress_import_preview(actor=people.planner, upload=sheet(good_rows(production_order)))
    progress_import_confirm(actor=people.planner, token=first.batch.token)
    recorded = list(ProgressEntry.objects.values_list("pk", "cumulative_quantity", "recorded_at"))
    second = progress_import_preview(actor=people.planner, upload=sheet(good_rows(production_order)))
    assert second.ok and second.unchanged == 4
    batch = progress_import_confirm(actor=people.planner, token=second.batch.token)
    assert (batch.imported_count, batch.unchanged_count) == (0, 4)
    assert list(ProgressEntry.objects.values_list("pk", "cumulative_quantity", "recorded_at")) == recorded
    with pytest.raises(ValidationFailed, match="already imported"):
        progress_import_confirm(actor=people.planner, token=second.batch.token)


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("progress.xlsx", b"%PDF-1.4 not a workbook"), "This is not an Excel workbook"),
    (SimpleUploadedFile("progress.pdf", b"%PDF-1.4"), "is not an Excel file"),
    (SimpleUploadedFile("progress.xlsx", b""), "The file is empty"),
])
def test_files_that_are_not_a_sheet_are_refused(people, upload, message):
    with pytest.raises(ValidationFailed, match=message):
        progress_import_preview(actor=people.planner, upload=upload)
    assert ProgressImport.objects.count() == 0


def test_an_empty_sheet_and_a_missing_column_are_refused(people, production_order):
    with pytest.raises(ValidationFailed, match="The sheet is empty"):
        progress_import_preview(actor=people.planner, upload=sheet([], head=None))
    with pytest.raises(ValidationFailed, match="no rows of progress"):
        progress_import_preview(actor=people.planner, upload=sheet([]))
    with pytest.raises(ValidationFailed, match="Column “累计完成数量”"):
        progress_import_preview(actor=people.planner, upload=sheet([], head=HEAD[:4]))


def test_an_oversized_file_is_refused(people):
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationFailed, match="the limit is 5"):
        progress_import_preview(actor=people.planner, upload=big)


def test_import_pages(people, production_order, client_for):
    client = client_for(people.planner)
    template = client.get(reverse("planning:import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    response = client.post(reverse("planning:import_upload"), {"file": sheet(good_rows(production_order))})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm"' in html
    token = response.context["preview"].batch.token
    # Another user can't confirm someone else's upload.
    other = client_for(people.manager).post(reverse("planning:import_confirm", args=[token]))
    assert other.status_code == 302 and ProgressEntry.objects.count() == 0
    response = client.post(reverse("planning:import_confirm", args=[token]), follow=True)
    assert ProgressEntry.objects.count() == 4 and "4 entries saved" in response.content.decode()
    rows = good_rows(production_order)
    rows[1][2] = "welding"
    wrong = client.post(reverse("planning:import_upload"), {"file": sheet(rows)})
    html = wrong.content.decode()
    assert wrong.status_code == 400 and 'data-testid="row-errors"' in html and 'data-testid="confirm"' not in html
    assert "<td>3</td><td>工序</td>" in html and "“welding” is not a stage of this product" in html
    bad = client.post(reverse("planning:import_upload"), {"file": SimpleUploadedFile("x.xlsx", b"nonsense")})
    assert bad.status_code == 400 and "This is not an Excel workbook" in bad.content.decode()


def test_import_is_for_planners(people, production_order, client_for):
    for user in (people.merch, people.qc, people.sales):
        response = client_for(user).post(reverse("planning:import_upload"), {"file": sheet(good_rows(production_order))})
        assert response.status_code == 403
    assert ProgressImport.objects.count() == 0
