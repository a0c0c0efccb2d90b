"""Links that answered 404 / 403 to the person who saw them (issue 11 defect 7): the customer on
the order page for the planner, QC, warehouse and purchasing (plain text now), and "Delay notices
to review" on the board for those who may not review them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.sales.tests.conftest import make_confirmed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["planner", "qc", "warehouse", "buyer"])
def test_the_customer_is_plain_text_for_who_cannot_open_it(people, client_for, make_user, who):
    order = make_confirmed(people)
    user = make_user("purchasing", language="en") if who == "buyer" else getattr(people, who)
    client = client_for(user)
    html = client.get(order.get_absolute_url()).content.decode()
    customer_url = people.customer.get_absolute_url()
    assert client.get(customer_url).status_code in (403, 404)  # the page the link would open
    assert f'href="{customer_url}"' not in html
    assert f"{people.customer.code} {people.customer.display_name}" in html


@pytest.mark.parametrize("who", ["merch", "manager", "sales"])
def test_the_customer_links_for_who_can_open_it(people, client_for, who):
    order = make_confirmed(people)
    client = client_for(getattr(people, who))
    customer_url = people.customer.get_absolute_url()
    assert f'href="{customer_url}"' in client.get(order.get_absolute_url()).content.decode()
    assert client.get(customer_url).status_code == 200


@pytest.mark.parametrize("who", ["finance", "planner", "qc", "warehouse", "buyer"])
def test_delay_notices_to_review_is_not_offered_to_who_may_not_review(people, client_for, make_user, who):
    user = make_user("purchasing", language="en") if who == "buyer" else getattr(people, who)
    client = client_for(user)
    html = client.get(reverse("tracking:board")).content.decode()
    assert "Delay notices to review" not in html
    assert client.get(reverse("tracking:delay_notice_list")).status_code in (403, 404)


def test_delay_notices_to_review_is_offered_to_the_merchandiser(people, client_for):
    client = client_for(people.merch)
    assert "Delay notices to review" in client.get(reverse("tracking:board")).content.decode()
    assert client.get(reverse("tracking:delay_notice_list")).status_code == 200


def test_the_link_rule_agrees_with_the_customer_scope(people, make_user):
    from gendan.parties.selectors import customer_queryset, customer_visible_to
    from tests.factories import RegionFactory

    europe = RegionFactory(code="EU", name_en="Europe")
    people.customer.region = europe
    people.customer.save(update_fields=["region"])
    users = [getattr(people, name) for name in ("merch", "other_merch", "sales", "other_sales", "finance",
                                                "manager", "planner", "qc", "warehouse")]
    users += [make_user("manager", region=europe), make_user("manager", region=RegionFactory(code="AS")),
              make_user("purchasing"), make_user("admin")]
    for user in users:
        for customer in (people.customer, people.other_customer):
            assert customer_visible_to(user, customer) == customer_queryset(user).filter(pk=customer.pk).exists(), \
                (user.username, customer.code)
