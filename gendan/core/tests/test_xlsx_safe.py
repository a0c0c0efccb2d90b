"""Uploaded workbooks that would hurt the server are refused before they are unpacked: zip
bombs (a few hundred KB that unpack to hundreds of MB), too many parts, parts that climb out
of the archive, sheets of a million empty rows, files that are not workbooks at all — each
with a message naming the limit, quickly and in little memory."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from gendan.core.xlsx_safe import UnsafeWorkbook, WorkbookLimits, safe_workbook, workbook_check

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def real_workbook(rows=(("生产单号", "数量"), ("MO-1", 5))) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet(write_sheet, *, extra=()) -> bytes:
    """A real workbook whose first sheet's XML is replaced by what ``write_sheet(stream)``
    writes (streamed into the zip, so the test never holds the unpacked sheet), plus ``extra``
    (name, bytes) parts."""
    source = zipfile.ZipFile(io.BytesIO(real_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                entry = zipfile.ZipInfo(SHEET)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as stream:
                    write_sheet(stream)
            else:
                target.writestr(info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
        for name, data in extra:
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_of(*, dimension: str | None = None, body):
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main">'

    def write(stream):
        stream.write(head)
        if dimension:
            stream.write(b'<dimension ref="%s"/>' % dimension.encode())
        stream.write(b"<sheetData>")
        body(stream)
        stream.write(b"</sheetData></worksheet>")
    return write


def zeros(megabytes: int):
    """One cell holding a run of ``megabytes`` MB of zeros: compresses about 1 000 to 1."""
    def body(stream):
        stream.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        chunk = b"0" * MB
        for _i in range(megabytes):
            stream.write(chunk)
        stream.write(b"</t></is></c></row>")
    return sheet_of(body=body)


def refused(data, **limits) -> str:
    limits = WorkbookLimits(**limits) if limits else None
    with pytest.raises(UnsafeWorkbook) as caught, safe_workbook(data, limits=limits) as book:
        for _row in book.rows():
            pass
    assert caught.value.fields == {"file": [str(caught.value.message)]}
    return str(caught.value.message)


def measured(data, **limits) -> tuple[str, float, int]:
    tracemalloc.start()
    # CPU seconds of this process, not wall time: the bound is about the work the check does, and
    # holds on a machine busy with other test legs.
    started = time.process_time()
    try:
        message = refused(data, **limits)
    finally:
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return message, time.process_time() - started, peak


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return with_sheet(zeros(400))


def test_a_real_workbook_is_read_row_by_row():
    with safe_workbook(real_workbook()) as book:
        assert list(book.rows()) == [("生产单号", "数量"), ("MO-1", 5)]
        assert book.sheetnames == ["Sheet"]


def test_a_zip_bomb_is_refused_at_once_in_little_memory(bomb):
    assert len(bomb) < 1 * MB  # a few hundred KB that would unpack to 400 MB
    message, seconds, peak = measured(bomb)
    assert message == "A part of the file unpacks to more than 50 MB; it was not opened."
    assert seconds < 1 and peak < 50 * MB


def test_a_file_unpacking_to_too_much_in_total_is_refused(bomb):
    parts = [(f"xl/media/image{n}.bin", b"\0" * (30 * MB)) for n in range(4)]
    data = with_sheet(sheet_of(body=lambda s: None), extra=parts)
    message, seconds, peak = measured(data, max_ratio=100_000)
    assert message == ("The file unpacks to more than 100 MB; it was not opened. "
                       "Split the sheet into smaller files.")
    assert seconds < 1 and peak < 50 * MB


def test_a_part_compressed_too_well_is_refused_as_a_bomb():
    data = with_sheet(zeros(5))  # 5 MB in a few KB: within the size limits, not the ratio
    assert refused(data) == "A part of the file is compressed more than 100 to 1, as a zip bomb is; it was not opened."


def test_too_many_parts_are_refused():
    data = with_sheet(sheet_of(body=lambda s: None), extra=[(f"xl/media/p{n}.txt", b"x") for n in range(2001)])
    assert refused(data) == ("The file holds more than 2,000 parts; an Excel workbook of this kind has far fewer. "
                             "It was not opened.")


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "xl/../../evil.xml", "C:/evil.xml"])
def test_a_part_outside_the_workbook_is_refused(name):
    data = with_sheet(sheet_of(body=lambda s: None), extra=[(name, b"x")])
    assert "outside the workbook" in refused(data)


@pytest.mark.parametrize("data", [
    b"production order,line\nMO-1,1\n",  # a CSV renamed .xlsx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,  # an old .xls (OLE) renamed .xlsx
    b"",
], ids=["csv", "xls", "empty"])
def test_a_file_that_is_not_a_workbook_is_refused(data):
    assert refused(data).startswith("This is not an Excel workbook (.xlsx), or the file is damaged.")


def test_a_zip_that_is_not_a_workbook_and_a_damaged_one_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "it has no workbook inside" in refused(out.getvalue())
    assert refused(real_workbook()[:-200]).startswith("This is not an Excel workbook")
    broken = with_sheet(sheet_of(body=lambda s: s.write(b'<row r="1"><c r="A1"><v>1</v></row>')))
    assert refused(broken).startswith("This Excel workbook cannot be read")


def test_a_sheet_whose_dimension_claims_a_million_rows_is_refused_before_reading():
    data = with_sheet(sheet_of(dimension="A1:G1048576", body=lambda s: s.write(b'<row r="1048576"/>')))
    assert refused(data) == "The sheet has more than 20,000 rows (empty rows count too); split it into smaller files."
    wide = with_sheet(sheet_of(dimension="A1:XFD2", body=lambda s: None))
    assert refused(wide).startswith("The sheet has more than 200 columns")


def test_a_million_empty_rows_stop_at_the_row_limit():
    def rows(stream):
        stream.write(b"".join(b'<row r="%d"/>' % n for n in range(1, 1_048_577)))
    data = with_sheet(sheet_of(dimension="A1:G1", body=rows))  # the dimension lies: only counting finds them
    message, seconds, peak = measured(data)
    assert message == "The sheet has more than 20,000 rows (empty rows count too); split it into smaller files."
    assert seconds < 5 and peak < 50 * MB


def test_only_the_last_row_of_a_million_still_counts_every_empty_row_before_it():
    data = with_sheet(sheet_of(body=lambda s: s.write(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')))
    assert refused(data).startswith("The sheet has more than 20,000 rows")


def test_a_row_wider_than_the_column_limit_is_refused():
    data = with_sheet(sheet_of(body=lambda s: s.write(b'<row r="1"><c r="XFD1"><v>1</v></c></row>')))
    assert refused(data) == ("The sheet has more than 200 columns (empty columns count too); delete the columns "
                             "that are not part of the template.")


@override_settings(GENDAN_XLSX_MAX_ROWS=1)
def test_the_limits_are_settings():
    assert WorkbookLimits.from_settings().max_rows == 1
    assert refused(real_workbook()) == "The sheet has more than 1 rows (empty rows count too); split it into smaller files."


def test_the_check_reads_only_the_archive_directory(bomb):
    workbook_check(real_workbook())  # no error
    with pytest.raises(UnsafeWorkbook):
        workbook_check(io.BytesIO(bomb))


def test_the_refusals_speak_chinese_first(bomb):
    with translation.override("zh-hans"):
        assert refused(bomb) == "文件的一个部件解压后超过 50 MB，文件未被打开。"
        assert refused(b"not a workbook").startswith("这不是 Excel 工作簿（.xlsx）")
