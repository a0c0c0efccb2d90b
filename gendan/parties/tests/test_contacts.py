"""Contacts of customers and suppliers: a way to reach them, one main contact, on the timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.parties import services
from gendan.parties.models import Contact
from tests.factories import ContactFactory, CustomerFactory, SupplierFactory


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="li", language="en")


@pytest.fixture
def customer(sales):
    return CustomerFactory(salesperson=sales)


def test_add_contact_through_the_page(sales, customer, client_for):
    client = client_for(sales)
    response = client.post(reverse("parties:contact_add", args=["customer", customer.pk]),
                           {"name": "Anna Schmidt", "title": "Buyer", "email": "anna@example.com"})

    assert response.status_code == 302
    assert response.url == customer.get_absolute_url()
    contact = customer.contacts.get()
    assert (contact.name, contact.email) == ("Anna Schmidt", "anna@example.com")
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Anna Schmidt" in page and "Contact saved." in page
    assert timeline_for(customer).first().changes["contact.email"]["new"] == "anna@example.com"


@pytest.mark.parametrize("way", ["phone", "mobile", "fax", "email", "wechat"])
def test_any_one_way_to_reach_is_enough(sales, customer, way):
    value = "a@example.com" if way == "email" else "13800000000"
    contact = services.contact_save(actor=sales, party=customer, data={"name": "Wang", way: value})
    assert contact.pk


def test_contact_without_a_way_to_reach_is_refused(sales, customer, client_for):
    with pytest.raises(ValidationFailed):
        services.contact_save(actor=sales, party=customer, data={"name": "Nobody", "title": "Ghost"})

    client = client_for(sales)
    response = client.post(reverse("parties:contact_add", args=["customer", customer.pk]), {"name": "Nobody"},
                           follow=True)
    assert "Give at least one way to reach the contact" in response.content.decode()
    assert not Contact.objects.exists()
    assert not timeline_for(customer).exists()


def test_only_one_main_contact(sales, customer):
    first = services.contact_save(actor=sales, party=customer,
                                  data={"name": "First", "email": "1@example.com", "is_primary": True})
    second = services.contact_save(actor=sales, party=customer,
                                   data={"name": "Second", "email": "2@example.com", "is_primary": True})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    assert [c.name for c in customer.contacts.all()] == ["Second", "First"]  # main contact first


def test_main_contact_of_another_customer_is_untouched(sales, customer):
    other = ContactFactory(customer=CustomerFactory(salesperson=sales), is_primary=True)
    services.contact_save(actor=sales, party=customer,
                          data={"name": "Mine", "email": "m@example.com", "is_primary": True})
    other.refresh_from_db()
    assert other.is_primary


def test_edit_contact_through_the_page(sales, customer, client_for):
    contact = ContactFactory(customer=customer, name="Old Name", email="old@example.com")
    response = client_for(sales).post(
        reverse("parties:contact_edit", args=["customer", customer.pk, contact.pk]),
        {"name": "New Name", "email": "old@example.com", "mobile": "+49 170 0000000"})

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.mobile) == ("New Name", "+49 170 0000000")
    changes = timeline_for(customer).first().changes
    assert changes["contact.name"]["old"] == "Old Name"
    assert "contact.email" not in changes


def test_remove_contact_through_the_page(sales, customer, client_for):
    contact = ContactFactory(customer=customer, name="Leaving Person")
    response = client_for(sales).post(
        reverse("parties:contact_remove", args=["customer", customer.pk, contact.pk]))

    assert response.status_code == 302
    assert not Contact.objects.exists()
    assert "Leaving Person" in timeline_for(customer).first().text


def test_contact_of_another_customer_cannot_be_edited_through_mine(sales, customer, client_for):
    foreign = ContactFactory(customer=CustomerFactory(salesperson=sales), name="Foreign")
    client = client_for(sales)
    edit = client.post(reverse("parties:contact_edit", args=["customer", customer.pk, foreign.pk]),
                       {"name": "Changed", "email": "x@example.com"})
    remove = client.post(reverse("parties:contact_remove", args=["customer", customer.pk, foreign.pk]))

    assert (edit.status_code, remove.status_code) == (404, 404)
    foreign.refresh_from_db()
    assert foreign.name == "Foreign"


def test_finance_cannot_change_contacts(make_user, customer, client_for):
    finance = make_user("finance", language="en")
    contact = ContactFactory(customer=customer, name="Kept")
    with pytest.raises(NotAllowed):
        services.contact_save(actor=finance, party=customer, data={"name": "X", "email": "x@example.com"})
    with pytest.raises(NotAllowed):
        services.contact_remove(actor=finance, party=customer, contact_id=contact.pk)

    client = client_for(finance)
    client.post(reverse("parties:contact_add", args=["customer", customer.pk]), {"name": "X", "email": "x@e.com"})
    client.post(reverse("parties:contact_remove", args=["customer", customer.pk, contact.pk]))
    assert list(Contact.objects.values_list("name", flat=True)) == ["Kept"]
    assert 'action="/parties/customer/' not in client.get(customer.get_absolute_url()).content.decode()


def test_supplier_contacts_work_the_same_way(make_user, client_for):
    buyer = make_user("purchasing", language="en")
    supplier = SupplierFactory()
    client = client_for(buyer)

    client.post(reverse("parties:contact_add", args=["supplier", supplier.pk]),
                {"name": "张厂长", "wechat": "zhang_factory", "is_primary": "on"})

    contact = supplier.contacts.get()
    assert (contact.name, contact.is_primary) == ("张厂长", True)
    assert "张厂长" in timeline_for(supplier).first().text


def test_unknown_party_kind_is_404(sales, customer, client_for):
    response = client_for(sales).post(f"/parties/order/{customer.pk}/contacts/", {"name": "X", "email": "x@e.com"})
    assert response.status_code == 404
