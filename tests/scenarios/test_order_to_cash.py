"""Scenario: an export order from the customer's PO to the last payment.

Reads like the merchandiser's day (seed 000 §6–11): the PO arrives by fax, the merchandiser
phones to check it, confirms, asks for the 30 % deposit, finance records it, production is
released, the balance is asked and paid, goods ship, the order completes and is closed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError, TransitionNotAllowed, ValidationFailed
from gendan.parties.models import PaymentMethod, Supplier
from gendan.production.services.release import order_release_production
from gendan.sales.models import SalesOrder
from gendan.sales.services import confirmations, lifecycle
from gendan.sales.services.revisions import order_revise, order_revision_apply
from gendan.shipping.services import order_ship
from tests.factories import (
    CustomerFactory,
    SalesOrderFactory,
    SupplierFactory,
    record_confirmations,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def people(make_user):
    merch = make_user("merchandiser")
    return {
        "merch": merch,
        "finance": make_user("finance"),
        "manager": make_user("manager"),
        "sales": make_user("sales"),
    }


@pytest.fixture
def customer(people):
    return CustomerFactory(merchandiser=people["merch"], payment_method=PaymentMethod.TT_DEPOSIT_BALANCE,
                           deposit_percent=Decimal("30"), default_currency_id="USD")


def _draft(people, customer, **extra):
    """The customer's faxed PO entered as a draft: 1 000 mugs in two colours and 3 gift boxes."""
    return SalesOrderFactory(customer=customer, actor=people["merch"], **extra)


def _confirm(people, order):
    record_confirmations(order, actor=people["merch"],
                         summary="1000 mugs red/blue M at 1.235, 3 gift boxes, ex-factory in 60 days")
    return confirmations.order_confirm(actor=people["merch"], order_id=order.pk)


def test_the_whole_life_of_an_order(people, customer):
    from gendan.finance.services import receipt_allocate, receipt_record

    order = _draft(people, customer)
    # Line amounts are rounded per line; the total is their sum.
    assert [line.amount for line in order.lines.order_by("line_no")] == [Decimal("1235.00"), Decimal("1.01")]
    assert order.total_amount == Decimal("1236.01")

    # Confirming needs the written order and the phone call.
    with pytest.raises(BusinessError, match="Written-order rule"):
        confirmations.order_confirm(actor=people["merch"], order_id=order.pk)
    order = _confirm(people, order)
    assert order.status == SalesOrder.Status.CONFIRMED
    assert order.number.startswith("SO")
    assert order.deposit_amount == Decimal("370.80")  # 30 % of 1236.01, rounded half up
    assert order.deposit_amount + order.balance_amount == order.total_amount

    # No production before the deposit.
    factory = SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY)
    assignment = [{"supplier": factory, "due_date": order.ex_factory_date}]
    with pytest.raises(BusinessError, match="Deposit rule") as refused:
        order_release_production(actor=people["merch"], order_id=order.pk, assignments=assignment)
    assert refused.value.status == 409
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED and not order.production_orders.exists()

    # Only finance records money.
    with pytest.raises(BusinessError):
        receipt_record(actor=people["merch"], customer_id=customer.pk, currency="USD", amount="370.80",
                       received_on=timezone.localdate(), bank_reference="FT123")
    receipt = receipt_record(actor=people["finance"], customer_id=customer.pk, currency="USD", amount="365.80",
                             bank_charges="5.00", received_on=timezone.localdate(), bank_reference="FT123")
    receipt_allocate(actor=people["finance"], receipt_id=receipt.pk, order_id=order.pk, amount="370.80")
    order.refresh_from_db()
    assert order.payment_status == SalesOrder.PaymentStatus.DEPOSIT_RECEIVED

    order_release_production(actor=people["merch"], order_id=order.pk, assignments=assignment)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.IN_PRODUCTION
    assert order.production_orders.get().lines.count() == 2

    # Balance before shipment: shipping is refused until it is paid.
    lines = {line.line_no: line for line in order.lines.all()}
    with pytest.raises(BusinessError, match="Balance rule"):
        order_ship(actor=people["merch"], order_id=order.pk, shipped_on=timezone.localdate(),
                                  quantities={lines[1].pk: Decimal("1000")})
    receipt2 = receipt_record(actor=people["finance"], customer_id=customer.pk, currency="EUR", amount="800.00",
                              received_on=timezone.localdate(), bank_reference="FT999")
    with pytest.raises(ValidationFailed, match="exchange rate"):
        receipt_allocate(actor=people["finance"], receipt_id=receipt2.pk, order_id=order.pk, amount="800.00")
    with pytest.raises(ValidationFailed, match="owes only USD 865.21"):  # over-payment is never applied silently
        receipt_allocate(actor=people["finance"], receipt_id=receipt2.pk, order_id=order.pk, amount="800.00",
                         exchange_rate="1.1")
    receipt_allocate(actor=people["finance"], receipt_id=receipt2.pk, order_id=order.pk, amount="786.55",
                     exchange_rate="1.1")  # 865.205 → 865.21 USD
    receipt2.refresh_from_db()
    assert receipt2.unallocated_amount == Decimal("13.45")  # stays as the customer's credit
    order.refresh_from_db()
    assert order.received_amount == order.total_amount == Decimal("1236.01")
    assert order.payment_status == SalesOrder.PaymentStatus.PAID

    # Partial shipment, then the rest: the order ships, and being paid, completes.
    shipment = order_ship(actor=people["merch"], order_id=order.pk, shipped_on=timezone.localdate(),
                                         quantities={lines[1].pk: Decimal("600")}, bl_no="COSU123",
                                         vessel_voyage="CSCL VENUS 012E")
    order.refresh_from_db()
    assert order.shipment_status == SalesOrder.ShipmentStatus.PARTIAL
    assert order.status == SalesOrder.Status.IN_PRODUCTION
    with pytest.raises(ValidationFailed, match="only 400"):
        order_ship(actor=people["merch"], order_id=order.pk, shipped_on=timezone.localdate(),
                                  quantities={lines[1].pk: Decimal("401")})
    order_ship(actor=people["merch"], order_id=order.pk, shipped_on=timezone.localdate(),
                              quantities={lines[1].pk: Decimal("400"), lines[2].pk: Decimal("3")})
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.COMPLETED
    assert shipment.number.startswith("SH")
    from gendan.core.events import timeline_for

    steps = [e.changes["status"]["new"] for e in reversed(timeline_for(order)) if "status" in e.changes]
    assert steps[-2:] == ["shipped", "completed"]  # the timeline tells it in the order it happened
    order = lifecycle.order_close(actor=people["merch"], order_id=order.pk)
    assert order.status == SalesOrder.Status.CLOSED
    verbs = list(order_timeline_messages(order))
    assert any("Phone confirmation" in m for m in verbs)
    assert any("Payment received" in m for m in verbs)


