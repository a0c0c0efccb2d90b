"""What a file really is, from its content (documents.filetypes): real small files made here, and
files that only carry a document's name."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from gendan.documents import filetypes
from gendan.documents.filetypes import describe, sniff


def reportlab_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "PURCHASE ORDER PO-4711: 1000 mugs")
    page.save()
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def eml_bytes(*, date: bool = True, body: str = "Please confirm PO-4711: 1000 mugs, red 600, blue 400.") -> bytes:
    import datetime as dt

    message = EmailMessage()
    message["From"] = "buyer@nordlicht.example"
    message["To"] = "merch@example.com"
    message["Subject"] = "PO-4711"
    if date:
        message["Date"] = format_datetime(dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC))
    message.set_content(body)
    return message.as_bytes()


def docx_bytes(*, content_types: bool = True, folder: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                             'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr(folder, "<w:document/>")
    return buffer.getvalue()


def msg_bytes(size: int = 2048) -> bytes:
    return filetypes.OLE_MAGIC + b"\x00" * (size - len(filetypes.OLE_MAGIC))


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("po.pdf", reportlab_pdf, filetypes.PDF),
    ("fax.png", lambda: image_bytes("PNG"), filetypes.PNG),
    ("fax.jpg", lambda: image_bytes("JPEG"), filetypes.JPEG),
    ("fax.gif", lambda: image_bytes("GIF"), filetypes.GIF),
    ("fax.webp", lambda: image_bytes("WEBP"), filetypes.WEBP),
    ("fax.tif", lambda: image_bytes("TIFF"), filetypes.TIFF),
    ("order.eml", eml_bytes, filetypes.EML),
    ("order.msg", msg_bytes, filetypes.OLE),
    ("po.docx", docx_bytes, filetypes.DOCX),
    ("po.xlsx", lambda: docx_bytes(folder="xl/workbook.xml"), filetypes.XLSX),
    ("notes.txt", lambda: "客户确认 1000 pcs".encode(), filetypes.TEXT),
])
def test_real_files_are_recognised_by_their_content(name, make, kind):
    upload = _upload(name, make())
    assert sniff(upload) == kind
    assert upload.tell() == 0  # left where a reader expects it


@pytest.mark.parametrize(("name", "data", "words"), [
    ("po.pdf", b"ok", "plain text"),  # the two bytes renamed .pdf
    ("po.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "a damaged PDF (its end is missing)"),
    ("po.docx", docx_bytes(content_types=False), "a zip archive, not an Office document"),
    ("order.eml", eml_bytes(date=False), "plain text"),  # no Date: not an e-mail
    ("order.eml", eml_bytes(body=" "), "plain text"),  # no body
    ("order.msg", msg_bytes(600), "a damaged Outlook or Office file"),
    ("fax.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "a damaged image"),
    ("po.pdf", bytes(range(256)) * 4, "of a type Gendan does not recognise"),
    ("empty.pdf", b"", "an empty file"),
])
def test_files_that_only_carry_a_documents_name(name, data, words):
    upload = _upload(name, data)
    assert sniff(upload) not in filetypes.DOCUMENT_KINDS
    assert describe(upload) == words


def test_a_zip_bomb_is_not_opened_to_be_recognised():
    """Only the zip's directory is read: a member that would inflate to 100 MB is never inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (100 * 1024 * 1024))
    assert sniff(_upload("po.docx", buffer.getvalue())) == filetypes.DOCX


def test_an_email_nested_a_thousand_deep_is_not_an_email_and_raises_nothing():
    from gendan.documents.filetypes import is_email

    head = b"From: a@example.com\r\nDate: Tue, 10 Mar 2026 10:00:00 +0800\r\n"
    nested = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(3000))
    assert is_email(head + nested) is False
