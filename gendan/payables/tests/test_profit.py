"""Order profit: the estimate frozen at confirmation, the actual as invoices, receipts, costs and
the rebate arrive (numbers by hand), order costs refused on bad input, the report's totals equal
the sum of its rows in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.payables.models import ProfitEstimate
from gendan.payables.selectors.profit import order_profit, profit_report
from gendan.payables.services.profit import order_cost_add
from gendan.payables.services.rebates import rebate_record
from gendan.payables.tests.test_rebates_world import declaration_no, factory_invoice, make_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_estimate_frozen_at_confirmation_actual_after_invoices():
    w = make_order()
    estimate = ProfitEstimate.objects.get(order=w.order)
    # USD 2 250.00 × 7.10 = CNY 15 975.00; nothing known of the factory's cost at confirmation
    assert estimate.exchange_rate == Decimal("7.10")
    assert estimate.selling_cny == Decimal("15975.00")
    assert estimate.breakdown["notes"]["production"]  # flagged: no factory cost known
    frozen = (estimate.profit_cny, estimate.estimated_at)

    profit = order_profit(w.order)
    # before the invoice: the production order's cost (CNY 9 000.00) counts, flagged as not invoiced
    assert profit.line("production").actual == Decimal("9000.00")
    assert profit.line("production").notes
    factory_invoice(w, amount="9100.00", tax="1046.90")
    rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(20),
                  declared_on=timezone.localdate())
    order_cost_add(actor=w.finance, order_id=w.order.pk, kind="commission", currency="USD", amount="50.00",
                   incurred_on=timezone.localdate(), note="agent 2 %")
    profit = order_profit(w.order)
    assert profit.line("selling").actual == Decimal("15975.00")  # paid in full at 7.10
    assert profit.line("production").actual == Decimal("9100.00")
    assert profit.line("production").notes == []
    assert profit.line("commission").actual == Decimal("355.00")  # 50 × 7.10
    # the rebate of the invoice actually received: 8 053.10 net → mugs 7 158.31 × 13 % = 930.58,
    # boxes 894.79 × 9 % = 80.53 → 1 011.11
    assert profit.line("rebate").actual == Decimal("1011.11")
    assert profit.actual_profit == Decimal("15975.00") - Decimal("9100.00") - Decimal("355.00") + Decimal("1011.11")
    assert profit.line("freight").notes  # shipped, no forwarder's invoice
    estimate.refresh_from_db()
    assert (estimate.profit_cny, estimate.estimated_at) == frozen


def test_order_cost_refused():
    w = make_order(ship=False)
    for data, field in (({"amount": "-1"}, "amount"), ({"amount": "1e30"}, "amount"), ({"kind": "bribe"}, "kind"),
                        ({"currency": "XXX"}, "currency"), ({"currency": "EUR"}, "currency"),
                        ({"incurred_on": "2999-01-01"}, "incurred_on"), ({"amount": "1.234"}, "amount")):
        fields = {"kind": "commission", "currency": "USD", "amount": "10", "incurred_on": timezone.localdate()} | data
        with pytest.raises(ValidationFailed) as exc:
            order_cost_add(actor=w.finance, order_id=w.order.pk, **fields)
        assert field in exc.value.fields, (data, exc.value.fields)
    with pytest.raises(NotAllowed):
        order_cost_add(actor=w.merch, order_id=w.order.pk, kind="commission", currency="USD", amount="10",
                       incurred_on=timezone.localdate())
    assert not w.order.extra_costs.exists()


def test_report_totals_are_the_sum_of_rows(django_assert_max_num_queries):
    finance = UserFactory(roles=["finance"], language="en")
    worlds = [make_order(finance=finance, ship=i % 2 == 0) for i in range(3)]
    factory_invoice(worlds[0])
    order_cost_add(actor=finance, order_id=worlds[1].order.pk, kind="bank", currency="CNY", amount="12.34",
                   incurred_on=timezone.localdate())
    with django_assert_max_num_queries(16):
        rows, total = profit_report(user=finance, group_by="customer")
    assert len(rows) == 3
    for attr in ("orders", "selling", "costs", "rebate", "profit", "estimated_profit", "incomplete"):
        assert getattr(total, attr) == sum(getattr(r, attr) for r in rows), attr
    assert total.selling == Decimal("15975.00") * 3
    # more orders, same number of queries
    make_order(finance=finance)
    with django_assert_max_num_queries(16):
        rows, total = profit_report(user=finance, group_by="month")
    assert total.orders == 4 and len(rows) == 1
    month = timezone.localdate().replace(day=1)
    rows, _total = profit_report(user=finance, group_by="month",
                                 filters={"month_from": month + dt.timedelta(days=40)})
    assert rows == []


def test_estimate_rewritten_when_a_change_order_is_applied():
    from gendan.payables.tests.test_rebates_world import book_rate, products
    from gendan.sales.services.revisions import order_revise, order_revision_apply
    from tests.factories import CustomerFactory, SalesOrderFactory, record_confirmations

    merch = UserFactory(roles=["merchandiser"], language="en")
    book_rate()
    mug, box = products()
    lines = [{"product": mug, "description": "Ceramic mug", "unit_price": Decimal("2.00"), "quantity": "1000"},
             {"product": box, "description": "Gift box", "unit_price": Decimal("0.50"), "quantity": "500"}]
    order = SalesOrderFactory(customer=CustomerFactory(merchandiser=merch, default_currency_id="USD"), confirmed=True,
                              lines=lines)
    assert ProfitEstimate.objects.get(order=order).selling_cny == Decimal("15975.00")
    lines[0]["quantity"] = "1200"
    order_revise(actor=merch, order_id=order.pk, data={}, lines=lines, reason="Customer adds 200 mugs")
    record_confirmations(order, actor=merch, summary="1200 mugs")
    order_revision_apply(actor=merch, order_id=order.pk)
    # USD 2 650.00 × 7.10
    assert ProfitEstimate.objects.get(order=order).selling_cny == Decimal("18815.00")


def test_panel_and_report_queries_are_bounded(client_for, django_assert_max_num_queries):
    w = make_order()
    factory_invoice(w)
    client = client_for(w.finance)
    from django.urls import reverse

    with django_assert_max_num_queries(30):
        assert client.get(reverse("payables:profit_report")).status_code == 200
    for _ in range(2):
        make_order(finance=w.finance)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("payables:profit_report") + "?group_by=salesperson").status_code == 200


def test_the_profit_stays_off_the_orders_timeline():
    """Everyone who sees the order reads its timeline; the profit and the order's extra costs go
    on their own timelines, shown in the profit panel to the roles that may see cost."""
    from gendan.core.events import event_message, timeline_for

    w = make_order()
    order_cost_add(actor=w.finance, order_id=w.order.pk, kind="commission", currency="USD", amount="50.00",
                   incurred_on=timezone.localdate(), note="agent 2 %")
    on_order = [e.kind for e in timeline_for(w.order, limit=500)]
    assert "payables.profit_estimated" not in on_order and "payables.order_cost_added" not in on_order
    estimate = ProfitEstimate.objects.get(order=w.order)
    texts = [event_message(e) for e in timeline_for(estimate)]
    assert any("Profit estimated: CNY" in t and "15,975.00" in t for t in texts)


def test_an_own_workshops_production_order_without_cost_is_flagged():
    """An own workshop's production notice carries no price: the profit says the cost is unknown
    rather than showing a 100 % margin without a word."""
    from gendan.parties.models import Supplier
    from gendan.production.models import ProductionOrder

    w = make_order()
    ProductionOrder.objects.filter(sales_order=w.order).update(kind=ProductionOrder.Kind.OWN_WORKSHOP, total_cost=0)
    Supplier.objects.filter(pk=w.production_order.supplier_id).update(kind=Supplier.Kind.OWN_WORKSHOP)
    line = order_profit(w.order).line("production")
    assert line.actual == 0 and any("own workshop" in note and "no cost recorded" in note for note in line.notes)


def _estimate_read_both_ways(order):
    """The order's estimate with only what ``estimate_facts`` finds read, and with every source read."""
    from gendan.payables.selectors.profit import READ_ALL, estimate_breakdown, estimate_facts

    return (estimate_breakdown(order, facts=estimate_facts(order)), estimate_breakdown(order, facts=READ_ALL))


