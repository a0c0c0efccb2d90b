"""Daily progress and production exceptions through the API: the planning pages' services —
only the planner or a manager records progress (403, nothing saved), refusals named per entry
(400), scope through the orders (404), a stale exception (409) and the effect on the grid, the
produced quantity and the timelines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.events import timeline_for
from gendan.planning.models import ProductionException, ProgressEntry
from gendan.sales.tests.conftest import make_in_production, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_order(people):  # noqa: F811
    return make_in_production(people).production_orders.get()


@pytest.fixture
def line(production_order):
    return production_order.lines.get(order_line__line_no=1)  # 1 000 mugs


def test_progress_list_and_grid(api_for, people, production_order, line):  # noqa: F811
    api = api_for(people.planner)
    listed = api.get("production-progress/").json()
    assert [r["number"] for r in listed["results"]] == [production_order.number]
    assert api.get("production-progress/", {"q": "no-such"}).json()["count"] == 0
    grid = api.get(f"production-progress/{production_order.pk}/").json()
    first = next(row for row in grid["lines"] if row["line"] == line.pk)
    assert [s["stage"] for s in first["stages"]] == ["cutting", "assembly", "painting", "packing"]
    assert first["stages"][0]["done"] is None and grid["allowed_actions"]["record"]["allowed"]
    assert not api_for(people.merch).get(f"production-progress/{production_order.pk}/").json()[
        "allowed_actions"]["record"]["allowed"]
    assert api_for(people.other_merch).get(f"production-progress/{production_order.pk}/").status_code == 404
    assert api_for(people.finance).get("production-progress/").status_code == 403


def test_recording_a_days_progress(api_for, people, production_order, line):  # noqa: F811
    api = api_for(people.planner)
    recorded = api.post(f"production-progress/{production_order.pk}/record/", {"entries": [
        {"line": line.pk, "stage": "cutting", "cumulative_quantity": "600"},
        {"line": line.pk, "stage": "packing", "cumulative_quantity": 250,
         "expected_finish": (timezone.localdate() + dt.timedelta(days=9)).isoformat()}]})
    assert recorded.status_code == 200, recorded.json()
    body = recorded.json()
    assert body["saved"] == 2 and body["unchanged"] == 0
    row = next(r for r in body["lines"] if r["line"] == line.pk)
    assert row["stages"][0]["today"] == "600.000" and row["produced_quantity"] == "250.000"
    line.refresh_from_db()
    assert line.produced_quantity == Decimal("250")
    assert timeline_for(production_order, limit=None).filter(kind="planning.progress").count() == 2
    same = api.post(f"production-progress/{production_order.pk}/record/", {"entries": [
        {"line": line.pk, "stage": "cutting", "cumulative_quantity": "600"}]})
    assert same.json()["saved"] == 0 and same.json()["unchanged"] == 1
    backwards = api.post(f"production-progress/{production_order.pk}/record/", {"entries": [
        {"line": line.pk, "stage": "cutting", "cumulative_quantity": "500"}]})
    assert backwards.status_code == 400 and "entries[0].cumulative_quantity" in backwards.json()["fields"]
    corrected = api.post(f"production-progress/{production_order.pk}/record/", {"entries": [
        {"line": line.pk, "stage": "cutting", "cumulative_quantity": "500", "reason": "recount: 100 scrap"}]})
    assert corrected.status_code == 200
    assert ProgressEntry.objects.get(stage="cutting").correction_reason == "recount: 100 scrap"


def test_refused_progress_saves_nothing(api_for, people, production_order, line):  # noqa: F811
    url = f"production-progress/{production_order.pk}/record/"
    entry = {"line": line.pk, "stage": "cutting", "cumulative_quantity": "10"}
    merch = api_for(people.merch).post(url, {"entries": [entry]})
    assert merch.status_code == 403 and merch.json()["code"] == "forbidden"
    api = api_for(people.planner)
    refused = api.post(url, {"entries": [entry, {"line": line.pk, "stage": "welding", "cumulative_quantity": "1"},
                                         {"line": line.pk, "stage": "assembly", "cumulative_quantity": "1001"}]})
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"entries[1].stage", "entries[2].cumulative_quantity"}
    future = api.post(url, {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "entries": [entry]})
    assert future.status_code == 400 and "entries[0].date" in future.json()["fields"]
    foreign = api.post(url, {"entries": [{**entry, "line": 10**9}]})
    assert foreign.status_code == 400 and "entries[0].line" in foreign.json()["fields"]
    shape = api.post(url, {"entries": [{"line": line.pk, "stage": "cut ting", "cumulative_quantity": "-1"}]})
    assert shape.status_code == 400 and {"entries[0].stage", "entries[0].cumulative_quantity"} <= set(
        shape.json()["fields"])
    assert api.post(url, {"entries": []}).status_code == 400
    assert not ProgressEntry.objects.exists()


def test_exceptions_reported_listed_and_resolved(api_for, people, production_order):  # noqa: F811
    merch = api_for(people.merch)
    new_date = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    reported = merch.post("production-exceptions/", {"kind": "material", "production_orders": [production_order.pk],
                                                     "description": "glaze late", "new_ex_factory_date": new_date})
    assert reported.status_code == 201, reported.json()
    exception = reported.json()
    assert exception["status"] == "open" and exception["orders"][0]["number"] == production_order.sales_order.number
    assert timeline_for(production_order, limit=None).filter(kind="planning.exception_reported").exists()
    # QC reports quality problems only; another team's merchandiser does not see the order
    qc = api_for(people.qc).post("production-exceptions/", {"kind": "capacity", "description": "x",
                                                             "production_orders": [production_order.pk]})
    assert qc.status_code == 403
    foreign = api_for(people.other_merch).post("production-exceptions/", {
        "kind": "other", "description": "x", "production_orders": [production_order.pk]})
    assert foreign.status_code == 400 and "production_orders" in foreign.json()["fields"]
    assert ProductionException.objects.count() == 1
    assert api_for(people.other_merch).get(f"production-exceptions/{exception['id']}/").status_code == 404
    planner = api_for(people.planner)
    assert planner.get("production-exceptions/", {"status": "open", "kind": "material"}).json()["count"] == 1
    assert planner.get("production-exceptions/", {"kind": "quality"}).json()["count"] == 0
    stale = planner.post(f"production-exceptions/{exception['id']}/resolve/",
                         {"resolution": "airfreight", "version": exception["version"] + 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    empty = planner.post(f"production-exceptions/{exception['id']}/resolve/", {"resolution": " "})
    assert empty.status_code == 400
    resolved = planner.post(f"production-exceptions/{exception['id']}/resolve/",
                            {"resolution": "airfreight glaze", "version": exception["version"]})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_by"]["username"] == "planner"
    assert not resolved.json()["allowed_actions"]["resolve"]["allowed"]
    again = planner.post(f"production-exceptions/{exception['id']}/resolve/", {"resolution": "again"})
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    past = merch.post("production-exceptions/", {"kind": "other", "description": "x",
                                                 "production_orders": [production_order.pk],
                                                 "new_ex_factory_date": "2026-01-01"})
    assert past.status_code == 400 and "new_ex_factory_date" in past.json()["fields"]
