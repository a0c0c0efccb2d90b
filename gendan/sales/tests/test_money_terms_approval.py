"""Four eyes on money terms (issue 10, defect 1): a change order that loosens the deposit, the
payment method, the credit days, a price or the amount takes effect only once a manager or
finance — not the person who proposed it — approved it with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.core.errors import NotAllowed
from gendan.core.models import Event
from gendan.parties.models import PaymentMethod
from gendan.sales import money_terms
from gendan.sales.errors import SalesError
from gendan.sales.money_terms import PAYMENT_METHOD_RISK, money_terms_loosened
from gendan.sales.services.revisions import order_revise, order_revision_apply, order_revision_approve
from gendan.sales.tests.conftest import make_confirmed
from tests.factories import mug_lines, record_confirmations

pytestmark = pytest.mark.django_db


def _propose(people, order, *, actor=None, data=None, lines=None, reason="Customer asked by e-mail"):
    return order_revise(actor=actor or people.merch, order_id=order.pk, data=data or {}, lines=lines, reason=reason)


def _confirmed_by_customer(people, order):
    """The customer's written and phone confirmation of the pending change order."""
    record_confirmations(order, actor=people.merch, summary="Deposit waived, rest unchanged")


def _lines(price_factor=Decimal("1"), red=600):
    lines = mug_lines()
    lines[0]["unit_price"] = lines[0]["unit_price"] * price_factor
    lines[0]["cells"][0]["quantity"] = str(red)
    return lines


def test_one_merchandiser_cannot_switch_off_the_deposit(people):
    """The issue's attack: deposit 0, proposed, confirmed and applied by one merchandiser."""
    order = make_confirmed(people)
    revision = _propose(people, order, data={"deposit_percent": Decimal("0")})
    _confirmed_by_customer(people, order)

    with pytest.raises(Exception) as refused:
        order_revision_apply(actor=people.merch, order_id=order.pk)

    assert refused.value.code == SalesError.GATE_MONEY_TERMS and refused.value.status == 409
    assert "deposit 30 % → 0 %" in str(refused.value.message)
    assert "manager or finance" in str(refused.value.message)
    order.refresh_from_db()
    revision.refresh_from_db()
    assert order.deposit_percent == Decimal("30") and order.revision_no == 0
    assert revision.status == "pending"


def test_the_proposer_cannot_approve_and_a_merchandiser_may_not(people):
    order = make_confirmed(people)
    _propose(people, order, data={"deposit_percent": Decimal("0")})

    with pytest.raises(NotAllowed, match="manager or finance"):
        order_revision_approve(actor=people.merch, order_id=order.pk, reason="I say so")

    order.refresh_from_db()
    assert order.revisions.get().approved_by is None


def test_approved_by_a_manager_it_applies_with_the_reason_on_the_timeline(people):
    order = make_confirmed(people)
    _propose(people, order, data={"deposit_percent": Decimal("0")})
    requested = Event.objects.get(kind="sales.revision_approval_requested")
    assert "deposit 30 % → 0 %" in requested.text

    order_revision_approve(actor=people.manager, order_id=order.pk, reason="Long-standing customer, L/C on file")
    _confirmed_by_customer(people, order)
    order_revision_apply(actor=people.merch, order_id=order.pk)

    order.refresh_from_db()
    revision = order.revisions.get()
    assert order.deposit_percent == Decimal("0") and order.revision_no == 1
    assert revision.status == "effective" and revision.approved_by == people.manager
    assert revision.approval_reason == "Long-standing customer, L/C on file"
    approved = Event.objects.get(kind="sales.revision_money_terms_approved")
    assert approved.actor == people.manager and approved.reason == "Long-standing customer, L/C on file"
    assert "deposit 30 % → 0 %" in approved.text


