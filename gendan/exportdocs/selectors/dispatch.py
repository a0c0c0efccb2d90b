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
