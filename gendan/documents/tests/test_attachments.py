"""Attachments: real files only, 20 MB at most, archived by year/month/number, served only to
people who may open the owner."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.core.models import Event
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add, attachment_remove, validate_upload
from tests.factories import CustomerFactory, SupplierFactory, TeamFactory, png_bytes, png_upload

CHANGE_CUSTOMER = "parties.change_customer"


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="li", team=TeamFactory(), language="en")


@pytest.fixture
def customer(sales):
    return CustomerFactory(code="C00042", salesperson=sales)


def _upload_url(owner, owner_type="parties.customer"):
    return reverse("documents:attachment_upload", args=[owner_type, owner.pk])


def _add(actor, owner, upload, **kwargs):
    return attachment_add(actor=actor, owner=owner, upload=upload, change_perm=CHANGE_CUSTOMER, **kwargs)


# --- upload ------------------------------------------------------------------------------


def test_uploaded_png_is_archived_by_year_month_and_customer_code(sales, customer, client_for):
    now = timezone.localtime()
    client = client_for(sales)
    data = png_bytes()

    response = client.post(_upload_url(customer), {
        "file": SimpleUploadedFile("样品 photo (1).png", data, content_type="image/png"),
        "kind": "photo", "description": "shipping sample",
    })

    assert response.status_code == 302
    assert response.url == customer.get_absolute_url() + "#attachments"
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith(f"attachments/{now:%Y}/{now:%m}/C00042/")
    assert attachment.file.name.endswith(".png")
    assert (attachment.original_name, attachment.mime_type, attachment.size) == (
        "样品 photo (1).png", "image/png", len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    with attachment.file.open("rb") as fh:
        assert fh.read() == data
    event = timeline_for(customer).first()
    assert (event.verb, event.actor) == (Event.Verb.ATTACHED, sales)
    assert "样品 photo (1).png" in event.text
    assert "样品 photo (1).png" in client.get(customer.get_absolute_url()).content.decode()


def test_same_file_name_twice_keeps_both_files(sales, customer):
    first = _add(sales, customer, png_upload("scan.png", color=(1, 2, 3)))
    second = _add(sales, customer, png_upload("scan.png", color=(4, 5, 6)))
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name) and second.file.storage.exists(second.file.name)


def test_supplier_files_are_archived_under_the_supplier_code(make_user):
    buyer = make_user("purchasing")
    supplier = SupplierFactory(code="S00007")
    attachment = attachment_add(actor=buyer, owner=supplier, upload=png_upload(),
                                change_perm="parties.change_supplier")
    assert "/S00007/" in attachment.file.name


def test_file_over_the_limit_is_refused_through_the_page(sales, customer, client_for, settings):
    data = png_bytes()
    settings.GENDAN_MAX_UPLOAD_BYTES = len(data) - 1

    response = client_for(sales).post(_upload_url(customer), {
        "file": SimpleUploadedFile("photo.png", data, content_type="image/png"), "kind": "photo"}, follow=True)

    assert f"the limit is {len(data) - 1}" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not timeline_for(customer).exists()


def test_real_file_over_20_mb_is_refused_by_the_service(sales, customer, settings):
    assert settings.GENDAN_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    huge = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024), content_type="application/pdf")

    with pytest.raises(ValidationFailed) as exc:
        _add(sales, customer, huge)

    assert "file" in exc.value.fields
    assert "20.0" in exc.value.fields["file"][0]
    assert not Attachment.objects.exists()


def test_file_of_exactly_20_mb_is_accepted(sales, customer):
    exact = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n".ljust(20 * 1024 * 1024, b"0"))
    assert _add(sales, customer, exact).size == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("photo.jpg", b"this is a text file, not a photo", "not a readable image"),
        ("photo.png", b"GIF89a" + b"\x00" * 20, "not a readable image"),
        ("invoice.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("setup.exe", b"MZ\x90\x00\x03", "not accepted"),
        ("script.js", b"alert(1)", "not accepted"),
        ("noextension", b"%PDF-1.4", "not accepted"),
        ("report.xlsx", b"PK\x03\x04 but not a zip", "not a valid Office file"),
        ("old.xls", b"plain text", "not a valid Office file"),
        ("notes.txt", b"abc\x00def", "not a text file"),
        ("mail.eml", b"\x89PNG random", "not an email"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(sales, customer, name, content, why):
    with pytest.raises(ValidationFailed) as exc:
        _add(sales, customer, SimpleUploadedFile(name, content))
    assert why in exc.value.fields["file"][0]
    assert not Attachment.objects.exists()
    assert not Event.objects.exists()


def test_a_gif_named_png_is_not_really_a_png(sales, customer):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationFailed, match="not really a png"):
        _add(sales, customer, SimpleUploadedFile("photo.png", buffer.getvalue()))


def test_photo_kind_takes_images_only(sales, customer):
    with pytest.raises(ValidationFailed):
        _add(sales, customer, SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ..."), kind=Attachment.Kind.PHOTO)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("po.pdf", b"%PDF-1.4\n%...", "application/pdf"),
        ("fax.txt", "传真内容".encode(), "text/plain"),
        ("mail.eml", b"From: buyer@example.com\nSubject: PO 123\n\nbody", "message/rfc822"),
    ],
)
def test_genuine_documents_are_accepted(sales, customer, name, content, mime):
    assert _add(sales, customer, SimpleUploadedFile(name, content)).mime_type == mime


def test_genuine_xlsx_is_accepted(sales, customer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert validate_upload(SimpleUploadedFile("po.xlsx", buffer.getvalue())).endswith("spreadsheetml.sheet")


def test_refused_upload_through_the_page_says_why(sales, customer, client_for):
    response = client_for(sales).post(_upload_url(customer), {
        "file": SimpleUploadedFile("photo.jpg", b"just text"), "kind": "photo"}, follow=True)
    assert "is not a readable image" in response.content.decode()
    assert not Attachment.objects.exists()


def test_unknown_owner_type_is_404(sales, customer, client_for):
    response = client_for(sales).post(_upload_url(customer, "accounts.user"),
                                      {"file": png_upload(), "kind": "photo"})
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_finance_may_not_attach_to_a_customer(make_user, customer, client_for):
    finance = make_user("finance", language="en")
    with pytest.raises(NotAllowed):
        _add(finance, customer, png_upload())
    client_for(finance).post(_upload_url(customer), {"file": png_upload(), "kind": "photo"})
    assert not Attachment.objects.exists()


# --- download ----------------------------------------------------------------------------


@pytest.fixture
def attachment(sales, customer):
    return _add(sales, customer, png_upload("label.png"))


def test_download_serves_the_file_with_nosniff(sales, attachment, client_for):
    response = client_for(sales).get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    with attachment.file.open("rb") as fh:
        assert b"".join(response.streaming_content) == fh.read()


def test_non_image_downloads_as_an_attachment(sales, customer, client_for):
    text = _add(sales, customer, SimpleUploadedFile("note.txt", b"<script>alert(1)</script>"))
    response = client_for(sales).get(text.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["sales", "merchandiser", "qc", "warehouse", "purchasing"])
def test_download_by_someone_who_may_not_open_the_customer_is_404(role, make_user, attachment, client_for):
    outsider = make_user(role, team=TeamFactory())
    assert client_for(outsider).get(attachment.get_absolute_url()).status_code == 404


def test_download_of_a_missing_attachment_is_404(sales, client_for, db):
    assert client_for(sales).get(reverse("documents:attachment_download", args=[12345])).status_code == 404


def test_download_needs_login(attachment, client):
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# --- delete ------------------------------------------------------------------------------


def test_delete_removes_row_and_file_and_leaves_an_event(sales, customer, attachment, client_for,
                                                         django_capture_on_commit_callbacks):
    stored = attachment.file.name
    storage = attachment.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sales).post(reverse("documents:attachment_delete", args=[attachment.pk]),
                                          {"reason": "wrong customer"})

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(stored)
    event = timeline_for(customer).first()
    assert (event.verb, event.reason) == (Event.Verb.DETACHED, "wrong customer")


def test_delete_by_a_role_without_delete_permission_removes_nothing(make_user, customer, attachment,
                                                                    client_for):
    finance = make_user("finance", language="en")  # sees every customer, may not remove files
    response = client_for(finance).post(reverse("documents:attachment_delete", args=[attachment.pk]),
                                        follow=True)

    assert response.status_code == 200
    assert "may not remove files" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)
    assert not timeline_for(customer, limit=None).filter(verb=Event.Verb.DETACHED).exists()
    with pytest.raises(NotAllowed):
        attachment_remove(actor=finance, attachment=attachment, owner=customer, change_perm=CHANGE_CUSTOMER)


def test_delete_asks_first_and_needs_post(sales, attachment, client_for):
    asked = client_for(sales).get(reverse("documents:attachment_delete", args=[attachment.pk]))
    assert asked.status_code == 200 and "Remove “label.png”?" in asked.content.decode()
    assert Attachment.objects.exists()
    assert client_for(sales).put(reverse("documents:attachment_delete", args=[attachment.pk])).status_code == 405
