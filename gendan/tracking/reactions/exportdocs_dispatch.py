"""What the T&A does when a shipment's documents are dispatched (``exportdocs.events.dispatch``):
"documents sent" (寄单) is completed on the day they went, linked to the dispatch's row on the
order's timeline."""

from __future__ import annotations

from gendan.core.domain_events import subscribe
from gendan.exportdocs.events.dispatch import DocumentsDispatched
from gendan.tracking.hooks import Milestone, milestone_reached


def on_documents_dispatched(event: DocumentsDispatched) -> None:
    milestone_reached(order=event.order, key=Milestone.DOCUMENTS_SENT, actor=event.actor, event=event.record,
                      on=event.dispatch.sent_on)


subscribe(DocumentsDispatched, on_documents_dispatched)
