"""The weekly production meeting: planned on its page, a notice emailed to the attendees the
day before by ``chase_run`` (received by a real SMTP server), minutes with action items that
land on their owners' boards, and the action marked done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import NotAllowed
from gendan.core.events import timeline_for
from gendan.tracking.models import ActionItem, Meeting, ReminderLog
from gendan.tracking.services.meetings import action_item_complete, meeting_create
from tests import smtp as smtp_fixtures

smtp = smtp_fixtures.smtp  # the real SMTP server fixture

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def plan(w, *, days_ahead: int = 1, attendees=None) -> Meeting:
    return meeting_create(actor=w.planner, title="Weekly production meeting",
                          starts_at=local(timezone.localdate() + dt.timedelta(days=days_ahead), 9),
                          location="Meeting room 2", agenda="1. Orders late\n2. Materials",
                          attendee_ids=[u.pk for u in (attendees or [w.merch, w.planner, w.qc])])


def run(at: dt.datetime | None = None) -> None:
    call_command("chase_run", at=timezone.localtime(at or timezone.now()).strftime("%Y-%m-%d %H:%M"))


def test_the_planner_plans_the_meeting_on_its_page(people, client_for):
    client = client_for(people.planner)
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(reverse("tracking:meeting_create"), {
        "title": "Weekly production meeting", "starts_at": f"{day.isoformat()}T09:00", "location": "Room 2",
        "attendees": [people.merch.pk, people.qc.pk], "agenda": "Late orders"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.all()) == {people.merch, people.qc}
    assert timezone.localtime(meeting.starts_at).date() == day
    page = client_for(people.qc).get(meeting.get_absolute_url())
    assert page.status_code == 200 and "Late orders" in page.content.decode()
    listing = client_for(people.warehouse).get(reverse("tracking:meeting_list"))
    assert listing.status_code == 200 and "Weekly production meeting" in listing.content.decode()


@pytest.mark.parametrize(("data", "field"), [
    ({"title": "", "starts_at": "2030-01-07T09:00"}, "title"),
    ({"title": "Weekly", "starts_at": "2030-13-07T09:00"}, "starts_at"),
    ({"title": "Weekly", "starts_at": "2001-01-08T09:00"}, "starts_at"),
])
def test_bad_meetings_are_refused(people, client_for, data, field):
    response = client_for(people.planner).post(reverse("tracking:meeting_create"),
                                               {**data, "attendees": [people.merch.pk]})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_salesperson_may_not_plan_meetings(people, client_for):
    assert client_for(people.sales).get(reverse("tracking:meeting_create")).status_code == 403


def test_the_notice_goes_out_the_day_before_once_in_each_attendees_language(people, smtp):
    people.qc.language = "zh-hans"
    people.qc.save()
    tomorrow = plan(people, days_ahead=1)
    later = plan(people, days_ahead=3)

    run()
    run()  # cron runs again a quarter of an hour later: nothing new

    messages = smtp.wait_for(3)
    assert len(smtp.deliveries) == 3
    assert sorted(r for d in smtp.deliveries for r in d.rcpt_tos) == sorted(
        [people.merch.email, people.planner.email, people.qc.email])
    english = next(m for m in messages if m["To"] == people.merch.email)
    assert "Weekly production meeting" in english["Subject"]
    body = english.get_body(preferencelist=("plain",)).get_content()
    assert "Meeting room 2" in body and "1. Orders late" in body
    tomorrow.refresh_from_db()
    later.refresh_from_db()
    assert tomorrow.notice_sent_at is not None and later.notice_sent_at is None
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.MEETING_NOTICE).count() == 1

    # Two days later the other meeting is due for its notice.
    run(timezone.now() + dt.timedelta(days=2))
    smtp.wait_for(6)
    later.refresh_from_db()
    assert later.notice_sent_at is not None


def test_minutes_with_action_items_and_the_owner_marks_one_done(people, confirmed, client_for):
    meeting = plan(people, days_ahead=1)
    client = client_for(people.planner)
    due = timezone.localdate() + dt.timedelta(days=4)
    response = client.post(reverse("tracking:meeting_minutes", args=[meeting.pk]), {
        "minutes": "Order late because the glaze failed; re-fire on Monday.",
        "action-0-description": "Chase the glaze supplier", "action-0-owner": people.merch.pk,
        "action-0-due_date": due.isoformat(), "action-0-order": confirmed.number,
        "action-1-description": "Re-inspect after firing", "action-1-owner": people.qc.pk,
        "action-1-due_date": due.isoformat()})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    chase, reinspect = ActionItem.objects.order_by("id")
    assert (chase.owner, chase.order, chase.due_date) == (people.merch, confirmed, due)
    assert any("Chase the glaze supplier" in e.text for e in timeline_for(confirmed))

    # Only the owner (or the organiser, or a manager) closes an action.
    with pytest.raises(NotAllowed):
        action_item_complete(actor=people.sales, action_item_id=reinspect.pk)
    assert client_for(people.merch).post(reverse("tracking:action_item_done", args=[chase.pk])).status_code == 302
    chase.refresh_from_db()
    assert chase.done_at is not None
    reinspect.refresh_from_db()
    assert reinspect.done_at is None


def test_an_action_item_needs_an_owner_and_a_due_date_not_before_the_meeting(people, client_for):
    meeting = plan(people, days_ahead=1)
    response = client_for(people.planner).post(reverse("tracking:meeting_minutes", args=[meeting.pk]), {
        "minutes": "Discussed.", "action-0-description": "Chase", "action-0-due_date": "2001-01-01",
        "action-2-description": "Fix", "action-2-owner": people.merch.pk, "action-2-due_date": "2026-02-31"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "action-2-due_date" in errors  # impossible date, refused by the form
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not ActionItem.objects.exists()
    response = client_for(people.planner).post(reverse("tracking:meeting_minutes", args=[meeting.pk]), {
        "minutes": "Discussed.", "action-1-description": "Chase", "action-1-due_date": "2001-01-01"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "action-1-owner" in errors and "action-1-due_date" in errors
    response = client_for(people.planner).post(reverse("tracking:meeting_minutes", args=[meeting.pk]), {
        "minutes": "Discussed.", "action-0-description": "Chase", "action-0-owner": people.merch.pk,
        "action-0-due_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "action-0-order": "SO-NO-SUCH"})
    assert response.status_code == 400
    assert "No such order" in " ".join(response.context["form"].errors["action-0-order"])
    assert not ActionItem.objects.exists()


def test_a_cancelled_meeting_gets_no_notice(people, smtp, client_for):
    meeting = plan(people, days_ahead=1)
    assert client_for(people.planner).post(reverse("tracking:meeting_cancel", args=[meeting.pk]),
                                           {"reason": "Public holiday"}).status_code == 302
    run()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and smtp.deliveries == []


def test_the_meeting_list_reads_a_constant_number_of_queries(people, client_for, django_assert_max_num_queries):
    for days in range(1, 13):
        plan(people, days_ahead=days)
    client = client_for(people.merch)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("tracking:meeting_list"))
    assert response.status_code == 200 and response.content.decode().count("Weekly production meeting") >= 12


def test_moving_the_meeting_to_another_day_sends_the_notice_again(people, smtp, client_for):
    meeting = plan(people, days_ahead=1, attendees=[people.merch])
    run()
    smtp.wait_for(1)
    day = timezone.localdate() + dt.timedelta(days=2)
    response = client_for(people.planner).post(reverse("tracking:meeting_edit", args=[meeting.pk]), {
        "title": meeting.title, "starts_at": f"{day.isoformat()}T14:00", "location": "Room 3",
        "attendees": [people.merch.pk], "agenda": meeting.agenda})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notice_sent_at is None and meeting.location == "Room 3"
    run(timezone.now() + dt.timedelta(days=1))
    [_, second] = smtp.wait_for(2)
    assert "14:00" in second["Subject"]
