"""Communications and meetings through the API: the tracking pages' services — who may log and
plan (403, nothing saved), the scope of the log (another team's order or customer: 404), the
rules (400 / 409) and the effect: reply-due dates, answered messages, the order's timeline,
minutes with action items on their owners' boards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.events import timeline_for
from gendan.sales.tests.conftest import make_confirmed, people  # noqa: F401
from gendan.tracking.models import ActionItem, Communication, Meeting

pytestmark = pytest.mark.django_db


def moment(**delta) -> str:
    return (timezone.localtime() + dt.timedelta(**delta)).replace(microsecond=0).isoformat()


@pytest.fixture
def order(people):  # noqa: F811
    return make_confirmed(people)


def test_an_inbound_message_answered_by_an_outbound_one(api_for, people, order):  # noqa: F811
    api = api_for(people.merch)
    inbound = api.post("communications/", {"order": order.pk, "channel": "email", "direction": "in",
                                           "occurred_at": moment(hours=-1), "summary": "Can you ship a week earlier?",
                                           "contact_name": "Mr. Jansen"})
    assert inbound.status_code == 201, inbound.json()
    first = inbound.json()
    assert first["reply_due"] and first["replied_by"] is None and first["customer"]["code"] == "NORD"
    assert timeline_for(order, limit=None).filter(kind="tracking.communication").exists()
    assert api.get("communications/", {"unanswered": "true"}).json()["count"] == 1
    outbound = api.post("communications/", {"customer": people.customer.pk, "channel": "phone", "direction": "out",
                                            "occurred_at": moment(minutes=-5), "summary": "One week earlier is fine",
                                            "reply_to": first["id"], "follow_up_date": moment()[:10]})
    assert outbound.status_code == 201, outbound.json()
    assert api.get(f"communications/{first['id']}/").json()["replied_by"] == outbound.json()["id"]
    assert api.get("communications/", {"unanswered": "true"}).json()["count"] == 0
    assert api.get("communications/", {"order": order.pk}).json()["count"] == 1
    assert api.get("communications/", {"customer": people.customer.pk, "channel": "phone"}).json()["count"] == 1
    done = api.post(f"communications/{outbound.json()['id']}/follow-up-done/")
    assert done.status_code == 200 and done.json()["follow_up_done_at"]
    assert not done.json()["allowed_actions"]["follow_up_done"]["allowed"]
    twice = api.post(f"communications/{outbound.json()['id']}/follow-up-done/")
    assert twice.status_code == 409 and twice.json()["code"] == "follow_up_done"
    none = api.post(f"communications/{first['id']}/follow-up-done/")
    assert none.status_code == 409 and none.json()["code"] == "no_follow_up"


def test_the_log_is_scoped_and_refuses_what_the_page_refuses(api_for, people, order):  # noqa: F811
    api = api_for(people.merch)
    comm = api.post("communications/", {"order": order.pk, "channel": "wechat", "direction": "in",
                                        "occurred_at": moment(hours=-2), "summary": "photos of the samples"}).json()
    other = api_for(people.other_merch)
    assert other.get("communications/").json()["count"] == 0
    assert other.get(f"communications/{comm['id']}/").status_code == 404
    assert other.post("communications/", {"order": order.pk, "channel": "email", "direction": "in",
                                          "occurred_at": moment(), "summary": "x"}).status_code == 404
    assert api_for(people.qc).post("communications/", {"order": order.pk, "channel": "email", "direction": "in",
                                                       "occurred_at": moment(), "summary": "x"}).status_code == 403
    future = api.post("communications/", {"order": order.pk, "channel": "email", "direction": "in",
                                          "occurred_at": moment(days=1), "summary": "x"})
    assert future.status_code == 400 and "occurred_at" in future.json()["fields"]
    shape = api.post("communications/", {"order": order.pk, "channel": "pigeon", "direction": "sideways",
                                         "occurred_at": "1999-12-31T10:00:00+08:00", "summary": ""})
    assert shape.status_code == 400
    assert set(shape.json()["fields"]) == {"channel", "direction", "occurred_at", "summary"}
    nobody = api.post("communications/", {"channel": "email", "direction": "in", "occurred_at": moment(),
                                          "summary": "about what?"})
    assert nobody.status_code == 400
    assert Communication.objects.count() == 1
    assert api_for(people.warehouse).get("communications/").status_code == 403


def test_a_meeting_planned_changed_held_with_action_items(api_for, people, order):  # noqa: F811
    planner = api_for(people.planner)
    body = {"title": "Weekly production meeting", "starts_at": moment(days=2), "location": "Room 3",
            "attendees": [people.merch.pk, people.qc.pk]}
    assert api_for(people.finance).post("meetings/", body).status_code == 403
    created = planner.post("meetings/", body)
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["status"] == "planned" and {a["username"] for a in meeting["attendees"]} == {"merch", "qc"}
    assert meeting["allowed_actions"]["minutes"]["allowed"]
    assert timeline_for(Meeting.objects.get()).first().kind == "tracking.meeting_planned"
    changed = planner.patch(f"meetings/{meeting['id']}/", {"location": "Room 5"})
    assert changed.status_code == 200 and changed.json()["location"] == "Room 5"
    assert changed.json()["title"] == "Weekly production meeting" and len(changed.json()["attendees"]) == 2
    assert api_for(people.finance).get(f"meetings/{meeting['id']}/").status_code == 200  # everyone reads
    bad_owner = planner.post(f"meetings/{meeting['id']}/minutes/", {"minutes": "ok", "actions": [
        {"description": "chase glaze", "owner": 10**9, "due_date": moment(days=3)[:10]}]})
    assert bad_owner.status_code == 400 and "actions[0].owner" in bad_owner.json()["fields"]
    early_due = planner.post(f"meetings/{meeting['id']}/minutes/", {"minutes": "ok", "actions": [
        {"description": "chase glaze", "owner": people.merch.pk, "due_date": "2026-01-01"}]})
    assert early_due.status_code == 400 and "actions[0].due_date" in early_due.json()["fields"]
    held = planner.post(f"meetings/{meeting['id']}/minutes/", {"minutes": "Glaze late; airfreight.", "actions": [
        {"description": "chase glaze", "owner": people.merch.pk, "due_date": moment(days=3)[:10],
         "order": order.pk}]})
    assert held.status_code == 200, held.json()
    assert held.json()["status"] == "held" and held.json()["action_items"][0]["order"]["number"] == order.number
    assert timeline_for(order, limit=None).filter(kind="tracking.action_item_added").exists()
    cancel = planner.post(f"meetings/{meeting['id']}/cancel/", {"reason": "too late"})
    assert cancel.status_code == 409 and cancel.json()["code"] == "transition_not_allowed"
    assert planner.patch(f"meetings/{meeting['id']}/", {"location": "Room 6"}).status_code == 409
    item = ActionItem.objects.get()
    assert api_for(people.qc).post(f"action-items/{item.pk}/done/").status_code == 403
    done = api_for(people.merch).post(f"action-items/{item.pk}/done/")
    assert done.status_code == 200 and done.json()["done_at"]
    again = api_for(people.merch).post(f"action-items/{item.pk}/done/")
    assert again.status_code == 409 and again.json()["code"] == "action_done"
    assert planner.get("meetings/", {"status": "held", "q": "weekly"}).json()["count"] == 1


def test_meetings_refuse_bad_input_and_cancel_with_a_reason(api_for, people):  # noqa: F811
    planner = api_for(people.planner)
    past = planner.post("meetings/", {"title": "Past", "starts_at": moment(hours=-1), "attendees": [people.qc.pk]})
    assert past.status_code == 400 and "starts_at" in past.json()["fields"]
    nobody = planner.post("meetings/", {"title": "x", "starts_at": moment(days=1), "attendees": [10**9]})
    assert nobody.status_code == 400 and "attendees[0]" in nobody.json()["fields"]
    shape = planner.post("meetings/", {"title": "", "starts_at": "2150-01-01T09:00", "attendees": []})
    assert shape.status_code == 400 and set(shape.json()["fields"]) == {"title", "starts_at", "attendees"}
    assert not Meeting.objects.exists()
    meeting = planner.post("meetings/", {"title": "Kick-off", "starts_at": moment(days=1),
                                         "attendees": [people.qc.pk]}).json()
    assert api_for(people.qc).post(f"meetings/{meeting['id']}/cancel/", {"reason": "ill"}).status_code == 403
    assert planner.post(f"meetings/{meeting['id']}/cancel/", {"reason": "x"}).status_code == 400
    cancelled = planner.post(f"meetings/{meeting['id']}/cancel/", {"reason": "customer visit moved"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert not cancelled.json()["allowed_actions"]["edit"]["allowed"]
    assert timeline_for(Meeting.objects.get()).first().reason == "customer visit moved"
