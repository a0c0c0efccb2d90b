"""Milestones that record facts another app owns: the event that completes each one.

A milestone whose ``completes_on`` is listed here is completed only by that event (the goods
left the warehouse, the vessel sailed, finance recorded the deposit …): ticking it by hand
would let the T&A say something the order's records contradict ("ex-factory" done while the
goods sit in the warehouse). A milestone of a key not listed here — a company's own — is
completed by hand as before. The text says
what completes it, in the reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.tracking.keys import Milestone as Key

COMPLETED_BY = {
    Key.PO_RECEIVED: _("the order is confirmed"),
    Key.PI_CONFIRMED: _("the PI or contract is issued on the order"),
    Key.DEPOSIT_RECEIVED: _("finance records the deposit (a receipt allocated to the order)"),
    Key.PRODUCTION_RELEASED: _("the order is released to production"),
    Key.BOM_CONFIRMED: _("the production order's BOM is confirmed"),
    Key.MATERIAL_ETAS_CONFIRMED: _("every material's ETA is confirmed"),
    Key.MATERIALS_IN: _("the last material is received"),
    Key.PP_SAMPLE_APPROVED: _("the pre-production sample is approved"),
    Key.FIRST_ARTICLE_APPROVED: _("the first article is approved"),
    Key.PRODUCTION_STARTED: _("the factory reports the first production progress"),
    Key.INLINE_INSPECTION: _("an inline inspection passes"),
    Key.PRODUCTION_FINISHED: _("the production orders are finished"),
    Key.FINAL_INSPECTION: _("the final inspection passes"),
    Key.BOOKING: _("a booking is confirmed with the forwarder"),
    Key.EX_FACTORY: _("the goods leave the warehouse (a shipment is recorded)"),
    Key.ETD: _("the goods are on board (the shipment's ETD has passed or the B/L gives the on-board date)"),
    Key.SHIPPING_ADVICE: _("the shipping advice is sent to the customer"),
    Key.DOCUMENTS_SENT: _("the shipment's documents are dispatched to the customer or presented to the bank "
                          "(the shipment's check & dispatch)"),
    Key.BALANCE_RECEIVED: _("finance records the balance (the order is paid in full)"),
    Key.CLOSED: _("the order is closed"),
}


def completed_by(completes_on: str) -> str:
    """What completes a milestone of ``completes_on`` (in the active language), or "" when a
    person completes it."""
    text = COMPLETED_BY.get(completes_on or "")
    return str(text) if text else ""
