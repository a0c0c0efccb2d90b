"""Issue 11: the API shows a production order's re-issued versions and records the factory's
re-acknowledgement through the pages' services."""

from __future__ import annotations

import pytest

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.production.tests.conftest import due
from gendan.production.tests.test_versions import _apply, _issued, _lines

pytestmark = pytest.mark.django_db


def test_versions_and_the_reacknowledgement_through_the_api(people, order_with_mug):
    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=800))
    po.refresh_from_db()
    merch = ApiClient(obtain_token(people.merch))
    page = merch.get(f"production-orders/{po.pk}/versions/").json()
    assert page["status"] == "awaiting_reack" and page["doc_version"] == 2
    [version] = page["versions"]
    assert version["reack_status"] == "awaiting" and "Line 1 quantity: 1,000 → 1,200" in version["text"]
    assert merch.post(f"production-orders/{po.pk}/refuse-reack/", {"reason": "no"}).status_code == 400
    assert merch.post(f"production-orders/{po.pk}/reacknowledge/", {"version": po.version - 1}).status_code == 409
    assert ApiClient(obtain_token(people.qc)).post(f"production-orders/{po.pk}/reacknowledge/").status_code == 403
    past = merch.post(f"production-orders/{po.pk}/reacknowledge/", {"committed_due_date": due(-1).isoformat()})
    assert (past.status_code, past.json()["code"], list(past.json()["fields"])) == (
        400, "date_in_past", ["committed_due_date"])
    answer = merch.post(f"production-orders/{po.pk}/reacknowledge/",
                        {"version": page["version"], "committed_due_date": due(48).isoformat()})
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert answer.json()["versions"][0]["committed_due_date"] == due(48).isoformat()
    assert merch.post(f"production-orders/{po.pk}/reacknowledge/").status_code == 409  # nothing waits
