"""Lists that scale (issue 11): saved views per person, grouping with subtotals, the column
chooser and the customer typed with suggestions — on the order list and the other lists built
on ``core.listing``, as the people who use them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.core.models import SavedListView
from tests.factories import CustomerFactory, SalesOrderFactory
from tests.xlsx_export import export_rows, export_sheet

pytestmark = pytest.mark.django_db
ORDERS = "sales:order_list"


@pytest.fixture
def merch(make_user):
    return make_user("merchandiser", language="en")


@pytest.fixture
def other_merch(make_user):
    return make_user("merchandiser", language="en")


@pytest.fixture
def finance(make_user):
    return make_user("finance", language="en")


@pytest.fixture
def orders(merch, other_merch):
    """Three customers of ``merch`` (one in EUR) and one of another merchandiser."""
    acme = CustomerFactory(code="ACME", name_en="Acme Trading", merchandiser=merch)
    bolt = CustomerFactory(code="BOLT", name_en="Bolt Europe GmbH", merchandiser=merch, default_currency_id="EUR")
    hidden = CustomerFactory(code="ZETA", name_en="Zeta Secret Buyers", merchandiser=other_merch)
    made = {
        "acme": [SalesOrderFactory(customer=acme), SalesOrderFactory(customer=acme, confirmed=True)],
        "bolt": [SalesOrderFactory(customer=bolt), SalesOrderFactory(customer=bolt)],
        "zeta": [SalesOrderFactory(customer=hidden)],
    }
    return made


def order_pks(response) -> set[int]:
    return {obj.pk for obj, _cells in response.context["rows"]}


# --- saved views ---------------------------------------------------------------------------


def test_save_apply_rename_default_and_delete_a_view(merch, orders, client_for):
    client = client_for(merch)
    response = client.post(reverse("core:saved_view_create"), {
        "list_key": "orders", "name": "  Bolt drafts ", "next": reverse(ORDERS),
        "query": "customer=BOLT&status=draft&group=status&cols=number&cols=region&page=3"})
    view = SavedListView.objects.get(user=merch)
    assert response.status_code == 302 and response["Location"] == f"{reverse(ORDERS)}?view={view.pk}"
    assert view.name == "Bolt drafts" and "page" not in view.query  # the page is not part of a view

    page = client.get(reverse(ORDERS), {"view": view.pk})
    assert order_pks(page) == {o.pk for o in orders["bolt"]}
    assert [c.key for c in page.context["columns"]] == ["number", "region"]
    assert page.context["group"].key == "status"
    assert "Bolt drafts" in page.content.decode()

    client.post(reverse("core:saved_view_rename", args=[view.pk]), {"name": "Europe", "next": reverse(ORDERS)})
    client.post(reverse("core:saved_view_default", args=[view.pk]), {"on": "1", "next": reverse(ORDERS)})
    view.refresh_from_db()
    assert view.name == "Europe" and view.is_default
    # a bare list opens my default; "Clear" (?view=0) shows every order again
    assert order_pks(client.get(reverse(ORDERS))) == {o.pk for o in orders["bolt"]}
    assert order_pks(client.get(reverse(ORDERS), {"view": "0"})) == {o.pk for o in orders["acme"] + orders["bolt"]}

    client.post(reverse("core:saved_view_delete", args=[view.pk]), {"next": reverse(ORDERS)})
    assert not SavedListView.objects.exists()


def test_a_second_default_replaces_the_first_and_names_are_unique(merch, client_for):
    client = client_for(merch)
    for name in ("A", "B"):
        client.post(reverse("core:saved_view_create"),
                    {"list_key": "orders", "name": name, "query": "", "is_default": "1", "next": "/"})
    assert list(SavedListView.objects.filter(is_default=True).values_list("name", flat=True)) == ["B"]
    response = client.post(reverse("core:saved_view_create"),
                           {"list_key": "orders", "name": "B", "query": "", "next": reverse(ORDERS)}, follow=True)
    assert SavedListView.objects.count() == 2
    assert "already have a saved view named" in response.content.decode()


def test_another_persons_saved_view_is_a_404_and_stays_unchanged(merch, other_merch, orders, client_for):
    view = SavedListView.objects.create(user=merch, list_key="orders", name="mine", query="status=draft")
    intruder = client_for(other_merch)
    assert intruder.get(reverse(ORDERS), {"view": view.pk}).status_code == 404
    for name, data in (("core:saved_view_rename", {"name": "x"}), ("core:saved_view_delete", {}),
                       ("core:saved_view_default", {"on": "1"}), ("core:saved_view_update", {"query": ""})):
        assert intruder.post(reverse(name, args=[view.pk]), {**data, "next": "/"}).status_code == 404
    view.refresh_from_db()
    assert (view.name, view.query, view.is_default) == ("mine", "status=draft", False)
    # and it is not in their menu
    assert "mine" not in [v.name for v in intruder.get(reverse(ORDERS)).context["saved_views"]]


def test_a_saved_view_that_no_longer_fits_says_which_part_and_still_applies_the_rest(merch, orders, client_for):
    view = SavedListView.objects.create(user=merch, list_key="orders", name="old",
                                        query="status=draft&exf_from=not-a-date&cols=gone&group=nowhere")
    response = client_for(merch).get(reverse(ORDERS), {"view": view.pk})
    assert response.status_code == 200
    problems = " ".join(response.context["saved_view_errors"])
    assert "ex-factory from" in problems and "gone" in problems and "nowhere" in problems
    assert "no longer fits this list" in response.content.decode()
    drafts = {o.pk for o in orders["acme"][:1] + orders["bolt"]}
    assert order_pks(response) == drafts  # the status filter still applies


# --- grouping ------------------------------------------------------------------------------


def test_grouped_subtotals_equal_the_sum_of_the_rows_per_currency(finance, orders, client_for):
    response = client_for(finance).get(reverse(ORDERS), {"group": "customer"})
    assert response.status_code == 200
    heads = [item for item in response.context["items"] if item.get("header")]
    by_customer = {h["header"].split()[0]: h for h in heads}
    assert set(by_customer) == {"ACME", "BOLT", "ZETA"}
    for code, key in (("ACME", "acme"), ("BOLT", "bolt"), ("ZETA", "zeta")):
        rows = orders[key]
        currency = rows[0].currency_id
        total = sum((o.total_amount for o in rows), Decimal(0))
        assert by_customer[code]["count"] == len(rows)
        assert by_customer[code]["sums"] == [f"{currency} {total:,.2f}"]
    # rows follow their group header
    sequence = [item["header"].split()[0] if item.get("header") else item["obj"].customer.code
                for item in response.context["items"]]
    assert sequence == sorted(sequence, key=lambda c: sequence.index(c))
    page = response.content.decode()
    assert "EUR" in page and "group-head" in page


def test_grouped_page_reads_a_bounded_number_of_queries(finance, merch, client_for, django_assert_max_num_queries):
    client = client_for(finance)
    for _n in range(6):
        SalesOrderFactory(customer=CustomerFactory(merchandiser=merch))

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(ORDERS), params).status_code == 200
        return len(ctx.captured_queries)

    few = count({"group": "region", "cols": ["number", "region", "risk"]})
    for _n in range(8):
        SalesOrderFactory(customer=CustomerFactory(merchandiser=merch))
    with django_assert_max_num_queries(few):  # 14 orders, 14 customers: as many queries as for 6
        client.get(reverse(ORDERS), {"group": "region", "cols": ["number", "region", "risk"]})
    with django_assert_max_num_queries(few):
        client.get(reverse(ORDERS), {"group": "exf_month"})


def test_every_grouping_of_the_order_list_opens(merch, orders, client_for):
    client = client_for(merch)
    for key in ("customer", "merchandiser", "status", "currency", "region", "exf_month"):
        response = client.get(reverse(ORDERS), {"group": key})
        assert response.status_code == 200, key
        heads = [i for i in response.context["items"] if i.get("header")]
        assert sum(h["count"] for h in heads) == 4, key  # every order of merch, none of the others


def test_grouped_export_has_subtotal_rows_equal_to_its_rows(finance, orders, client_for):
    response = client_for(finance).get(reverse(ORDERS), {"group": "customer", "export": "xlsx"})
    header, *rows = export_rows(response)
    total = header.index("total")
    currency = header.index("currency")
    groups: dict[str, list] = {}
    subtotals = {}
    current = None
    for row in rows:
        first = str(row[0] or "")
        if first.startswith("customer: "):
            current = first.split(": ", 1)[1].split()[0]
            groups[current] = []
        elif first.startswith("Subtotal"):
            subtotals[(current, row[currency])] = Decimal(str(row[total]))
        else:
            groups[current].append(row)
    assert set(groups) == {"ACME", "BOLT", "ZETA"}
    for code, members in groups.items():
        for cur in {r[currency] for r in members}:
            expected = sum((Decimal(str(r[total])) for r in members if r[currency] == cur), Decimal(0))
            assert subtotals[(code, cur)] == expected
    assert export_sheet(response)["A2"].value.endswith("grouped by: customer")


# --- the column chooser --------------------------------------------------------------------


def test_default_columns_unchanged_and_chosen_ones_shown(merch, orders, client_for):
    client = client_for(merch)
    default = client.get(reverse(ORDERS))
    keys = [c.key for c in default.context["columns"]]
    assert keys == ["number", "customer", "customer_po_no", "po_date", "ex_factory_date", "total_amount", "status",
                    "payment_status", "production_status", "shipment_status", "merchandiser", "risk"]
    chosen = client.get(reverse(ORDERS), {"cols": ["customer", "region", "received_amount"]})
    assert [c.key for c in chosen.context["columns"]] == ["number", "customer", "region", "received_amount"]
    thead = chosen.content.decode().split("<thead>")[1].split("</thead>")[0]
    assert "received" in thead and "region" in thead and ">status<" not in thead
    # the export follows the chosen columns (the currency stays: the totals are per currency)
    header, *_rows = export_rows(client.get(reverse(ORDERS), {"cols": ["customer", "received_amount"],
                                                              "export": "xlsx"}))
    assert header == ["order no.", "customer", "currency", "received"]


def test_a_hidden_column_is_not_fetched(merch, orders, client_for):
    client = client_for(merch)
    with CaptureQueriesContext(connection) as shown:
        client.get(reverse(ORDERS))
    with CaptureQueriesContext(connection) as hidden:
        client.get(reverse(ORDERS), {"cols": ["customer", "status"]})
    plan_table = "tracking_orderplan"
    assert any(plan_table in q["sql"] for q in shown.captured_queries)
    assert not any(plan_table in q["sql"] for q in hidden.captured_queries)


# --- the customer typed --------------------------------------------------------------------


def test_typeahead_suggests_only_customers_in_scope(merch, finance, orders, client_for):
    mine = client_for(merch).get(reverse(ORDERS), {"typeahead": "customer", "term": "e"}).json()["results"]
    assert {r["value"] for r in mine} == {"ACME", "BOLT"}  # "Zeta Secret Buyers" matches, but is not theirs
    assert client_for(merch).get(reverse(ORDERS), {"typeahead": "customer", "term": "zeta"}).json() == {"results": []}
    everyone = client_for(finance).get(reverse(ORDERS), {"typeahead": "customer", "term": "e"}).json()["results"]
    assert {r["value"] for r in everyone} == {"ACME", "BOLT", "ZETA"}
    assert everyone[0]["label"].startswith(everyone[0]["value"] + " ")


def test_typeahead_returns_at_most_twenty(finance, client_for):
    for n in range(25):
        CustomerFactory(code=f"MANY{n:02d}")
    results = client_for(finance).get(reverse(ORDERS), {"typeahead": "customer", "term": "MANY"}).json()["results"]
    assert len(results) == 20
    assert client_for(finance).get(reverse(ORDERS), {"typeahead": "nope", "term": "x"}).status_code == 404


def test_customer_filter_works_as_plain_text(merch, orders, client_for):
    client = client_for(merch)
    assert order_pks(client.get(reverse(ORDERS), {"customer": "bolt"})) == {o.pk for o in orders["bolt"]}
    assert order_pks(client.get(reverse(ORDERS), {"customer": "Acme trad"})) == {o.pk for o in orders["acme"]}
    assert order_pks(client.get(reverse(ORDERS), {"customer": "ZETA"})) == set()  # not theirs: nothing
    html = client.get(reverse(ORDERS)).content.decode()
    assert 'data-typeahead="customer"' in html and "<select name=\"customer\"" not in html
    assert "Zeta" not in html


# --- the other lists -----------------------------------------------------------------------


@pytest.mark.parametrize("url, role", [
    ("production:production_order_list", "production_planner"),
    ("purchasing:purchase_order_list", "purchasing"),
    ("shipping:shipment_list", "warehouse"),
    ("payables:invoice_list", "finance"),
])
def test_the_other_lists_group_choose_columns_and_save(url, role, make_user, client_for):
    user = make_user(role, language="en")
    client = client_for(user)
    view = client.get(reverse(url))
    assert view.status_code == 200
    groups = view.context["group_choices"]
    assert groups, url
    for group in groups:
        assert client.get(reverse(url), {"group": group.key}).status_code == 200, (url, group.key)
        assert client.get(reverse(url), {"group": group.key, "export": "xlsx"}).status_code == 200
    first = view.context["columns"][0].key
    assert [c.key for c in client.get(reverse(url), {"cols": first}).context["columns"]] == [first]
    assert 'data-testid="saved-views"' in view.content.decode()


@pytest.mark.parametrize("url, term, expected", [
    ("shipping:shipment_list", "e", {"ACME", "BOLT"}),
    ("shipping:shipment_list", "zeta", set()),
])
def test_shipment_customer_typeahead_stays_in_scope(url, term, expected, merch, orders, client_for):
    response = client_for(merch).get(reverse(url), {"typeahead": "customer", "term": term})
    assert response.status_code == 200
    assert {r["value"] for r in response.json()["results"]} == expected


def test_purchase_order_supplier_is_typed(make_user, client_for):
    from gendan.parties.models import Supplier
    from tests.factories import SupplierFactory

    SupplierFactory(code="FAB1", name_zh="面料一厂", kind=Supplier.Kind.MATERIAL_SUPPLIER)
    SupplierFactory(code="FAC9", name_zh="成衣九厂")  # a factory: never a purchase order's supplier
    client = client_for(make_user("purchasing", language="en"))
    results = client.get(reverse("purchasing:purchase_order_list"), {"typeahead": "supplier", "term": "厂"}).json()
    assert [r["value"] for r in results["results"]] == ["FAB1"]
    assert client.get(reverse("purchasing:purchase_order_list"), {"supplier": "面料"}).status_code == 200


def test_month_groups_count_and_add_up_their_own_rows(finance, merch, client_for):
    import datetime as dt

    customer = CustomerFactory(merchandiser=merch)
    may = [SalesOrderFactory(customer=customer, ex_factory_date=dt.date(2026, 5, d)) for d in (1, 31)]
    june = [SalesOrderFactory(customer=customer, ex_factory_date=dt.date(2026, 6, 1))]
    response = client_for(finance).get(reverse(ORDERS), {"group": "exf_month"})
    heads = {h["header"]: h for h in response.context["items"] if h.get("header")}
    assert set(heads) == {"2026-05", "2026-06"}
    assert heads["2026-05"]["count"] == 2 and heads["2026-06"]["count"] == 1
    assert heads["2026-05"]["sums"] == [f"USD {sum(o.total_amount for o in may):,.2f}"]
    assert heads["2026-06"]["sums"] == [f"USD {june[0].total_amount:,.2f}"]
