"""The customer ledger: instalments as debits, allocations and money on account as credits,
running balance per currency, CNY at the booked rate, disputes flagged; its page in zh / en,
its scope, its queries; the order page's panel; due dates that follow the B/L."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gendan.finance.models import ExchangeRate, PaymentPlanItem
from gendan.finance.services import receipt_record
from gendan.receivables.models import Dispute
from gendan.receivables.selectors.ledger import INSTALMENT, ON_ACCOUNT, PAYMENT, ledger_for
from tests.factories import CustomerFactory, SalesOrderFactory, UserFactory, finance_user

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def book(make_user):
    """One customer of a merchandiser, two confirmed orders (USD 1 236.01 each: deposit 370.80,
    balance 865.21), the first's deposit paid with USD 5 bank charges, 100 on account."""
    merch = make_user("merchandiser", language="en")
    customer = CustomerFactory(merchandiser=merch)
    first = SalesOrderFactory(customer=customer, confirmed=True)
    second = SalesOrderFactory(customer=customer, confirmed=True, customer_po_no="PO-4712")
    fin = finance_user()
    receipt_record(actor=fin, customer_id=customer.pk, currency="USD", amount="365.80", bank_charges="5.00",
                   received_on=timezone.localdate(), bank_reference="FT-DEP-1",
                   allocations=[{"order_id": first.pk, "amount": "370.80"}])
    receipt_record(actor=fin, customer_id=customer.pk, currency="USD", amount="100.00",
                   received_on=timezone.localdate(), bank_reference="FT-ACC-1")
    ExchangeRate.objects.create(currency_id="USD", valid_from=timezone.localdate() - dt.timedelta(days=30),
                                cny_per_unit=Decimal("7.1"), set_by=fin, set_at=timezone.now())
    return {"merch": merch, "customer": customer, "orders": [first, second], "finance": fin}


def test_ledger_debits_credits_and_running_balance(book):
    ledger = ledger_for(user=book["finance"], customer_id=book["customer"].pk)
    [usd] = ledger.currencies
    kinds = [e.kind for e in usd.entries]
    assert kinds.count(INSTALMENT) == 4 and kinds.count(PAYMENT) == 1 and kinds.count(ON_ACCOUNT) == 1
    assert usd.debit == Decimal("2472.02")
    assert usd.credit == Decimal("470.80")  # 365.80 + 5.00 charges allocated, and 100 on account
    assert usd.balance == Decimal("2001.22") == usd.entries[-1].balance
    payment = next(e for e in usd.entries if e.kind == PAYMENT)
    assert payment.bank_charges == Decimal("5.00") and payment.credit == Decimal("370.80")
    assert all(e.cny == (e.amount * Decimal("7.1")).quantize(Decimal("0.01")) for e in usd.entries)
    assert usd.cny_balance == Decimal("14208.66")
    balances = {o.order_number: o.balance for o in ledger.orders}
    assert balances == {book["orders"][0].number: Decimal("865.21"), book["orders"][1].number: Decimal("1236.01")}


def test_dispute_is_flagged(book):
    item = PaymentPlanItem.objects.get(order=book["orders"][1], kind="deposit")
    Dispute.objects.create(plan_item=item, amount=Decimal("50"), reason="price", opened_by=book["finance"],
                           opened_at=timezone.now())
    ledger = ledger_for(user=book["finance"], customer_id=book["customer"].pk)
    flagged = [e for e in ledger.currencies[0].entries if e.disputed]
    assert [e.plan_item_id for e in flagged] == [item.pk] and flagged[0].disputed == Decimal("50")


