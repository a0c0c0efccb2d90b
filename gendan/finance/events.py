"""What finance records, as typed domain events (``core.domain_events``): each writes its
timeline row (kind + params, shown in the reader's language) in the service's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice
from gendan.core.models import Event
from gendan.core.money import format_money
from gendan.finance.models import PaymentPlanItem, PaymentRequest, Receipt, ReceiptAllocation


@dataclass(kw_only=True)
class ReceiptRecorded(DomainEvent):
    kind = "finance.receipt_recorded"
    text = gettext_noop("%(amount)s received, bank charges %(charges)s")
    verb = Event.Verb.CREATED
    receipt: Receipt

    def subject(self):
        return self.receipt

    def params(self) -> dict:
        r = self.receipt
        return {"amount": format_money(r.amount, r.currency_id), "charges": format_money(r.bank_charges, r.currency_id)}


@dataclass(kw_only=True)
class PaymentAllocated(DomainEvent):
    """Part of a receipt was applied to an order: the row on the order's timeline."""

    kind = "finance.payment_allocated"
    text = gettext_noop("Payment received: %(amount)s from receipt %(receipt)s (%(ref)s)%(rate)s")
    allocation: ReceiptAllocation

    def subject(self):
        return self.allocation.order

    def params(self) -> dict:
        a = self.allocation
        order, receipt = a.order, a.receipt
        rate = "" if a.exchange_rate == Decimal("1") else f" @ {a.exchange_rate} {order.currency_id}/{receipt.currency_id}"
        return {"amount": format_money(a.order_amount, order.currency_id), "receipt": receipt.number,
                "ref": receipt.bank_reference, "rate": rate}


@dataclass(kw_only=True)
class ReceiptAllocated(DomainEvent):
    """The same allocation on the receipt's timeline (``changes``: its allocated amount)."""

    kind = "finance.receipt_allocated"
    text = gettext_noop("%(amount)s allocated to %(order)s")
    verb = Event.Verb.UPDATED
    allocation: ReceiptAllocation

    def subject(self):
        return self.allocation.receipt

    def params(self) -> dict:
        a = self.allocation
        return {"amount": format_money(a.amount, a.receipt.currency_id), "order": str(a.order)}


@dataclass(kw_only=True)
class PaymentRequested(DomainEvent):
    kind = "finance.payment_requested"
    text = gettext_noop("%(kind)s requested: %(amount)s to %(to)s")
    request: PaymentRequest

    def subject(self):
        return self.request.order

    def params(self) -> dict:
        r = self.request
        return {"kind": choice(PaymentPlanItem, "kind", r.kind), "amount": format_money(r.amount, r.currency_id),
                "to": r.sent_to}
