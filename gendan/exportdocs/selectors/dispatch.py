"""Reads of the dispatch part: a shipment's current documents, certificates, accepted
discrepancies and dispatches (what a credit has drawn: ``selectors.credits``)."""

from __future__ import annotations

from django.db.models import QuerySet

from gendan.exportdocs.models import (
    CertificateItem,
    DiscrepancyAcceptance,
    DocumentDispatch,
    ShipmentDocument,
)
from gendan.shipping.models import BillOfLading

RECEIVED = (CertificateItem.Status.RECEIVED, CertificateItem.Status.CHECKED)


def current_documents(shipment) -> dict[str, ShipmentDocument]:
    """The current version of each generated document of ``shipment``, by kind."""
    return {doc.kind: doc for doc in ShipmentDocument.objects.filter(shipment=shipment, is_current=True)}


def certificates_of(shipment) -> QuerySet[CertificateItem]:
    return (CertificateItem.objects.filter(shipment=shipment).select_related("attachment", "checked_by")
            .order_by("needed_by", "id"))


def received_certificates(shipment) -> dict[str, CertificateItem]:
    """The newest certificate received (or checked) of each kind."""
    found: dict[str, CertificateItem] = {}
    for certificate in CertificateItem.objects.filter(shipment=shipment, status__in=RECEIVED).order_by(
            "received_on", "id"):
        found[certificate.kind] = certificate
    return found


def acceptances_of(shipment) -> dict[tuple[str, str, str], DiscrepancyAcceptance]:
    """The shipment's accepted discrepancies by (code, document, field)."""
    return {(a.code, a.document, a.field): a
            for a in DiscrepancyAcceptance.objects.filter(shipment=shipment).select_related("accepted_by")}


def dispatches_of(shipment) -> QuerySet[DocumentDispatch]:
    return (DocumentDispatch.objects.filter(shipment=shipment).select_related("credit", "instruction", "sent_by")
            .order_by("-sent_on", "-id"))


def dispatch_counts(shipment) -> dict[str, tuple[int, int]]:
    """The usual counts of a dispatch (originals, copies): what the set holds, 3 / 3; the B/L
    its originals issued."""
    counts = {kind: (3, 3) for kind in current_documents(shipment) if kind in (
        "commercial_invoice", "packing_list", "draft", "beneficiary_certificate")}
    bill = BillOfLading.objects.filter(shipment=shipment).first()
    if bill is not None:
        counts["bill_of_lading"] = (bill.originals, 3)
    return counts


def dispatch_kinds(shipment) -> set[str]:
    """The documents a dispatch of ``shipment`` may list: the generated ones (the insurance
    declaration as the insurance document), the B/L if there is one, the certificates received,
    and "other". The dispatch service refuses anything else."""
    kinds = {("insurance" if kind == "insurance_declaration" else kind) for kind in current_documents(shipment)}
    if BillOfLading.objects.filter(shipment=shipment).exists():
        kinds.add("bill_of_lading")
    kinds.update(received_certificates(shipment))
    return kinds | {"other"}
