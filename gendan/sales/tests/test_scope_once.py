"""The user's customers are read once per page (core/request_cache.py), and only within a GET:
the scope stays exactly as strict — a reassignment is seen by the next request and by a service
called twice in one test."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.core.request_cache import RequestCacheMiddleware, per_request
from gendan.sales.selectors import order_queryset
from gendan.sales.tests.conftest import make_confirmed, make_draft

pytestmark = pytest.mark.django_db


def _customer_reads(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith('SELECT "parties_customer"."id" AS "pk"'))


@pytest.mark.parametrize("path", ["/tracking/board/", "/sales/orders/", "/sales/orders/?risk=late",
                                  "/production/orders/"])
def test_a_page_reads_the_users_customers_once(people, client_for, path):
    make_confirmed(people)
    client = client_for(people.merch)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert _customer_reads(queries.captured_queries) == 1


def test_a_reassigned_customer_is_out_of_scope_on_the_next_page(people, client_for, make_user):
    order = make_draft(people)
    teammate = make_user("merchandiser", team=people.merch.team, language="en")  # sees it through the team
    client = client_for(teammate)
    assert f'data-order="{order.pk}"' in client.get("/sales/orders/").content.decode()
    people.customer.merchandiser = people.other_merch
    people.customer.team = people.other_merch.team
    people.customer.save()
    assert f'data-order="{order.pk}"' not in client.get("/sales/orders/").content.decode()
    assert client.get(f"/sales/orders/{order.pk}/").status_code == 404


def test_outside_a_request_every_call_reads_afresh(people, make_user):
    order = make_draft(people)
    teammate = make_user("merchandiser", team=people.merch.team, language="en")
    assert list(order_queryset(teammate)) == [order]
    people.customer.team = people.other_merch.team
    people.customer.save()
    assert list(order_queryset(teammate)) == []


def _run(method: str, compute):
    from django.test import RequestFactory

    calls = []

    def view(request):
        calls.append(per_request("key", compute))
        calls.append(per_request("key", compute))
        return calls

    RequestCacheMiddleware(view)(getattr(RequestFactory(), method)("/"))
    return calls


def test_per_request_keeps_a_value_for_one_get_only():
    counter = iter(range(100))
    assert _run("get", lambda: next(counter)) == [0, 0]
    assert _run("get", lambda: next(counter)) == [1, 1]  # the next request computes again
    assert _run("post", lambda: next(counter)) == [2, 3]  # a POST may change what it reads: never kept
    assert per_request("key", lambda: next(counter)) == 4  # outside a request: never kept
    assert per_request("key", lambda: next(counter)) == 5
