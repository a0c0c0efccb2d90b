"""One scope rule for the purchase orders and the production orders of a sales order (issue 11
defect 7): a regional manager opened a purchase order of another region's order but not its
production order. Now both follow the sales orders the person sees; the purchasing department
(and a manager without a region) sees every one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.purchasing.services.orders import purchase_order_create
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(derived):
    w = derived
    w.purchase_order = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.switch, "quantity": "1005", "unit_price": "0.83", "eta": None,
         "covers": [{"requirement": w.switch_req.pk, "quantity": "1005"}]}])
    return w


def _opens(client, w) -> tuple[int, int]:
    return (client.get(reverse("purchasing:purchase_order_detail", args=[w.purchase_order.pk])).status_code,
            client.get(reverse("production:production_order_detail", args=[w.production_order.pk])).status_code)


def test_a_manager_of_another_region_opens_neither(covered, make_user, client_for):
    w = covered
    w.customer.region = RegionFactory(code="EU", name_en="Europe")
    w.customer.save(update_fields=["region"])
    asia = make_user("manager", region=RegionFactory(code="AS", name_en="Asia"), language="en")
    assert _opens(client_for(asia), w) == (404, 404)


def test_a_manager_of_the_orders_region_opens_both(covered, make_user, client_for):
    w = covered
    europe = RegionFactory(code="EU", name_en="Europe")
    w.customer.region = europe
    w.customer.save(update_fields=["region"])
    regional = make_user("manager", region=europe, language="en")
    assert _opens(client_for(regional), w) == (200, 200)


def test_the_general_manager_and_the_buyer_open_both(covered, client_for):
    w = covered
    assert _opens(client_for(w.manager), w) == (200, 200)
    assert client_for(w.buyer).get(reverse("purchasing:purchase_order_detail",
                                           args=[w.purchase_order.pk])).status_code == 200
