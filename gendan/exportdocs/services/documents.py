"""The document set of a shipment (制单): commercial invoice, packing list, shipping marks and,
as the terms and the credit need them, beneficiary's certificate, draft, insurance declaration,
with the data for the certificate of origin and the customs declaration — generated from the
shipment (``selectors.documents``), never typed.

One number for the whole set: the commercial invoice number (``CI…``), allocated once per
shipment; every document of the set carries it (the trade's convention). Version 1 of each
kind first; generating again makes version n + 1 only of the kinds whose content changed,
with a note saying what changed (printed on the new version) — the previous version stays,
not current. Each version is stored with its PDF (and, for the invoice and the packing list,
its Excel file) among the order's files. Documents of a shipment not yet shipped are marked
"draft" on the PDF, for checking early; a cancelled shipment gets none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import OK, Check, no, reason_required, refuse, require
from gendan.core.numbering import number_next
from gendan.documents.models import Attachment
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.documents import DocumentsGenerated
from gendan.exportdocs.models import DocumentKind, ShipmentDocument
from gendan.exportdocs.pdf.render import render_pdf
from gendan.exportdocs.selectors.documents import GENERATED_KINDS, document_set_data, same_content, set_number
from gendan.exportdocs.xlsx_documents import XLSX_KINDS, render_xlsx
from gendan.shipping.models import Shipment
from gendan.shipping.services.bills import lock_shipment

ADD = "exportdocs.add_shipmentdocument"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class SetResult:
    """What a generation made (new documents or versions), what stayed as it was, and what the
    documents lack (warnings: never a reason to refuse)."""

    made: list[ShipmentDocument] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def generate_check(shipment: Shipment) -> Check:
    """Documents are made for a planned, loading or shipped shipment (before shipping they are
    marked draft); never for a cancelled one."""
    if shipment.status == Shipment.Status.CANCELLED:
        return no(ExportDocsError.DOCUMENTS_SHIPMENT_CANCELLED,
                  _("Shipment %(no)s is cancelled: it gets no export documents.") % {"no": shipment.number})
    return OK


def _kinds(asked, needed: list[str]) -> list[str]:
    if not asked:
        return list(needed)
    asked = [str(k) for k in asked]
    unknown = [k for k in asked if k not in needed]
    if unknown:
        names = ", ".join(str(DocumentKind(k).label) if k in DocumentKind.values else k for k in unknown)
        message = _("Not a document of this shipment's set: %(kinds)s. Its set is made of: %(set)s.") % {
            "kinds": names, "set": ", ".join(str(DocumentKind(k).label) for k in needed)}
        raise ValidationFailed(message, code=ExportDocsError.DOCUMENT_NOT_IN_SET, fields={"kinds": message})
    return [k for k in GENERATED_KINDS if k in asked]


def _store(*, actor: User, order, name: str, mime: str, content: bytes, description: str) -> Attachment:
    """A file of the set among the order's files (archived by order no.; downloaded through the
    documents app, which checks the order's scope)."""
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(order), object_id=order.pk, owner_number=order.number or "",
        kind=Attachment.Kind.OTHER, original_name=name, mime_type=mime, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor, description=description)
    attachment.file.save(name, ContentFile(content), save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:  # the row was not written: do not leave the file behind
        attachment.file.storage.delete(stored)
        raise
    return attachment


def _make(*, actor: User, order, shipment: Shipment, kind: str, data: dict, language: str, version: int,
          note: str) -> ShipmentDocument:
    label = str(DocumentKind(kind).label)
    name = f"{data['number']}-{kind.replace('_', '-')}-v{version}"
    pdf = render_pdf(kind, data, version=version, note=note)
    document = ShipmentDocument(
        shipment=shipment, kind=kind, number=data["number"], version=version, language=language,
        document_date=data["date"], data=data, change_note=note, issued_by=actor,
        pdf=_store(actor=actor, order=order, name=f"{name}.pdf", mime="application/pdf", content=pdf,
                   description=f"{label} {data['number']} v{version}"))
    if kind in XLSX_KINDS:
        document.xlsx = _store(actor=actor, order=order, name=f"{name}.xlsx", mime=XLSX_MIME,
                               content=render_xlsx(kind, data), description=f"{label} {data['number']} v{version}")
    document.save()
    return document


def document_set_generate(*, by: User, shipment, kinds=None, note: str = "") -> SetResult:
    """Generate the shipment's document set (or the ``kinds`` of it asked for): version 1 of
    each document not yet made, version n + 1 of each whose content changed — then ``note``
    (what changed) is required and printed; a document whose content did not change keeps
    its version. Refused for a cancelled shipment; 403 without the role, 404 outside the
    user's orders."""
    require(by, ADD)
    with transaction.atomic():
        order, shipment = lock_shipment(by, getattr(shipment, "pk", shipment))
        refuse(generate_check(shipment))
        number = set_number(shipment) or number_next(code="commercial_invoice")
        built = document_set_data(shipment, number=number)
        wanted = _kinds(kinds, built.kinds)
        current = {d.kind: d for d in ShipmentDocument.objects.select_for_update()
                   .filter(shipment=shipment, is_current=True)}
        changed = [k for k in wanted if k not in current or not same_content(current[k].data, built.data[k])]
        text = (note or "").strip()[:1000]
        if any(k in current for k in changed):
            text = reason_required(note, _("making a new version of the export documents"), field="note")
        latest = dict(ShipmentDocument.objects.filter(shipment=shipment).values_list("kind")
                      .annotate(v=Max("version")))
        result = SetResult(unchanged=[k for k in wanted if k not in changed], missing=built.missing,
                           notes=built.notes)
        for kind in changed:
            previous = current.get(kind)
            if previous is not None:
                previous.is_current = False
                previous.save(update_fields=["is_current", "updated_at"])
            version = latest.get(kind, 0) + 1
            result.made.append(_make(actor=by, order=order, shipment=shipment, kind=kind, data=built.data[kind],
                                     language=built.language, version=version,
                                     note=text if version > 1 else ""))
        if result.made:
            publish(DocumentsGenerated(actor=by, order=order, shipment=shipment, made=result.made,
                                       reason=text if any(d.version > 1 for d in result.made) else ""))
    return result
