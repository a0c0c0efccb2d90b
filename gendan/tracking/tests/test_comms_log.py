"""The communication log: reply-due days on the working calendar, replies that answer the
customer's messages, follow-ups, events on the order and customer — through the services and
through the order page's "Communications" panel and the per-customer log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.events import timeline_for
from gendan.core.models import CalendarDay
from gendan.documents.services import attachments_for
from gendan.tracking.models import Communication
from gendan.tracking.services.communications import (
    communication_follow_up_done,
    communication_record,
    reply_due_for,
)
from tests.clock import working_days_ago

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(y, m, d, hh, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def log(w, order=None, *, direction="in", when=None, summary="Buyer asks for the PP sample date", **extra):
    return communication_record(actor=w.merch, order_id=order.pk if order else None,
                                customer_id=None if order else w.customer.pk, channel="email",
                                direction=direction, occurred_at=when or timezone.now() - dt.timedelta(minutes=5),
                                summary=summary, **extra)


# --- the reply-due rule (seed 001 第四篇: answer the same day) ---------------------------------


def test_an_inbound_message_is_due_the_same_working_day_before_five_and_the_next_after():
    wednesday = dt.date(2026, 3, 4)
    assert reply_due_for(at(2026, 3, 4, 16, 59)) == wednesday
    assert reply_due_for(at(2026, 3, 4, 17, 0)) == dt.date(2026, 3, 5)
    # Friday evening and the weekend are answered on Monday.
    assert reply_due_for(at(2026, 3, 6, 18, 30)) == dt.date(2026, 3, 9)
    assert reply_due_for(at(2026, 3, 7, 10, 0)) == dt.date(2026, 3, 9)


def test_holidays_and_make_up_working_days_come_from_the_company_calendar():
    CalendarDay.objects.create(date=dt.date(2026, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆")
    CalendarDay.objects.create(date=dt.date(2026, 10, 2), kind=CalendarDay.Kind.HOLIDAY, name="国庆")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert reply_due_for(at(2026, 9, 30, 20, 0)) == dt.date(2026, 10, 5)  # Wed evening → after the holiday
    assert reply_due_for(at(2026, 10, 10, 9, 0)) == dt.date(2026, 10, 10)  # a Saturday that is worked


# --- recording ------------------------------------------------------------------------------


def test_an_outbound_message_answers_the_customers_open_messages_and_the_order_timeline_shows_both(people,
                                                                                                   confirmed):
    inbound = log(people, confirmed, when=timezone.now() - dt.timedelta(hours=2))
    assert inbound.reply_due is not None and inbound.replied_by is None

    reply = log(people, confirmed, direction="out", summary="PP sample ships Friday by DHL")

    inbound.refresh_from_db()
    assert inbound.replied_by == reply
    assert reply.reply_due is None
    messages = [e.text for e in timeline_for(confirmed)]
    assert any("PP sample ships Friday" in m for m in messages)
    assert any("Buyer asks for the PP sample date" in m for m in messages)
    assert any("PP sample ships Friday" in e.text for e in timeline_for(people.customer))


def test_a_reply_names_the_message_it_answers_and_leaves_the_others_open(people, confirmed):
    first = log(people, confirmed, when=timezone.now() - dt.timedelta(hours=3), summary="Carton marks?")
    second = log(people, confirmed, when=timezone.now() - dt.timedelta(hours=2), summary="Label artwork?")

    log(people, confirmed, direction="out", summary="Marks attached", reply_to_id=first.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.replied_by is not None and second.replied_by is None


def test_a_follow_up_is_closed_once(people, confirmed):
    c = log(people, confirmed, direction="out", summary="Asked for the deposit",
            follow_up_date=timezone.localdate() + dt.timedelta(days=2))
    communication_follow_up_done(actor=people.merch, communication_id=c.pk)
    c.refresh_from_db()
    assert c.follow_up_done_at is not None
    with pytest.raises(BusinessError, match="already marked done") as refused:
        communication_follow_up_done(actor=people.merch, communication_id=c.pk)
    assert (refused.value.code, refused.value.status) == ("follow_up_done", 409)


def test_the_contact_must_belong_to_the_customer(people, confirmed):
    from tests.factories import ContactFactory

    stranger = ContactFactory(customer=people.other_customer)
    with pytest.raises(ValidationFailed) as exc:
        log(people, confirmed, contact_id=stranger.pk)
    assert "contact" in exc.value.fields
    assert not Communication.objects.exists()


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.dates
def test_the_merchandiser_logs_a_call_with_the_fax_from_the_order_page(people, confirmed, client_for):
    client = client_for(people.merch)
    page = client.get(confirmed.get_absolute_url() + "?tab=all")
    assert page.status_code == 200
    assert 'data-testid="communications-panel"' in page.content.decode()
    form_url = reverse("tracking:order_communication_create", args=[confirmed.pk])
    assert form_url in page.content.decode()

    contact, day = people.customer.contacts.get(), working_days_ago(1)  # never in the future, at any clock
    response = client.post(form_url, {
        "channel": "fax", "direction": "in", "occurred_at": f"{day}T10:15", "contact": contact.pk,
        "summary": "Customer faxed the revised carton marks", "follow_up_date": day + dt.timedelta(days=2),
        "attachment": SimpleUploadedFile("marks.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })

    assert response.status_code == 302
    c = Communication.objects.get()
    assert (c.order, c.customer, c.contact, c.contact_name) == (confirmed, people.customer, contact, contact.name)
    assert c.reply_due == day  # a fax in before five is answered the same working day
    assert [a.original_name for a in attachments_for(c)] == ["marks.pdf"]
    page = client.get(confirmed.get_absolute_url() + "?tab=all").content.decode()
    assert "Customer faxed the revised carton marks" in page
    detail = client.get(reverse("tracking:communication_detail", args=[c.pk]))
    assert detail.status_code == 200 and "marks.pdf" in detail.content.decode()
    [fax] = attachments_for(c)
    assert client.get(fax.get_absolute_url()).status_code == 200
    assert client_for(people.other_merch).get(fax.get_absolute_url()).status_code == 404


def test_the_customer_log_lists_every_communication_with_bounded_queries(people, confirmed, client_for,
                                                                         django_assert_max_num_queries):
    for i in range(12):
        log(people, confirmed if i % 2 else None, when=timezone.now() - dt.timedelta(hours=i + 1),
            summary=f"Message {i}")
    client = client_for(people.sales)
    url = reverse("tracking:customer_communications", args=[people.customer.pk])
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert all(f"Message {i}" in body for i in range(12))
    order_page = client_for(people.merch).get(confirmed.get_absolute_url())
    assert order_page.status_code == 200 and "Message 1" in order_page.content.decode()
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("role", ["other_merch", "other_sales"])
def test_another_teams_people_get_404_and_nothing_is_saved(people, confirmed, client_for, role):
    client = client_for(getattr(people, role))
    data = {"channel": "phone", "direction": "out", "occurred_at": f"{working_days_ago(1)}T10:15", "summary": "hello"}
    assert client.post(reverse("tracking:order_communication_create", args=[confirmed.pk]), data).status_code == 404
    assert client.post(reverse("tracking:customer_communication_create", args=[people.customer.pk]),
                       data).status_code == 404
    assert client.get(reverse("tracking:customer_communications", args=[people.customer.pk])).status_code == 404
    c = log(people, confirmed)
    assert client.get(reverse("tracking:communication_detail", args=[c.pk])).status_code == 404
    assert Communication.objects.count() == 1


def test_roles_without_the_log_cannot_write_to_it(people, confirmed, client_for):
    url = reverse("tracking:order_communication_create", args=[confirmed.pk])
    response = client_for(people.warehouse).post(url, {"channel": "phone", "direction": "out",
                                                       "occurred_at": f"{working_days_ago(1)}T10:15", "summary": "x"})
    assert response.status_code == 403
    assert not Communication.objects.exists()


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"follow_up_date": lambda day: day - dt.timedelta(days=3)}, "follow_up_date", "before the communication itself"),
    ({"occurred_at": "2026-02-30T10:00"}, "occurred_at", "Enter a valid date/time"),
    ({"follow_up_date": "next week"}, "follow_up_date", "Enter a valid date"),
    ({"summary": "  "}, "summary", "Write what was said or agreed"),
    ({"channel": "telegram"}, "channel", "Select a valid choice"),
    ({"attachment": lambda day: SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")},
     "attachment", "are not accepted"),
])
@pytest.mark.dates
def test_bad_input_is_refused_with_the_reason_and_nothing_saved(people, confirmed, client_for, change, field,
                                                                message):
    day = working_days_ago(1)  # never in the future, at any clock
    change = {name: value(day) if callable(value) else value for name, value in change.items()}  # made per run
    data = {"channel": "email", "direction": "in", "occurred_at": f"{day}T10:15",
            "summary": "Buyer confirms the colours", **change}
    response = client_for(people.merch).post(reverse("tracking:order_communication_create", args=[confirmed.pk]),
                                             data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Communication.objects.exists()


def test_the_follow_up_is_marked_done_from_the_communication_page(people, confirmed, client_for):
    c = log(people, confirmed, direction="out", follow_up_date=timezone.localdate())
    response = client_for(people.merch).post(reverse("tracking:communication_follow_up_done", args=[c.pk]))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.follow_up_done_at is not None
    assert client_for(people.other_merch).post(
        reverse("tracking:communication_follow_up_done", args=[c.pk])).status_code == 404
