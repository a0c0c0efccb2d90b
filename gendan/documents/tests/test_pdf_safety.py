"""PDFs that act instead of being read are refused (issue 10, item 9): JavaScript, a program
launch, embedded files — in plain sight, escaped or hidden in a compressed object stream — and
HTML pages that start with ``%PDF-``. Ordinary PDFs (ours, a scan, one with links) pass, and a
decompression bomb inside a stream costs bounded memory."""

from __future__ import annotations

import io
import time
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from gendan.core.errors import ValidationFailed
from gendan.documents.models import Attachment
from gendan.documents.pdf_safety import active_content
from gendan.documents.services import validate_upload
from tests.factories import CustomerFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _reportlab_pdf(link: bool = False) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "PO 4711 - 1 000 mugs")
    if link:
        page.linkURL("https://example.com/po", (72, 700, 200, 720))
    page.showPage()
    page.save()
    return buffer.getvalue()


def _pdf(*objects: bytes) -> bytes:
    """A small hand-made PDF with ``objects`` after the catalog (enough for a scanner)."""
    body = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    body += b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    for n, obj in enumerate(objects, start=3):
        body += f"{n} 0 obj ".encode() + obj + b" endobj\n"
    return body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def _stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream"


def _upload(data: bytes, name: str = "po.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_ordinary_pdfs_pass():
    assert active_content(_reportlab_pdf()) == []
    assert active_content(_reportlab_pdf(link=True)) == []  # a web link is not an action that runs
    assert active_content(_pdf(b"<< /OpenAction [3 0 R /Fit] >>")) == []  # open at a page: harmless
    assert validate_upload(_upload(_reportlab_pdf())) == "application/pdf"


@pytest.mark.parametrize("payload, what", [
    (b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "JavaScript"),
    (b"<< /AA << /O << /S /J#61vaScript /JS (this.exportDataObject()) >> >> >>", "JavaScript"),  # escaped
    (b"<< /OpenAction << /S /Launch /F (cmd.exe) >> >>", "a program launch"),
    (b"<< /Names << /EmbeddedFiles << /Names [(invoice.exe) 9 0 R] >> >> >>", "embedded files"),
])
def test_active_content_in_plain_sight_is_found(payload, what):
    assert what in active_content(_pdf(payload))


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    hidden = _pdf(_stream(b"5 0 << /S /JavaScript /JS (app.launchURL('http://evil')) >>"))
    assert b"JavaScript" not in hidden  # nothing to see without decompressing
    assert active_content(hidden) == ["JavaScript"]


def test_an_html_page_that_starts_like_a_pdf_is_refused():
    polyglot = b"%PDF-1.4\n<html><body><script>fetch('/api/v1/orders/')</script></body></html>\n%%EOF\n"
    with pytest.raises(ValidationFailed, match="HTML"):
        validate_upload(_upload(polyglot))


def test_a_decompression_bomb_inside_a_stream_costs_bounded_memory():
    bomb = _pdf(_stream(b"\0" * (512 * 1024 * 1024)))  # half a gigabyte of zeros in ~0.5 MB
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    assert active_content(bomb) == []
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 80 * 1024 * 1024 and time.monotonic() - started < 10


def test_the_upload_page_refuses_a_pdf_with_javascript_and_saves_nothing(make_user, client_for):
    sales = make_user("sales", team=TeamFactory(), language="en")
    customer = CustomerFactory(salesperson=sales)
    response = client_for(sales).post(
        reverse("documents:attachment_upload", args=["parties.customer", customer.pk]),
        {"file": _upload(_pdf(b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")), "kind": "po"},
        follow=True)
    assert "contains JavaScript" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_of_stream_markers_is_read_once_not_once_per_marker():
    """Many "stream" openings and one "endstream" at the end: each byte is looked at once."""
    data = b"%PDF-1.7\n" + b"stream\n" * 2_000_000 + b"endstream\n%%EOF\n"  # 14 MB
    started = time.monotonic()
    assert active_content(data) == []
    assert time.monotonic() - started < 5
