"""Home and global search, through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from tests.factories import CustomerFactory, SupplierFactory, TeamFactory


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", ["core:home", "core:search"])
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert _is_login_redirect(response)
    assert f"next={reverse(url_name)}" in response.url


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_home_shows_each_role_the_areas_it_may_open(role, make_user, client_for):
    user = make_user(role, language="en")
    response = client_for(user).get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Welcome, {user}" in html
    shows_customers = reverse("parties:customer_list") in html
    assert shows_customers == user.has_perm("parties.view_customer")
    assert (reverse("parties:supplier_list") in html) == user.has_perm("parties.view_supplier")


@pytest.fixture
def two_salespeople(make_user):
    mine = make_user("sales", team=TeamFactory(), language="en")
    other = make_user("sales", team=TeamFactory(), language="en")
    return mine, other


def test_search_finds_customers_by_code_and_name_only_within_scope(two_salespeople, client_for):
    mine, other = two_salespeople
    own = CustomerFactory(code="ACME-01", name_en="Acme Home Goods", salesperson=mine)
    foreign = CustomerFactory(code="ACME-02", name_en="Acme Garden", salesperson=other)
    client = client_for(mine)

    by_code = client.get(reverse("core:search"), {"q": "acme-0"})
    by_name = client.get(reverse("core:search"), {"q": "home goods"})

    assert by_code.status_code == 200
    for response in (by_code, by_name):
        html = response.content.decode()
        assert own.get_absolute_url() in html
        assert foreign.get_absolute_url() not in html
        assert "Acme Garden" not in html
    assert "Acme Home Goods" in by_name.content.decode()


def test_search_with_go_opens_the_single_match(two_salespeople, client_for):
    mine, _other = two_salespeople
    own = CustomerFactory(code="ACME-01", salesperson=mine)
    response = client_for(mine).get(reverse("core:search"), {"q": "ACME-01", "go": "1"})
    assert response.status_code == 302
    assert response.url == own.get_absolute_url()


def test_search_says_nothing_found_rather_than_leaking_out_of_scope_records(two_salespeople, client_for):
    mine, other = two_salespeople
    CustomerFactory(code="SECRET-1", name_en="Secret Buyer", salesperson=other)
    response = client_for(mine).get(reverse("core:search"), {"q": "SECRET"})
    html = response.content.decode()
    assert "Nothing found that you may see." in html
    assert "Secret Buyer" not in html


def test_search_finds_suppliers_for_roles_that_see_suppliers(make_user, client_for):
    supplier = SupplierFactory(code="SUP-77", name_zh="宏达五金")
    buyer = make_user("purchasing", language="en")
    warehouse = make_user("warehouse", language="en")

    assert supplier.get_absolute_url() in client_for(buyer).get(
        reverse("core:search"), {"q": "宏达"}).content.decode()
    assert supplier.get_absolute_url() not in client_for(warehouse).get(
        reverse("core:search"), {"q": "宏达"}).content.decode()
