"""A download whose file is gone from storage (lost, not restored from a backup) is a 404 that
says so — not a FileNotFoundError (issue 10 item 4)."""

from __future__ import annotations

import pytest

from gendan.documents.services import attachment_add
from tests.factories import CustomerFactory, TeamFactory, png_upload

pytestmark = pytest.mark.django_db


def test_download_of_a_file_missing_from_storage_is_404_with_a_message(make_user, client_for):
    sales = make_user("sales", team=TeamFactory(), language="en")
    customer = CustomerFactory(salesperson=sales)
    attachment = attachment_add(actor=sales, owner=customer, upload=png_upload("label.png"),
                                change_perm="parties.change_customer")
    attachment.file.storage.delete(attachment.file.name)
    response = client_for(sales).get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert "The file “label.png” is missing from the file storage." in response.content.decode()
