"""Product photos are attachments of kind "photo": only real images are accepted, and the
product page shows them as thumbnails."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gendan.catalog.tests.factories import ProductFactory
from gendan.documents.models import Attachment

pytestmark = pytest.mark.django_db


def png(name="kettle.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload_url(product) -> str:
    return reverse("documents:attachment_upload", args=["catalog.product", product.pk])


def test_a_real_png_is_attached_and_shown_as_a_thumbnail(client_for, merchandiser):
    product = ProductFactory()
    client = client_for(merchandiser)
    response = client.post(upload_url(product), {"file": png(), "kind": "photo", "description": "front view"})
    assert response.status_code == 302
    photo = Attachment.objects.get()
    assert (photo.kind, photo.mime_type, photo.object_id) == ("photo", "image/png", product.pk)

    detail = client.get(product.get_absolute_url())
    photos = detail.content.decode().split('id="photos"')[1].split("</section>")[0]
    assert f'src="{photo.get_absolute_url()}"' in photos
    assert 'alt="front view"' in photos
    image = client.get(photo.get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_the_upload_form_on_the_product_page_defaults_to_photo(client_for, merchandiser):
    response = client_for(merchandiser).get(ProductFactory().get_absolute_url())
    assert '<option value="photo" selected>' in response.content.decode()


def test_a_text_file_named_png_is_refused(client_for, merchandiser):
    product = ProductFactory()
    fake = SimpleUploadedFile("kettle.png", b"this is not an image at all", content_type="image/png")
    response = client_for(merchandiser).post(upload_url(product), {"file": fake, "kind": "photo"}, follow=True)
    assert "“kettle.png” is not a readable image." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_role_that_cannot_change_products_cannot_attach_photos(client_for, make_user):
    product = ProductFactory()
    sales = make_user("sales", language="en")  # may attach files in general, but not change products
    client_for(sales).post(upload_url(product), {"file": png(), "kind": "photo"})
    assert not Attachment.objects.exists()
