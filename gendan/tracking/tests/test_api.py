"""The T&A through the JSON API: the caller's board, an order's milestones, the actions with
the same rules as the pages (reason, predecessor, version, scope), the order list's risk filter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.tracking.models import OrderMilestone
from gendan.tracking.tests.conftest import make_confirmed

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def api(user) -> ApiClient:
    return ApiClient(obtain_token(user))


def test_board_milestones_and_actions_over_the_api(people):
    order = make_confirmed(people)
    client = api(people.merch)
    board = client.get("milestones/board/", {"days": 60}).json()
    keys = {m["key"] for m in board["due_today"] + board["upcoming"] + board["overdue"]}
    assert "pi_confirmed" in keys and set(board["counts"]) >= {"overdue", "due_today", "upcoming", "at_risk"}
    listed = client.get("milestones/", {"order": order.pk}).json()
    assert listed["count"] == 21 and listed["results"][0]["key"] == "po_received"
    OrderMilestone.objects.filter(order=order, key__in=["pi_confirmed", "final_inspection"]).update(
        completes_on="")  # a company's own template: people tick these
    pi = OrderMilestone.objects.get(order=order, key="pi_confirmed")
    answer = client.post(f"milestones/{pi.pk}/complete/", {"version": pi.version})
    assert answer.status_code == 200 and answer.json()["status"] == "done"

    final = OrderMilestone.objects.get(order=order, key="final_inspection")
    refused = client.post(f"milestones/{final.pk}/reschedule/", {"expected_date": "2027-13-01", "reason": "x"})
    assert refused.status_code == 400 and "expected_date" in refused.json()["fields"]
    # a date against today's date answers with its own code (the API fuzz tells it from a malformed request)
    today = timezone.localdate()
    past = client.post(f"milestones/{final.pk}/reschedule/", {"expected_date": (today - dt.timedelta(days=1))
                                                             .isoformat(), "reason": "rework"})
    assert (past.status_code, past.json()["code"], list(past.json()["fields"])) == (
        400, "date_in_past", ["expected_date"])
    far = client.post(f"milestones/{final.pk}/reschedule/", {"expected_date": (today + dt.timedelta(days=731))
                                                            .isoformat(), "reason": "rework"})
    assert (far.status_code, far.json()["code"], list(far.json()["fields"])) == (400, "date_too_far", ["expected_date"])
    refused = client.post(f"milestones/{final.pk}/complete/", {})
    assert refused.status_code == 400 and refused.json()["code"] == "predecessor_open"
    stale = client.post(f"milestones/{final.pk}/note/", {"note": "x", "version": 7})
    assert stale.status_code == 409
    late = (order.ex_factory_date + dt.timedelta(days=3)).isoformat()
    moved = client.post(f"milestones/{final.pk}/reschedule/", {"expected_date": late, "reason": "Rework after FRI",
                                                              "version": final.version})
    assert moved.status_code == 200 and moved.json()["risk"] == "late"
    late_orders = client.get("orders/", {"risk": "late"}).json()
    assert [o["id"] for o in late_orders["results"]] == [order.pk]
    final.refresh_from_db()
    assert final.expected_date.isoformat() == late


def test_the_api_keeps_scope_and_roles(people):
    order = make_confirmed(people)
    deposit = OrderMilestone.objects.get(order=order, key="deposit_received")
    assert api(people.other_merch).get(f"milestones/{deposit.pk}/").status_code == 404
    assert api(people.other_merch).post(f"milestones/{deposit.pk}/complete/", {}).status_code == 404
    assert api(people.qc).post(f"milestones/{deposit.pk}/complete/", {}).status_code == 403
    assert api(people.finance).post(f"milestones/{deposit.pk}/skip/", {"reason": ""}).status_code == 400
    deposit.refresh_from_db()
    assert (deposit.status, deposit.version) == ("open", 1)
