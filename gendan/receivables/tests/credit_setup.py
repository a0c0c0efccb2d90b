"""Builders of the dunning and credit tests: a customer with a finance contact, its confirmed
orders, and instalments made overdue by moving their due dates (the run reads due dates only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.finance.models import PaymentPlanItem
from tests.factories import ContactFactory, CustomerFactory, SalesOrderFactory


def customer_with_contacts(people, **kwargs):
    customer = CustomerFactory(merchandiser=people["merch"], salesperson=people["sales"], email="info@buyer.example",
                               **kwargs)
    ContactFactory(customer=customer, name="Ann Buyer", title="Purchasing", email="ann@buyer.example",
                   is_primary=True)
    ContactFactory(customer=customer, name="Bo Ledger", title="Accounts payable", email="ap@buyer.example")
    return customer


def confirmed_order(people, customer, **kwargs):
    return SalesOrderFactory(customer=customer, actor=people["merch"], confirmed=True, **kwargs)


def make_overdue(order, *, days: int, kind: str = "deposit") -> PaymentPlanItem:
    """The order's ``kind`` instalment falls due ``days`` days before today."""
    item = PaymentPlanItem.objects.get(order=order, kind=kind)
    item.due_date = timezone.localdate() - dt.timedelta(days=days)
    item.save(update_fields=["due_date"])
    return item


def open_of(item) -> Decimal:
    item.refresh_from_db()
    return item.amount - item.received_amount
