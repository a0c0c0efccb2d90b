"""Fixtures of the shipping tests: the people and orders of the sales tests, and a forwarder
with an operations contact (the booking request goes there)."""

from __future__ import annotations

import pytest

from gendan.sales.tests import conftest as sales_fixtures

people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages
confirmed = sales_fixtures.confirmed
in_production = sales_fixtures.in_production


@pytest.fixture
def forwarder(people):
    from tests.factories import ContactFactory

    ContactFactory(supplier=people.forwarder, name="Ms. Chen", email="ops@fwd1.example", is_primary=True)
    ContactFactory(supplier=people.forwarder, name="No mail", email="")
    return people.forwarder
