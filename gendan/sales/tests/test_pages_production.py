"""Production order pages (list and detail) through HTTP: scope, the change flag, the export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gendan.sales.tests.conftest import make_in_production, record_confirmations

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def production_order(people):
    return make_in_production(people).production_orders.get()


def test_list_and_detail_for_the_planner(people, production_order, client_for):
    client = client_for(people.planner)
    rows = client.get(reverse("production:production_order_list")).context["rows"]
    assert [p.number for p, _c in rows] == [production_order.number]
    html = _html(client.get(production_order.get_absolute_url()))
    assert production_order.number in html and "东莞一厂" in html
    assert 'data-testid="production-lines"' in html and "Ceramic mug 350 ml" in html and "1,000" in html


def test_scope(people, production_order, client_for, make_user):
    assert client_for(people.other_sales).get(production_order.get_absolute_url()).status_code == 404
    assert client_for(people.other_sales).get(reverse("production:production_order_list")).context["rows"] == []
    assert client_for(make_user(language="en")).get(reverse("production:production_order_list")).status_code == 403


def test_a_change_order_flag_is_highlighted(people, production_order, client_for):
    from gendan.sales.services.revisions import order_revise, order_revision_apply

    order = production_order.sales_order
    order_revise(actor=people.merch, order_id=order.pk, lines=None, reason="Customer moves the date",
                 data={"ex_factory_date": order.ex_factory_date + dt.timedelta(days=10)})
    record_confirmations(people, order)
    order_revision_apply(actor=people.merch, order_id=order.pk)
    client = client_for(people.planner)
    html = _html(client.get(production_order.get_absolute_url()))
    assert 'data-testid="change-flag"' in html and "Customer moves the date" in html
    rows = client.get(reverse("production:production_order_list"), {"changed": "on"}).context["rows"]
    assert [p.number for p, _c in rows] == [production_order.number]
