"""The bank statements pages and API: finance imports and confirms, managers read, other roles
get 403; wrong input is a 400 naming the field or row, never a 500."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gendan.finance.models import Receipt
from gendan.receivables.models import BankStatement, BankStatementLine
from gendan.receivables.services.bank import bank_statement_import
from gendan.receivables.tests.fixtures_bank import make_bank_world, sample, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_world(make_user):
    return make_bank_world(make_user)


def imported(w, name="boc_usd_gbk.csv"):
    return bank_statement_import(actor=w.finance, upload=upload(sample(name), name), currency="USD").statement


def test_finance_imports_on_the_page_sees_the_proposals_and_confirms(bank_world, client_for):
    w = bank_world
    web = client_for(w.finance)
    assert web.get("/receivables/bank-statements/import/").status_code == 200
    response = web.post("/receivables/bank-statements/import/",
                        {"currency": "USD", "file": upload(sample("statement.mt940"), "boc.sta")})
    statement = BankStatement.objects.get()
    assert response.status_code == 302 and response.url == f"/receivables/bank-statements/{statement.pk}/"
    page = web.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-line="1"' in html and 'data-strength="strong"' in html and "PO-4711" in html
    line = statement.lines.get(line_no=2)
    form = web.get(f"/receivables/bank-statements/lines/{line.pk}/")
    assert form.status_code == 200
    assert form.context["form"].initial["customer"] == w.lake.pk
    assert form.context["allocations"].initial == [{"order": w.lake_order.number, "amount": Decimal("865.21")}]
    response = web.post(f"/receivables/bank-statements/lines/{line.pk}/", {
        "customer": w.lake.pk, "bank_reference": line.reference, "bank_charges": "25.00", "note": "",
        "alloc-TOTAL_FORMS": "2", "alloc-INITIAL_FORMS": "0", "alloc-0-order": w.lake_order.number,
        "alloc-0-amount": "865.21", "alloc-1-order": "", "alloc-1-amount": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.status == "recorded" and line.receipt.allocations.get().amount == Decimal("865.21")
    w.lake_order.refresh_from_db()
    assert w.lake_order.received_amount == Decimal("865.21")
    # the same form sent again (back button, a second tab): refused, nothing more recorded
    again = web.post(f"/receivables/bank-statements/lines/{line.pk}/", {
        "customer": w.lake.pk, "bank_reference": "OTHER", "bank_charges": "25.00",
        "alloc-TOTAL_FORMS": "1", "alloc-INITIAL_FORMS": "0", "alloc-0-order": w.lake_order.number,
        "alloc-0-amount": "10"})
    assert again.status_code == 409 and Receipt.objects.count() == 1


def test_page_refusals_are_400_with_nothing_saved(bank_world, client_for):
    w = bank_world
    web = client_for(w.finance)
    bad = web.post("/receivables/bank-statements/import/",
                   {"currency": "USD", "file": upload(b"foo,bar\n1,2\n", "x.csv")}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "Unknown layout" in bad.content.decode()
    assert web.post("/receivables/bank-statements/import/", {"currency": "", "file": ""}).status_code == 400
    line = imported(w).lines.get(line_no=1)
    url = f"/receivables/bank-statements/lines/{line.pk}/"
    base = {"customer": w.nord.pk, "alloc-TOTAL_FORMS": "1", "alloc-INITIAL_FORMS": "0"}
    for extra in ({"alloc-0-order": "SO-NOPE", "alloc-0-amount": "5"},           # unknown order
                  {"alloc-0-order": w.nord_order.number, "alloc-0-amount": "abc"},  # not an amount
                  {"alloc-0-order": w.nord_order.number, "alloc-0-amount": "99999"},  # above the receipt
                  {"alloc-0-order": w.lake_order.number, "alloc-0-amount": "5"},  # another customer's
                  {"bank_charges": "-1"}, {"customer": "999999999999999999999"}):
        response = web.post(url, {**base, **extra})
        assert response.status_code == 400, extra
    assert not Receipt.objects.exists()
    line.refresh_from_db()
    assert line.status == "open"
    assert web.post(f"/receivables/bank-statements/lines/{line.pk}/set-aside/", {"note": ""}).status_code == 400
    assert web.post(f"/receivables/bank-statements/lines/{line.pk}/set-aside/",
                    {"note": "interest"}).status_code == 302
    line.refresh_from_db()
    assert line.status == "ignored"


def test_roles_managers_read_others_get_403(bank_world, client_for):
    w = bank_world
    statement = imported(w)
    line = statement.lines.first()
    manager = client_for(w.manager)
    assert manager.get("/receivables/bank-statements/").status_code == 200
    page = manager.get(f"/receivables/bank-statements/{statement.pk}/")
    assert page.status_code == 200 and 'data-testid="decide-' not in page.content.decode()
    assert manager.get("/receivables/bank-statements/import/").status_code == 403
    assert manager.post(f"/receivables/bank-statements/lines/{line.pk}/", {"customer": w.nord.pk}).status_code == 403
    assert manager.post(f"/receivables/bank-statements/lines/{line.pk}/set-aside/",
                        {"note": "not ours"}).status_code == 403
    merch = client_for(w.merch)
    for url in ("/receivables/bank-statements/", f"/receivables/bank-statements/{statement.pk}/",
                f"/receivables/bank-statements/lines/{line.pk}/", "/receivables/bank-statements/import/"):
        assert merch.get(url).status_code == 403, url
    assert client_for(w.finance).get("/receivables/bank-statements/999999/").status_code == 404
    line.refresh_from_db()
    assert line.status == "open"


def _api(client, method, url, body=None):
    if method == "get":
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json",
                                   HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_round_trip(bank_world, client_for):
    w = bank_world
    api = client_for(w.finance)
    created = api.post("/api/v1/bank-statements/", {"currency": "USD", "file": upload(sample("cmb_usd.xlsx"),
                                                                                      "cmb.xlsx")},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["layout"], body["lines_count"], body["debits_skipped"]) == ("xlsx", 2, 1)
    listed = _api(api, "get", "/api/v1/bank-statements/").json()
    assert listed["results"][0]["open_count"] == 2
    lines = _api(api, "get", f"/api/v1/bank-statements/{body['id']}/lines/").json()["results"]
    harb = lines[0]
    assert harb["proposal"]["strength"] == "likely" and harb["proposal"]["customer"]["code"] == "HARB"
    assert harb["proposal"]["allocations"][0]["amount"] == "370.80"
    assert harb["proposal"]["reasons"]
    proposal = harb["proposal"]
    confirmed = _api(api, "post", f"/api/v1/bank-lines/{harb['id']}/confirm/", {
        "customer": proposal["customer"]["id"],
        "allocations": [{"order": a["order"], "amount": a["amount"]} for a in proposal["allocations"]]})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "recorded" and confirmed.json()["receipt"]
    twice = _api(api, "post", f"/api/v1/bank-lines/{harb['id']}/confirm/", {"customer": w.harb.pk})
    assert twice.status_code == 409 and twice.json()["code"] == "bank_line_decided"
    aside = _api(api, "post", f"/api/v1/bank-lines/{lines[1]['id']}/set-aside/", {"note": "customer refund"})
    assert aside.status_code == 200 and aside.json()["status"] == "ignored"
    duplicate = api.post("/api/v1/bank-statements/", {"currency": "USD", "file": upload(sample("cmb_usd.xlsx"))},
                         HTTP_ACCEPT_LANGUAGE="en")
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "bank_file_duplicate"


def test_api_bad_values_are_400_and_wrong_roles_403(bank_world, client_for):
    w = bank_world
    api = client_for(w.finance)
    line = imported(w).lines.get(line_no=1)
    url = f"/api/v1/bank-lines/{line.pk}/confirm/"
    for body in ({"customer": "x"}, {"customer": w.nord.pk, "allocations": "nope"},
                 {"customer": w.nord.pk, "allocations": [{"order": w.nord_order.pk, "amount": "1e99"}]},
                 {"customer": w.nord.pk, "allocations": [{"order": w.nord_order.pk, "amount": "5000"}]},
                 {"customer": w.nord.pk, "allocations": [{"order": 10**30, "amount": "5"}]},
                 {"customer": w.nord.pk, "bank_charges": "-3"}, [1, 2]):
        response = _api(api, "post", url, body)
        assert response.status_code == 400, (body, response.status_code, response.content[:300])
    bad_file = api.post("/api/v1/bank-statements/", {"currency": "USD",
                                                     "file": upload(b"Date,Credit\n2026-02-30,1\n", "b.csv")},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert bad_file.status_code == 400 and "Row 2" in bad_file.json()["fields"]["file"][0]
    assert api.post("/api/v1/bank-statements/", {"currency": "USD"}).status_code == 400
    assert _api(api, "get", "/api/v1/bank-lines/99999999/").status_code == 404
    assert not Receipt.objects.exists()
    merch, manager = client_for(w.merch), client_for(w.manager)
    assert _api(merch, "get", "/api/v1/bank-statements/").status_code == 403
    assert _api(manager, "get", f"/api/v1/bank-lines/{line.pk}/").status_code == 200
    assert _api(manager, "post", url, {"customer": w.nord.pk}).status_code == 403
    assert BankStatementLine.objects.get(pk=line.pk).status == "open"


HUGE = "9" * 30


def test_input_that_cannot_hurt_the_server(bank_world, client_for):
    """Numbers beyond any column, ids beyond 64 bits, junk in queries: 400 / 404, never a 500."""
    w = bank_world
    api, web = client_for(w.finance), client_for(w.finance)
    statement = imported(w)
    line = statement.lines.get(line_no=1)
    url = f"/api/v1/bank-lines/{line.pk}/confirm/"
    for body in ({"customer": w.nord.pk, "allocations": [{"order": w.nord_order.pk, "amount": HUGE}]},
                 {"customer": w.nord.pk, "bank_charges": "1e30"}, {"customer": 2**70},
                 {"customer": w.nord.pk, "allocations": [{"order": 2**70, "amount": "1"}]},
                 {"customer": w.nord.pk, "bank_reference": "x" * 500}):
        assert _api(api, "post", url, body).status_code == 400, body
    assert _api(api, "get", f"/api/v1/bank-lines/{2**70}/").status_code == 404
    assert _api(api, "get", f"/api/v1/bank-statements/{statement.pk}/lines/?status=bogus").status_code == 400
    assert web.get(f"/receivables/bank-statements/{statement.pk}/?status=bogus&page=abc").status_code == 200
    assert web.get(f"/receivables/bank-statements/lines/{2**70}/").status_code == 404
    page = web.post(f"/receivables/bank-statements/lines/{line.pk}/", {
        "customer": w.nord.pk, "bank_charges": HUGE, "alloc-TOTAL_FORMS": "1", "alloc-INITIAL_FORMS": "0",
        "alloc-0-order": w.nord_order.number, "alloc-0-amount": HUGE})
    assert page.status_code == 400
    bad = web.post("/receivables/bank-statements/import/", {"currency": "USDX", "file": upload(b"x", "x.csv")})
    assert bad.status_code == 400
    many = web.post("/receivables/bank-statements/import/", {
        "currency": "USD", "file": upload(b"Date,Credit\n2026-02-30,1\n2026-03-01,x\n", "m.csv")},
        HTTP_ACCEPT_LANGUAGE="en")
    html = many.content.decode()
    assert many.status_code == 400 and "2 problems (nothing was saved)" in html and "Row 3" in html
    assert not Receipt.objects.exists() and BankStatement.objects.count() == 1


def test_the_statement_page_reads_a_page_of_lines_in_a_fixed_number_of_queries(bank_world, client_for,
                                                                                django_assert_max_num_queries):
    w = bank_world
    rows = "".join(f"2026-03-0{1 + i % 9},{100 + i}.00,Payer {i},REF{i},PO-4711 {w.lake_order.number}\n"
                   for i in range(60))
    statement = bank_statement_import(actor=w.finance, upload=upload(
        ("Date,Credit,Payer,Bank reference,Reference\n" + rows).encode(), "q.csv"), currency="USD").statement
    web = client_for(w.finance)
    web.get(f"/receivables/bank-statements/{statement.pk}/")  # sessions, permissions cached
    with django_assert_max_num_queries(25):
        page = web.get(f"/receivables/bank-statements/{statement.pk}/")
    assert page.status_code == 200 and page.content.decode().count("data-line=") == 50
    with django_assert_max_num_queries(25):
        assert web.get("/receivables/bank-statements/").status_code == 200


def test_a_line_set_aside_by_mistake_is_reopened_on_the_page_and_through_the_api(bank_world, client_for):
    w = bank_world
    statement = imported(w)
    first, second = statement.lines.get(line_no=1), statement.lines.get(line_no=3)
    web = client_for(w.finance)
    assert web.post(f"/receivables/bank-statements/lines/{first.pk}/set-aside/",
                    {"note": "looked like interest"}).status_code == 302
    page = web.get(f"/receivables/bank-statements/lines/{first.pk}/")
    assert 'data-testid="reopen"' in page.content.decode()
    assert client_for(w.merch).post(f"/receivables/bank-statements/lines/{first.pk}/reopen/",
                                    {"reason": "it was a customer's payment"}).status_code == 403
    assert web.post(f"/receivables/bank-statements/lines/{first.pk}/reopen/",
                    {"reason": "it was a customer's payment"}).status_code == 302
    first.refresh_from_db()
    assert first.status == "open"
    page = web.get(f"/receivables/bank-statements/lines/{first.pk}/").content.decode()
    assert 'data-testid="confirm-form"' in page and 'data-testid="reopen"' not in page

    api = client_for(w.finance)
    _api(api, "post", f"/api/v1/bank-lines/{second.pk}/set-aside/", {"note": "customer refund"})
    short = _api(api, "post", f"/api/v1/bank-lines/{second.pk}/reopen/", {"reason": "x"})
    assert short.status_code == 400
    reopened = _api(api, "post", f"/api/v1/bank-lines/{second.pk}/reopen/", {"reason": "the refund was ours"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    again = _api(api, "post", f"/api/v1/bank-lines/{second.pk}/reopen/", {"reason": "the refund was ours"})
    assert again.status_code == 409 and again.json()["code"] == "bank_line_not_set_aside"
