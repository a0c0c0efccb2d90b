"""Rules no schema can state answer with their own codes (``core.errors.RULE_CODES`` and the apps'
own), the field named — suppliers, samples, first articles, inspections, daily progress, production
exceptions, communications and meetings: an API client (and the API fuzz, scripts/api_fuzz_hooks.py)
tells "a rule against today's date, between fields or against stored records" from a malformed
request, which still answers ``validation_failed``. The message stays the page's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from gendan.sales.tests.conftest import make_confirmed, make_in_production, people  # noqa: F401

pytestmark = pytest.mark.django_db


def today(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def moment(**delta) -> str:
    return (timezone.localtime() + dt.timedelta(**delta)).replace(microsecond=0).isoformat()


def refused(response) -> tuple[int, str, set[str]]:
    body = response.json()
    return response.status_code, body["code"], set(body["fields"])


@pytest.fixture(scope="module")
def components(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]


# --- suppliers ----------------------------------------------------------------------------


def test_a_credit_code_failing_its_check_character_is_a_rule_of_its_own(api_for, people):  # noqa: F811
    api = api_for(people.merch)
    body = {"kind": "forwarder", "name_en": "Fast Freight", "country": "CN", "credit_code": "91350100M000100Y44"}
    assert refused(api.post("suppliers/", body)) == (400, "credit_code_check", {"credit_code"})
    no_reason = api.post("suppliers/", {**body, "credit_code_override": True})
    assert refused(no_reason) == (400, "credit_code_check", {"credit_code_override_reason"})
    legacy = api.post("suppliers/", {**body, "credit_code_override": True,
                                     "credit_code_override_reason": "pilot-region code of 2014"})
    assert legacy.status_code == 201, legacy.json()
    # a value wrong in itself beside it: validation_failed (the pattern of 18 letters or digits is in the schema)
    short = api.post("suppliers/", {**body, "credit_code": "9135"})
    assert refused(short)[:2] == (400, "validation_failed")
    supplier = people.factory
    edited = api.patch(f"suppliers/{supplier.pk}/", {"version": supplier.version, "credit_code": "91350100M000100Y44"})
    assert refused(edited) == (400, "credit_code_check", {"credit_code"})


def test_an_edit_that_blanks_the_only_name_answers_name_required(api_for, people):  # noqa: F811
    supplier = people.factory
    supplier.name_en = ""
    supplier.save()
    api = api_for(people.merch)
    response = api.patch(f"suppliers/{supplier.pk}/", {"version": supplier.version, "name_zh": ""})
    assert refused(response) == (400, "name_required", {"name_zh"})
    assert response.json()["message"] == "Enter the name in Chinese or in English (or both)."


def test_the_credit_code_states_its_shape_and_its_check(components):
    credit_code = components["SupplierRequest"]["properties"]["credit_code"]
    assert "credit_code_check" in credit_code["description"]
    pattern = credit_code["oneOf"][0]["pattern"]
    assert [bool(re.search(pattern, text)) for text in ("91350100 M000100Y43", "91350100M000100Y4", "9135-0100M0001")] \
        == [True, False, False]


# --- samples, first articles, inspections -------------------------------------------------


@pytest.fixture
def order(people):  # noqa: F811
    return make_in_production(people, requires_first_article=True)


def test_samples_answer_their_rules_codes(api_for, people, order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    body = {"order": order.pk, "kind": "pp", "quantity": 1, "requested_on": today(3)}
    assert refused(merch.post("samples/", {**body, "requested_on": today(-1)})) == (
        400, "date_in_past", {"requested_on"})
    assert refused(merch.post("samples/", {**body, "production_order": 10**9})) == (
        400, "record_mismatch", {"production_order"})
    # a date against today's date beside a value wrong in itself: validation_failed
    assert refused(merch.post("samples/", {**body, "requested_on": today(-1), "kind": "poster"}))[1] == \
        "validation_failed"
    sample = merch.post("samples/", body).json()
    pk = sample["id"]
    assert refused(merch.post(f"samples/{pk}/send/", {"sent_on": today(1)})) == (400, "date_in_future", {"sent_on"})
    assert merch.post(f"samples/{pk}/send/", {"sent_on": today()}).status_code == 200
    assert refused(merch.post(f"samples/{pk}/receive/", {"received_on": today(1)})) == (
        400, "date_in_future", {"received_on"})
    assert refused(merch.post(f"samples/{pk}/receive/", {"received_on": today(-1)})) == (
        400, "dates_out_of_order", {"received_on"})
    assert merch.post(f"samples/{pk}/receive/", {"received_on": today()}).status_code == 200
    rejected = qc.post(f"samples/{pk}/sign/", {"department": "qc", "verdict": "rejected"})
    assert refused(rejected) == (400, "comment_required", {"comment"})
    assert rejected.json()["message"] == "Say what must change on the sample."
    # QC signs for engineering too, but only a sample that needs it (this one does not)
    assert refused(qc.post(f"samples/{pk}/sign/", {"department": "engineering", "verdict": "approved"})) == (
        400, "engineering_not_needed", {"department"})


def test_a_failed_check_without_a_comment_answers_comment_required(api_for, people, order):  # noqa: F811
    production_order = order.production_orders.get()
    fa = api_for(people.merch).post("first-articles/", {"production_order": production_order.pk,
                                                        "topics": ["logo"]}).json()
    item = fa["items"][0]["id"]
    failed = api_for(people.qc).post(f"first-articles/{fa['id']}/checks/",
                                     {"results": [{"item": item, "result": "fail"}]})
    assert refused(failed) == (400, "comment_required", {f"item_{item}"})


def test_inspections_answer_their_rules_codes(api_for, people, order):  # noqa: F811
    merch, qc = api_for(people.merch), api_for(people.qc)
    body = {"order": order.pk, "kind": "final", "party": "third_party", "inspector": "SGS", "planned_on": today(2),
            "lot_size": 1000}
    assert refused(merch.post("inspections/", {**body, "planned_on": today(-1)})) == (
        400, "date_in_past", {"planned_on"})
    assert refused(merch.post("inspections/", {**body, "planned_on": today(367)})) == (
        400, "date_too_far", {"planned_on"})
    assert refused(merch.post("inspections/", {**body, "lot_size": 10**6})) == (
        400, "values_inconsistent", {"lot_size"})
    assert refused(merch.post("inspections/", {**body, "production_orders": [10**9]})) == (
        400, "record_mismatch", {"production_orders"})
    inspection = merch.post("inspections/", body).json()
    result = {"critical": 0, "major": 0, "minor": 0}
    assert refused(qc.post(f"inspections/{inspection['id']}/result/", {**result, "inspected_on": today(1)})) == (
        400, "date_in_future", {"inspected_on"})
    assert refused(qc.post(f"inspections/{inspection['id']}/result/", {**result, "inspected_on": today(-5)})) == (
        400, "dates_out_of_order", {"inspected_on"})


# --- daily progress and production exceptions ---------------------------------------------


def test_progress_and_exceptions_answer_their_rules_codes(api_for, people):  # noqa: F811
    production_order = make_in_production(people).production_orders.get()
    line = production_order.lines.get(order_line__line_no=1)  # 1 000 mugs
    api = api_for(people.planner)
    url = f"production-progress/{production_order.pk}/record/"

    def entry(**extra):
        return {"entries": [{"line": line.pk, "stage": "cutting", "cumulative_quantity": "10", **extra}]}

    assert refused(api.post(url, {**entry(), "date": today(1)})) == (400, "date_in_future", {"entries[0].date"})
    assert refused(api.post(url, entry(stage="welding"))) == (400, "record_mismatch", {"entries[0].stage"})
    assert refused(api.post(url, entry(cumulative_quantity="1001"))) == (
        400, "values_inconsistent", {"entries[0].cumulative_quantity"})
    assert refused(api.post(url, entry(expected_finish=today(-1)))) == (
        400, "dates_out_of_order", {"entries[0].expected_finish"})
    assert api.post(url, entry(cumulative_quantity="600")).status_code == 200
    backwards = api.post(url, entry(cumulative_quantity="500"))
    assert refused(backwards) == (400, "values_inconsistent", {"entries[0].cumulative_quantity"})
    assert "A correction needs a reason." in backwards.json()["message"]
    assert api.post(url, entry(cumulative_quantity="500", reason="recount")).status_code == 200

    report = {"kind": "material", "production_orders": [production_order.pk], "description": "glaze late"}
    assert refused(api.post("production-exceptions/", {**report, "new_ex_factory_date": today(-1)})) == (
        400, "date_in_past", {"new_ex_factory_date"})
    exception = api.post("production-exceptions/", report).json()
    assert refused(api.post(f"production-exceptions/{exception['id']}/resolve/", {
        "resolution": "airfreight", "new_ex_factory_date": today(-1)})) == (400, "date_in_past", {"new_ex_factory_date"})


# --- communications and meetings ----------------------------------------------------------


def test_communications_and_meetings_answer_their_rules_codes(api_for, people):  # noqa: F811
    order = make_confirmed(people)
    api = api_for(people.merch)
    body = {"order": order.pk, "channel": "email", "direction": "in", "occurred_at": moment(hours=-1),
            "summary": "ship earlier?"}
    assert refused(api.post("communications/", {**body, "occurred_at": moment(days=1)})) == (
        400, "date_in_future", {"occurred_at"})
    assert refused(api.post("communications/", {**body, "follow_up_date": today(-3)})) == (
        400, "dates_out_of_order", {"follow_up_date"})
    assert refused(api.post("communications/", {**body, "customer": people.other_customer.pk})) == (
        400, "record_mismatch", {"customer"})
    assert refused(api.post("communications/", {**body, "contact": 10**9})) == (400, "record_mismatch", {"contact"})
    assert refused(api.post("communications/", {**body, "reply_to": 10**9})) == (
        400, "values_inconsistent", {"reply_to"})
    assert refused(api.post("communications/", {**body, "direction": "out", "reply_to": 10**9})) == (
        400, "record_mismatch", {"reply_to"})
    # a date against now beside a value wrong in itself: validation_failed
    assert refused(api.post("communications/", {**body, "occurred_at": moment(days=1), "summary": ""}))[1] == \
        "validation_failed"

    planner = api_for(people.planner)
    past = planner.post("meetings/", {"title": "Past", "starts_at": moment(hours=-1), "attendees": [people.qc.pk]})
    assert refused(past) == (400, "date_in_past", {"starts_at"})
    meeting = planner.post("meetings/", {"title": "Kick-off", "starts_at": moment(days=1),
                                         "attendees": [people.qc.pk]}).json()
    early = planner.post(f"meetings/{meeting['id']}/minutes/", {"minutes": "ok", "actions": [
        {"description": "chase glaze", "owner": people.merch.pk, "due_date": today()}]})
    assert refused(early) == (400, "dates_out_of_order", {"actions[0].due_date"})


def test_the_schema_states_what_a_communication_and_a_meeting_need(components):
    communication = components["CommunicationRequest"]
    assert [branch["required"] for branch in communication["anyOf"]] == [["order"], ["customer"]]
    def enum(field: str) -> list[str]:
        return components[communication["properties"][field]["$ref"].rsplit("/", 1)[-1]]["enum"]

    # a note and an internal message are not logged through this operation
    assert enum("channel") == ["email", "phone", "fax", "wechat", "visit", "meeting"]
    assert enum("direction") == ["in", "out"]
    for name, field in (("CommunicationRequest", "summary"), ("MeetingRequest", "title"),
                        ("MinutesRequest", "minutes"), ("ActionItemRequest", "description"),
                        ("ExceptionReportRequest", "description"), ("ExceptionResolveRequest", "resolution"),
                        ("InspectionBookRequest", "inspector"), ("RescheduleRequest", "reason")):
        assert "pattern" in components[name]["properties"][field], (name, field)
