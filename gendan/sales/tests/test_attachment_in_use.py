"""Removing a file an order relies on (issue 11 defect 1): the customer's written confirmation
was a ProtectedError (HTTP 500). Now the page asks before any delete, names what uses the file,
and the service refuses with ``file_in_use`` — nothing is removed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.core.errors import BusinessError
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add, attachment_remove
from gendan.sales.models import Confirmation
from gendan.sales.tests.conftest import make_confirmed
from tests.factories import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(people):
    order = make_confirmed(people)
    confirmation = Confirmation.objects.get(order=order, kind=Confirmation.Kind.WRITTEN)
    return order, confirmation.attachment


def test_removing_the_written_confirmation_is_refused_naming_what_uses_it(people, client_for, written):
    order, attachment = written
    response = client_for(people.merch).post(reverse("documents:attachment_delete", args=[attachment.pk]),
                                             {"reason": "wrong file"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"cannot be removed: it is the customer&#x27;s written confirmation of order {order} (revision 0). "
            "A file a record relies on is kept.") in html
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)


def test_the_service_refuses_with_file_in_use(people, written):
    order, attachment = written
    with pytest.raises(BusinessError) as refused:
        attachment_remove(actor=people.merch, attachment=attachment, owner=order,
                          change_perm="sales.change_salesorder")
    assert refused.value.code == "file_in_use"
    assert refused.value.status == 409
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_page_asks_first_and_shows_why_a_used_file_stays(people, client_for, written):
    order, attachment = written
    response = client_for(people.merch).get(reverse("documents:attachment_delete", args=[attachment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "written confirmation of order" in html
    assert 'data-action="remove"' not in html  # no button to press
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_free_file_is_removed_only_after_the_confirmation(people, client_for, written):
    order, _attachment = written
    extra = attachment_add(actor=people.merch, owner=order, upload=png_upload("label.png"),
                           change_perm="sales.change_salesorder")
    client = client_for(people.merch)
    order_page = client.get(order.get_absolute_url() + "?tab=all").content.decode()
    assert f'href="{reverse("documents:attachment_delete", args=[extra.pk])}"' in order_page
    asked = client.get(reverse("documents:attachment_delete", args=[extra.pk]))
    assert asked.status_code == 200 and 'data-action="remove"' in asked.content.decode()
    assert Attachment.objects.filter(pk=extra.pk).exists()  # asking removes nothing
    removed = client.post(reverse("documents:attachment_delete", args=[extra.pk]), {"reason": "duplicate"})
    assert removed.status_code == 302
    assert not Attachment.objects.filter(pk=extra.pk).exists()