def test_a_manager_who_proposes_cannot_approve_own_change_but_finance_can(people):
    order = make_confirmed(people)
    _propose(people, order, actor=people.manager,
             data={"payment_method": PaymentMethod.OA, "payment_days": 60})

    with pytest.raises(NotAllowed) as own:
        order_revision_approve(actor=people.manager, order_id=order.pk, reason="Approving my own")
    assert own.value.code == SalesError.OWN_CHANGE_ORDER
    assert "No one loosens a gate alone" in str(own.value.message)

    order_revision_approve(actor=people.finance, order_id=order.pk, reason="Credit insured, limit checked")
    _confirmed_by_customer(people, order)
    order_revision_apply(actor=people.manager, order_id=order.pk)
    order.refresh_from_db()
    assert order.payment_method == PaymentMethod.OA and order.payment_days == 60


def test_approval_needs_a_reason(people):
    order = make_confirmed(people)
    _propose(people, order, data={"deposit_percent": Decimal("10")})
    with pytest.raises(Exception) as refused:
        order_revision_approve(actor=people.finance, order_id=order.pk, reason=" ")
    assert refused.value.code == "reason_required"
    assert order.revisions.get().approved_by is None


@pytest.mark.parametrize("change", [
    {"data": {"deposit_percent": Decimal("50")}},  # deposit up
    {"lines": "price_up"},
    {"data": {"payment_method": PaymentMethod.TT_ADVANCE}},  # a safer method
    {"lines": "trimmed_within_tolerance"},  # 600 → 590 red mugs: the total 0.6 % down
    {"data": {"shipping_marks": "NORD / HAMBURG"}},
])
def test_tightening_or_neutral_changes_need_no_approval(people, change):
    lines = {"price_up": _lines(price_factor=Decimal("1.1")), "trimmed_within_tolerance": _lines(red=590),
             None: None}[change.get("lines")]
    order = make_confirmed(people)
    _propose(people, order, data=change.get("data"), lines=lines)
    _confirmed_by_customer(people, order)

    order_revision_apply(actor=people.merch, order_id=order.pk)

    order.refresh_from_db()
    assert order.revision_no == 1
    assert not Event.objects.filter(kind="sales.revision_approval_requested").exists()


def test_amount_down_beyond_the_tolerance_or_a_price_cut_needs_approval(people, settings):
    settings.GENDAN_AMOUNT_DOWN_TOLERANCE_PERCENT = 2
    order = make_confirmed(people)
    _propose(people, order, lines=_lines(red=500))  # 100 of 1 000 mugs fewer: about 10 % down
    _confirmed_by_customer(people, order)
    with pytest.raises(Exception) as refused:
        order_revision_apply(actor=people.merch, order_id=order.pk)
    assert refused.value.code == SalesError.GATE_MONEY_TERMS
    assert "order amount 1236.01 → 1112.51" in str(refused.value.message)


def test_nothing_to_approve_when_nothing_loosens(people):
    order = make_confirmed(people)
    _propose(people, order, data={"deposit_percent": Decimal("40")})
    with pytest.raises(Exception) as refused:
        order_revision_approve(actor=people.manager, order_id=order.pk, reason="Just in case")
    assert refused.value.code == SalesError.NO_APPROVAL_NEEDED


# --- the rule itself (pure) -----------------------------------------------------------------


def _snap(method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit="30", days=0, price="1.235", total="1236.01",
          currency="USD"):
    return {"header": {"payment_method": method, "deposit_percent": deposit, "payment_days": str(days),
                       "currency_id": currency},
            "lines": [{"line_no": 1, "unit_price": price}], "total_amount": total}