def test_ledger_queries_do_not_grow_with_orders(book, django_assert_max_num_queries):
    for _n in range(3):
        SalesOrderFactory(customer=book["customer"], confirmed=True)
    with django_assert_max_num_queries(8):
        ledger_for(user=book["finance"], customer_id=book["customer"].pk)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_ledger_page_in_both_languages(book, client_for, language):
    fin = book["finance"]
    fin.language = language
    fin.save()
    client = client_for(fin)
    response = client.get(f"/receivables/customers/{book['customer'].pk}/ledger/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = response.content.decode()
    assert "2,001.22" in text
    with translation.override(language):
        assert str(translation.gettext("Open money")) in text


def test_scope_merchandiser_sees_own_customers_only(book, client_for, make_user):
    other = make_user("merchandiser", language="en")
    assert client_for(other).get(f"/receivables/customers/{book['customer'].pk}/ledger/").status_code == 404
    assert client_for(book["merch"]).get(f"/receivables/customers/{book['customer'].pk}/ledger/").status_code == 200
    for role in ("qc", "warehouse", "production_planner"):
        user = make_user(role, language="en")
        assert client_for(user).get(f"/receivables/customers/{book['customer'].pk}/ledger/").status_code == 403


def test_order_page_panel(book, client_for):
    order = book["orders"][0]
    response = client_for(book["merch"]).get(order.get_absolute_url() + "?tab=all")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="receivables-panel"' in text and "865.21" in text


def test_balance_due_follows_the_bl(book):
    """O/A 30: the balance falls due 30 days after the B/L's on-board date, once it is known."""
    from gendan.finance.due_dates import balance_due_follow, due_date_from_rule

    order = book["orders"][1]
    item = PaymentPlanItem.objects.get(order=order, kind="balance")
    item.due_rule = "oa:30"
    item.save()
    on_board = timezone.localdate() - dt.timedelta(days=2)
    moved = balance_due_follow(actor=book["finance"], order=order, ex_factory=on_board - dt.timedelta(days=3),
                               on_board=on_board)
    assert moved is not None and moved.due_date == on_board + dt.timedelta(days=30)
    from gendan.core.events import timeline_for

    row = timeline_for(order, limit=None).filter(kind="finance.balance_due_moved").first()
    assert row is not None and row.changes["due_date"]["new"] == moved.due_date.isoformat()
    assert balance_due_follow(actor=book["finance"], order=order, ex_factory=None, on_board=on_board) is None
    assert due_date_from_rule("lc_usance:60", ex_factory=None, on_board=on_board)[0] == on_board + dt.timedelta(days=81)
    assert due_date_from_rule("against_bl_copy", ex_factory=on_board, on_board=None) == (None, "")
    assert due_date_from_rule("before_shipment", ex_factory=on_board, on_board=None)[0] == on_board - dt.timedelta(days=7)


def test_shipping_moves_the_balance_due_date(make_user):
    """O/A 45 planned from an ex-factory date three weeks out; the goods leave today: due in 45 days."""
    merch = make_user("merchandiser", language="en")
    customer = CustomerFactory(merchandiser=merch)
    order = SalesOrderFactory(customer=customer, confirmed=True, payment_method="oa", payment_days=45,
                              ex_factory_date=timezone.localdate() + dt.timedelta(days=20))
    item = PaymentPlanItem.objects.get(order=order, kind="balance")
    assert item.due_rule == "oa:45" and item.due_date == timezone.localdate() + dt.timedelta(days=65)
    from tests.factories import release_to_production, ship_everything

    release_to_production(order, actor=merch)
    ship_everything(order, actor=merch)
    item.refresh_from_db()
    assert item.due_date == timezone.localdate() + dt.timedelta(days=45)  # from the real ex-factory date


def test_unknown_customer_is_404_not_500(book, client_for):
    client = client_for(book["finance"])
    assert client.get("/receivables/customers/999999/ledger/").status_code == 404
    assert client.get("/receivables/customers/abc/ledger/").status_code == 404


def test_other_user_types(book):
    nobody = UserFactory(roles=["qc"], language="en")
    from django.http import Http404

    with pytest.raises(Http404):
        ledger_for(user=nobody, customer_id=book["customer"].pk)
