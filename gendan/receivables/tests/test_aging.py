"""Aging by due date at the pinned clock: the buckets of finance's policy, disputes apart, the
groupings, the scope, one aggregate query whatever the number of customers, the page in zh / en
with its SVG chart (no script), the Excel of exactly what is shown, and the buckets page
refusing bad limits."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.finance.models import ExchangeRate, PaymentPlanItem
from gendan.receivables.models import AgingPolicy, Dispute
from gendan.receivables.selectors.aging import aging_report, bucket_of, buckets_for
from gendan.receivables.services.aging import parse_bounds
from tests.factories import CustomerFactory, SalesOrderFactory, finance_user

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def book(make_user):
    """Two customers of two merchandisers; the first's two orders have instalments due today
    (not due), 1, 30 and 31 days ago, the second's 61 and 91 days ago (USD)."""
    today = timezone.localdate()
    merch_a = make_user("merchandiser", language="en")
    merch_b = make_user("merchandiser", language="en")
    a = CustomerFactory(merchandiser=merch_a)
    b = CustomerFactory(merchandiser=merch_b)
    orders = [SalesOrderFactory(customer=a, confirmed=True), SalesOrderFactory(customer=a, confirmed=True),
              SalesOrderFactory(customer=b, confirmed=True)]
    days = {(0, "deposit"): 0, (0, "balance"): 1, (1, "deposit"): 30, (1, "balance"): 31, (2, "deposit"): 61,
            (2, "balance"): 91}
    for (index, kind), overdue in days.items():
        PaymentPlanItem.objects.filter(order=orders[index], kind=kind).update(
            due_date=today - dt.timedelta(days=overdue))
    fin = finance_user()
    ExchangeRate.objects.create(currency_id="USD", valid_from=today - dt.timedelta(days=400),
                                cny_per_unit=Decimal("7"), set_by=fin, set_at=timezone.now())
    return {"a": a, "b": b, "merch_a": merch_a, "merch_b": merch_b, "orders": orders, "finance": fin}


DEP, BAL = Decimal("370.80"), Decimal("865.21")


def test_buckets_and_totals(book):
    report = aging_report(user=book["finance"])
    assert [b.label for b in report.buckets][1:] == ["1–30", "31–60", "61–90", "> 90"]
    rows = {r.customer_id: r.amounts for r in report.rows}
    assert rows[book["a"].pk] == [DEP, BAL + DEP, BAL, Decimal(0), Decimal(0)]
    assert rows[book["b"].pk] == [Decimal(0), Decimal(0), Decimal(0), DEP, BAL]
    [usd] = report.totals
    assert usd.amounts == [DEP, BAL + DEP, BAL, DEP, BAL] and usd.total == 3 * (DEP + BAL)
    assert report.cny_totals[-1] == (usd.total * 7).quantize(Decimal("0.01"))


def test_policy_buckets_and_partial_payment(book):
    from tests.factories import pay

    pay(book["orders"][2], "100.00", actor=book["finance"])  # the deposit first, as finance spreads it
    report = aging_report(user=book["finance"], bounds=(60,))
    rows = {r.customer_id: r.amounts for r in report.rows}
    assert rows[book["b"].pk] == [Decimal(0), Decimal(0), DEP - 100 + BAL]


def test_disputes_are_apart(book):
    item = PaymentPlanItem.objects.get(order=book["orders"][2], kind="balance")
    Dispute.objects.create(plan_item=item, amount=Decimal("65.21"), reason="quality", opened_by=book["finance"],
                           opened_at=timezone.now())
    Dispute.objects.create(plan_item=item, amount=Decimal("5"), reason="settled", opened_by=book["finance"],
                           opened_at=timezone.now(), settled_at=timezone.now())
    row = next(r for r in aging_report(user=book["finance"]).rows if r.customer_id == book["b"].pk)
    assert row.amounts[-1] == BAL - Decimal("65.21") and row.disputed == Decimal("65.21")
    assert row.total == DEP + BAL


