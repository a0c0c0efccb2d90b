"""Progress entry page, the order page's Progress panel and who may see / change what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.planning.models import ProgressEntry

pytestmark = pytest.mark.django_db


def test_the_planner_enters_todays_progress_in_the_grid(people, production_order, mug_line, client_for):
    client = client_for(people.planner)
    url = reverse("planning:progress_entry", args=[production_order.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="progress-grid"' in html and "Ceramic mug 350 ml" in html
    response = client.post(url, {f"q-{mug_line.pk}-cutting": "600", f"q-{mug_line.pk}-packing": "200"})
    assert response.status_code == 302
    mug_line.refresh_from_db()
    assert mug_line.produced_quantity == Decimal("200") and ProgressEntry.objects.count() == 2
    back = client.post(url, {f"q-{mug_line.pk}-cutting": "500"})
    assert back.status_code == 400 and "can&#x27;t go backwards" in back.content.decode()
    assert ProgressEntry.objects.get(stage="cutting").cumulative_quantity == Decimal("600")
    fixed = client.post(url, {f"q-{mug_line.pk}-cutting": "500", f"r-{mug_line.pk}-cutting": "Recount"})
    assert fixed.status_code == 302
    assert ProgressEntry.objects.get(stage="cutting").cumulative_quantity == Decimal("500")


def test_who_may_see_and_change_progress(people, production_order, mug_line, client_for, make_user):
    url = reverse("planning:progress_entry", args=[production_order.pk])
    assert client_for(people.merch).get(url).status_code == 200
    assert client_for(people.qc).get(url).status_code == 200
    assert client_for(people.other_merch).get(url).status_code == 404
    assert client_for(people.sales).get(url).status_code == 403
    for user in (people.merch, people.qc, people.finance):
        assert client_for(user).post(url, {f"q-{mug_line.pk}-cutting": "5"}).status_code in (403, 404)
    assert ProgressEntry.objects.count() == 0
    assert client_for(people.manager).post(url, {f"q-{mug_line.pk}-cutting": "5"}).status_code == 302


def test_the_order_page_shows_progress_per_stage(people, production_order, mug_line, client_for,
                                                 django_assert_max_num_queries):
    client_for(people.planner).post(reverse("planning:progress_entry", args=[production_order.pk]),
                                    {f"q-{mug_line.pk}-assembly": "500"})
    html = client_for(people.merch).get(production_order.sales_order.get_absolute_url() + "?tab=all").content.decode()
    assert 'data-testid="progress-panel"' in html
    # 500 of the 1 003 pieces of the two lines are assembled: 49 %.
    assert 'data-stage="assembly">49%<div' in html and 'data-stage="cutting">0%<div' in html


def test_progress_list_links_to_the_grid(people, production_order, client_for):
    response = client_for(people.planner).get(reverse("planning:progress_list"))
    assert reverse("planning:progress_entry", args=[production_order.pk]) in response.content.decode()
    assert client_for(people.sales).get(reverse("planning:progress_list")).status_code == 403


def test_navigation_shows_the_schedule_to_planners_only(people, client_for):
    assert "Schedule" in client_for(people.planner).get(reverse("planning:schedule")).content.decode()
    nav = [i["label"] for i in client_for(people.sales).get(reverse("sales:order_list")).context["nav_items"]]
    assert "Schedule" not in [str(label) for label in nav]


def test_lists_do_not_grow_queries_with_rows(people, production_order, client_for, django_assert_max_num_queries):
    from gendan.planning.services.exceptions import exception_report
    from gendan.sales.tests.conftest import make_in_production

    for _n in range(3):
        po = make_in_production(people).production_orders.get()
        exception_report(actor=people.planner, kind="other", description="x", production_order_ids=[po.pk])
    client = client_for(people.planner)
    # incl. the chase badge (4) and the user's saved views of the list (1: the menu and the default view)
    with django_assert_max_num_queries(15):
        assert len(client.get(reverse("planning:progress_list")).context["rows"]) == 4
    with django_assert_max_num_queries(15):
        assert len(client.get(reverse("planning:exception_list")).context["rows"]) == 3
    with django_assert_max_num_queries(22):
        assert client.get(reverse("planning:progress_entry", args=[production_order.pk])).status_code == 200
