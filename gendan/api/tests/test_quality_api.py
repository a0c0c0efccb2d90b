"""Samples, first articles and inspections through the API: the quality pages' services
(workflow, guards, signatures by the role that signs), their scope (another team's order: 404),
roles that may not (403, nothing changed), stale versions (409), bad input (400) and the effect
on the record, its timeline and the order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.events import timeline_for
from gendan.quality.models import FirstArticle, Inspection, Sample
from gendan.sales.tests.conftest import make_in_production, people  # noqa: F401

pytestmark = pytest.mark.django_db


def today(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def order(people):  # noqa: F811
    return make_in_production(people, requires_first_article=True)


@pytest.fixture
def production_order(order):
    return order.production_orders.get()


# --- samples ------------------------------------------------------------------------------


def test_a_sample_round_from_request_to_approval(api_for, people, order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    created = merch.post("samples/", {"order": order.pk, "kind": "pp", "quantity": 3, "requested_on": today(5),
                                      "description": "red mug"})
    assert created.status_code == 201, created.json()
    sample = created.json()
    assert sample["status"] == "requested" and sample["order"]["number"] == order.number
    assert sample["allowed_actions"]["send"]["allowed"] and not sample["allowed_actions"]["sign"]["allowed"]
    pk = sample["id"]
    sent = merch.post(f"samples/{pk}/send/", {"sent_on": today(), "courier": "SF", "tracking_no": "SF123",
                                              "version": sample["version"]})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert sent.json()["rounds"][0]["tracking_no"] == "SF123"
    early = qc.post(f"samples/{pk}/sign/", {"department": "qc", "verdict": "approved"})
    assert early.status_code == 409 and early.json()["code"] == "not_received"
    received = merch.post(f"samples/{pk}/receive/", {"received_on": today(), "comments": "colour ok"})
    assert received.status_code == 200 and received.json()["rounds"][0]["comments_due_on"]
    assert received.json()["allowed_actions"]["sign"]["allowed"]
    # QC signs for QC only: the sales department is the merchandiser's
    assert qc.post(f"samples/{pk}/sign/", {"department": "sales", "verdict": "approved"}).status_code == 403
    assert qc.post(f"samples/{pk}/sign/", {"department": "qc", "verdict": "approved"}).json()["status"] == "sent"
    done = merch.post(f"samples/{pk}/sign/", {"department": "sales", "verdict": "approved"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert [s["department"] for s in done.json()["rounds"][0]["signoffs"]] == ["qc", "sales"]
    assert timeline_for(Sample.objects.get(pk=pk)).first().verb == "state_changed"
    listed = merch.get("samples/", {"order": order.pk, "status": "approved"}).json()
    assert [r["id"] for r in listed["results"]] == [pk]


def test_samples_refuse_what_the_page_refuses(api_for, people, order):  # noqa: F811
    merch = api_for(people.merch)
    bad = merch.post("samples/", {"order": order.pk, "kind": "poster", "quantity": 0, "requested_on": "1999-01-01"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"kind", "quantity", "requested_on"}
    past = merch.post("samples/", {"order": order.pk, "kind": "pp", "quantity": 1, "requested_on": today(-1)})
    assert past.status_code == 400 and "requested_on" in past.json()["fields"]
    # another team's merchandiser: the order is not theirs (404), and the planner may not request (403)
    assert api_for(people.other_merch).post("samples/", {"order": order.pk, "kind": "pp", "quantity": 1,
                                                         "requested_on": today(3)}).status_code == 404
    assert api_for(people.planner).post("samples/", {"order": order.pk, "kind": "pp", "quantity": 1,
                                                     "requested_on": today(3)}).status_code == 403
    assert not Sample.objects.exists()
    sample = merch.post("samples/", {"order": order.pk, "kind": "pp", "quantity": 1, "requested_on": today(3)}).json()
    assert api_for(people.other_merch).get(f"samples/{sample['id']}/").status_code == 404
    assert api_for(people.other_merch).post(f"samples/{sample['id']}/cancel/", {"reason": "no"}).status_code == 404
    stale = merch.post(f"samples/{sample['id']}/send/", {"sent_on": today(), "version": sample["version"] + 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    short = merch.post(f"samples/{sample['id']}/cancel/", {"reason": "x"})
    assert short.status_code == 400 and short.json()["code"] == "reason_required"
    cancelled = merch.post(f"samples/{sample['id']}/cancel/", {"reason": "customer dropped the colour"})
    assert cancelled.json()["status"] == "cancelled"
    again = merch.post(f"samples/{sample['id']}/send/", {"sent_on": today()})
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert Sample.objects.get().status == "cancelled"
    assert api_for(people.warehouse).get("samples/").status_code == 403


# --- first articles -----------------------------------------------------------------------


def test_first_article_checked_and_signed_opens_the_gate(api_for, people, production_order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    assert api_for(people.planner).post("first-articles/", {"production_order": production_order.pk}) \
        .status_code == 403
    created = merch.post("first-articles/", {"production_order": production_order.pk,
                                             "topics": ["logo", "carton marks"]})
    assert created.status_code == 201, created.json()
    fa = created.json()
    assert [i["topic"] for i in fa["items"]] == ["logo", "carton marks"] and fa["status"] == "open"
    again = merch.post("first-articles/", {"production_order": production_order.pk})
    assert again.status_code == 409 and again.json()["code"] == "already_open"
    early = qc.post(f"first-articles/{fa['id']}/sign/", {"side": "qc"})
    assert early.status_code == 409 and early.json()["code"] == "checklist_incomplete"
    items = [i["id"] for i in fa["items"]]
    unknown = qc.post(f"first-articles/{fa['id']}/checks/", {"results": [{"item": 10**9, "result": "pass"}]})
    assert unknown.status_code == 400 and "results[0].item" in unknown.json()["fields"]
    failed_without_reason = qc.post(f"first-articles/{fa['id']}/checks/",
                                    {"results": [{"item": items[0], "result": "fail"}]})
    assert failed_without_reason.status_code == 400
    checked = qc.post(f"first-articles/{fa['id']}/checks/", {"version": fa["version"], "results": [
        {"item": i, "result": "pass", "comment": "ok"} for i in items]})
    assert checked.status_code == 200 and {i["result"] for i in checked.json()["items"]} == {"pass"}
    stale = qc.post(f"first-articles/{fa['id']}/sign/", {"side": "qc", "version": fa["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert merch.post(f"first-articles/{fa['id']}/sign/", {"side": "qc"}).status_code == 403
    assert qc.post(f"first-articles/{fa['id']}/sign/", {"side": "qc"}).json()["status"] == "open"
    approved = merch.post(f"first-articles/{fa['id']}/sign/", {"side": "sales"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["qc_signed_by"]["username"] == "qc"
    assert not approved.json()["allowed_actions"]["reject"]["allowed"]
    first_article = FirstArticle.objects.get()
    assert timeline_for(first_article).first().changes["status"]["new"] == "approved"
    listed = api_for(people.planner).get("first-articles/", {"production_order": production_order.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["status"] == "approved"
    assert api_for(people.other_merch).get(f"first-articles/{fa['id']}/").status_code == 404


def test_first_article_rejected_with_a_reason(api_for, people, production_order):  # noqa: F811
    fa = api_for(people.merch).post("first-articles/", {"production_order": production_order.pk}).json()
    qc = api_for(people.qc)
    assert qc.post(f"first-articles/{fa['id']}/reject/", {}).status_code == 400
    rejected = qc.post(f"first-articles/{fa['id']}/reject/", {"reason": "logo blurred"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "logo blurred"
    assert qc.post(f"first-articles/{fa['id']}/reject/", {"reason": "again"}).status_code == 409


# --- inspections --------------------------------------------------------------------------


def test_inspection_booked_passed_and_listed(api_for, people, order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    body = {"order": order.pk, "kind": "final", "party": "third_party", "inspector": "SGS Shenzhen",
            "planned_on": today(2), "lot_size": 1000}
    assert api_for(people.planner).post("inspections/", body).status_code == 403
    booked = merch.post("inspections/", body)
    assert booked.status_code == 201, booked.json()
    inspection = booked.json()
    assert inspection["status"] == "booked" and inspection["sample_size"] == 80 and inspection["number"]
    assert inspection["allowed_actions"]["cancel"]["allowed"]
    assert not inspection["allowed_actions"]["result"]["allowed"]  # the merchandiser enters no result
    twice = merch.post("inspections/", body)
    assert twice.status_code == 409 and twice.json()["code"] == "already_booked"
    pk = inspection["id"]
    too_many = qc.post(f"inspections/{pk}/result/", {"inspected_on": today(), "critical": 0, "major": 81,
                                                     "minor": 0})
    assert too_many.status_code == 400 and too_many.json()["code"] == "defects_exceed_sample"
    stale = qc.post(f"inspections/{pk}/result/", {"inspected_on": today(), "critical": 0, "major": 1, "minor": 2,
                                                  "version": inspection["version"] + 1})
    assert stale.status_code == 409
    passed = qc.post(f"inspections/{pk}/result/", {"inspected_on": today(), "critical": 0, "major": 1, "minor": 2,
                                                   "notes": "fine", "version": inspection["version"]})
    assert passed.status_code == 200 and passed.json()["status"] == "passed"
    assert passed.json()["result_by"]["username"] == "qc"
    assert timeline_for(Inspection.objects.get(pk=pk)).first().changes["status"]["new"] == "passed"
    assert merch.get("inspections/", {"status": "passed", "q": "SGS"}).json()["count"] == 1
    assert merch.get("inspections/", {"date_from": today(3)}).json()["count"] == 0
    assert api_for(people.other_merch).get("inspections/").json()["count"] == 0
    assert api_for(people.other_merch).get(f"inspections/{pk}/").status_code == 404


def test_a_failed_inspection_books_its_reinspection_and_a_booking_is_cancelled(api_for, people, order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    inspection = merch.post("inspections/", {"order": order.pk, "kind": "inline", "party": "internal",
                                             "inspector": "our QC", "planned_on": today(), "lot_size": 500}).json()
    failed = qc.post(f"inspections/{inspection['id']}/result/", {"inspected_on": today(), "critical": 1,
                                                                 "major": 0, "minor": 0, "reinspection_on": today(4)})
    assert failed.json()["status"] == "failed" and len(failed.json()["reinspections"]) == 1
    again = api_for(people.qc).get(f"inspections/{failed.json()['reinspections'][0]}/").json()
    assert again["reinspection_of"] == inspection["id"] and again["planned_on"] == today(4)
    bad = merch.post(f"inspections/{again['id']}/cancel/", {"reason": ""})
    assert bad.status_code == 400
    cancelled = merch.post(f"inspections/{again['id']}/cancel/", {"reason": "factory not ready"})
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["cancel_reason"] == "factory not ready"
    assert merch.post(f"inspections/{again['id']}/cancel/", {"reason": "twice"}).json()["code"] == \
        "transition_not_allowed"
    wrong = merch.post("inspections/", {"order": order.pk, "kind": "final", "party": "nobody", "inspector": "",
                                        "planned_on": "2026-02-30", "lot_size": 1})
    assert wrong.status_code == 400
    assert set(wrong.json()["fields"]) == {"party", "inspector", "planned_on", "lot_size"}
