"""The one-time form token on the forms that create something but are not built on
core/_form.html (issue 11 defect 4): the order page's action buttons, the production release,
the attachment upload."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gendan.documents.models import Attachment
from gendan.sales.models import OrderDocument
from gendan.sales.tests.conftest import make_confirmed, pdf_upload

pytestmark = pytest.mark.django_db


def _token(html: str, action: str) -> str:
    match = re.search(rf'action="{re.escape(action)}"[^>]*>.*?name="form_token" value="([0-9a-f]{{32}})"', html, re.S)
    assert match, f"no one-time token in the form posting to {action}"
    return match.group(1)


def test_a_double_click_on_issue_pi_issues_one_pi(people, client_for):
    order = make_confirmed(people)
    client = client_for(people.merch)
    url = reverse("sales:order_issue_document", args=[order.pk, "pi"])
    token = _token(client.get(order.get_absolute_url()).content.decode(), url)
    first = client.post(url, {"form_token": token, "version": order.version})
    second = client.post(url, {"form_token": token, "version": order.version})
    assert first.status_code == second.status_code == 302  # the second is not refused: it shows the first's result
    assert OrderDocument.objects.filter(order=order, kind="pi").count() == 1


def test_a_double_upload_attaches_the_file_once(people, client_for):
    order = make_confirmed(people)
    client = client_for(people.merch)
    url = reverse("documents:attachment_upload", args=["sales.salesorder", order.pk])
    token = _token(client.get(order.get_absolute_url() + "?tab=all").content.decode(), url)
    before = Attachment.objects.count()
    for _ in range(2):
        response = client.post(url, {"form_token": token, "kind": "other", "description": "packing photo",
                                     "file": pdf_upload("spec.pdf")})
        assert response.status_code == 302
    assert Attachment.objects.count() == before + 1


def test_the_release_page_carries_a_token(people, client_for):
    from gendan.sales.tests.conftest import pay

    order = make_confirmed(people)
    pay(people, order, "370.80")
    url = reverse("production_release:order_release_production", args=[order.pk])
    html = client_for(people.merch).get(url).content.decode()
    assert re.search(r'name="form_token" value="[0-9a-f]{32}"', html)
