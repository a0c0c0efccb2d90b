"""What the invoices part records on the timeline, as typed domain events: a supplier invoice,
its VAT invoices, payments and cancel go on the invoice's own timeline and on the timeline of
the order the cost belongs to; a statement's steps go on the statement's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent, publish
from gendan.core.models import Event
from gendan.core.money import format_money
from gendan.payables.models import (
    StatementDispute,
    SupplierInvoice,
    SupplierPayment,
    SupplierStatement,
    VatInvoice,
)


@dataclass(kw_only=True)
class InvoiceEvent(DomainEvent):
    """A step of ``invoice``: on ``order``'s timeline, or the invoice's own when ``order`` is None."""

    invoice: SupplierInvoice
    order: object | None = None

    def subject(self):
        return self.order if self.order is not None else self.invoice

    def params(self) -> dict:
        i = self.invoice
        return {"no": i.number, "supplier": str(i.supplier), "supplier_no": i.supplier_invoice_no,
                "amount": format_money(i.amount, i.currency_id)}


@dataclass(kw_only=True)
class SupplierInvoiceRecorded(InvoiceEvent):
    kind = "payables.supplier_invoice_recorded"
    text = gettext_noop("Supplier invoice %(no)s recorded: %(supplier)s invoice %(supplier_no)s, %(amount)s")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class SupplierInvoiceCancelled(InvoiceEvent):
    kind = "payables.supplier_invoice_cancelled"
    text = gettext_noop("Supplier invoice %(no)s cancelled")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class VatInvoiceRecorded(InvoiceEvent):
    vat: VatInvoice

    kind = "payables.vat_invoice_recorded"
    text = gettext_noop("VAT invoice %(vat_no)s received for %(no)s: %(net)s + VAT %(tax)s (%(rate)s %%)")

    def params(self) -> dict:
        v, cur = self.vat, self.invoice.currency_id
        return {**super().params(), "vat_no": v.number, "net": format_money(v.net_amount, cur),
                "tax": format_money(v.tax_amount, cur), "rate": f"{v.tax_rate.normalize():f}"}


@dataclass(kw_only=True)
class SupplierPaymentRecorded(InvoiceEvent):
    """A payment; ``reason`` holds finance's override when the goods were not yet inspected and received."""

    payment: SupplierPayment

    kind = "payables.supplier_payment_recorded"
    text = gettext_noop("Paid %(paid)s to %(supplier)s on %(no)s (open now %(open)s)")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        cur = self.invoice.currency_id
        return {**super().params(), "paid": format_money(self.payment.amount, cur),
                "open": format_money(self.invoice.open_amount, cur)}


@dataclass(kw_only=True)
class StatementEvent(DomainEvent):
    statement: SupplierStatement

    def subject(self):
        return self.statement

    def params(self) -> dict:
        s = self.statement
        return {"no": s.number, "month": s.month.strftime("%Y-%m"),
                "closing": format_money(s.closing_balance, s.currency_id)}


@dataclass(kw_only=True)
class StatementIssued(StatementEvent):
    kind = "payables.statement_issued"
    text = gettext_noop("Statement %(no)s for %(month)s issued: closing balance %(closing)s")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class StatementSuperseded(StatementEvent):
    replaced_by: str = ""

    kind = "payables.statement_superseded"
    text = gettext_noop("Statement %(no)s replaced by %(new)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        return {**super().params(), "new": self.replaced_by}


@dataclass(kw_only=True)
class StatementSent(StatementEvent):
    kind = "payables.statement_sent"
    text = gettext_noop("Statement %(no)s e-mailed to %(to)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        return {**super().params(), "to": self.statement.sent_to}


@dataclass(kw_only=True)
class StatementConfirmed(StatementEvent):
    kind = "payables.statement_confirmed"
    text = gettext_noop("Statement %(no)s confirmed by the supplier")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class StatementDisputed(StatementEvent):
    kind = "payables.statement_disputed"
    text = gettext_noop("Statement %(no)s disputed by the supplier: %(n)d line(s), %(amount)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED
    n: int = 0
    amount: str = ""

    def params(self) -> dict:
        return {**super().params(), "n": self.n, "amount": self.amount}


@dataclass(kw_only=True)
class DisputeSettled(StatementEvent):
    dispute: StatementDispute

    kind = "payables.statement_dispute_settled"
    text = gettext_noop("Disputed line %(line)s of statement %(no)s settled: %(how)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        return {**super().params(), "line": self.dispute.line_ref, "how": self.dispute.settlement}


def invoice_publish(event_type: type[InvoiceEvent], *, invoice: SupplierInvoice, **kwargs) -> None:
    """Publish ``event_type`` on the invoice's timeline and on its order's (if any). Call inside
    the transaction that made the change."""
    publish(event_type(invoice=invoice, **kwargs))
    if invoice.sales_order_id:
        publish(event_type(invoice=invoice, order=invoice.sales_order, **kwargs))
