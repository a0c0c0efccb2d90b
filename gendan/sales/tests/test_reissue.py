"""Re-issuing a PI (issue 11 defect 5): on a completed, paid order it voided the current PI with
no confirmation. Now the page says what re-issuing does and asks; the service refuses without
the confirmation and refuses outright once the order is shipped and paid."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.core.errors import ValidationFailed
from gendan.sales.models import OrderDocument, SalesOrder
from gendan.sales.services.documents import document_issue
from gendan.sales.tests.conftest import make_confirmed, make_draft

pytestmark = pytest.mark.django_db


def _current(order) -> list[int]:
    return list(order.documents.filter(kind="pi", is_current=True).values_list("version", flat=True))


def test_a_re_issue_needs_the_confirmation_and_says_what_happens(people):
    order = make_confirmed(people)
    first = document_issue(actor=people.merch, order_id=order.pk, kind="pi")  # the first needs no confirmation
    with pytest.raises(ValidationFailed) as refused:
        document_issue(actor=people.merch, order_id=order.pk, kind="pi")
    assert refused.value.code == "reissue_unconfirmed"
    message = refused.value.fields["confirm_replace"][0]
    assert message.startswith(f"Confirm the re-issue: {first.display_number} (issued ")
    assert "stops being the current version and stays in the archive; version 2 is issued" in message
    assert _current(order) == [1]
    again = document_issue(actor=people.merch, order_id=order.pk, kind="pi", confirm_replace=True)
    assert again.version == 2 and _current(order) == [2]


def test_a_shipped_and_paid_order_keeps_its_pi(people):
    order = make_draft(people, confirmer=people.merch, finance=people.finance, supplier=people.factory,
                       state="shipped")
    assert order.status in (SalesOrder.Status.COMPLETED, SalesOrder.Status.SHIPPED)
    assert order.received_amount >= order.total_amount
    before = list(order.documents.values_list("pk", "is_current"))
    with pytest.raises(ValidationFailed) as refused:
        document_issue(actor=people.merch, order_id=order.pk, kind="pi", confirm_replace=True)
    assert refused.value.code == "document_not_issuable"
    assert "is shipped and paid in full" in refused.value.message
    assert list(order.documents.values_list("pk", "is_current")) == before


def test_the_page_shows_what_re_issuing_does_and_asks(people, client_for):
    order = make_confirmed(people)
    client = client_for(people.merch)
    url = reverse("sales:order_issue_document", args=[order.pk, "pi"])
    assert client.post(url).status_code == 302  # the first PI: no question
    html = client.get(order.get_absolute_url()).content.decode()
    assert 'data-action="issue_pi">Re-issue PI<' in html
    assert "stops being the current version and stays in the archive" in html
    assert 'name="issue_pi-confirm_replace"' in html
    refused = client.post(url)
    assert refused.status_code == 400
    assert "Confirm the re-issue:" in refused.content.decode()
    assert _current(order) == [1]
    assert client.post(url, {"issue_pi-confirm_replace": "on"}).status_code == 302
    assert _current(order) == [2]


def test_the_page_says_why_a_paid_shipped_order_is_not_re_issued(people, client_for):
    order = make_draft(people, confirmer=people.merch, finance=people.finance, supplier=people.factory,
                       state="shipped")
    html = client_for(people.merch).get(order.get_absolute_url()).content.decode()
    why = re.search(r'data-why="issue_pi">([^<]*)<', html)
    assert why and "shipped and paid in full" in why.group(1)
    response = client_for(people.merch).post(reverse("sales:order_issue_document", args=[order.pk, "pi"]),
                                             {"issue_pi-confirm_replace": "on"})
    assert response.status_code == 400
    assert not OrderDocument.objects.filter(order=order, version__gt=1).exists()


def test_the_api_asks_for_confirm_replace(people):
    order = make_confirmed(people)
    merch = ApiClient(obtain_token(people.merch), language="en")
    assert merch.post(f"orders/{order.pk}/documents/", {"kind": "pi"}).status_code == 201
    refused = merch.post(f"orders/{order.pk}/documents/", {"kind": "pi"})
    assert refused.status_code == 400 and refused.json()["code"] == "reissue_unconfirmed"
    assert merch.post(f"orders/{order.pk}/documents/", {"kind": "pi", "confirm_replace": True}).status_code == 201
    assert _current(order) == [2]
