"""The credit and dunning pages in both languages: scoped, thin over the services, refusals with
the status of the one mapping and nothing saved."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.receivables.models import CustomerCredit, DunningLevel
from gendan.receivables.services.credit import credit_limit_set
from gendan.receivables.services.dunning import dunning_run
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts, make_overdue
from tests.factories import SalesOrderFactory, record_confirmations

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser"), "sales": make_user("sales"), "finance": make_user("finance"),
            "manager": make_user("manager"), "other": make_user("merchandiser")}


@pytest.fixture
def customer(people, django_capture_on_commit_callbacks):
    customer = customer_with_contacts(people)
    make_overdue(confirmed_order(people, customer), days=20)
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(timezone.localdate())
    return customer


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_for_finance(people, customer, client, language):
    client.force_login(people["finance"])
    h = {"HTTP_ACCEPT_LANGUAGE": language}
    for url in ("/receivables/credit/", f"/receivables/credit/{customer.pk}/", "/receivables/dunning/",
                "/receivables/dunning/levels/"):
        page = client.get(url, **h)
        assert page.status_code == 200, url
    run_page = client.get("/receivables/dunning/", **h)
    assert b"data-testid=\"dunning-run-now\"" in run_page.content


def test_scope_merchandiser_sees_only_their_customers(people, customer, client):
    client.force_login(people["other"])
    assert client.get(f"/receivables/credit/{customer.pk}/").status_code == 404
    client.force_login(people["merch"])
    assert client.get(f"/receivables/credit/{customer.pk}/").status_code == 200
    assert client.post(f"/receivables/credit/{customer.pk}/lift/", {"reason": "please"}).status_code == 403
    assert client.post("/receivables/dunning/run/").status_code == 403


def test_hold_and_lift_on_the_page(people, customer, client):
    client.force_login(people["finance"])
    url = f"/receivables/credit/{customer.pk}/"
    page = client.post(url + "hold/", {"reason": "", "version": "1"})
    assert page.status_code == 400 and not CustomerCredit.objects.get(customer=customer).on_hold
    version = CustomerCredit.objects.get(customer=customer).version
    assert client.post(url + "hold/", {"reason": "cheque bounced", "version": version}).status_code == 302
    stale = client.post(url + "lift/", {"reason": "paid in full", "version": version})
    assert stale.status_code == 409
    assert client.post(url + "lift/", {"reason": "paid in full"}).status_code == 302
    assert not CustomerCredit.objects.get(customer=customer).on_hold


def test_limit_negative_on_the_page(people, customer, client):
    client.force_login(people["manager"])
    page = client.post(f"/receivables/credit/{customer.pk}/limit/", {"credit_limit": "-1", "limit_currency": "USD"})
    assert page.status_code == 400
    assert CustomerCredit.objects.get(customer=customer).credit_limit is None


def test_levels_page_refuses_decreasing_days(people, client):
    client.force_login(people["finance"])
    data = {}
    for lv in DunningLevel.objects.all():
        for name in ("days_overdue", "subject_zh", "subject_en", "body_zh", "body_en"):
            data[f"level-{lv.level}-{name}"] = getattr(lv, name)
    data["level-2-days_overdue"] = "90"
    page = client.post("/receivables/dunning/levels/", data)
    assert page.status_code == 400 and "必须大于上一级".encode() in page.content  # the user's language
    assert DunningLevel.objects.get(level=2).days_overdue == 15


def test_order_panel_and_manager_approval(people, customer, client):
    draft = SalesOrderFactory(customer=customer, actor=people["merch"])
    record_confirmations(draft, actor=people["merch"])
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="100", currency="USD")
    client.force_login(people["manager"])
    # the credit panel is on the order page's money tab
    page = client.get(draft.get_absolute_url() + "?tab=money", HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="over-limit"' in page.content and b'data-testid="credit-approve"' in page.content
    done = client.post(f"/receivables/orders/{draft.pk}/credit-approval/", {"reason": "long-standing customer"})
    assert done.status_code == 302
    client.force_login(people["merch"])
    page = client.get(draft.get_absolute_url() + "?tab=money", HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="credit-approval"' in page.content and b'data-testid="credit-approve"' not in page.content
