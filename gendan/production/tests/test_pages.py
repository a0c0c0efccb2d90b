"""Production order pages through HTTP (Django test client, real sessions): buttons disabled
with the rule's reason, each step's POST, the draft's edit form (stale → 409), adding a
production order from the sales order, the order page's panel, the list's filters, and roles
that may not change anything."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.production.models import ProductionOrder
from gendan.production.tests.conftest import due

pytestmark = pytest.mark.django_db
P = ProductionOrder.Status


def _html(response) -> str:
    return response.content.decode()


def _action(po, name: str) -> str:
    return reverse("production:production_order_action", args=[po.pk, name])


def _edit_data(po, **overrides) -> dict:
    data = {"due_date": po.due_date.isoformat(), "document": po.document, "sign_off": po.sign_off,
            "copy_to": po.copy_to, "email_to": po.email_to, "notes": po.notes, "version": po.version}
    for line in po.lines.all():
        key = f"line-{line.pk}"
        data.update({f"{key}-quantity": str(line.quantity), f"{key}-unit_cost": "1.10", f"{key}-spec": line.spec,
                     f"{key}-surface_finish": line.surface_finish,
                     f"{key}-packing_requirements": line.packing_requirements,
                     f"{key}-quality_requirements": line.quality_requirements})
    data.update(overrides)
    return data


def test_the_planner_completes_the_draft_and_issues_it(people, order_with_mug, client_for, smtp,
                                                      django_capture_on_commit_callbacks):
    po = order_with_mug.production_orders.get()
    client = client_for(people.planner)
    html = _html(client.get(po.get_absolute_url()))
    assert 'data-action="issue"' in html and "needs a unit cost on every line" in html  # disabled, with the reason
    edit = reverse("production:production_order_edit", args=[po.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _edit_data(po))
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.total_cost == Decimal("1103.30")  # 1000 × 1.10 + 3 × 1.10
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_action(po, "issue"), {"version": po.version})
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.status == P.ISSUED and po.email_sent_at
    assert len(smtp.wait_for(1)) == 1
    pdf = client.get(reverse("production:production_order_pdf", args=[po.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_stale_edit_is_refused_with_409_and_keeps_the_input(people, order_with_mug, client_for):
    po = order_with_mug.production_orders.get()
    client = client_for(people.planner)
    edit = reverse("production:production_order_edit", args=[po.pk])
    assert client.post(edit, _edit_data(po, notes="first")).status_code == 302
    response = client.post(edit, _edit_data(po, notes="typed on an old page"))  # still version 1
    assert response.status_code == 409 and "typed on an old page" in _html(response)
    po.refresh_from_db()
    assert po.notes == "first"


def test_roles_that_only_view_see_the_page_but_change_nothing(people, order_with_mug, client_for):
    po = order_with_mug.production_orders.get()
    for user in (people.qc, people.finance, people.warehouse):
        client = client_for(user)
        html = _html(client.get(po.get_absolute_url()))
        assert po.number in html and 'data-action="issue"' not in html and 'data-action="edit"' not in html
        assert client.post(_action(po, "cancel"), {"cancel-reason": "not mine to cancel", "version": 1}
                           ).status_code == 403
        assert client.get(reverse("production:production_order_edit", args=[po.pk])).status_code == 403
    assert client_for(people.other_sales).get(po.get_absolute_url()).status_code == 404
    assert client_for(people.other_sales).post(_action(po, "cancel"), {"cancel-reason": "x" * 10}).status_code == 404
    po.refresh_from_db()
    assert po.status == P.DRAFT and po.version == 1


def test_start_is_disabled_with_the_first_article_reason_until_a_manager_overrides(
        people, order_with_mug, client_for, first_article_refused):
    from gendan.production import services

    po = order_with_mug.production_orders.get()
    services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                     lines={line.pk: {"unit_cost": "1"} for line in po.lines.all()})
    po = services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    planner = client_for(people.planner)
    response = planner.post(_action(po, "accept"), {"accept-committed_due_date": due(21).isoformat(),
                                                    "version": po.version})
    assert response.status_code == 302
    html = _html(planner.get(po.get_absolute_url()))
    assert 'data-action="start"' in html and first_article_refused.reason in html
    assert 'data-action="override_first_article"' not in html  # the planner may not override
    po.refresh_from_db()
    assert planner.post(_action(po, "start"), {"version": po.version}).status_code == 409
    manager = client_for(people.manager)
    assert 'data-action="override_first_article"' in _html(manager.get(po.get_absolute_url()))
    response = manager.post(_action(po, "override_first_article"), {
        "override_first_article-reason": "Customer approved the sample by video", "version": po.version})
    assert response.status_code == 302
    assert planner.post(_action(po, "start"), {"version": po.version}).status_code == 409  # stale page
    assert planner.post(_action(po, "start"), {"version": po.version + 1}).status_code == 302
    po.refresh_from_db()
    assert po.status == P.IN_PRODUCTION and po.first_article_override


def test_add_a_production_order_from_the_sales_order(people, workshop, client_for):
    from gendan.production.tests.conftest import release
    from gendan.sales.tests.conftest import make_confirmed

    order = make_confirmed(people)
    mugs, boxes = order.lines.order_by("line_no")
    order = release(people, order, [{"supplier": workshop, "due_date": due(30), "lines": {mugs.pk: "700"}}])
    client = client_for(people.planner)
    page = _html(client.get(order.get_absolute_url() + "?tab=all"))
    assert 'data-testid="production-panel"' in page and 'data-action="add_production_order"' in page
    add = reverse("production:production_order_add", args=[order.pk])
    form = {"supplier": people.factory.pk, "due_date": due(30).isoformat(), f"line-{mugs.pk}": "301",
            f"line-{boxes.pk}": "3", "version": order.version}
    response = client.post(add, form)
    assert response.status_code == 400 and "still to be allocated" in _html(response)
    assert order.production_orders.count() == 1
    response = client.post(add, {**form, f"line-{mugs.pk}": "300"})
    assert response.status_code == 302
    added = order.production_orders.get(supplier=people.factory)
    assert response["Location"] == added.get_absolute_url() and added.status == P.DRAFT
    page = _html(client.get(order.get_absolute_url() + "?tab=all"))
    assert "Every ordered quantity is already on a production order" in page  # the add button, disabled
    assert client_for(people.qc).get(add).status_code == 403


@pytest.mark.dates
def test_list_filters_and_bounded_queries(people, order_with_mug, workshop, client_for, django_assert_max_num_queries):
    from gendan.production.tests.conftest import release
    from gendan.sales.tests.conftest import make_confirmed

    for _ in range(3):
        release(people, make_confirmed(people), [{"supplier": workshop, "due_date": due(50)}])
    client = client_for(people.planner)
    url = reverse("production:production_order_list")
    # session, user, permissions, nav counters, count, rows, filter choices, the user's saved views of the list
    with django_assert_max_num_queries(16):
        rows = client.get(url).context["rows"]
    assert len(rows) == 4
    assert len(client.get(url, {"supplier": workshop.pk}).context["rows"]) == 3
    assert len(client.get(url, {"due_to": due(55).isoformat()}).context["rows"]) == 3
    assert len(client.get(url, {"due_from": due(55).isoformat()}).context["rows"]) == 1
    assert len(client.get(url, {"status": "issued"}).context["rows"]) == 0
    assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_the_detail_page_reads_a_bounded_number_of_rows(people, order_with_mug, client_for,
                                                         django_assert_max_num_queries, minute_caches):
    po = order_with_mug.production_orders.get()
    client = client_for(people.planner)
    client.get(po.get_absolute_url())  # warm the session and the permission caches
    with django_assert_max_num_queries(13):  # the chase badge and the session kept a minute (issue 10)
        html = _html(client.get(po.get_absolute_url()))
    assert "HDL-01" in html and "1,020" in html  # the bill of materials: handle × 1000 + 2 % scrap


def test_a_change_order_that_reduces_a_line_shows_the_excess_until_a_draft_is_reduced(people, client_for):
    from gendan.production import services
    from gendan.sales.services.revisions import order_revise, order_revision_apply, order_revision_approve
    from gendan.sales.tests.conftest import make_in_production, record_confirmations

    order = make_in_production(people)
    order_revise(actor=people.merch, order_id=order.pk, reason="Customer takes 800 mugs", data={}, lines=[
        {"description": "Ceramic mug 350 ml", "unit_price": "1.235",
         "cells": [{"colour": "Red", "size": "M", "quantity": "500"}, {"colour": "Blue", "size": "M", "quantity": "300"}]},
        {"description": "Gift box", "unit_price": "0.335", "quantity": "3"}])
    # 20 % less to invoice: the four-eyes rule on money terms wants a manager's approval too.
    order_revision_approve(actor=people.manager, order_id=order.pk, reason="Customer cut the order, agreed")
    record_confirmations(people, order)
    order_revision_apply(actor=people.merch, order_id=order.pk)
    client = client_for(people.planner)
    assert 'data-testid="over-allocated"' in _html(client.get(order.get_absolute_url() + "?tab=all"))
    po = order.production_orders.get()
    mugs = po.lines.get(order_line__line_no=1)
    assert mugs.order_line.quantity == 800 and mugs.quantity == 1000
    services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                     lines={mugs.pk: {"quantity": "800"}})
    assert 'data-testid="over-allocated"' not in _html(client.get(order.get_absolute_url() + "?tab=all"))


def test_the_list_reads_only_the_columns_it_shows(people, order_with_mug, workshop, client_for, monkeypatch):
    """A row reads its columns and no more (``LIST_READS``, issue 10) — and never a column it left
    out, which would be a query per row: loading a deferred column is made an error here, on the
    list, its groups, a sort by a related column and its exports."""
    from django.db.models import Model

    from gendan.production.tests.conftest import release
    from gendan.sales.tests.conftest import make_confirmed

    release(people, make_confirmed(people), [{"supplier": workshop, "due_date": due(50)}])
    client = client_for(people.planner)
    url = reverse("production:production_order_list")

    def refuse(self, *args, fields=None, **kwargs):
        raise AssertionError(f"{type(self).__name__}.{fields} read one row at a time")

    monkeypatch.setattr(Model, "refresh_from_db", refuse)
    for query in ({}, {"group": "supplier"}, {"group": "customer"}, {"group": "status"}, {"group": "due_month"},
                  {"sort": "-sales_order"}, {"cols": "number,customer,supplier,change_flag,total_cost"},
                  {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(url, query)
        assert response.status_code == 200, query
    rows = client.get(url).context["rows"]
    assert len(rows) == 2
