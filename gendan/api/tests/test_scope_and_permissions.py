"""The API sees and does exactly what the pages allow: object scope through the selectors
(404 for "not yours", like "missing"), function permissions from the role matrix (403), and
a refused request changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import order_body, record_confirmations
from gendan.core.models import Event
from gendan.finance.models import Receipt
from gendan.parties.models import Customer
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def _snapshot(order_id: int) -> tuple:
    order = SalesOrder.objects.get(pk=order_id)
    return (order.status, order.version, order.total_amount, order.notes, order.confirmations.count(),
            Event.objects.filter(object_id=order_id, content_type__model="salesorder").count())


def test_salesperson_cannot_see_or_touch_another_salespersons_customer(api_for, people, customer, other_customer):
    sales = api_for(people.sales)
    listed = sales.get("customers/").json()
    assert [c["code"] for c in listed["results"]] == ["ACME"]
    assert sales.get(f"customers/{other_customer.pk}/").json()["code"] == "not_found"
    before = Customer.objects.get(pk=other_customer.pk)
    edit = sales.patch(f"customers/{other_customer.pk}/", {"version": 1, "name_en": "Hijacked"})
    assert edit.status_code == 404 and edit.json()["code"] == "not_found"
    after = Customer.objects.get(pk=other_customer.pk)
    assert (after.name_en, after.version) == (before.name_en, before.version)
    # Nor order for them.
    refused = sales.post("orders/", order_body(other_customer))
    assert refused.status_code == 400 and "customer" in refused.json()["fields"]
    assert not SalesOrder.objects.exists()


def test_salesperson_gets_404_for_another_salespersons_order(api_for, people, other_customer):
    other = api_for(people.other_merch).post("orders/", order_body(other_customer)).json()
    before = _snapshot(other["id"])
    sales, merch = api_for(people.sales), api_for(people.merch)
    assert sales.get(f"orders/{other['id']}/").status_code == 404
    assert sales.get("orders/").json()["count"] == 0
    assert merch.get(f"orders/{other['id']}/timeline/").status_code == 404
    for path, body in [
        (f"orders/{other['id']}/", {"version": other["version"], "notes": "mine now"}),
    ]:
        assert merch.patch(path, body).status_code == 404
    for action, body in [("confirm", {}), ("cancel", {"reason": "not mine"}),
                         ("confirmations", {"kind": "verbal", "confirmed_at": timezone.now().isoformat(),
                                            "contact_name": "X", "phone_number": "1", "summary": "y"}),
                         ("documents", {"kind": "pi"}), ("hold", {"reason": "not mine"})]:
        response = merch.post(f"orders/{other['id']}/{action}/", body)
        assert response.status_code == 404, (action, response.json())
        assert response.json()["code"] == "not_found"
    assert _snapshot(other["id"]) == before


def test_warehouse_cannot_confirm_and_nothing_changes(api_for, people, draft_order):
    record_confirmations(api_for(people.merch), draft_order["id"])
    before = _snapshot(draft_order["id"])
    warehouse = api_for(people.warehouse)
    assert warehouse.get(f"orders/{draft_order['id']}/").status_code == 200  # sees every order
    refused = warehouse.post(f"orders/{draft_order['id']}/confirm/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert _snapshot(draft_order["id"]) == before
    detail = warehouse.get(f"orders/{draft_order['id']}/").json()
    assert detail["allowed_actions"]["confirm"]["allowed"] is False
    assert detail["allowed_actions"]["confirm"]["code"] == "forbidden"
    # The page's matrix: warehouse may not create orders, customers or receipts either.
    assert warehouse.post("customers/", {"name_en": "X", "country": "US"}).status_code == 403
    assert warehouse.get("customers/").status_code == 403


def test_only_finance_records_receipts(api_for, people, customer, draft_order):
    merch = api_for(people.merch)
    record_confirmations(merch, draft_order["id"])
    merch.post(f"orders/{draft_order['id']}/confirm/")
    body = {"customer": customer.pk, "currency": "USD", "amount": "370.80", "received_on":
            timezone.localdate().isoformat(), "bank_reference": "FT1",
            "allocations": [{"order": draft_order["id"], "amount": "370.80"}]}
    for who in (people.merch, people.manager, people.sales, people.warehouse):
        refused = api_for(who).post("receipts/", body)
        assert refused.status_code == 403, who
        assert refused.json()["code"] == "forbidden"
    assert not Receipt.objects.exists()
    assert SalesOrder.objects.get(pk=draft_order["id"]).received_amount == 0
    assert api_for(people.finance).post("receipts/", body).status_code == 201


def test_receipts_are_seen_within_the_customer_scope(api_for, people, customer, other_customer):
    finance = api_for(people.finance)
    for c in (customer, other_customer):
        assert finance.post("receipts/", {"customer": c.pk, "currency": "USD", "amount": "10.00",
                                          "received_on": timezone.localdate().isoformat(),
                                          "bank_reference": f"FT-{c.code}"}).status_code == 201
    assert finance.get("receipts/").json()["count"] == 2
    merch = api_for(people.merch)  # may view receipts, of their customers only
    assert [r["customer"]["code"] for r in merch.get("receipts/").json()["results"]] == ["ACME"]
    other = Receipt.objects.get(customer=other_customer)
    assert merch.get(f"receipts/{other.pk}/").status_code == 404
    assert api_for(people.warehouse).get("receipts/").status_code == 403


def test_allocation_to_an_order_out_of_scope_is_refused(api_for, people, customer, draft_order):
    finance = api_for(people.finance)
    receipt = finance.post("receipts/", {"customer": customer.pk, "currency": "USD", "amount": "10.00",
                                         "received_on": timezone.localdate().isoformat(),
                                         "bank_reference": "FT1"}).json()
    unconfirmed = finance.post(f"receipts/{receipt['id']}/allocate/", {"order": draft_order["id"], "amount": "5"})
    assert unconfirmed.status_code == 400 and "order" in unconfirmed.json()["fields"]
    missing = finance.post(f"receipts/{receipt['id']}/allocate/", {"order": 999999, "amount": "5"})
    assert missing.status_code == 400 and "order" in missing.json()["fields"]
    assert finance.post("receipts/999999/allocate/", {"order": draft_order["id"], "amount": "5"}
                        ).status_code == 404
