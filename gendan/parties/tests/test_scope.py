"""Who sees which customer (seed 003: customer data is confidential), and that reaching another
salesperson's customer by URL gives 404 and changes nothing (ASVS 8.2.2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.core.models import Event
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add
from gendan.parties import services
from gendan.parties.models import Contact, Customer
from gendan.parties.selectors import customer_queryset
from tests.factories import ContactFactory, png_upload
from tests.xlsx_export import export_rows

ALL = {"A1", "A2", "B", "M", "EU"}
VISIBLE = {
    "sales_a1": {"A1"},  # own, and Team A's
    "sales_a2": {"A1", "A2"},  # own (no team on the customer) and Team A's
    "sales_b": {"B"},
    "merch_a": {"A1", "M"},  # merchandised by them, and Team A's
    "manager_eu": {"B", "EU"},  # the Europe region
    "gm": ALL,  # a manager without a region sees everything
    "finance": ALL,
    "admin": ALL,
    "qc": set(),
    "warehouse": set(),
    "production_planner": set(),
    "purchasing": set(),
}


@pytest.mark.parametrize(("username", "expected"), VISIBLE.items())
def test_customer_scope_per_role(world, username, expected):
    user = getattr(world, username)
    assert set(customer_queryset(user).values_list("code", flat=True)) == expected


@pytest.mark.parametrize(("username", "expected"), [(u, e) for u, e in VISIBLE.items() if e])
def test_customer_list_page_and_export_show_exactly_the_scope(world, client_for, username, expected):
    client = client_for(getattr(world, username))

    page = client.get(reverse("parties:customer_list"))
    export = client.get(reverse("parties:customer_list"), {"export": "xlsx"})

    assert page.status_code == 200
    assert {obj.code for obj, _cells in page.context["rows"]} == expected
    exported = [row[0] for row in export_rows(export)[1:]]
    assert sorted(exported) == sorted(expected)


@pytest.mark.parametrize("username", [u for u, e in VISIBLE.items() if not e])
def test_roles_without_customers_are_refused_the_list_and_the_export(world, client_for, username):
    client = client_for(getattr(world, username))
    assert client.get(reverse("parties:customer_list")).status_code == 403
    assert client.get(reverse("parties:customer_list"), {"export": "xlsx"}).status_code == 403


@pytest.mark.parametrize("username", [u for u, e in VISIBLE.items() if not e])
def test_roles_without_customers_get_404_on_a_customer(world, client_for, username):
    response = client_for(getattr(world, username)).get(world.c_a1.get_absolute_url())
    assert response.status_code == 404


def test_inactive_user_sees_no_customers(world):
    world.finance.is_active = False
    assert not customer_queryset(world.finance).exists()


# --- another salesperson's customer by URL: 404 and nothing changes ---------------------


@pytest.fixture
def target(world):
    """Sales B tries to reach Team A's customer A1, which has a contact and a file."""
    contact = ContactFactory(customer=world.c_a1, name="Alice", email="alice@a1.example")
    attachment = attachment_add(actor=world.sales_a1, owner=world.c_a1, upload=png_upload("a1.png"),
                                change_perm="parties.change_customer")
    return world.c_a1, contact, attachment


def _snapshot(customer: Customer):
    customer.refresh_from_db()
    return (
        customer.version, customer.city, customer.name_en,
        list(Contact.objects.filter(customer=customer).values_list("pk", "name", "email")),
        list(Attachment.objects.values_list("pk", flat=True)),
        Event.objects.count(),
    )


