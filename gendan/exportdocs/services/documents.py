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

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import FieldErrors, ValidationFailed
from gendan.core.guards import OK, Check, no, reason_required, refuse, require
from gendan.core.numbering import number_next
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_store_generated
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.documents import DocumentsGenerated, ProductExportDataChanged
from gendan.exportdocs.models import DocumentKind, ProductExportData, ShipmentDocument
from gendan.exportdocs.pdf.render import render_pdf
from gendan.exportdocs.selectors.documents import GENERATED_KINDS, document_set_data, same_content, set_number
from gendan.exportdocs.xlsx_documents import XLSX_KINDS, render_xlsx
from gendan.shipping.models import Shipment
from gendan.shipping.services.bills import lock_shipment

ADD = "exportdocs.add_shipmentdocument"
EDIT_EXPORT_DATA = ("exportdocs.add_productexportdata", "exportdocs.change_productexportdata")
EXPORT_DATA_FIELDS = ("customs_name_zh", "declaration_elements", "origin_criterion", "rebate_rate_pct")
ORIGIN_CRITERIA = ("WO", "PE", "CTC", "CTH", "CTSH", "RVC", "RVC40", "CR", "ACU", "DMI", "PSR")
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
    return attachment_store_generated(actor=actor, owner=order, name=name, mime=mime, content=content,
                                      description=description)


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


def _export_value(name: str, raw, errors: FieldErrors):
    """One field of the export data as typed, cleaned; an error names the field."""
    text = str(raw if raw is not None else "").strip()
    if name == "origin_criterion":
        text = text.upper().replace(" ", "")
        if text and text not in ORIGIN_CRITERIA and not text.startswith(("RVC", "CTC", "PSR")):
            errors.add(name, _("Not an origin criterion: use one of %(codes)s.") % {"codes": ", ".join(ORIGIN_CRITERIA)})
        return text[:12]
    if name == "rebate_rate_pct":
        if not text:
            return None
        try:
            value = Decimal(text.replace("%", ""))
        except InvalidOperation:
            errors.add(name, _("Enter the rebate rate as a number, e.g. 13."))
            return None
        if not value.is_finite() or not 0 <= value <= 100:
            errors.add(name, _("The rebate rate is between 0 and 100 %."))
            return None
        return value.quantize(Decimal("0.01"))
    limit = 120 if name == "customs_name_zh" else 2000
    if len(text) > limit:
        errors.add(name, _("At most %(n)d characters.") % {"n": limit})
    return text.replace("\r\n", "\n")


def product_export_data_update(*, by: User, product, data: dict) -> ProductExportData:
    """Record a product's export data (customs name, declaration elements 申报要素, origin
    criterion, export rebate rate): the fields given in ``data``, checked before anything is
    saved; old → new on the product's timeline."""
    require(by, *EDIT_EXPORT_DATA)
    errors = FieldErrors()
    cleaned = {name: _export_value(name, data[name], errors) for name in EXPORT_DATA_FIELDS if name in data}
    errors.raise_any()
    with transaction.atomic():
        record, _created = ProductExportData.objects.select_for_update().get_or_create(product=product)
        changes = {name: {"old": _shown(getattr(record, name)), "new": _shown(value),
                          "model": "exportdocs.productexportdata"}
                   for name, value in cleaned.items() if getattr(record, name) != value}
        if changes:
            for name, value in cleaned.items():
                setattr(record, name, value)
            record.save()
            publish(ProductExportDataChanged(actor=by, product=product, changes=changes))
    return record


def _shown(value) -> str:
    return "" if value is None else str(value)
