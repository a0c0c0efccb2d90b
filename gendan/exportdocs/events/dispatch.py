"""What the dispatch part records, on the timeline of the shipment's sales order: certificates
others issue (added, applied, received, checked), a manager's acceptance of a discrepancy of the
set, the set dispatched (寄单 / 交单) and the result of a dispatch. ``DocumentsDispatched``
completes the T&A's "documents sent" (``tracking/reactions/exportdocs_dispatch.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice
from gendan.core.models import Event
from gendan.exportdocs.models import CertificateItem, DiscrepancyAcceptance, DocumentDispatch
from gendan.sales.models import SalesOrder


@dataclass(kw_only=True)
class CertificateEvent(DomainEvent):
    """A step of ``certificate`` (of a shipment of ``order``)."""

    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder
    certificate: CertificateItem

    def params(self) -> dict:
        c = self.certificate
        return {"kind": choice(CertificateItem, "kind", c.kind), "shipment": c.shipment.number,
                "issuer": c.issuer or "—", "no": c.certificate_no or "—",
                "needed_by": c.needed_by.isoformat() if c.needed_by else "—",
                "applied_on": c.applied_on.isoformat() if c.applied_on else "—",
                "received_on": c.received_on.isoformat() if c.received_on else "—"}


@dataclass(kw_only=True)
class CertificateAdded(CertificateEvent):
    kind = "exportdocs.certificate_added"
    text = gettext_noop("Certificate needed for shipment %(shipment)s: %(kind)s from %(issuer)s, by %(needed_by)s")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class CertificateApplied(CertificateEvent):
    kind = "exportdocs.certificate_applied"
    text = gettext_noop("%(kind)s of shipment %(shipment)s applied for on %(applied_on)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class CertificateReceived(CertificateEvent):
    kind = "exportdocs.certificate_received"
    text = gettext_noop("%(kind)s %(no)s of shipment %(shipment)s received on %(received_on)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class CertificateChecked(CertificateEvent):
    kind = "exportdocs.certificate_checked"
    text = gettext_noop("%(kind)s %(no)s of shipment %(shipment)s checked")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class DiscrepancyAccepted(DomainEvent):
    """A manager accepted one discrepancy of the shipment's set (``reason``)."""

    kind = "exportdocs.discrepancy_accepted"
    text = gettext_noop("Discrepancy %(code)s of shipment %(shipment)s accepted (%(document)s, %(field)s): "
                        "%(message)s")
    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder
    acceptance: DiscrepancyAcceptance

    def params(self) -> dict:
        a = self.acceptance
        return {"code": a.code, "shipment": a.shipment.number, "document": a.document, "field": a.field or "—",
                "message": a.message}


@dataclass(kw_only=True)
class DispatchEvent(DomainEvent):
    order: SalesOrder
    dispatch: DocumentDispatch

    def params(self) -> dict:
        d = self.dispatch
        return {"no": d.number, "shipment": d.shipment.number, "channel": choice(DocumentDispatch, "channel", d.channel),
                "status": choice(DocumentDispatch, "status", d.status), "amount": f"{d.amount:f}",
                "currency": d.currency_id, "sent_on": d.sent_on.isoformat(),
                "via": d.courier or d.bank or "—", "reference": d.awb_no or d.bank_reference or "—",
                "dispatch": d.pk}


@dataclass(kw_only=True)
class DocumentsDispatched(DispatchEvent):
    """The set of ``dispatch.shipment`` went out; the T&A completes "documents sent"."""

    kind = "exportdocs.documents_dispatched"
    text = gettext_noop("Documents of shipment %(shipment)s sent %(channel)s on %(sent_on)s (%(no)s, %(via)s "
                        "%(reference)s)")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class DispatchResultRecorded(DispatchEvent):
    """The bank's (or the courier's) result of a dispatch: paid, accepted, refused, delivered,
    withdrawn (``changes`` the status)."""

    kind = "exportdocs.dispatch_result"
    text = gettext_noop("Dispatch %(no)s of shipment %(shipment)s: %(status)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED
