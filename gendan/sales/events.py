"""What happens to a sales order, as typed domain events (``core.domain_events``).

The order's services publish these inside their transaction. Each writes its row on the
order's timeline (kind + params, shown in the reader's language) and tells the apps that
react, which subscribe in their ``AppConfig.ready``: the T&A (``tracking/reactions/sales.py``:
plan, milestones), finance (the payment plan), production (cancelling and flagging its
production orders). The order never calls them.

Events without a timeline row (``record_row = False``) only tell the subscribers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django.utils import translation
from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import bilingual, choice, tr
from gendan.core.models import Event
from gendan.sales.models import OrderDocument, OrderRevision, Quotation, SalesOrder
from gendan.sales.money_terms import loosened_text


@dataclass(kw_only=True)
class OrderEvent(DomainEvent):
    """Something happened to ``order`` (the row goes on its timeline)."""

    order: SalesOrder


# --- entering and confirming -------------------------------------------------------------------


@dataclass(kw_only=True)
class OrderCreated(OrderEvent):
    kind = "sales.order_created"
    text = gettext_noop("PO %(po)s, %(n)s lines")
    verb = Event.Verb.CREATED
    lines: int

    def params(self) -> dict:
        return {"po": self.order.customer_po_no, "n": self.lines}


@dataclass(kw_only=True)
class OrderUpdated(OrderEvent):
    """A draft was edited: the row shows the changed fields (``changes``)."""

    kind = "sales.order_updated"
    verb = Event.Verb.UPDATED


@dataclass(kw_only=True)
class OrderLinesReentered(OrderUpdated):
    kind = "sales.order_lines_reentered"
    text = gettext_noop("lines re-entered (%(n)s)")
    lines: int

    def params(self) -> dict:
        return {"n": self.lines}


@dataclass(kw_only=True)
class ConfirmationRecorded(OrderEvent):
    """The customer's written order or phone call, for revision ``confirmation.revision_no``."""

    confirmation: object  # sales.Confirmation


@dataclass(kw_only=True)
class PhoneConfirmationRecorded(ConfirmationRecorded):
    kind = "sales.phone_confirmation_recorded"
    text = gettext_noop("Phone confirmation (rev. %(rev)s): %(who)s, %(phone)s — %(what)s")

    def params(self) -> dict:
        c = self.confirmation
        return {"rev": c.revision_no, "who": c.contact_name, "phone": c.phone_number, "what": c.summary}


@dataclass(kw_only=True)
class WrittenConfirmationRecorded(ConfirmationRecorded):
    kind = "sales.written_confirmation_recorded"
    text = gettext_noop("Written confirmation (rev. %(rev)s): %(file)s")

    def params(self) -> dict:
        c = self.confirmation
        return {"rev": c.revision_no, "file": c.attachment.original_name if c.attachment else ""}


@dataclass(kw_only=True)
class OrderConfirmed(OrderEvent):
    """Numbered, total fixed. Finance derives the payment plan; the T&A makes the plan."""

    kind = "sales.order_confirmed"
    text = gettext_noop("Total fixed at %(total)s %(currency)s")
    verb = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        return {"total": str(self.order.total_amount), "currency": self.order.currency_id}


# --- the order's status ------------------------------------------------------------------------


@dataclass(kw_only=True)
class OrderStatusChanged(OrderEvent):
    """A transition of the order's workflow; the row shows old → new (``changes``)."""

    verb = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class OrderReleasedToProduction(OrderStatusChanged):
    kind = "sales.order_released_to_production"
    text = gettext_noop("Production orders: %(numbers)s")
    production_orders: list = field(default_factory=list)

    def params(self) -> dict:
        return {"numbers": ", ".join(p.number for p in self.production_orders)}


@dataclass(kw_only=True)
class OrderMarkedReady(OrderStatusChanged):
    kind = "sales.order_marked_ready"


@dataclass(kw_only=True)
class OrderHeld(OrderStatusChanged):
    kind = "sales.order_held"


@dataclass(kw_only=True)
class OrderResumed(OrderStatusChanged):
    kind = "sales.order_resumed"


@dataclass(kw_only=True)
class OrderCancelled(OrderStatusChanged):
    """Production cancels the open production orders; the T&A skips the open milestones."""

    kind = "sales.order_cancelled"


@dataclass(kw_only=True)
class OrderClosed(OrderStatusChanged):
    kind = "sales.order_closed"


@dataclass(kw_only=True)
class OrderCompleted(OrderStatusChanged):
    """Shipped and paid in full: the order completes by itself (``order_refresh_substates``)."""

    kind = "sales.order_completed"
    text = gettext_noop("derived from payments and shipments")


# --- money, as the order's sub-state sees it (no timeline row: finance writes its own) ------------


@dataclass(kw_only=True)
class DepositReceived(OrderEvent):
    """The money received now covers the deposit (it did not before)."""

    kind = "sales.deposit_received"
    record_row: ClassVar[bool] = False


@dataclass(kw_only=True)
class BalanceReceived(OrderEvent):
    """The order is paid in full (it was not before)."""

    kind = "sales.balance_received"
    record_row: ClassVar[bool] = False


# --- gates -----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class GateOverridden(OrderEvent):
    kind = "sales.gate_overridden"
    text = gettext_noop("%(rule)s overridden by %(user)s")
    verb = Event.Verb.OVERRIDE
    rule: str  # the gate's label, a msgid (shown in the reader's language)

    def params(self) -> dict:
        return {"rule": tr(self.rule), "user": str(self.actor)}


@dataclass(kw_only=True)
class OriginalBLReleased(OrderEvent):
    kind = "sales.original_bl_released"
    text = gettext_noop("Original B/L released")


# --- change orders -----------------------------------------------------------------------------


@dataclass(kw_only=True)
class RevisionProposed(OrderEvent):
    kind = "sales.revision_proposed"
    text = gettext_noop("Change order rev. %(n)s proposed: %(count)s changes, waiting for the customer's "
                        "written and phone confirmation")
    revision: OrderRevision

    def params(self) -> dict:
        return {"n": self.revision.revision_no, "count": len(self.revision.diff)}


@dataclass(kw_only=True)
class RevisionApprovalRequested(OrderEvent):
    """The change order loosens the money terms: a manager or finance must approve it."""

    kind = "sales.revision_approval_requested"
    text = gettext_noop("Change order rev. %(n)s loosens the money terms (%(loosened)s): a manager or finance "
                        "other than the proposer must approve it")
    revision: OrderRevision
    loosened: list = field(default_factory=list)  # sales.money_terms.Loosening

    def params(self) -> dict:
        return {"n": self.revision.revision_no, "loosened": _loosened_param(self.loosened)}


@dataclass(kw_only=True)
class RevisionMoneyTermsApproved(OrderEvent):
    """A second person approved the loosened money terms of the change order (reason on the row)."""

    kind = "sales.revision_money_terms_approved"
    text = gettext_noop("Loosened money terms of change order rev. %(n)s (%(loosened)s) approved by %(user)s")
    verb = Event.Verb.OVERRIDE
    revision: OrderRevision
    loosened: list = field(default_factory=list)  # sales.money_terms.Loosening

    def params(self) -> dict:
        return {"n": self.revision.revision_no, "loosened": _loosened_param(self.loosened), "user": str(self.actor)}


def _loosened_param(loosened: list) -> dict:
    """What loosened, kept in both languages (its labels hold numbers and payment terms)."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts[language] = loosened_text(loosened)
    return bilingual(texts["zh-hans"], texts["en"])


@dataclass(kw_only=True)
class OrderRevisionApplying(OrderEvent):
    """The order now holds revision ``revision`` (saved, not yet refreshed): finance re-derives
    the payment plan, production flags the production orders making ``changed_lines`` (all of
    them when ``header_changed``) and adds them to ``flagged``. No row: ``OrderRevisionApplied``
    tells the timeline once all of this is done."""

    kind = "sales.order_revision_applying"
    record_row: ClassVar[bool] = False
    revision: OrderRevision
    changed_lines: set = field(default_factory=set)
    header_changed: bool = False
    flagged: list = field(default_factory=list)  # filled by the subscribers: the flagged production orders


@dataclass(kw_only=True)
class OrderRevisionApplied(OrderEvent):
    """Revision ``revision`` is in effect, documents re-issued. The T&A re-plans."""

    kind = "sales.order_revision_applied"
    text = gettext_noop("Change order rev. %(n)s in effect; documents re-issued: %(docs)s; production orders "
                        "flagged: %(pos)s")
    verb = Event.Verb.UPDATED
    revision: OrderRevision
    documents: list = field(default_factory=list)
    flagged: list = field(default_factory=list)

    def params(self) -> dict:
        return {"n": self.revision.revision_no,
                "docs": ", ".join(d.display_number for d in self.documents) or "—",
                "pos": ", ".join(p.number for p in self.flagged) or "—"}


@dataclass(kw_only=True)
class RevisionWithdrawn(OrderEvent):
    kind = "sales.revision_withdrawn"
    text = gettext_noop("Change order rev. %(n)s withdrawn")
    revision: OrderRevision

    def params(self) -> dict:
        return {"n": self.revision.revision_no}


# --- PI and contract ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class DocumentIssued(OrderEvent):
    """A PI / contract version was issued (the T&A counts the PI as confirmed)."""

    kind = "sales.document_issued"
    text = gettext_noop("%(kind)s %(number)s issued (order revision %(rev)s, total %(total)s %(cur)s)")
    document: OrderDocument

    def params(self) -> dict:
        d = self.document
        return {"kind": choice(OrderDocument, "kind", d.kind), "number": d.display_number, "rev": d.revision_no,
                "total": str(d.total_amount), "cur": d.currency_id}


# --- quotations ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class QuotationEvent(DomainEvent):
    """Something happened to ``quotation`` (the row goes on its timeline; its status change in
    ``changes``)."""

    verb = Event.Verb.STATE_CHANGED
    quotation: Quotation

    def subject(self):
        return self.quotation


@dataclass(kw_only=True)
class QuotationSent(QuotationEvent):
    kind = "sales.quotation_sent"


@dataclass(kw_only=True)
class QuotationAccepted(QuotationEvent):
    """The customer accepted; ``order`` is the draft sales order made from the quotation."""

    kind = "sales.quotation_accepted"
    text = gettext_noop("Sales order created (draft #%(id)s)")
    order: SalesOrder

    def params(self) -> dict:
        return {"id": self.order.pk}


@dataclass(kw_only=True)
class QuotationRejected(QuotationEvent):
    kind = "sales.quotation_rejected"


@dataclass(kw_only=True)
class QuotationExpired(QuotationEvent):
    kind = "sales.quotation_expired"
    text = gettext_noop("validity date %(date)s passed")

    def params(self) -> dict:
        return {"date": self.quotation.valid_until.isoformat()}
