"""Delay notices: drafted when the predicted ex-factory date passes the promised one (one draft
per order, the merchandiser's wording kept), reviewed and edited on its page, sent to the
customer's main contact (received by a real SMTP server), logged as a communication; a stale
edit is refused with 409 and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gendan.core.errors import ConflictError, ValidationFailed
from gendan.core.events import timeline_for
from gendan.tracking.models import Communication, DelayNotice
from gendan.tracking.services.delay_notices import (
    delay_notice_discard,
    delay_notice_draft,
    delay_notice_send,
    delay_notice_update,
)
from tests import smtp as smtp_fixtures

smtp = smtp_fixtures.smtp  # the real SMTP server fixture

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def draft_for(order, *, days=10, reason="The glaze failed the lead test; the batch is re-fired."):
    return delay_notice_draft(order=order, new_date=order.ex_factory_date + dt.timedelta(days=days), reason=reason)


def test_one_draft_per_order_follows_the_latest_prediction(people, confirmed):
    first = draft_for(confirmed, days=5)
    assert (first.status, first.promised_date) == (DelayNotice.Status.DRAFT, confirmed.ex_factory_date)
    assert "PO-4711" in first.subject and confirmed.number in first.subject
    assert (confirmed.ex_factory_date + dt.timedelta(days=5)).isoformat() in first.body
    assert "re-fired" in first.body

    second = draft_for(confirmed, days=9)

    assert second.pk == first.pk and DelayNotice.objects.count() == 1
    assert second.new_date == confirmed.ex_factory_date + dt.timedelta(days=9)
    assert (confirmed.ex_factory_date + dt.timedelta(days=9)).isoformat() in second.body
    assert any("Delay notice drafted" in e.text for e in timeline_for(confirmed))


def test_the_merchandisers_wording_survives_a_new_prediction(people, confirmed):
    notice = draft_for(confirmed, days=5)
    notice = delay_notice_update(actor=people.merch, notice_id=notice.pk, subject=notice.subject,
                                 body="Dear Mr. Jansen, sorry — personal words.", expected_version=notice.version)
    notice = draft_for(confirmed, days=8)
    assert notice.body == "Dear Mr. Jansen, sorry — personal words."
    assert notice.new_date == confirmed.ex_factory_date + dt.timedelta(days=8)


def test_no_notice_when_the_new_date_is_not_later(people, confirmed):
    with pytest.raises(ValidationFailed, match="not after the promised"):
        draft_for(confirmed, days=0)
    assert not DelayNotice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_reviewed_edited_and_sent_from_its_page_the_customer_receives_it(
        people, confirmed, smtp, client_for):
    notice = draft_for(confirmed)
    client = client_for(people.merch)
    order_page = client.get(confirmed.get_absolute_url() + "?tab=all")
    assert reverse("tracking:delay_notice_detail", args=[notice.pk]) in order_page.content.decode()
    listing = client.get(reverse("tracking:delay_notice_list"))
    assert confirmed.number in listing.content.decode()
    url = reverse("tracking:delay_notice_detail", args=[notice.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"action": "send", "subject": "Your PO-4711: new ex-factory date",
                                 "body": notice.body + "\n\nP.S. We ship by air at our cost.",
                                 "version": notice.version})

    assert response.status_code == 302
    [message] = smtp.wait_for(1)
    assert smtp.deliveries[0].rcpt_tos == ("buyer@nordlicht.example",)
    assert message["Subject"] == "Your PO-4711: new ex-factory date"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "We ship by air at our cost" in body and "re-fired" in body
    notice.refresh_from_db()
    assert (notice.status, notice.sent_to, notice.sent_by) == (DelayNotice.Status.SENT, "buyer@nordlicht.example",
                                                               people.merch)
    assert notice.sent_at is not None and notice.email_error == ""
    logged = Communication.objects.get(order=confirmed)
    assert (logged.direction, logged.channel) == ("out", "email")
    assert any("Delay notice sent to buyer@nordlicht.example" in e.text for e in timeline_for(confirmed))


def test_a_stale_version_is_refused_with_409_and_nothing_changes(people, confirmed, client_for):
    notice = draft_for(confirmed)
    loaded = notice.version
    delay_notice_update(actor=people.manager, notice_id=notice.pk, subject="Manager's subject", body=notice.body,
                        expected_version=loaded)

    response = client_for(people.merch).post(reverse("tracking:delay_notice_detail", args=[notice.pk]), {
        "action": "send", "subject": "Mine", "body": "Mine", "version": loaded})

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    notice.refresh_from_db()
    assert (notice.status, notice.subject) == (DelayNotice.Status.DRAFT, "Manager's subject")
    with pytest.raises(ConflictError):
        delay_notice_send(actor=people.merch, notice_id=notice.pk, subject="x", body="y", expected_version=loaded)


def test_discarding_needs_a_reason(people, confirmed, client_for):
    notice = draft_for(confirmed)
    url = reverse("tracking:delay_notice_detail", args=[notice.pk])
    client = client_for(people.merch)
    response = client.post(url, {"action": "discard", "subject": notice.subject, "body": notice.body,
                                 "version": notice.version, "discard_reason": ""})
    assert response.status_code == 400 and "discard_reason" in response.context["form"].errors
    assert client.post(url, {"action": "discard", "subject": notice.subject, "body": notice.body,
                             "version": notice.version, "discard_reason": "Recovered by overtime"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.DISCARDED
    with pytest.raises(Exception, match="discarded already"):
        delay_notice_discard(actor=people.merch, notice_id=notice.pk, reason="again")


def test_other_teams_and_roles_cannot_see_or_send_it(people, confirmed, client_for):
    notice = draft_for(confirmed)
    url = reverse("tracking:delay_notice_detail", args=[notice.pk])
    data = {"action": "send", "subject": "x", "body": "y", "version": notice.version}
    assert client_for(people.other_merch).post(url, data).status_code == 404
    assert client_for(people.sales).post(url, data).status_code == 403  # sees it, may not send it
    assert client_for(people.warehouse).get(url).status_code == 404
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.DRAFT and not Communication.objects.exists()


def test_a_customer_without_email_cannot_be_notified(people, confirmed):
    people.customer.contacts.update(email="")
    notice = draft_for(confirmed)
    with pytest.raises(ValidationFailed, match="no email address"):
        delay_notice_send(actor=people.merch, notice_id=notice.pk, subject=notice.subject, body=notice.body,
                          expected_version=notice.version)
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.DRAFT


def test_the_drafts_list_reads_a_constant_number_of_queries(people, client_for, django_assert_max_num_queries,
                                                            minute_caches):
    from gendan.sales.tests.conftest import make_confirmed

    orders = [make_confirmed(people, po=f"PO-{i}") for i in range(6)]
    for order in orders:
        draft_for(order)
    client = client_for(people.merch)
    with django_assert_max_num_queries(14):  # incl. the chase badge: 3 counts + meeting actions
        response = client.get(reverse("tracking:delay_notice_list"))
    assert response.status_code == 200
    assert all(order.number in response.content.decode() for order in orders)
