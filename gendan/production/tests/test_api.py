"""Production orders through the JSON API with a real token: scope, allowed actions with their
reasons, a step through the same service (409 on a stale version), roles that may not."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.production.tests.conftest import due

pytestmark = pytest.mark.django_db


def _api(user) -> ApiClient:
    return ApiClient(obtain_token(user))


def test_list_detail_and_a_step(people, order_with_mug, first_article_ok):
    from gendan.production import services

    po = order_with_mug.production_orders.get()
    planner = _api(people.planner)
    rows = planner.get("production-orders/", {"status": "draft"}).json()["results"]
    assert [r["number"] for r in rows] == [po.number]
    detail = planner.get(f"production-orders/{po.pk}/").json()
    assert detail["allowed_actions"]["issue"]["code"] == "unit_cost_missing" and len(detail["lines"]) == 2
    services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                     lines={line.pk: {"unit_cost": "2"} for line in po.lines.all()})
    assert planner.post(f"production-orders/{po.pk}/issue/", {"version": 1}).status_code == 409  # stale
    response = planner.post(f"production-orders/{po.pk}/issue/", {"version": 2})
    assert response.status_code == 200 and response.json()["status"] == "issued"
    past = planner.post(f"production-orders/{po.pk}/accept/", {"committed_due_date": due(-1).isoformat()})
    assert (past.status_code, past.json()["code"], list(past.json()["fields"])) == (
        400, "date_in_past", ["committed_due_date"])
    response = planner.post(f"production-orders/{po.pk}/accept/", {"committed_due_date": due(10).isoformat()})
    assert response.json()["committed_due_date"] == due(10).isoformat()
    assert _api(people.qc).post(f"production-orders/{po.pk}/start/").status_code == 403
    assert _api(people.other_sales).get(f"production-orders/{po.pk}/").status_code == 404
    po.refresh_from_db()
    assert po.status == "accepted"
