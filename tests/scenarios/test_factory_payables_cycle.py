"""Scenario: one factory through a month of money — delivery, invoice, VAT invoice, the monthly
statement (对账单) disputed then confirmed, payment, and the export tax rebate received.

Reads like purchasing's and finance's month with an outsourced factory (seeds 001 第三篇 14,
003 §3): the factory makes 1 000 mugs (CNY 8.00) and 500 gift boxes (CNY 2.00) for a customer's
order, CNY 9 000.00 at cost. The final inspection passes and the goods are received into the
warehouse; the factory invoices CNY 9 000.00 incl. VAT and its VAT special invoice follows
(CNY 7 964.60 + 13 % = 1 035.40). Finance pays a deposit at once; the balance waits for the goods
(a refusal before, when nothing is missing the payment goes through). The goods ship and the
customs declaration opens the tax rebate. At the end of March purchasing issues the statement
and e-mails it; the factory disputes its own invoice line (it counts 500 boxes at 2.20); purchasing
settles it (the contract says 2.00, the factory agrees); a confirmation before the month ends is
refused, after it the statement is confirmed. The statement's closing balance is what is still
owed; April's opening balance carries it. The rebate is filed and received. Every step goes
through the services; the order's timeline and the purchasing board tell the story.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.events import event_message, timeline_for
from gendan.payables.tests.invoices_setup import receive_and_inspect
from gendan.payables.tests.test_rebates_world import declaration_no, make_order
from tests.factories import UserFactory
from tests.smtp import smtp  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_factory_payables_cycle(smtp, clock, django_capture_on_commit_callbacks):  # noqa: F811
    from gendan.payables.selectors.statements import (
        next_month,
        open_disputes,
        statement_balance_check,
        statement_figures,
    )
    from gendan.payables.services.invoices import supplier_invoice_record, vat_invoice_record
    from gendan.payables.services.payments import supplier_payment_record
    from gendan.payables.services.rebates import rebate_file, rebate_receive, rebate_record
    from gendan.payables.services.statements import dispute_settle, statement_issue, statement_reply
    from gendan.shipping.services import order_ship
    from gendan.tracking.selectors import board_for
    from tests.factories import pay

    today = timezone.localdate()
    march = today.replace(day=1)
    w = make_order(ship=False)
    buyer = UserFactory(roles=["purchasing"], language="en")
    po = w.production_order
    assert po.total_cost == Decimal("9000.00")

    # 1. Delivery: the final inspection passes, the goods are received from the factory.
    receive_and_inspect(w)

    # 2. The factory's invoice, against its production order; an invoice above the cost is refused first.
    with pytest.raises(ValidationFailed) as exc:
        supplier_invoice_record(actor=buyer, data={
            "supplier": w.factory.pk, "kind": "production", "production_order": po.pk,
            "supplier_invoice_no": "DG-2026-031", "amount": "10100.00", "tax_amount": "1161.95",
            "invoice_date": today.isoformat()})
    assert "CNY 10,100.00" in exc.value.message and "CNY 9,000.00" in exc.value.message
    invoice = supplier_invoice_record(actor=buyer, data={
        "supplier": w.factory.pk, "kind": "production", "production_order": po.pk,
        "supplier_invoice_no": "DG-2026-031", "amount": "9000.00", "tax_amount": "1035.40",
        "invoice_date": today.isoformat()})
    assert invoice.sales_order == w.order and invoice.due_date == today + dt.timedelta(days=30)

    # 3. Its VAT special invoice: the tax agrees with 13 %; the same number again is refused.
    vat = vat_invoice_record(actor=buyer, invoice_id=invoice.pk, data={
        "number": "44031234", "issued_on": today.isoformat(), "net_amount": "7964.60", "tax_rate": "13"})
    assert vat.tax_amount == Decimal("1035.40")
    with pytest.raises(ValidationFailed) as exc:
        vat_invoice_record(actor=buyer, invoice_id=invoice.pk, data={
            "number": "44031234", "issued_on": today.isoformat(), "net_amount": "1.00"})
    assert exc.value.code == "vat_number_taken"

    # 4. Finance pays a deposit; the balance goes through because the goods passed and were received.
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={
        "amount": "2700.00", "paid_on": today.isoformat(), "bank_reference": "BOC-0311-1"})
    with pytest.raises(BusinessError) as exc:
        supplier_payment_record(actor=buyer, invoice_id=invoice.pk, data={"amount": "6300.00"})
    assert exc.value.status == 403  # purchasing records invoices, only finance pays

    # 5. The goods ship; the customs declaration opens the rebate (its VAT invoice is in: ready).
    w.order.refresh_from_db()
    pay(w.order, w.order.total_amount - w.order.received_amount, actor=w.finance)
    shipment = order_ship(actor=w.merch, order_id=w.order.pk, shipped_on=today,
                          quantities={line.pk: line.quantity for line in w.order.lines.all()})
    rebate = rebate_record(actor=w.finance, shipment_id=shipment.pk, declaration_no=declaration_no(31),
                           declared_on=today.isoformat())
    assert rebate.status == "ready" and rebate.expected_amount == Decimal("1000.00")

    # 6. March's statement, e-mailed to the factory; the factory disputes its invoice line.
    with django_capture_on_commit_callbacks(execute=True):
        statement = statement_issue(actor=buyer, supplier_id=w.factory.pk, month=march, send=True)
    mail = smtp.wait_for(1)[0]
    assert statement.number in mail["Subject"] and mail["To"] == "account@dg-one.example.com"
    statement.refresh_from_db()
    assert statement.status == "sent"
    assert (statement.opening_balance, statement.delivered_amount, statement.invoiced_amount,
            statement.paid_amount, statement.closing_balance) == (
        Decimal("0"), Decimal("9000.00"), Decimal("9000.00"), Decimal("2700.00"), Decimal("6300.00"))
    assert statement_balance_check(statement)
    statement_reply(actor=buyer, statement_id=statement.pk, outcome="disputed", note="工厂回传：礼盒单价应为 2.20",
                    disputes=[{"line_ref": invoice.number, "amount": "100.00", "reason": "500 boxes at 2.20, not 2.00"}])
    board = board_for(user=buyer, today=today)
    assert [i.kind for i in board.export_items if i.kind == "statement_disputed"] == ["statement_disputed"]
    manager_board = board_for(user=w.manager, today=today)
    assert any(i.kind == "statement_disputed" for i in manager_board.export_items)

    # 7. Confirming before March ends is refused; the dispute is settled; after the month, confirmed.
    with pytest.raises(ValidationFailed) as exc:
        statement_reply(actor=buyer, statement_id=statement.pk, outcome="confirmed")
    assert exc.value.code == "statement_month_open"
    dispute_settle(actor=buyer, dispute_id=statement.disputes.get().pk,
                   settlement="Contract HT2603 says 2.00 per box; the factory agrees")
    assert not open_disputes().exists()
    assert not any(i.kind == "statement_disputed" for i in board_for(user=buyer, today=today).export_items)
    clock.move_to(timezone.make_aware(dt.datetime.combine(next_month(march) + dt.timedelta(days=1), dt.time(9))))
    april_day = timezone.localdate()
    statement_reply(actor=buyer, statement_id=statement.pk, outcome="confirmed", note="signed and stamped")
    statement.refresh_from_db()
    assert statement.status == "confirmed"

    # 8. Finance pays the balance in April: the invoice is paid; April opens with March's closing.
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={
        "amount": "6300.00", "paid_on": april_day.isoformat(), "bank_reference": "BOC-0402-7"})
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.open_amount == 0
    april = statement_figures(supplier_id=w.factory.pk, month=april_day.replace(day=1), currency="CNY")
    assert april.opening == statement.closing_balance == Decimal("6300.00")
    assert april.paid == Decimal("6300.00") and april.closing == 0

    # 9. The rebate is filed and received.
    rebate = rebate_file(actor=w.finance, rebate_id=rebate.pk, filed_on=april_day.isoformat())
    rebate = rebate_receive(actor=w.finance, rebate_id=rebate.pk, amount="1000.00",
                            received_on=april_day.isoformat(), version=rebate.version)
    assert rebate.status == "received"

    # The order's timeline tells the money story.
    texts = [event_message(e) for e in timeline_for(w.order)]
    for expected in (f"Supplier invoice {invoice.number} recorded", "VAT invoice 44031234 received",
                     "Paid CNY 2,700.00", "Paid CNY 6,300.00"):
        assert any(expected in t for t in texts), expected
    statement_texts = [event_message(e) for e in timeline_for(statement)]
    assert any("disputed by the supplier" in t for t in statement_texts)
    assert any("confirmed by the supplier" in t for t in statement_texts)
