"""The receivables lists on the list engine (core.listing): customer credit, bank statements and
dunning runs filter, sort, group, save views per person and export the same columns to Excel;
a role sees only the rows it saw before, and a page reads a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from gendan.core.models import SavedListView
from gendan.finance.rates import rate_set
from gendan.receivables.services.bank import bank_line_set_aside, bank_statement_import
from gendan.receivables.services.credit import credit_hold_put, credit_limit_set
from gendan.receivables.services.dunning import dunning_run
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts, make_overdue
from gendan.receivables.tests.fixtures_bank import make_bank_world, upload
from tests.factories import CustomerFactory
from tests.xlsx_export import export_rows, export_sheet

pytestmark = pytest.mark.django_db

CREDIT, BANK, RUNS = "/receivables/credit/", "/receivables/bank-statements/", "/receivables/dunning/"
TODAY = timezone.localdate


def customers_listed(response) -> list[str]:
    return re.findall(r'data-customer="([^"]+)"', response.content.decode())


def statements_listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-statement="(\d+)"', response.content.decode())}


def runs_listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-run="(\d+)"', response.content.decode())}


# --- customer credit ------------------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser", language="en"), "sales": make_user("sales", language="en"),
            "finance": make_user("finance", language="en"), "manager": make_user("manager", language="en"),
            "other": make_user("merchandiser", language="en"), "warehouse": make_user("warehouse", language="en")}


@pytest.fixture
def credit_book(people):
    """OVER: limit USD 1,000 with an open order of USD 1,236.01; UNDER: limit USD 5,000, same order;
    YUAN: limit CNY 5,000 with the same USD order (USD 7.1 → CNY 8,775.67: over); HOLD: on hold,
    no limit; ELSE: the other merchandiser's customer with a limit."""
    f = people["finance"]
    rate_set(actor=f, currency="USD", valid_from=TODAY() - dt.timedelta(days=30), cny_per_unit="7.1")
    book = {}
    for code, limit, currency in (("OVER", "1000", "USD"), ("UNDER", "5000", "USD"), ("YUAN", "5000", "CNY")):
        customer = customer_with_contacts(people, code=code)
        confirmed_order(people, customer)
        credit_limit_set(actor=f, customer_id=customer.pk, credit_limit=limit, currency=currency, reason="terms")
        book[code] = customer
    book["HOLD"] = customer_with_contacts(people, code="HOLD")
    credit_hold_put(actor=f, customer_id=book["HOLD"].pk, reason="cheque bounced")
    book["ELSE"] = CustomerFactory(code="ELSE", merchandiser=people["other"])
    credit_limit_set(actor=f, customer_id=book["ELSE"].pk, credit_limit="100", currency="USD", reason="terms")
    return book


def test_credit_filters_over_limit_on_hold_and_customer(people, credit_book, client_for):
    finance = client_for(people["finance"])
    assert set(customers_listed(finance.get(CREDIT))) == {"OVER", "UNDER", "YUAN", "HOLD", "ELSE"}
    assert customers_listed(finance.get(CREDIT, {"show": "hold"})) == ["HOLD"]
    over = finance.get(CREDIT, {"over_limit": "on"})
    assert set(customers_listed(over)) == {"OVER", "YUAN"}  # the CNY limit weighed at the booked rate
    assert 'data-testid="over-limit"' in over.content.decode()
    assert customers_listed(finance.get(CREDIT, {"currency": "CNY"})) == ["YUAN"]
    assert customers_listed(finance.get(CREDIT, {"customer": "under"})) == ["UNDER"]  # a typed code
    suggested = finance.get(CREDIT, {"typeahead": "customer", "term": "OV"}).json()["results"]
    assert [s["value"] for s in suggested] == ["OVER"]


def test_credit_rows_and_suggestions_stay_in_the_users_scope(people, credit_book, client_for):
    merch = client_for(people["merch"])
    assert "ELSE" not in customers_listed(merch.get(CREDIT))
    assert merch.get(CREDIT, {"customer": "ELSE"}).content.decode().count("data-customer=") == 0
    assert merch.get(CREDIT, {"typeahead": "customer", "term": "EL"}).json()["results"] == []
    other = client_for(people["other"])
    assert customers_listed(other.get(CREDIT)) == ["ELSE"]
    warehouse = client_for(people["warehouse"])
    assert warehouse.get(CREDIT).status_code == 403
    assert warehouse.get(CREDIT, {"typeahead": "customer", "term": "OV"}).status_code == 403


def test_credit_export_is_a_workbook_with_the_list_columns(people, credit_book, client_for):
    response = client_for(people["finance"]).get(CREDIT, {"over_limit": "on", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = export_rows(response)
    assert rows[0] == ["customer", "credit hold", "on hold since", "dunning level", "last reminder", "credit limit",
                       "limit currency", "open on live orders", "over the limit"]
    by_code = {row[0].split()[0]: row for row in rows[1:]}
    assert set(by_code) == {"OVER", "YUAN"}
    assert by_code["OVER"][5:8] == [1000, "USD", 1236.01]
    assert by_code["YUAN"][5:8] == [5000, "CNY", 8775.67]
    title = [cell for row in export_sheet(response).iter_rows(max_row=3, values_only=True) for cell in row if cell]
    assert any("over the credit limit" in str(cell) for cell in title)


def test_credit_grouped_by_limit_currency_subtotals_the_limits(people, credit_book, client_for):
    html = client_for(people["finance"]).get(CREDIT, {"group": "limit_currency"}).content.decode()
    heads = re.findall(r'data-testid="group-head">(.*?)</tr>', html, re.S)
    usd = next(h for h in heads if "<strong>USD</strong>" in h)
    assert "3 records" in usd and "6,100.00" in usd  # OVER 1,000 + UNDER 5,000 + ELSE 100


def test_another_persons_saved_credit_view_is_a_404(people, credit_book, client_for):
    mine = SavedListView.objects.create(user=people["finance"], list_key="customer-credit", name="held",
                                        query="show=hold")
    assert customers_listed(client_for(people["finance"]).get(CREDIT, {"view": mine.pk})) == ["HOLD"]
    assert client_for(people["manager"]).get(CREDIT, {"view": mine.pk}).status_code == 404


def test_credit_list_reads_a_bounded_number_of_queries(people, credit_book, client_for,
                                                       django_assert_max_num_queries, minute_caches):
    finance = client_for(people["finance"])
    finance.get(CREDIT)  # sessions, permissions cached
    with django_assert_max_num_queries(12):
        assert finance.get(CREDIT, {"cols": ["customer", "merchandiser", "hold_reason", "exposure"]}).status_code == 200
    for n in range(6):
        customer = customer_with_contacts(people, code=f"MORE{n}")
        confirmed_order(people, customer)
        credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="10", currency="USD",
                         reason="terms")
    with django_assert_max_num_queries(12):
        page = finance.get(CREDIT, {"cols": ["customer", "merchandiser", "hold_reason", "exposure"]})
    assert len(customers_listed(page)) == 11
    with django_assert_max_num_queries(14):
        assert finance.get(CREDIT, {"group": "merchandiser"}).status_code == 200


def test_credit_list_reads_in_chinese(people, credit_book, client_for):
    people["finance"].language = "zh-hans"
    people["finance"].save(update_fields=["language"])
    html = client_for(people["finance"]).get(CREDIT).content.decode()
    for label in ("客户信用", "超出信用额度", "导出"):
        assert label in html, label


# --- bank statements -----------------------------------------------------------------------------


@pytest.fixture
def statements(make_user):
    """Two USD statements of February and March on two accounts (March's two lines still to match,
    February's set aside) and one EUR statement."""
    w = make_bank_world(make_user)

    def imported(account, rows, currency="USD"):
        text = f"Account,{account}\nDate,Credit,Payer,Bank reference,Reference\n{rows}"
        return bank_statement_import(actor=w.finance, upload=upload(text.encode(), f"{account}.csv"),
                                     currency=currency).statement

    w.feb = imported("6222-0001", "2026-02-03,100.00,Payer A,REF-A,x\n2026-02-20,50.00,Payer B,REF-B,y\n")
    w.mar = imported("6222-0002", "2026-03-02,70.00,Payer C,REF-C,z\n2026-03-04,80.00,Payer E,REF-E,v\n")
    w.eur = imported("6222-0003", "2026-03-05,30.00,Payer D,REF-D,w\n", currency="EUR")
    for line in w.feb.lines.all():
        bank_line_set_aside(actor=w.finance, line_id=line.pk, note="interest")
    return w


def test_statements_filter_by_account_period_currency_and_lines_to_match(statements, client_for):
    w = statements
    web = client_for(w.finance)
    assert statements_listed(web.get(BANK)) == {w.feb.pk, w.mar.pk, w.eur.pk}
    assert statements_listed(web.get(BANK, {"account": "0002"})) == {w.mar.pk}
    assert statements_listed(web.get(BANK, {"date_from": "2026-02-01", "date_to": "2026-02-28"})) == {w.feb.pk}
    assert statements_listed(web.get(BANK, {"date_from": "2026-03-01"})) == {w.mar.pk, w.eur.pk}
    assert statements_listed(web.get(BANK, {"currency": "EUR"})) == {w.eur.pk}
    unmatched = web.get(BANK, {"unmatched": "on"})
    assert statements_listed(unmatched) == {w.mar.pk, w.eur.pk}
    # the count of lines to match is not multiplied by the filter's join
    assert [s.open_count for s in unmatched.context["page"].object_list] == [1, 2]  # EUR, then March


def test_statements_group_by_month_and_export_the_columns(statements, client_for):
    w = statements
    web = client_for(w.finance)
    html = web.get(BANK, {"group": "month"}).content.decode()
    heads = re.findall(r'data-testid="group-head">.*?<strong>([^<]+)</strong>\s*<span class="group-count">(\d+)',
                       html, re.S)
    assert heads == [("2026-02", "1"), ("2026-03", "2")]
    response = web.get(BANK, {"currency": "USD", "export": "xlsx"})
    rows = export_rows(response)
    assert rows[0] == ["file", "currency", "account", "period from", "period to", "credit lines", "to match",
                       "imported at", "imported by"]
    assert {(r[0], r[2], r[5], r[6]) for r in rows[1:]} == {("6222-0001.csv", "6222-0001", 2, 0),
                                                             ("6222-0002.csv", "6222-0002", 2, 2)}


def test_statements_list_keeps_its_roles_and_bounded_queries(statements, client_for, django_assert_max_num_queries,
                                                            minute_caches):
    w = statements
    assert client_for(w.merch).get(BANK).status_code == 403
    assert client_for(w.manager).get(BANK).status_code == 200
    mine = SavedListView.objects.create(user=w.finance, list_key="bank-statements", name="open", query="unmatched=on")
    assert client_for(w.finance2).get(BANK, {"view": mine.pk}).status_code == 404
    web = client_for(w.finance)
    web.get(BANK)
    with django_assert_max_num_queries(12):
        assert statements_listed(web.get(BANK, {"view": mine.pk})) == {w.mar.pk, w.eur.pk}
    with django_assert_max_num_queries(14):
        assert web.get(BANK, {"group": "account"}).status_code == 200


# --- dunning runs -------------------------------------------------------------------------------


@pytest.fixture
def runs(people, django_capture_on_commit_callbacks):
    """A run 40 days ago (nothing overdue then) and today's (one reminder to the merchandiser's
    customer, overdue 20 days)."""
    customer = customer_with_contacts(people, code="LATE")
    make_overdue(confirmed_order(people, customer), days=20)
    with django_capture_on_commit_callbacks(execute=True):
        earlier = dunning_run(TODAY() - dt.timedelta(days=40))
        today = dunning_run(TODAY(), actor=people["finance"])
    return earlier, today


def test_runs_filter_by_date_level_and_who_started(people, runs, client_for):
    earlier, today = runs
    level = today.notices.get().level
    finance = client_for(people["finance"])
    assert runs_listed(finance.get(RUNS)) == {earlier.pk, today.pk}
    since = (TODAY() - dt.timedelta(days=7)).isoformat()
    assert runs_listed(finance.get(RUNS, {"date_from": since})) == {today.pk}
    assert runs_listed(finance.get(RUNS, {"date_to": since})) == {earlier.pk}
    assert runs_listed(finance.get(RUNS, {"level": level})) == {today.pk}
    assert runs_listed(finance.get(RUNS, {"started": "schedule"})) == {earlier.pk}
    # the level filter reads only the reminders of customers the reader sees
    assert runs_listed(client_for(people["other"]).get(RUNS, {"level": level})) == set()


def test_runs_export_and_saved_views(people, runs, client_for, django_assert_max_num_queries, minute_caches):
    earlier, today = runs
    finance = client_for(people["finance"])
    rows = export_rows(finance.get(RUNS, {"export": "xlsx"}))
    assert rows[0] == ["run on", "started by", "customers overdue", "reminders", "put on hold"]
    assert [r[0].date() for r in rows[1:]] == [today.run_on, earlier.run_on]  # real dates, newest first
    assert rows[1][3] == 1 and rows[2][1] == "schedule"
    mine = SavedListView.objects.create(user=people["finance"], list_key="dunning-runs", name="mine",
                                        query="started=person")
    assert client_for(people["manager"]).get(RUNS, {"view": mine.pk}).status_code == 404
    finance.get(RUNS)
    with django_assert_max_num_queries(12):
        assert runs_listed(finance.get(RUNS, {"view": mine.pk})) == {today.pk}
    with django_assert_max_num_queries(14):
        assert finance.get(RUNS, {"group": "month"}).status_code == 200