@pytest.mark.parametrize("group", ["salesperson", "merchandiser", "region", "currency"])
def test_groupings_add_up_to_the_same_totals(book, group):
    report = aging_report(user=book["finance"], group=group)
    assert report.group == group
    assert report.totals[0].total == 3 * (DEP + BAL)


def test_merchandiser_sees_own_customers_only(book):
    report = aging_report(user=book["merch_a"])
    assert {r.customer_id for r in report.rows} == {book["a"].pk}


def test_one_aggregate_query_whatever_the_customers(book, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    aging_report(user=book["finance"])  # the user's permissions and roles, read once per request
    aging_report(user=book["merch_a"])
    with CaptureQueriesContext(connection) as few:
        aging_report(user=book["finance"])
    for _n in range(3):
        SalesOrderFactory(customer=CustomerFactory(merchandiser=book["merch_a"]), confirmed=True)
    with django_assert_max_num_queries(5):  # the policy, the items, the disputes, their labels, the rates
        report = aging_report(user=book["finance"])
    assert len(report.rows) == 5
    assert len(few) <= 5
    with django_assert_max_num_queries(6):  # + the merchandiser's customer ids
        aging_report(user=book["merch_a"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_page_in_both_languages_with_its_chart(book, client_for, language):
    fin = book["finance"]
    fin.language = language
    fin.save()
    response = client_for(fin).get("/receivables/aging/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="aging-chart"' in text and "<svg" in text
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", text))  # CSP: no inline script
    assert ("账龄" in text) == (language == "zh-hans")
    assert f"/receivables/customers/{book['a'].pk}/ledger/" in text


def test_excel_is_what_the_page_shows(book, client_for):
    from openpyxl import load_workbook

    response = client_for(book["finance"]).get("/receivables/aging/?group=customer&export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True))
    header = next(i for i, r in enumerate(rows) if r and "in dispute" in r)
    body = [r for r in rows[header + 1:] if r and r[0]]
    by_label = {r[0]: r for r in body}
    a = next(v for k, v in by_label.items() if str(k).startswith(book["a"].code))
    assert [Decimal(str(v)) for v in a[2:7]] == [DEP, BAL + DEP, BAL, 0, 0]
    total = by_label["Total"]
    assert Decimal(str(total[-1])) == 3 * (DEP + BAL)


def test_other_roles_get_403(book, client_for, make_user):
    for role in ("qc", "warehouse", "purchasing"):
        assert client_for(make_user(role, language="en")).get("/receivables/aging/").status_code == 403


@pytest.mark.parametrize("bounds", ["60,30", "abc", "30,30", "0,30", "", "30;60", "9999"])
def test_bad_bounds_refused(book, client_for, bounds):
    response = client_for(book["finance"]).post("/receivables/aging/buckets/", {"bounds": bounds})
    assert response.status_code == 400
    assert response.context["form"].errors.get("bounds")
    assert not AgingPolicy.objects.exclude(bounds="30,60,90").exists()


def test_buckets_changed_by_finance_on_the_timeline(book, client_for):
    from gendan.core.events import timeline_for

    response = client_for(book["finance"]).post("/receivables/aging/buckets/", {"bounds": "15, 45，120"})
    assert response.status_code == 302
    policy = AgingPolicy.objects.get()
    assert policy.bounds == "15,45,120"
    assert timeline_for(policy).first().changes["bounds"] == {"old": "30,60,90", "new": "15,45,120"}
    assert [b.label for b in aging_report(user=book["finance"]).buckets][1:] == ["1–15", "16–45", "46–120", "> 120"]


def test_merchandiser_may_not_change_buckets(book, client_for):
    assert client_for(book["merch_a"]).post("/receivables/aging/buckets/", {"bounds": "10"}).status_code == 403


def test_bucket_of():
    buckets = buckets_for(parse_bounds("30,60,90"))
    assert [bucket_of(d, buckets).key for d in (0, 1, 30, 31, 60, 61, 90, 91, 10_000)] == [
        "b0", "b1", "b1", "b2", "b2", "b3", "b3", "b4", "b4"]
