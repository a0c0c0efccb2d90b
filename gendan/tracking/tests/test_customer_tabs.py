"""The customer page's tabs (``parties.sections``, filled by sales, receivables and tracking):
the customer's orders (open / all), open money with the overdue marked, and communications,
each with its count; only for who may see them; queries bounded."""

from __future__ import annotations

import re

import pytest

from gendan.sales.tests.conftest import make_confirmed, make_draft
from gendan.tracking.services.chatter import chatter_post

pytestmark = pytest.mark.django_db


def _tabs(html: str) -> dict[str, str]:
    bar = re.search(r'data-testid="customer-tabs">(.*?)</nav>', html, re.S).group(1)
    found = {}
    for key, inner in re.findall(r'data-tab="([a-z_]+)"[^>]*>(.*?)</a>', bar, re.S):
        count = re.search(r'tab-count-[a-z_]+">(\d+)<', inner)
        found[key] = count.group(1) if count else ""
    return found


def test_merchandiser_sees_orders_money_and_communications_with_counts(client, people):
    order = make_confirmed(people)
    make_draft(people, po="PO-4712")
    chatter_post(actor=people.merch, order_id=order.pk, kind="out", channel="email", text="Sent the PI")
    client.force_login(people.merch)
    url = people.customer.get_absolute_url()
    html = client.get(url).content.decode()
    tabs = _tabs(html)
    assert tabs["orders"] == "2" and tabs["communications"] == "1"
    assert 'data-testid="customer-orders"' not in html  # the overview does not render the other tabs
    orders = client.get(url + "?tab=orders").content.decode()
    assert order.number in orders and "PO-4712" in orders
    comms = client.get(url + "?tab=communications").content.decode()
    assert "Sent the PI" in comms


def test_finance_sees_open_money_with_the_overdue(client, people):
    make_confirmed(people)
    client.force_login(people.finance)
    url = people.customer.get_absolute_url()
    tabs = _tabs(client.get(url).content.decode())
    assert tabs["money"] == "2"  # deposit and balance of the confirmed order
    html = client.get(url + "?tab=money").content.decode()
    assert 'data-testid="customer-money"' in html and "deposit" in html


def test_another_teams_salesperson_gets_no_tab_of_the_customer(client, people):
    make_confirmed(people)
    client.force_login(people.other_sales)
    for tab in ("overview", "orders", "money", "communications"):
        assert client.get(people.customer.get_absolute_url() + f"?tab={tab}").status_code == 404


def test_customer_page_queries_are_bounded(client, people, django_assert_max_num_queries, minute_caches):
    for n in range(4):
        make_confirmed(people, po=f"PO-{n}")
    client.force_login(people.merch)
    for tab in ("overview", "orders", "money", "communications"):
        url = people.customer.get_absolute_url() + f"?tab={tab}"
        client.get(url)
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
