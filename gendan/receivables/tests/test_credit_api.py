"""The dunning and credit API through HTTP with real tokens: the same services, the same codes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import api_for  # noqa: F401
from gendan.finance.models import PaymentPlanItem
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts, make_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser"), "sales": make_user("sales"), "finance": make_user("finance"),
            "manager": make_user("manager")}


def test_credit_limit_hold_lift(people, api_for):  # noqa: F811
    customer = customer_with_contacts(people)
    finance, sales = api_for(people["finance"]), api_for(people["sales"])
    url = f"customer-credit/{customer.pk}/"
    bad = finance.post(url + "limit/", {"credit_limit": "-5", "currency": "USD"})
    assert (bad.status_code, bad.json()["code"]) == (400, "credit_limit_invalid")
    assert "credit_limit" in bad.json()["fields"]
    huge = finance.post(url + "limit/", {"credit_limit": "1e30", "currency": "USD"})
    assert huge.status_code == 400
    ok = finance.post(url + "limit/", {"credit_limit": "20000", "currency": "USD"})
    assert ok.status_code == 200 and ok.json()["credit"]["credit_limit"] == "20000.00"
    version = ok.json()["credit"]["version"]
    assert sales.post(url + "hold/", {"reason": "bounced"}).status_code == 403
    held = finance.post(url + "hold/", {"reason": "cheque bounced", "version": version})
    assert held.status_code == 200 and held.json()["credit"]["on_hold"] is True
    stale = finance.post(url + "lift/", {"reason": "paid in full", "version": version})
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    no_reason = finance.post(url + "lift/", {"reason": ""})
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert api_for(people["manager"]).post(url + "lift/", {"reason": "paid"}).status_code == 403
    lifted = finance.post(url + "lift/", {"reason": "paid in full"})
    assert lifted.status_code == 200 and lifted.json()["credit"]["on_hold"] is False
    assert sales.get(url).status_code in (200, 404)
    assert finance.get("customer-credit/999999999999/").status_code == 404
    assert finance.get("customer-credit/").status_code == 200


def test_disputes_and_dunning_runs(people, api_for, django_capture_on_commit_callbacks):  # noqa: F811
    customer = customer_with_contacts(people)
    order = confirmed_order(people, customer)
    item = make_overdue(order, days=5)
    finance = api_for(people["finance"])
    above = finance.post("disputes/", {"plan_item": str(item.pk), "amount": "999999", "reason": "price"})
    assert (above.status_code, above.json()["code"]) == (400, "dispute_above_open")
    balance = PaymentPlanItem.objects.get(order=order, kind="balance")
    created = finance.post("disputes/", {"plan_item": str(balance.pk), "amount": "10", "reason": "price question"})
    assert created.status_code == 201
    assert api_for(people["sales"]).post(f"disputes/{created.json()['id']}/settle/",
                                         {"settlement": "agreed"}).status_code == 403
    settled = finance.post(f"disputes/{created.json()['id']}/settle/", {"settlement": "credit note"})
    assert settled.status_code == 200 and settled.json()["settlement"] == "credit note"
    assert api_for(people["merch"]).post("dunning-runs/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        run = finance.post("dunning-runs/")
    assert run.status_code == 201 and run.json()["notices_count"] == 1
    again = finance.post("dunning-runs/")
    assert (again.status_code, again.json()["code"]) == (409, "dunning_already_run")
    notices = finance.get(f"dunning-runs/{run.json()['id']}/").json()["results"]
    assert notices[0]["customer"] == customer.code and notices[0]["level"] == 1
    assert run.json()["run_on"] == timezone.localdate().isoformat()


def test_levels_and_approval(people, api_for):  # noqa: F811
    finance = api_for(people["finance"])
    levels = finance.get("dunning-levels/").json()
    assert [lv["days_overdue"] for lv in levels] == [1, 15, 30, 60]
    levels[1]["days_overdue"] = "1"
    bad = finance.put("dunning-levels/replace/", {"levels": levels})
    assert (bad.status_code, bad.json()["code"]) == (400, "dunning_levels_invalid")
    assert "level-2-days_overdue" in bad.json()["fields"]
    levels[1]["days_overdue"] = "20"
    assert finance.put("dunning-levels/replace/", {"levels": levels}).json()[1]["days_overdue"] == 20
    assert api_for(people["merch"]).put("dunning-levels/replace/", {"levels": levels}).status_code == 403
    from tests.factories import SalesOrderFactory

    customer = customer_with_contacts(people)
    draft = SalesOrderFactory(customer=customer, actor=people["merch"])
    manager = api_for(people["manager"])
    assert manager.post("credit-approvals/", {"order": str(draft.pk), "reason": "ok ok"}).json()["code"] == \
        "credit_approval_not_needed"
    finance.post(f"customer-credit/{customer.pk}/limit/", {"credit_limit": "100", "currency": "USD"})
    approved = manager.post("credit-approvals/", {"order": str(draft.pk), "reason": "long-standing customer"})
    assert approved.status_code == 201 and approved.json()["exposure"] == "1236.01"
    assert finance.post("credit-approvals/", {"order": str(draft.pk), "reason": "x"}).status_code == 403
