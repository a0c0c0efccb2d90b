"""Every customer and supplier page through HTTP: who may open it, lists, filters, sorting,
pagination, the Excel export and the number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CustomerFactory, SupplierFactory, TeamFactory
from tests.xlsx_export import export_rows

LOGIN = "/accounts/login/"


@pytest.fixture
def people(make_user):
    team = TeamFactory()
    return {
        "sales": make_user("sales", team=team, language="en"),
        "other_sales": make_user("sales", team=TeamFactory(), language="en"),
        "finance": make_user("finance", language="en"),
        "purchasing": make_user("purchasing", language="en"),
        "qc": make_user("qc", language="en"),
        "warehouse": make_user("warehouse", language="en"),
    }


@pytest.fixture
def records(people):
    return {
        "customer": CustomerFactory(salesperson=people["sales"], name_en="Pacific Home Goods"),
        "supplier": SupplierFactory(name_zh="宁波海曙纺织品有限公司"),
    }


# (url name, uses the record's pk, role allowed, role refused, refusal status)
PAGES = [
    ("parties:customer_list", None, "sales", "qc", 403),
    ("parties:customer_detail", "customer", "sales", "qc", 404),
    ("parties:customer_detail", "customer", "finance", "other_sales", 404),
    ("parties:customer_create", None, "sales", "finance", 403),
    ("parties:customer_create", None, "sales", "warehouse", 403),
    ("parties:customer_edit", "customer", "sales", "finance", 403),
    ("parties:customer_edit", "customer", "sales", "other_sales", 404),
    ("parties:supplier_list", None, "purchasing", "warehouse", 403),
    ("parties:supplier_detail", "supplier", "qc", "warehouse", 404),
    ("parties:supplier_create", None, "purchasing", "sales", 403),
    ("parties:supplier_edit", "supplier", "purchasing", "finance", 403),
]


def _url(name, record_key, records):
    return reverse(name, args=[records[record_key].pk]) if record_key else reverse(name)


@pytest.mark.parametrize(("name", "record_key", "allowed", "refused", "status"), PAGES)
def test_page_access(name, record_key, allowed, refused, status, people, records, client, client_for):
    url = _url(name, record_key, records)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(LOGIN)
    assert client_for(people[allowed]).get(url).status_code == 200
    assert client_for(people[refused]).get(url).status_code == status


def test_detail_page_shows_the_record_and_its_trade_terms(people, records, client_for):
    html = client_for(people["sales"]).get(records["customer"].get_absolute_url()).content.decode()
    customer = records["customer"]
    assert customer.code in html and "Pacific Home Goods" in html
    assert customer.incoterm_text in html
    assert 'id="attachments"' in html and 'id="contacts"' in html


def test_edit_link_only_for_those_who_may_edit(people, records, client_for):
    edit_url = reverse("parties:customer_edit", args=[records["customer"].pk])
    assert edit_url in client_for(people["sales"]).get(records["customer"].get_absolute_url()).content.decode()
    assert edit_url not in client_for(people["finance"]).get(
        records["customer"].get_absolute_url()).content.decode()


def test_new_button_only_for_those_who_may_create(people, client_for):
    create_url = reverse("parties:supplier_create")
    assert create_url in client_for(people["purchasing"]).get(reverse("parties:supplier_list")).content.decode()
    assert create_url not in client_for(people["qc"]).get(reverse("parties:supplier_list")).content.decode()


# --- lists ---------------------------------------------------------------------------------


@pytest.fixture
def finance(people):
    return people["finance"]


def _codes(response):
    return [obj.code for obj, _cells in response.context["rows"]]


def _sheet_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = [["" if v is None else v for v in row] for row in export_rows(response)]
    return rows[0], rows[1:]


def test_customer_list_filters(finance, client_for):
    CustomerFactory(code="US-1", country="US", is_active=True)
    CustomerFactory(code="DE-1", country="DE", is_active=True, name_en="Nordhafen Handels GmbH")
    CustomerFactory(code="DE-2", country="DE", is_active=False)
    client = client_for(finance)
    url = reverse("parties:customer_list")

    assert _codes(client.get(url, {"country": "DE"})) == ["DE-1", "DE-2"]
    assert _codes(client.get(url, {"country": "DE", "active": "1"})) == ["DE-1"]
    assert _codes(client.get(url, {"active": "0"})) == ["DE-2"]
    assert _codes(client.get(url, {"q": "nordhafen"})) == ["DE-1"]
    assert _codes(client.get(url, {"q": "us-"})) == ["US-1"]


def test_customer_list_sorts(finance, client_for):
    for code, name in [("B", "Zeta"), ("C", "Alpha"), ("A", "Mid")]:
        CustomerFactory(code=code, name_en=name)
    client = client_for(finance)
    url = reverse("parties:customer_list")

    assert _codes(client.get(url)) == ["A", "B", "C"]
    assert _codes(client.get(url, {"sort": "-code"})) == ["C", "B", "A"]
    assert _codes(client.get(url, {"sort": "name_en"})) == ["C", "A", "B"]
    assert _codes(client.get(url, {"sort": "no_such_column"})) == ["A", "B", "C"]


def test_customer_list_pages_by_fifty(finance, client_for, settings):
    assert settings.GENDAN_PAGE_SIZE == 50
    CustomerFactory.create_batch(53)
    client = client_for(finance)
    url = reverse("parties:customer_list")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert first.context["page"].paginator.num_pages == 2
    assert len(_codes(first)) == 50 and len(_codes(second)) == 3
    assert not set(_codes(first)) & set(_codes(second))
    assert "page=2" in first.content.decode()
    assert _codes(client.get(url, {"page": 99})) == _codes(second)  # past the end: the last page


def test_pagination_keeps_filters_and_sort(finance, client_for):
    CustomerFactory.create_batch(55, country="DE")
    CustomerFactory(country="US")
    response = client_for(finance).get(reverse("parties:customer_list"), {"country": "DE", "sort": "-code"})
    html = response.content.decode()
    assert "country=DE&amp;sort=-code&amp;page=2" in html


def test_export_holds_exactly_the_filtered_rows_and_matches_the_page(finance, client_for):
    CustomerFactory.create_batch(3, country="DE")
    CustomerFactory.create_batch(2, country="US")
    client = client_for(finance)
    query = {"country": "DE", "sort": "-code"}

    page = client.get(reverse("parties:customer_list"), query)
    export = client.get(reverse("parties:customer_list"), {**query, "export": "xlsx"})

    header, rows = _sheet_rows(export)
    assert header == [str(c.label) for c in page.context["columns"]]
    assert rows == [cells for _obj, cells in page.context["rows"]]
    assert 'filename="customers-' in export["Content-Disposition"]


def test_export_is_not_limited_to_one_page(finance, client_for):
    CustomerFactory.create_batch(60)
    _header, rows = _sheet_rows(client_for(finance).get(reverse("parties:customer_list"), {"export": "xlsx"}))
    assert len(rows) == 60


def test_supplier_list_filters_by_kind_and_exports(people, client_for):
    SupplierFactory(code="F1", kind="outsourced_factory")
    SupplierFactory(code="W1", kind="forwarder", credit_code="91440101MA5CJQ4N59")
    client = client_for(people["purchasing"])
    url = reverse("parties:supplier_list")

    assert _codes(client.get(url, {"kind": "forwarder"})) == ["W1"]
    assert _codes(client.get(url, {"q": "MA5CJQ"})) == ["W1"]
    _header, rows = _sheet_rows(client.get(url, {"kind": "forwarder", "export": "xlsx"}))
    assert [r[0] for r in rows] == ["W1"]


def test_htmx_filter_returns_only_the_results(finance, client_for):
    CustomerFactory(code="X1")
    response = client_for(finance).get(reverse("parties:customer_list"), {"q": "X1"},
                                       HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results")
    html = response.content.decode()
    assert "<html" not in html and "X1" in html


def _list_queries(client, url) -> int:
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("url_name", "factory"), [("parties:customer_list", CustomerFactory),
                                                   ("parties:supplier_list", SupplierFactory)])
def test_list_query_count_does_not_grow_with_rows(make_user, client_for, url_name, factory,
                                                  django_assert_max_num_queries):
    from tests.factories import RegionFactory, UserFactory

    viewer = make_user("manager")
    client = client_for(viewer)
    url = reverse(url_name)

    def add(n):
        for _ in range(n):
            if factory is CustomerFactory:
                factory(region=RegionFactory(), salesperson=UserFactory(), merchandiser=UserFactory())
            else:
                factory()

    # both longer than a page (a list of one page is read in one query, a longer one in two:
    # core.listing.ListPageView.page_rows)
    add(51)
    few = _list_queries(client, url)
    add(60)
    many = _list_queries(client, url)

    assert many == few
    with django_assert_max_num_queries(few):
        client.get(url)
