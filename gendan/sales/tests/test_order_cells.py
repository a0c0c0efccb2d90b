"""The order list's cells (sales_ui.order_cell) are the HTML the template's chain of
{% if col.key == … %} made before it moved into Python for speed (bench/README.md, "Speed under
load"): the chain is kept here and both are rendered for orders in every state, with and without
a T&A plan, a merchandiser or dates, in both languages."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from gendan.sales.models import SalesOrder
from gendan.sales.tests.conftest import make_confirmed, make_draft, make_in_production
from gendan.sales.views.order_list import OrderListView

pytestmark = pytest.mark.django_db

# The block as sales/_order_results.html had it (issue 11), verbatim.
CHAIN = """{% with o=obj %}{% if col.key == "number" %}<a href="{{ o.get_absolute_url }}">{{ o }}</a>
{% elif col.key == "customer" %}{{ o.customer.code }} <span class="sub">{{ o.customer.display_name }}</span>
{% elif col.key == "po_date" %}{{ o.customer_po_date|date:"Y-m-d" }}
{% elif col.key == "ex_factory_date" %}{{ o.ex_factory_date|date:"Y-m-d" }}
{% elif col.key == "total_amount" %}{{ o.total_amount|money_fmt:o.currency_id }}
{% elif col.key == "received_amount" %}{{ o.received_amount|money_fmt:o.currency_id }}
{% elif col.key == "status" %}<span class="badge {{ o.status|badge }}">{{ o.get_status_display }}</span>
{% elif col.key == "payment_status" %}<span class="badge {{ o.payment_status|badge }}">{{ o.get_payment_status_display }}</span>
{% elif col.key == "production_status" %}<span class="badge {{ o.production_status|badge }}">{{ o.get_production_status_display }}</span>
{% elif col.key == "shipment_status" %}<span class="badge {{ o.shipment_status|badge }}">{{ o.get_shipment_status_display }}</span>
{% elif col.key == "merchandiser" %}{{ o.merchandiser|default:"—" }}
{% elif col.key == "salesperson" %}{{ o.salesperson|default:"—" }}
{% elif col.key == "risk" %}{% if o.plan and o.plan.is_active %}<span class="risk {{ o.plan.risk }}" title="{{ o.plan.why }}">{{ o.plan.get_risk_display }}</span>{% endif %}
{% else %}{{ cell }}{% endif %}{% endwith %}"""
BEFORE = Template("{% load i18n gendan sales_ui %}" + CHAIN)
AFTER = Template("{% load sales_ui %}{% order_cell obj col cell %}")


def test_each_cell_is_the_html_the_template_made(people):
    from gendan.core.listing import display

    make_draft(people)
    make_confirmed(people, po="PO-C")
    make_in_production(people, po="PO-P")
    orphan = make_draft(people, po="PO-X")
    SalesOrder.objects.filter(pk=orphan.pk).update(merchandiser=None)
    columns = OrderListView.columns
    checked = 0
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for order in SalesOrder.objects.select_related("customer", "merchandiser", "salesperson", "plan"):
                for col in columns:
                    context = {"obj": order, "col": col, "cell": display(col.get(order))}
                    assert AFTER.render(Context(context)) == BEFORE.render(Context(context)), (col.key, order)
                    checked += 1
    assert checked >= 4 * len(columns) * 2
    assert {"number", "customer", "status", "risk", "merchandiser"} <= {c.key for c in columns}


def _table(html: bytes) -> str:
    return re.search(r'<table class="grid.*?</table>', html.decode(), re.S).group(0)


def test_the_list_page_is_the_html_the_templates_made(people, client_for, settings):
    """The whole table, rows made by order_row against the templates' own rows (the results
    template as it was, on the shared core/_list_results.html)."""
    make_draft(people)
    make_in_production(people, po="PO-P")
    client = client_for(people.merch)
    pages = ("/sales/orders/", "/sales/orders/?cols=number,customer,received_amount,salesperson,risk")
    after = [_table(client.get(page).content) for page in pages]
    old_results = ('{% extends "core/_list_results.html" %}{% load i18n gendan sales_ui %}'
                   '{% block table_attrs %} data-testid="order-list"{% endblock %}'
                   '{% block row_attrs %} data-order="{{ obj.pk }}"{% endblock %}'
                   "{% block cell %}" + CHAIN + "{% endblock %}")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "APP_DIRS": False, "OPTIONS": {**engine["OPTIONS"], "loaders": [
        ("django.template.loaders.locmem.Loader", {"sales/_order_results.html": old_results}),
        "django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]}}]
    before = [_table(client.get(page).content) for page in pages]
    assert after == before
    assert [table.count('<tr data-order="') for table in after] == [2, 2]
