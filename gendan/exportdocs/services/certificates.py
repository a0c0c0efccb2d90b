"""Certificates others issue for a shipment (C/O by CCPIT or customs, inspection, fumigation, test
reports, an insurance certificate): tracked as items of the document set — needed by, applied,
received (with the file, which must really be a PDF or an image, and the data read from it that
the set's check compares), checked. Each step is on the order's timeline; the chase board shows
the certificates due within three days or overdue (``tracking/export_chase_dispatch.py``).

needed → applied → received → checked (a certificate may be received without an application
recorded). Dates are 2000–2099, not in the future, and a certificate is not received before it
was applied for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, TransitionNotAllowed, ValidationFailed
from gendan.core.guards import collect_past_date, id_or_zero, parse_date, require
from gendan.core.services import lock_row
from gendan.documents.models import Attachment
from gendan.documents.services import IMAGE_TYPES, attachment_add, validate_upload
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.dispatch import (
    CertificateAdded,
    CertificateApplied,
    CertificateChecked,
    CertificateReceived,
)
from gendan.exportdocs.models import CertificateItem, DocumentKind
from gendan.shipping.services.bills import lock_shipment

ADD = "exportdocs.add_certificateitem"
CHANGE = "exportdocs.change_certificateitem"
S = CertificateItem.Status
# What a certificate may be: the kinds others issue.
CERTIFICATE_KINDS = (DocumentKind.CERTIFICATE_OF_ORIGIN, DocumentKind.INSURANCE, DocumentKind.INSPECTION_CERTIFICATE,
                     DocumentKind.FUMIGATION_CERTIFICATE, DocumentKind.TEST_REPORT, DocumentKind.OTHER)
# The data read from a certificate received that the check compares, by kind: field → reader.
TEXT, COUNT, FLAG, DECIMAL, CURRENCY, DATE = "text", "count", "flag", "decimal", "currency", "date"
CERTIFICATE_DATA_FIELDS: dict[str, dict[str, str]] = {
    DocumentKind.CERTIFICATE_OF_ORIGIN: {"goods_description": TEXT, "packages": COUNT, "marks": TEXT, "signed": FLAG},
    DocumentKind.INSURANCE: {"currency": CURRENCY, "insured_amount": DECIMAL, "date": DATE},
}
MAX_TEXT = 2000
PDF_TAIL = 2048




def lock_certificate(actor: User, certificate_id, expected_version: int | None = None):
    """Lock the certificate's order and shipment (404 outside the actor's orders), then the
    certificate (409 on a stale version)."""
    shipment_id = CertificateItem.objects.filter(pk=id_or_zero(certificate_id)).values_list("shipment_id", flat=True).first()
    order, shipment = lock_shipment(actor, shipment_id if shipment_id is not None else 0)
    certificate = lock_row(CertificateItem.objects.filter(shipment=shipment), id_or_zero(certificate_id),
                           expected_version=expected_version, not_found="No such certificate.")
    certificate.shipment = shipment
    return order, certificate


def _save(certificate: CertificateItem, fields: list[str]) -> None:
    certificate.version += 1
    certificate.save(update_fields=[*fields, "version", "updated_at"])


# --- add ---------------------------------------------------------------------------------------


def certificate_add(*, actor: User, shipment_id, kind: str, origin_form: str = "", issuer: str = "",
                    needed_by=None, notes: str = "") -> CertificateItem:
    """A certificate the shipment needs: its kind (a C/O with its form), who issues it, by when."""
    require(actor, ADD)
    errors = FieldErrors()
    kind = str(kind or "")
    if kind not in CERTIFICATE_KINDS:
        errors.add("kind", _("Choose a certificate: %(kinds)s.") % {
            "kinds": ", ".join(str(DocumentKind(k).label) for k in CERTIFICATE_KINDS)})
    origin_form = str(origin_form or "")
    if kind == DocumentKind.CERTIFICATE_OF_ORIGIN:
        if origin_form not in CertificateItem.Form.values:
            errors.add("origin_form", _("Choose the form of the certificate of origin."))
    else:
        origin_form = ""
    issuer = str(issuer or "").strip()
    if len(issuer) > CertificateItem._meta.get_field("issuer").max_length:
        errors.add("issuer", _("At most %(n)d characters.") % {"n": CertificateItem._meta.get_field("issuer").max_length})
    try:
        due = parse_date(needed_by, field="needed_by")
    except ValidationFailed as exc:
        errors.add("needed_by", exc.fields["needed_by"][0], CoreError.INVALID_DATE)
        due = None
    errors.raise_any()
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id)
        certificate = CertificateItem.objects.create(
            shipment=shipment, kind=kind, origin_form=origin_form, issuer=issuer, needed_by=due,
            notes=str(notes or "").strip()[:MAX_TEXT])
        certificate.shipment = shipment
        publish(CertificateAdded(actor=actor, order=order, certificate=certificate))
    return certificate


# --- applied -----------------------------------------------------------------------------------


def certificate_apply(*, actor: User, certificate_id, applied_on, expected_version: int | None = None
                      ) -> CertificateItem:
    """The certificate was applied for on ``applied_on`` (not in the future)."""
    require(actor, CHANGE)
    errors = FieldErrors()
    day = collect_past_date(applied_on, field="applied_on", errors=errors, required=True)
    errors.raise_any()
    with transaction.atomic():
        order, certificate = lock_certificate(actor, certificate_id, expected_version)
        if certificate.status != S.NEEDED:
            raise TransitionNotAllowed(_("The %(kind)s is already %(status)s.") % {
                "kind": certificate.get_kind_display(), "status": certificate.get_status_display()})
        certificate.status, certificate.applied_on = S.APPLIED, day
        _save(certificate, ["status", "applied_on"])
        publish(CertificateApplied(actor=actor, order=order, certificate=certificate, changes={
            "status": {"old": S.NEEDED, "new": S.APPLIED, "model": "exportdocs.certificateitem"}}))
    return certificate


# --- received ----------------------------------------------------------------------------------


def certificate_file_check(upload: UploadedFile) -> str:
    """The certificate's file: the documents app's rules (size, type by its content), and only a
    PDF (that starts with ``%PDF-`` and ends with ``%%EOF``) or an image Pillow opens. Returns
    the MIME type; raises ``ValidationFailed`` (``fields``: file)."""
    ext = os.path.splitext(getattr(upload, "name", "") or "")[1].lower().lstrip(".")
    if ext != "pdf" and ext not in IMAGE_TYPES:
        msg = _("A certificate is uploaded as a PDF or an image (.pdf, .jpg, .png …), not “.%(ext)s”.") % {
            "ext": ext or "?"}
        raise ValidationFailed(msg, code=ExportDocsError.CERTIFICATE_FILE_TYPE, fields={"file": msg})
    try:
        mime = validate_upload(upload)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, code=ExportDocsError.CERTIFICATE_FILE_TYPE,
                               fields={"file": exc.fields.get("file", [str(exc.message)])}) from None
    if mime == "application/pdf":
        upload.seek(max(0, upload.size - PDF_TAIL))
        tail = upload.read(PDF_TAIL)
        upload.seek(0)
        if b"%%EOF" not in tail:
            msg = _("“%(name)s” is not a complete PDF file.") % {"name": upload.name}
            raise ValidationFailed(msg, code=ExportDocsError.CERTIFICATE_FILE_TYPE, fields={"file": msg})
    return mime


def _data_value(kind: str, raw, field: str, errors: FieldErrors):
    path = f"data.{field}"
    if raw in (None, ""):
        return None
    if kind == FLAG:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        errors.add(path, _("Enter yes or no."))
        return None
    if kind == TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            errors.add(path, _("At most %(n)d characters.") % {"n": MAX_TEXT})
            return None
        return text
    if kind == CURRENCY:
        text = str(raw).strip().upper()
        if len(text) != 3 or not text.isalpha():
            errors.add(path, _("Enter a currency code (three letters, e.g. USD)."))
            return None
        return text
    if kind == DATE:
        try:
            return parse_date(raw, field=path).isoformat()
        except ValidationFailed as exc:
            errors.add(path, exc.fields[path][0], CoreError.INVALID_DATE)
            return None
    try:
        number = Decimal(str(raw).strip().replace(",", "")[:30])
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        errors.add(path, _("Enter a number from 0 to %(max)s.") % {"max": "999999999999"})
        return None
    if kind == COUNT:
        if number != number.to_integral_value():
            errors.add(path, _("Enter a whole number."))
            return None
        return int(number)
    return format(number.normalize(), "f") if number == number.to_integral_value() else str(number)


def certificate_data(kind: str, data: Mapping | None) -> dict:
    """The data read from a certificate received, checked: for a C/O its goods description,
    packages, marks and whether it is signed; for an insurance certificate its currency, insured
    amount and date. Other kinds keep none."""
    spec = CERTIFICATE_DATA_FIELDS.get(kind, {})
    errors = FieldErrors()
    raw = data or {}
    if not isinstance(raw, Mapping):
        raise ValidationFailed(_("Expected an object."), fields={"data": _("Expected an object.")})
    out = {}
    for field, reader in spec.items():
        value = _data_value(reader, raw.get(field), field, errors)
        if value is not None:
            out[field] = value
    errors.raise_any()
    return out


def certificate_receive(*, actor: User, certificate_id, received_on, certificate_no: str, upload: UploadedFile,
                        data: Mapping | None = None, expected_version: int | None = None) -> CertificateItem:
    """The certificate arrived: its date (not before it was applied for, not in the future), its
    no., its file (a real PDF or image, stored with the order's files) and what it says (``data``,
    ``certificate_data``). Nothing is saved when anything is wrong."""
    require(actor, CHANGE)
    errors = FieldErrors()
    day = collect_past_date(received_on, field="received_on", errors=errors, required=True)
    number = str(certificate_no or "").strip()
    if not number:
        errors.add("certificate_no", _("Enter the certificate no."))
    elif len(number) > CertificateItem._meta.get_field("certificate_no").max_length:
        errors.add("certificate_no", _("At most %(n)d characters.") % {
            "n": CertificateItem._meta.get_field("certificate_no").max_length})
    if upload is None:
        errors.add("file", _("Upload the certificate (a PDF or an image)."), ExportDocsError.CERTIFICATE_FILE_TYPE)
    errors.raise_any()
    certificate_file_check(upload)
    with transaction.atomic():
        order, certificate = lock_certificate(actor, certificate_id, expected_version)
        if certificate.status not in (S.NEEDED, S.APPLIED):
            raise TransitionNotAllowed(_("The %(kind)s is already %(status)s.") % {
                "kind": certificate.get_kind_display(), "status": certificate.get_status_display()})
        if certificate.applied_on and day < certificate.applied_on:
            msg = _("Received on %(received)s, before it was applied for (%(applied)s).") % {
                "received": day.isoformat(), "applied": certificate.applied_on.isoformat()}
            raise ValidationFailed(msg, code=ExportDocsError.RECEIVED_BEFORE_APPLIED, fields={"received_on": msg})
        content = certificate_data(certificate.kind, data)
        attachment = attachment_add(actor=actor, owner=order, upload=upload, kind=Attachment.Kind.REPORT,
                                    description=f"{certificate.get_kind_display()} {number}"[:200],
                                    change_perm=CHANGE)
        old = certificate.status
        certificate.status, certificate.received_on, certificate.certificate_no = S.RECEIVED, day, number
        certificate.attachment, certificate.data = attachment, content
        _save(certificate, ["status", "received_on", "certificate_no", "attachment", "data"])
        publish(CertificateReceived(actor=actor, order=order, certificate=certificate, changes={
            "status": {"old": old, "new": S.RECEIVED, "model": "exportdocs.certificateitem"}}))
    return certificate


# --- checked -----------------------------------------------------------------------------------


def certificate_check(*, actor: User, certificate_id, expected_version: int | None = None) -> CertificateItem:
    """Someone read the certificate received against the set: checked (by, at)."""
    require(actor, CHANGE)
    with transaction.atomic():
        order, certificate = lock_certificate(actor, certificate_id, expected_version)
        if certificate.status != S.RECEIVED:
            raise TransitionNotAllowed(
                _("Only a certificate received is checked (this one is %(status)s).") % {
                    "status": certificate.get_status_display()}, code=ExportDocsError.CERTIFICATE_NOT_RECEIVED)
        certificate.status, certificate.checked_at, certificate.checked_by = S.CHECKED, timezone.now(), actor
        _save(certificate, ["status", "checked_at", "checked_by"])
        publish(CertificateChecked(actor=actor, order=order, certificate=certificate, changes={
            "status": {"old": S.RECEIVED, "new": S.CHECKED, "model": "exportdocs.certificateitem"}}))
    return certificate