def test_payment_methods_are_ordered_by_the_sellers_risk():
    order = [PaymentMethod.TT_ADVANCE, PaymentMethod.TT_DEPOSIT_BALANCE, PaymentMethod.LC_SIGHT,
             PaymentMethod.LC_USANCE, PaymentMethod.DP, PaymentMethod.DA, PaymentMethod.OA]
    ranks = [PAYMENT_METHOD_RISK[m] for m in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert set(PAYMENT_METHOD_RISK) == set(PaymentMethod.values)


@pytest.mark.parametrize(("after", "codes"), [
    (_snap(deposit="0"), [money_terms.DEPOSIT]),
    (_snap(method=PaymentMethod.LC_SIGHT), [money_terms.METHOD]),
    (_snap(method=PaymentMethod.OA, deposit="0", days=90),
     [money_terms.DEPOSIT, money_terms.METHOD, money_terms.DAYS]),
    (_snap(price="1.2"), [money_terms.PRICE]),
    (_snap(total="1200.00"), [money_terms.AMOUNT]),  # 2.9 % down
    (_snap(total="1220.00"), []),  # 1.3 % down: within 2 %
    (_snap(currency="CNY"), [money_terms.CURRENCY]),
    (_snap(deposit="50", price="1.3", total="1300.00"), []),
    (_snap(method=PaymentMethod.TT_ADVANCE, deposit="0"), []),  # in advance means 100 %
])
def test_what_loosens(after, codes):
    found = money_terms_loosened(_snap(), after, tolerance_percent=Decimal("2"))
    assert [item.code for item in found] == codes


def test_more_credit_days_under_open_account_loosen():
    before = _snap(method=PaymentMethod.OA, deposit="0", days=30)
    found = money_terms_loosened(before, _snap(method=PaymentMethod.OA, deposit="0", days=60),
                                 tolerance_percent=Decimal("0"))
    assert [(item.code, item.old, item.new) for item in found] == [(money_terms.DAYS, "30", "60")]
    assert money_terms_loosened(before, _snap(method=PaymentMethod.OA, deposit="0", days=20)) == []


def test_an_unpriced_snapshot_does_not_crash_the_rule():
    assert money_terms_loosened({"header": {}, "lines": []}, {"header": {}, "lines": []}) == []


# --- the order's page -------------------------------------------------------------------------


def test_the_page_shows_what_needs_approval_and_who_may_give_it(people, client_for):
    from django.urls import reverse

    order = make_confirmed(people)
    _propose(people, order, data={"deposit_percent": Decimal("0")})
    _confirmed_by_customer(people, order)

    merch_page = client_for(people.merch).get(order.get_absolute_url()).content.decode()
    assert "needs approval" in merch_page and "deposit 30 % → 0 %" in merch_page
    assert 'data-action="approve_revision"' not in merch_page  # a merchandiser's role may not approve
    assert 'data-why="apply_revision"' in merch_page and "Four-eyes rule" in merch_page

    manager = client_for(people.manager)
    assert 'data-action="approve_revision"' in manager.get(order.get_absolute_url()).content.decode()
    url = reverse("sales:order_revision_approve", args=[order.pk])
    response = manager.post(url, {"approve_revision-reason": "Good payer for ten years", "version": order.version})
    assert response.status_code == 302

    page = client_for(people.merch).get(order.get_absolute_url()).content.decode()
    assert "money terms approved" in page and "Good payer for ten years" in page
    response = client_for(people.merch).post(reverse("sales:order_revision_apply", args=[order.pk]),
                                             {"version": order.version})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.deposit_percent == Decimal("0")


def test_a_manager_approving_own_change_order_on_the_page_is_refused(people, client_for):
    from django.urls import reverse

    order = make_confirmed(people)
    _propose(people, order, actor=people.manager, data={"payment_method": PaymentMethod.LC_SIGHT})
    manager = client_for(people.manager)
    page = manager.get(order.get_absolute_url()).content.decode()
    assert 'data-why="approve_revision"' in page and "No one loosens a gate alone" in page

    response = manager.post(reverse("sales:order_revision_approve", args=[order.pk]),
                            {"approve_revision-reason": "I know them"})
    assert response.status_code == 403
    assert order.revisions.get().approved_by is None
