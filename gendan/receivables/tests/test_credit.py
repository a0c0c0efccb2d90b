"""Credit hold and credit limit: the gates on the order (CONFIRM, SHIP, RELEASE_ORIGINAL_BL), who
may put on, lift, set and approve, bad input, stale versions, and the cost of a gate check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from gendan.core.errors import BusinessError, ConflictError, NotAllowed, ValidationFailed
from gendan.finance.models import ExchangeRate
from gendan.receivables.models import CreditLimitApproval, CustomerCredit
from gendan.receivables.services.credit import (
    credit_hold_check,
    credit_hold_lift,
    credit_hold_put,
    credit_limit_approve,
    credit_limit_check,
    credit_limit_set,
    exposure_for,
)
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts
from gendan.sales.gates import CONFIRM, ORDER_GATES, RELEASE_ORIGINAL_BL, SHIP
from gendan.sales.services.confirmations import order_confirm
from tests.factories import SalesOrderFactory, record_confirmations

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
def customer(people):
    return customer_with_contacts(people)


def _draft(people, customer):
    order = SalesOrderFactory(customer=customer, actor=people["merch"])
    record_confirmations(order, actor=people["merch"])
    return order


# --- hold ---------------------------------------------------------------------------------------------


def test_hold_refuses_confirm_ship_and_original_bl_naming_the_rule(people, customer):
    order = _draft(people, customer)
    credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="cheque bounced twice")
    for action in (CONFIRM, SHIP, RELEASE_ORIGINAL_BL):
        check = ORDER_GATES.check(action, order)
        assert check.code == "gate_credit_hold", action
        assert "Credit hold" in check.reason and "cheque bounced twice" in check.reason
        assert "finance lifts it" in check.reason
    with pytest.raises(BusinessError) as caught:
        order_confirm(actor=people["merch"], order_id=order.pk)
    assert (caught.value.code, caught.value.status) == ("gate_credit_hold", 409)


def test_hold_message_in_chinese(people, customer):
    order = _draft(people, customer)
    credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="退票两次")
    with translation.override("zh-hans"):
        reason = credit_hold_check(order).reason
    assert "信用" in reason and "财务" in reason


def test_hold_check_is_one_query(people, customer, django_assert_num_queries):
    order = _draft(people, customer)
    credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="cheque bounced")
    with django_assert_num_queries(1):
        assert not credit_hold_check(order)
    credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="paid in full")
    with django_assert_num_queries(1):
        assert credit_hold_check(order)


def test_lift_only_finance_with_reason(people, customer):
    credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="cheque bounced")
    for who in ("manager", "merch", "sales"):
        with pytest.raises(NotAllowed):
            credit_hold_lift(actor=people[who], customer_id=customer.pk, reason="please")
    with pytest.raises(ValidationFailed) as caught:
        credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason=" ")
    assert "reason" in caught.value.fields
    assert CustomerCredit.objects.get(customer=customer).on_hold
    credit = credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="paid in full")
    assert (credit.on_hold, credit.lifted_by, credit.lift_reason) == (False, people["finance"], "paid in full")


def test_lift_stale_version_is_409(people, customer):
    credit = credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="cheque bounced")
    with pytest.raises(ConflictError):
        credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="paid", expected_version=credit.version - 1)
    assert CustomerCredit.objects.get(customer=customer).on_hold


def test_lift_when_not_on_hold_and_hold_twice(people, customer):
    with pytest.raises(BusinessError) as caught:
        credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="nothing")
    assert caught.value.code == "not_on_hold"
    credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="cheque bounced")
    with pytest.raises(BusinessError) as caught:
        credit_hold_put(actor=people["finance"], customer_id=customer.pk, reason="again")
    assert caught.value.code == "already_on_hold"


def test_merchandiser_cannot_reach_another_customer(people, make_user):
    other = customer_with_contacts({"merch": make_user("merchandiser"), "sales": people["sales"]})
    with pytest.raises(NotAllowed):
        credit_limit_set(actor=people["merch"], customer_id=other.pk, credit_limit="1000", currency="USD")
    with pytest.raises(Http404):
        credit_limit_set(actor=people["manager"], customer_id=999999999, credit_limit="1000", currency="USD")


# --- limit --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "field"), [("-1", "credit_limit"), ("1e20", "credit_limit"), ("abc", "credit_limit"),
                                              ("10.001", "credit_limit"), ("1000", "limit_currency")])
def test_limit_bad_input(people, customer, value, field):
    currency = "XXX" if field == "limit_currency" else "USD"
    with pytest.raises(ValidationFailed) as caught:
        credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit=value, currency=currency)
    assert field in caught.value.fields
    assert not CustomerCredit.objects.filter(customer=customer, credit_limit__isnull=False).exists()


def test_limit_set_by_finance_or_manager_on_the_timeline(people, customer):
    from gendan.core.events import timeline_for

    credit = credit_limit_set(actor=people["manager"], customer_id=customer.pk, credit_limit="50000", currency="usd")
    assert (credit.credit_limit, credit.limit_currency_id) == (Decimal("50000"), "USD")
    credit = credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="", currency="",
                              expected_version=credit.version)
    assert credit.credit_limit is None
    assert [e.kind for e in timeline_for(customer)][:2] == ["receivables.credit_limit_set"] * 2
    with pytest.raises(NotAllowed):
        credit_limit_set(actor=people["sales"], customer_id=customer.pk, credit_limit="1", currency="USD")
    with pytest.raises(ConflictError):
        credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="1", currency="USD",
                         expected_version=1)


def test_over_the_limit_is_refused_naming_limit_exposure_and_excess(people, customer):
    first = confirmed_order(people, customer)  # USD 1236.01, nothing received
    order = _draft(people, customer)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="2000", currency="USD")
    exposure = exposure_for(order, limit_currency="USD")
    assert exposure.open_receivables == first.total_amount
    assert exposure.total == first.total_amount + order.total_amount
    check = credit_limit_check(order)
    assert check.code == "gate_credit_limit"
    assert "USD 2,000.00" in check.reason and "USD 2,472.02" in check.reason and "USD 472.02" in check.reason
    with pytest.raises(BusinessError) as caught:
        order_confirm(actor=people["merch"], order_id=order.pk)
    assert caught.value.status == 409


def test_within_the_limit_passes(people, customer):
    order = _draft(people, customer)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="5000", currency="USD")
    assert order_confirm(actor=people["merch"], order_id=order.pk).status == "confirmed"


def test_limit_in_another_currency_converts_at_finance_rates(people, customer):
    order = _draft(people, customer)  # USD 1236.01
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="8000", currency="CNY")
    check = credit_limit_check(order)
    assert check.code == "gate_credit_limit" and "exchange rate of USD" in check.reason
    ExchangeRate.objects.create(currency_id="USD", valid_from=timezone.localdate() - dt.timedelta(days=3),
                                cny_per_unit=Decimal("7.1"), set_by=people["finance"], set_at=timezone.now())
    assert exposure_for(order, limit_currency="CNY").total == Decimal("8775.67")  # 1236.01 × 7.1
    assert credit_limit_check(order).code == "gate_credit_limit"
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="9000", currency="CNY")
    assert credit_limit_check(order)


def test_manager_approval_lets_this_order_through(people, customer):
    confirmed_order(people, customer)
    order = _draft(people, customer)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="2000", currency="USD")
    with pytest.raises(NotAllowed):
        credit_limit_approve(actor=people["finance"], order_id=order.pk, reason="good customer")
    with pytest.raises(ValidationFailed):
        credit_limit_approve(actor=people["manager"], order_id=order.pk, reason="")
    with pytest.raises(ValidationFailed) as caught:
        credit_limit_approve(actor=people["manager"], order_id=order.pk, reason="good customer", exposure="100")
    assert caught.value.code == "approval_below_exposure"
    approval = credit_limit_approve(actor=people["manager"], order_id=order.pk, reason="good customer since 2015")
    assert approval.exposure == Decimal("2472.02")
    assert order_confirm(actor=people["merch"], order_id=order.pk).status == "confirmed"


def test_approval_is_by_a_second_person(people, customer, make_user):
    boss = make_user("manager", "merchandiser")
    customer.merchandiser = boss
    customer.save()
    order = SalesOrderFactory(customer=customer, actor=boss)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="10", currency="USD")
    with pytest.raises(NotAllowed) as caught:
        credit_limit_approve(actor=boss, order_id=order.pk, reason="I know them")
    assert caught.value.code == "approver_is_order_owner"
    assert not CreditLimitApproval.objects.exists()


def test_approval_covers_only_the_exposure_given(people, customer):
    order = _draft(people, customer)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="1000", currency="USD")
    credit_limit_approve(actor=people["manager"], order_id=order.pk, reason="good customer since 2015")
    assert credit_limit_check(order)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="5000", currency="USD")
    confirmed_order(people, customer)  # exposure grows after the approval
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="1000", currency="USD")
    assert credit_limit_check(order).code == "gate_credit_limit"


def test_limit_check_queries_are_bounded(people, customer, django_assert_max_num_queries):
    for _i in range(3):
        confirmed_order(people, customer)
    order = _draft(people, customer)
    credit_limit_set(actor=people["finance"], customer_id=customer.pk, credit_limit="100", currency="USD")
    with django_assert_max_num_queries(4):
        assert not credit_limit_check(order)