def order_timeline_messages(order):
    from gendan.core.events import timeline_for

    return [e.text for e in timeline_for(order)]


def test_change_order_needs_the_customers_confirmation(people, customer):
    order = _confirm(people, _draft(people, customer))
    lines = [{"description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
              "cells": [{"colour": "Red", "size": "M", "quantity": "800"},
                        {"colour": "Blue", "size": "M", "quantity": "400"}]},
             {"description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3"}]
    revision = order_revise(actor=people["merch"], order_id=order.pk, data={}, lines=lines,
                            reason="Customer adds 200 red")
    assert {d["field"] for d in revision.diff} >= {"quantity", "cell", "total_amount"}
    with pytest.raises(BusinessError, match="Change rule"):
        order_revision_apply(actor=people["merch"], order_id=order.pk)
    order.refresh_from_db()
    assert order.total_amount == Decimal("1236.01")  # nothing changed yet
    record_confirmations(order, actor=people["merch"], summary="+200 red M")  # the customer confirms the change
    order = order_revision_apply(actor=people["merch"], order_id=order.pk)
    assert order.revision_no == 1
    assert order.total_amount == Decimal("1483.01")
    assert order.deposit_amount == Decimal("444.90")


def test_cancel_after_deposit_asks_what_happens_to_the_money(people, customer):
    from gendan.finance.services import receipt_record

    order = _confirm(people, _draft(people, customer))
    receipt_record(actor=people["finance"], customer_id=customer.pk, currency="USD", amount="370.80",
                   received_on=timezone.localdate(), bank_reference="FT1",
                   allocations=[{"order_id": order.pk, "amount": "370.80"}])
    with pytest.raises(ValidationFailed, match="refund"):
        lifecycle.order_cancel(actor=people["manager"], order_id=order.pk, reason="Customer went bankrupt")
    order = lifecycle.order_cancel(actor=people["manager"], order_id=order.pk, reason="Customer went bankrupt",
                                        deposit_disposition="credit")
    assert order.status == SalesOrder.Status.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        lifecycle.order_hold(actor=people["manager"], order_id=order.pk, reason="x" * 5)


def test_a_receipt_with_bank_charges_allocates_to_the_cent(people, customer):
    """11.01 received + 5.00 charges = 16.01 paid: allocating 16.01 must not trip the database check
    (SQLite adds the two in floating point)."""
    from gendan.finance.services import receipt_record

    order = _confirm(people, _draft(people, customer))
    receipt = receipt_record(actor=people["finance"], customer_id=customer.pk, currency="USD", amount="11.01",
                             bank_charges="5.00", received_on=timezone.localdate(), bank_reference="FT16",
                             allocations=[{"order_id": order.pk, "amount": "16.01"}])
    receipt.refresh_from_db()
    assert receipt.allocated_amount == Decimal("16.01") and receipt.unallocated_amount == 0
    with pytest.raises(ValidationFailed, match="left to allocate"):
        from gendan.finance.services import receipt_allocate

        receipt_allocate(actor=people["finance"], receipt_id=receipt.pk, order_id=order.pk, amount="0.01")


def test_a_sent_quotation_expires_after_its_validity_and_cannot_be_accepted(people, customer):
    from django.core.management import call_command

    from gendan.sales.models import Quotation
    from gendan.sales.services import quotations

    today = timezone.localdate()
    quotation = quotations.quotation_create(
        actor=people["merch"], customer_id=customer.pk,
        data={"quoted_on": today - dt.timedelta(days=40), "valid_until": today - dt.timedelta(days=10)},
        lines=[{"description": "Ceramic mug", "unit_price": "1.20", "quantity": "1000", "factory_cost": "0.80"}])
    quotations.quotation_send(actor=people["merch"], quotation_id=quotation.pk)
    with pytest.raises(BusinessError, match="expired") as refused:
        quotations.quotation_accept(actor=people["merch"], quotation_id=quotation.pk, customer_po_no="PO-1",
                                    customer_po_date=today, ex_factory_date=today + dt.timedelta(days=45))
    assert (refused.value.code, refused.value.status) == ("quotation_expired", 409)
    call_command("expire_quotations")
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.EXPIRED
    assert not SalesOrder.objects.filter(quotation=quotation).exists()
