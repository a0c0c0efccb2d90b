"""The rebates part's hooks: when the invoices part records a VAT invoice, the open rebates of
its production order's shipments are checked again (waiting → ready). The invoices part
publishes ``VatInvoiceRecorded`` (``payables.events_invoices``) when it exists."""

from __future__ import annotations

import importlib


def _on_vat_invoice(event) -> None:
    from gendan.payables.services.rebates import rebates_check_for_vat_invoice

    vat = getattr(event, "vat_invoice", None) or getattr(event, "vat", None)
    if vat is not None:
        rebates_check_for_vat_invoice(vat, actor=getattr(event, "actor", None))


def register() -> None:
    from gendan.core.domain_events import subscribe

    try:
        events = importlib.import_module("gendan.payables.events_invoices")
    except ModuleNotFoundError:
        return
    for name in ("VatInvoiceRecorded", "VatInvoiceAdded"):
        event_type = getattr(events, name, None)
        if event_type is not None:
            subscribe(event_type, _on_vat_invoice)
