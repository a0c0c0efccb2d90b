"""The progress import shows every error of a sheet at once, and a workbook that would hurt the
server (a zip bomb, a sheet of a million empty rows) is refused with a message naming the
limit, as a 400 on the page, before anything is unpacked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import ValidationFailed
from gendan.core.tests.test_xlsx_safe import sheet_of, with_sheet, zeros
from gendan.planning.models import ProgressEntry, ProgressImport
from gendan.planning.services.imports import progress_import_confirm, progress_import_preview
from gendan.planning.tests.test_imports import HEAD, good_rows, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_every_error_of_the_sheet_is_shown_at_once(people, production_order):
    today = timezone.localdate()
    rows = [
        [production_order.number, 1, "裁剪", "yesterday", "many", None, None],  # two unreadable cells
        ["MO-NOPE", 1, "裁剪", today, 1, None, None],  # no such production order
        [production_order.number, 1, "包装", today, 5000, None, None],  # more than the 1 000 ordered
        [production_order.number, 9, "裁剪", today, 1, None, None],  # no line 9
        [production_order.number, 2, "welding", today, 1, None, None],  # not a stage of the product
        [production_order.number, 1, "裁剪", today + dt.timedelta(days=2), 10, None, None],  # in the future
        [production_order.number, 1, "裁剪", today, 100, None, None],  # correct
    ]
    preview = progress_import_preview(actor=people.planner, upload=sheet(rows))
    assert [(e.row, e.column) for e in preview.errors] == [
        (2, "日期"), (2, "累计完成数量"), (3, "生产单号"), (4, "累计完成数量"), (5, "订单行号"), (6, "工序"), (7, "日期")]
    assert "more than the 1000 ordered" in preview.errors[3].message
    assert "Production order %s has no line 9." % production_order.number == preview.errors[4].message
    assert preview.batch is None and ProgressImport.objects.count() == 0 and ProgressEntry.objects.count() == 0


def test_the_page_lists_every_error_in_one_upload(people, production_order, client_for):
    rows = good_rows(production_order)
    rows[0][3] = "31/02/2026"
    rows[1][2] = "welding"
    rows[3][0] = "MO-NOPE"
    response = client_for(people.planner).post(reverse("planning:import_upload"), {"file": sheet(rows)})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="confirm"' not in html
    for cells in ("<td>2</td><td>日期</td>", "<td>3</td><td>工序</td>", "<td>5</td><td>生产单号</td>"):
        assert cells in html


def test_a_confirmation_refused_names_the_first_row_and_counts_the_others(people, production_order, mug_line):
    from gendan.planning.services.progress import ProgressInput, progress_save

    preview = progress_import_preview(actor=people.planner, upload=sheet(good_rows(production_order)))
    progress_save(actor=people.planner, entries=[ProgressInput(line_id=mug_line.pk, stage="cutting",
                                                               date=timezone.localdate(), cumulative_quantity="900")])
    with pytest.raises(ValidationFailed) as caught:
        progress_import_confirm(actor=people.planner, token=preview.batch.token)
    assert str(caught.value.message).startswith("Nothing imported. Row 3, 累计完成数量:")
    assert ProgressEntry.objects.count() == 1


def test_a_zip_bomb_sent_to_the_import_page_is_refused(people, client_for):
    bomb = SimpleUploadedFile("进度.xlsx", with_sheet(zeros(200)))
    response = client_for(people.planner).post(reverse("planning:import_upload"), {"file": bomb})
    assert response.status_code == 400
    assert "A part of the file unpacks to more than 50 MB; it was not opened." in response.content.decode()
    assert ProgressImport.objects.count() == 0


def test_a_sheet_of_a_million_empty_rows_stops_at_the_row_limit(people):
    def rows(stream):
        head = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
                       for col, name in zip("ABCDEFG", HEAD, strict=True))
        stream.write(f'<row r="1">{head}</row>'.encode())
        stream.write(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    upload = SimpleUploadedFile("进度.xlsx", with_sheet(sheet_of(body=rows)))
    with pytest.raises(ValidationFailed, match="The sheet has more than 20,000 rows"):
        progress_import_preview(actor=people.planner, upload=upload)
