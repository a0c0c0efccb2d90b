"""The written-order rule accepts documents, not any file (issue 10, defect 2): the customer's
written confirmation is a PDF, image, e-mail or Office file whose content really is one."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import ValidationFailed
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add
from gendan.documents.tests.test_filetypes import docx_bytes, eml_bytes, image_bytes, msg_bytes, reportlab_pdf
from gendan.sales.errors import SalesError
from gendan.sales.services.confirmations import confirmation_record
from gendan.sales.tests.conftest import make_draft

pytestmark = pytest.mark.django_db


def _record_written(people, order, upload=None, attachment_id=None):
    return confirmation_record(actor=people.merch, order_id=order.pk, kind="written", upload=upload,
                               attachment_id=attachment_id, confirmed_at=timezone.now())


@pytest.mark.parametrize(("name", "make"), [
    ("PO-4711.pdf", reportlab_pdf),
    ("fax.png", lambda: image_bytes("PNG")),
    ("fax.jpg", lambda: image_bytes("JPEG")),
    ("PO-4711.eml", eml_bytes),
    ("PO-4711.docx", docx_bytes),
])
def test_a_real_document_is_the_written_order(people, name, make):
    order = make_draft(people)
    confirmation = _record_written(people, order, SimpleUploadedFile(name, make()))
    assert confirmation.attachment.original_name == name


@pytest.mark.parametrize(("name", "data", "words"), [
    ("PO-4711.pdf", b"ok", "this file is plain text"),  # the 2-byte text renamed .pdf
    ("PO-4711.txt", b"Customer confirmed by phone, see call notes.", "this file is plain text"),
    ("PO-4711.pdf", b"%PDF-1.4\n" + b"x" * 200, "this file is a damaged PDF"),
    ("PO-4711.docx", docx_bytes(content_types=False), "this file is a zip archive, not an Office document"),
    ("PO-4711.eml", eml_bytes(date=False), "this file is plain text"),
    ("fax.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "this file is a damaged image"),
])
def test_anything_else_is_refused_and_nothing_is_kept(people, name, data, words):
    order = make_draft(people)

    with pytest.raises(ValidationFailed) as refused:
        _record_written(people, order, SimpleUploadedFile(name, data))

    assert refused.value.code == SalesError.NOT_A_WRITTEN_ORDER and refused.value.status == 400
    message = str(refused.value.message)
    assert message.startswith("The written confirmation must be a PDF, image, e-mail or Office document;")
    assert words in message and "file" in refused.value.fields
    assert not order.confirmations.exists() and not Attachment.objects.exists()


def test_an_outlook_message_is_a_written_order(people):
    """A .msg (an OLE compound file) uploaded, or an Office file already attached and chosen."""
    order = make_draft(people)
    confirmation = _record_written(people, order, SimpleUploadedFile("PO-4711.msg", msg_bytes()))
    assert confirmation.attachment.mime_type == "application/vnd.ms-outlook"

    other = make_draft(people, po="PO-4712")
    attachment = attachment_add(actor=people.merch, owner=other, upload=SimpleUploadedFile("PO.doc", msg_bytes()))
    assert _record_written(people, other, attachment_id=attachment.pk).attachment == attachment


def test_a_text_already_attached_is_not_a_written_order_either(people):
    order = make_draft(people)
    notes = attachment_add(actor=people.merch, owner=order,
                           upload=SimpleUploadedFile("call-notes.txt", b"Customer said yes on the phone."))

    with pytest.raises(ValidationFailed, match="this file is plain text"):
        _record_written(people, order, attachment_id=notes.pk)
    assert not order.confirmations.exists()


def test_a_tiny_file_is_refused_even_with_the_right_magic(people):
    order = make_draft(people)
    with pytest.raises(ValidationFailed, match="this file has only 16 bytes"):
        _record_written(people, order, SimpleUploadedFile("po.pdf", b"%PDF-1.0\n%%EOF\n\n"))


def test_the_page_says_why_the_file_is_refused(people, client_for):
    order = make_draft(people)
    client = client_for(people.merch)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    response = client.post(reverse("sales:order_confirmation_written", args=[order.pk]),
                           {"written-file": SimpleUploadedFile("PO-4711.pdf", b"ok"), "written-confirmed_at": now})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The written confirmation must be a PDF, image, e-mail or Office document; this file is plain text." in html
    assert not order.confirmations.exists()
