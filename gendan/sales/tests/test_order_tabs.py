"""The order page as a cockpit: a tab bar with counts; ``?tab=`` renders only that tab's panels
(server-side, no JavaScript), htmx gets the tab alone, and the page's queries stay bounded."""

from __future__ import annotations

import re

import pytest

from gendan.sales.tests.conftest import make_in_production, pay

pytestmark = pytest.mark.django_db


def _tabs(html: str) -> dict[str, str]:
    """tab key → its count as shown ("" when the tab shows none)."""
    bar = re.search(r'data-testid="order-tabs">(.*?)</nav>', html, re.S).group(1)
    found = {}
    for key, inner in re.findall(r'data-tab="([a-z_]+)"[^>]*>(.*?)</a>', bar, re.S):
        count = re.search(r'tab-count-[a-z_]+">(\d+)<', inner)
        found[key] = count.group(1) if count else ""
    return found


def test_overview_shows_the_cockpit_and_only_its_own_sections(client, people, confirmed):
    client.force_login(people.merch)
    html = client.get(confirmed.get_absolute_url()).content.decode()
    tabs = _tabs(html)
    assert list(tabs)[:2] == ["overview", "plan"]
    assert {"production", "money", "communications", "files", "documents", "shipments"} <= set(tabs)
    assert 'data-testid="order-life"' in html and 'id="next-steps"' in html and 'data-testid="order-lines"' in html
    assert 'class="timeline' in html or 'data-testid="timeline"' in html or "Timeline" in html
    assert 'data-testid="chatter"' in html
    # sections of other tabs are not rendered on the overview
    assert 'data-testid="money"' not in html and 'data-testid="communications-panel"' not in html
    assert 'id="shipments"' not in html


def test_a_tab_renders_only_its_panels_with_the_counts_on_every_tab(client, people):
    order = make_in_production(people)
    client.force_login(people.merch)
    html = client.get(order.get_absolute_url() + "?tab=money").content.decode()
    assert 'data-testid="money"' in html  # the order's own money section
    assert 'data-testid="order-lines"' not in html and 'id="next-steps"' not in html
    assert 'data-testid="production-panel"' not in html
    tabs = _tabs(html)
    assert tabs["money"] == "1"  # the balance is still open, the deposit paid
    assert tabs["production"] == "1"  # one production order
    assert re.search(r'class="tab current"[^>]*data-tab="money"', html)
    prod = client.get(order.get_absolute_url() + "?tab=production").content.decode()
    assert 'data-testid="production-panel"' in prod and 'data-testid="money"' not in prod


def test_an_unknown_tab_is_the_overview(client, people, confirmed):
    client.force_login(people.merch)
    html = client.get(confirmed.get_absolute_url() + "?tab=<script>").content.decode()
    assert 'id="next-steps"' in html and "&lt;script&gt;" not in html


def test_htmx_gets_the_tab_alone(client, people, confirmed):
    client.force_login(people.merch)
    response = client.get(confirmed.get_absolute_url() + "?tab=files", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="order-cockpit"') and "<html" not in html
    assert 'data-tab="files"' in html


def test_a_role_sees_only_the_tabs_it_may_see(client, people, confirmed):
    """The warehouse does not see quality records, nor communications; finance sees money."""
    client.force_login(people.warehouse)
    tabs = _tabs(client.get(confirmed.get_absolute_url()).content.decode())
    assert "samples" not in tabs and "inspections" not in tabs and "communications" not in tabs
    client.force_login(people.finance)
    tabs = _tabs(client.get(confirmed.get_absolute_url()).content.decode())
    assert "money" in tabs


def test_out_of_scope_order_is_404_on_every_tab(client, people, confirmed):
    client.force_login(people.other_sales)
    assert client.get(confirmed.get_absolute_url() + "?tab=money").status_code == 404


TAB_KEYS = ["overview", "plan", "production", "purchases", "samples", "inspections", "shipments", "documents", "money",
            "communications", "files"]
# What each tab takes on SQLite in the test settings (the order read with what that tab shows, the
# tab bar's counts in one query, the shipments read on their tab only: issue 10)
TAB_QUERIES = {"overview": 18, "plan": 17, "production": 19, "purchases": 18, "samples": 17, "inspections": 16,
               "shipments": 25, "documents": 16, "money": 30, "communications": 17, "files": 16}


@pytest.mark.parametrize("tab", TAB_KEYS)
def test_queries_stay_bounded_whatever_the_order_holds(client, people, django_assert_max_num_queries, tab,
                                                       minute_caches):
    order = make_in_production(people)
    for n in range(3):
        pay(people, order, "10.00", reference=f"TT-EXTRA-{n}")
    client.force_login(people.merch)
    url = order.get_absolute_url() + f"?tab={tab}"
    client.get(url)  # warm the caches a first visit fills (permissions, sessions)
    with django_assert_max_num_queries(TAB_QUERIES[tab]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("tab", [*TAB_KEYS, "all"])
def test_no_tab_reads_a_row_at_a_time(client, people, tab):
    """Each tab reads the order with what it shows (``order_get_for_user(tab=...)``): a relation
    it shows but did not read would cost a query per row. The same queries for an order with the
    usual lines and one payment as for one with twelve colour × size lines and four payments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_in_production(people, po="SMALL")
    lines = [{"description": f"Item {n}", "unit_price": "1.5",
              "cells": [{"colour": c, "size": s, "quantity": "10"} for c in ("Red", "Blue") for s in ("S", "M")]}
             for n in range(12)]
    big = make_in_production(people, po="BIG", lines=lines)
    for n in range(3):
        pay(people, big, "10.00", reference=f"TT-MORE-{n}")
    client.force_login(people.merch)
    counts = []
    for order in (small, big):
        url = order.get_absolute_url() + f"?tab={tab}"
        client.get(url)  # warm the caches a first visit fills
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[1] == counts[0], counts
