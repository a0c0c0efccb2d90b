"""Disputes: at most the instalment's open amount not already disputed, a reason, by finance or
the merchandiser of the customer; settled once, saying how; both on the order's timeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.finance.models import PaymentPlanItem
from gendan.receivables.models import Dispute
from gendan.receivables.services.disputes import dispute_open, dispute_settle
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser"), "sales": make_user("sales"), "finance": make_user("finance"),
            "manager": make_user("manager")}


@pytest.fixture
def item(people):
    order = confirmed_order(people, customer_with_contacts(people))
    return PaymentPlanItem.objects.get(order=order, kind="balance")


def test_open_and_settle_on_the_timeline(people, item):
    dispute = dispute_open(actor=people["merch"], plan_item_id=item.pk, amount="100.50", reason="5 cartons broken")
    assert dispute.amount == Decimal("100.50")
    settled = dispute_settle(actor=people["finance"], dispute_id=dispute.pk, settlement="credit note CN-7 issued")
    assert settled.settled_at and settled.settlement == "credit note CN-7 issued"
    kinds = [e.kind for e in timeline_for(item.order)]
    assert "receivables.dispute_opened" in kinds and "receivables.dispute_settled" in kinds
    with pytest.raises(BusinessError) as caught:
        dispute_settle(actor=people["finance"], dispute_id=dispute.pk, settlement="again")
    assert (caught.value.code, caught.value.status) == ("dispute_settled", 409)


def test_not_above_what_is_open_and_not_yet_disputed(people, item):
    open_amount = item.amount - item.received_amount
    dispute_open(actor=people["finance"], plan_item_id=item.pk, amount=open_amount - 10, reason="price question")
    with pytest.raises(ValidationFailed) as caught:
        dispute_open(actor=people["finance"], plan_item_id=item.pk, amount="10.01", reason="another question")
    assert caught.value.code == "dispute_above_open" and "amount" in caught.value.fields
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize(("amount", "reason", "field"), [("0", "some reason", "amount"), ("-5", "some reason", "amount"),
                                                         ("abc", "some reason", "amount"),
                                                         ("1.001", "some reason", "amount"), ("10", "", "reason")])
def test_bad_input(people, item, amount, reason, field):
    with pytest.raises(ValidationFailed) as caught:
        dispute_open(actor=people["finance"], plan_item_id=item.pk, amount=amount, reason=reason)
    assert field in caught.value.fields
    assert not Dispute.objects.exists()


def test_roles_and_scope(people, item, make_user):
    for who in ("sales", "manager"):
        with pytest.raises(NotAllowed):
            dispute_open(actor=people[who], plan_item_id=item.pk, amount="10", reason="price question")
    with pytest.raises(Http404):
        dispute_open(actor=make_user("merchandiser"), plan_item_id=item.pk, amount="10", reason="price question")
    with pytest.raises(Http404):
        dispute_open(actor=people["finance"], plan_item_id="99999999999999999999", amount="10", reason="price")