def test_the_estimate_skips_what_the_order_has_not_and_says_the_same():
    """Confirming reads only what the order has (no production order, no cost yet: neither is
    looked up); the figures and notes are those of reading every source — for an order from a
    quotation's factory costs, with costs (one in a currency without a rate), and in production."""
    from gendan.payables.selectors.profit import estimate_facts
    from gendan.payables.tests.test_rebates_world import book_rate, products
    from gendan.sales.services import quotations
    from gendan.sales.services.confirmations import order_confirm
    from tests.factories import CustomerFactory, record_confirmations

    merch = UserFactory(roles=["merchandiser"], language="en")
    sales = UserFactory(roles=["sales"], language="en")
    finance = UserFactory(roles=["finance"], language="en")
    book_rate(by=finance)
    mug, box = products()
    customer = CustomerFactory(merchandiser=merch, salesperson=sales, default_currency_id="USD")
    quotation = quotations.quotation_create(actor=sales, customer_id=customer.pk, data={}, lines=[
        {"product": mug, "description": "Ceramic mug", "unit_price": Decimal("2.00"), "quantity": "1000",
         "factory_cost": Decimal("8.00")},
        {"product": box, "description": "Gift box", "unit_price": Decimal("0.50"), "quantity": "500"}])
    quotations.quotation_send(actor=sales, quotation_id=quotation.pk)
    today = timezone.localdate()
    order = quotations.quotation_accept(actor=sales, quotation_id=quotation.pk, customer_po_no="PO-EST",
                                        customer_po_date=today, ex_factory_date=today + dt.timedelta(days=60))
    record_confirmations(order, actor=merch)
    order = order_confirm(actor=merch, order_id=order.pk)
    estimate = ProfitEstimate.objects.get(order=order)
    # 1 000 mugs × CNY 8.00; the box has no factory cost (flagged); rebate 8 000 / 1.13 × 13 %
    assert estimate.breakdown["lines"]["production"] == "8000.00" and estimate.breakdown["notes"]["production"]
    assert estimate.breakdown["lines"]["rebate"] == "920.35"
    facts = estimate_facts(order)
    assert (facts.production, facts.costs, facts.estimated) == (False, False, True)
    fast, full = _estimate_read_both_ways(order)
    assert fast == full and fast == estimate.breakdown

    for kind, currency, amount in (("commission", "USD", "50.00"), ("other", "CNY", "12.00"),
                                   ("freight", "USD", "30.00"), ("bank", "CNY", "4.50")):
        order_cost_add(actor=finance, order_id=order.pk, kind=kind, currency=currency, amount=amount,
                       incurred_on=today)
    # costs in a currency with no booked rate (the service refuses them now; older rows may have them)
    from gendan.payables.models import OrderCost

    for kind in ("commission", "freight"):
        OrderCost.objects.create(order=order, kind=kind, currency_id="EUR", amount=Decimal("9.00"), incurred_on=today,
                                 recorded_by=finance, recorded_at=timezone.now())
    assert estimate_facts(order).costs and not estimate_facts(order).production
    fast, full = _estimate_read_both_ways(order)
    assert fast == full
    assert fast["lines"]["commission"] == "355.00" and fast["lines"]["other"] == "12.00"  # EUR not counted
    assert fast["lines"]["freight"] == "213.00" and fast["notes"]["freight"]  # flagged: no EUR rate
    assert fast["lines"]["bank"] == "4.50"

    w = make_order()
    assert estimate_facts(w.order).production
    fast, full = _estimate_read_both_ways(w.order)
    assert fast == full and fast["lines"]["production"] == "9000.00"