def test_outsider_gets_404_everywhere_and_nothing_changes(world, client_for, target):
    customer, contact, attachment = target
    client = client_for(world.sales_b)
    before = _snapshot(customer)
    pk = customer.pk

    requests = [
        ("get", reverse("parties:customer_detail", args=[pk]), {}),
        ("get", reverse("parties:customer_edit", args=[pk]), {}),
        ("post", reverse("parties:customer_edit", args=[pk]),
         {"code": "A1", "name_en": "Hijacked", "country": "US", "default_currency": "USD", "version": 1,
          "payment_method": "oa", "deposit_percent": "0", "payment_days": "0", "incoterm": "FOB"}),
        ("post", reverse("parties:contact_add", args=["customer", pk]), {"name": "Mallory", "email": "m@x.example"}),
        ("post", reverse("parties:contact_edit", args=["customer", pk, contact.pk]),
         {"name": "Mallory", "email": "m@x.example"}),
        ("post", reverse("parties:contact_remove", args=["customer", pk, contact.pk]), {}),
        ("post", reverse("documents:attachment_upload", args=["parties.customer", pk]),
         {"file": png_upload("evil.png"), "kind": "photo", "description": ""}),
        ("get", reverse("documents:attachment_download", args=[attachment.pk]), {}),
        ("post", reverse("documents:attachment_delete", args=[attachment.pk]), {}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
        # The 404 does not say whether the customer exists.
        assert customer.name_en not in response.content.decode()

    assert _snapshot(customer) == before
    assert attachment.file.storage.exists(attachment.file.name)


def test_service_refuses_an_edit_outside_the_scope(world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.customer_update(actor=world.sales_b, customer_id=world.c_a1.pk, data={"city": "X"},
                                 expected_version=1)
    world.c_a1.refresh_from_db()
    assert world.c_a1.version == 1


def test_missing_and_forbidden_customers_look_the_same(world, client_for):
    client = client_for(world.sales_b)
    forbidden = client.get(reverse("parties:customer_detail", args=[world.c_a1.pk]))
    missing = client.get(reverse("parties:customer_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    assert _main(forbidden) == _main(missing)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main>"):html.index("</main>")]


def test_filtering_by_another_salesperson_does_not_widen_the_scope(world, client_for):
    response = client_for(world.sales_b).get(reverse("parties:customer_list"),
                                             {"salesperson": world.sales_a1.pk, "export": "xlsx"})
    assert export_rows(response)[1:] == []


# --- who the new customer belongs to ---------------------------------------------------


@pytest.mark.parametrize("username", ["sales_a1", "merch_a"])
def test_sales_and_merchandisers_are_assigned_to_what_they_create(world, username):
    actor = getattr(world, username)
    customer = services.customer_create(actor=actor, data={
        "name_en": "New Buyer", "country": "DE",
        # Attempts to hand the customer to someone else are ignored.
        "salesperson": world.sales_b, "merchandiser": None, "team": world.team_b, "region": world.eu,
    })

    expected_sales = actor if username == "sales_a1" else None
    expected_merch = actor if username == "merch_a" else None
    assert (customer.salesperson, customer.merchandiser) == (expected_sales, expected_merch)
    assert (customer.team, customer.region) == (world.team_a, world.am)
    assert customer_queryset(actor).filter(pk=customer.pk).exists()
    assert not customer_queryset(world.sales_b).filter(pk=customer.pk).exists()


def test_sales_form_has_no_assignment_fields_and_ignores_them_when_posted(world, client_for):
    client = client_for(world.sales_a1)
    page = client.get(reverse("parties:customer_create"))
    for name in ("salesperson", "merchandiser", "team", "region"):
        assert f'name="{name}"' not in page.content.decode()

    response = client.post(reverse("parties:customer_create"), {
        "name_en": "Posted Buyer", "country": "DE", "default_currency": "EUR", "payment_method": "oa",
        "deposit_percent": "0", "payment_days": "30", "incoterm": "FOB", "is_active": "on",
        "salesperson": world.sales_b.pk, "team": world.team_b.pk, "region": world.eu.pk,
    })

    assert response.status_code == 302
    customer = Customer.objects.get(name_en="Posted Buyer")
    assert (customer.salesperson, customer.team, customer.region) == (world.sales_a1, world.team_a, world.am)


def test_sales_cannot_reassign_their_customer_by_editing(world):
    services.customer_update(actor=world.sales_a1, customer_id=world.c_a1.pk, expected_version=1,
                             data={"salesperson": world.sales_b, "team": world.team_b, "city": "Austin"})
    world.c_a1.refresh_from_db()
    assert (world.c_a1.salesperson, world.c_a1.team, world.c_a1.city) == (world.sales_a1, world.team_a, "Austin")


def test_manager_assigns_freely(world, client_for):
    response = client_for(world.gm).post(reverse("parties:customer_create"), {
        "name_en": "Assigned Buyer", "country": "FR", "default_currency": "EUR", "payment_method": "oa",
        "deposit_percent": "0", "payment_days": "30", "incoterm": "FOB", "is_active": "on",
        "salesperson": world.sales_b.pk, "merchandiser": world.merch_a.pk, "team": world.team_b.pk,
        "region": world.eu.pk,
    })

    assert response.status_code == 302
    customer = Customer.objects.get(name_en="Assigned Buyer")
    assert (customer.salesperson, customer.merchandiser, customer.team, customer.region) == (
        world.sales_b, world.merch_a, world.team_b, world.eu)
    assert customer_queryset(world.sales_b).filter(pk=customer.pk).exists()


def test_manager_cannot_make_a_warehouse_clerk_the_salesperson(world):
    from gendan.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.customer_create(actor=world.gm, data={"name_en": "X", "country": "US",
                                                       "salesperson": world.warehouse})
    assert "salesperson" in exc.value.fields
    assert not Customer.objects.filter(name_en="X").exists()
