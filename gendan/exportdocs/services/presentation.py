"""The set's check (单单一致、单证一致) on the shipment page, and a manager's acceptance of a
discrepancy.

``presentation_for(shipment)`` builds the input of ``gendan.shipping.document_check.check_presentation``
from what Gendan holds — never typed twice:

- the current generated documents (``ShipmentDocument.data``, the issue's data contract): the
  commercial invoice, the packing list, the draft; the insurance declaration as the ``insurance``
  unless an insurance certificate was received; a beneficiary's certificate for being there;
- the shipment's B/L (``shipping.BillOfLading``): signed once issued or released, the originals
  issued and presented (the planned dispatch's count, else all of them);
- the certificates received (``CertificateItem``): a C/O's goods description, packages, marks,
  signed; an insurance certificate's currency, insured amount and date; an inspection
  certificate for being there;
- the credit (``selectors.credits.credit_check_data``) when the order is paid by L/C, with the
  bank holidays of the company's calendar (weekends the check knows itself). An L/C order
  without a credit is not presented at all; other orders are checked between their documents
  only (单单一致).

``set_check(shipment)`` runs the check and marks each discrepancy a manager accepted
(``discrepancy_accept``, manager only — "No one loosens a gate alone"); ``dispatchable`` is true
when nothing open remains.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.guards import reason_required, require
from gendan.core.models import CalendarDay
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.dispatch import DiscrepancyAccepted
from gendan.exportdocs.models import DiscrepancyAcceptance, DocumentKind, LetterOfCredit
from gendan.exportdocs.selectors.credits import credit_check_data, credit_for_order, order_is_paid_by_credit
from gendan.exportdocs.selectors.dispatch import acceptances_of, current_documents, received_certificates
from gendan.shipping.document_check import check_presentation, discrepancy_label
from gendan.shipping.models import BillOfLading, Shipment
from gendan.shipping.services.bills import lock_shipment, sailing_booking

ACCEPT = "exportdocs.add_discrepancyacceptance"
BL = BillOfLading.Status

# What the check reads of each generated document (the rest of ``data`` is for the PDF).
CHECK_FIELDS: dict[str, tuple[str, ...]] = {
    "commercial_invoice": ("number", "date", "issuer", "made_out_to", "currency", "goods_description", "lines",
                           "total", "packages", "gross_weight_kg", "net_weight_kg", "marks"),
    "packing_list": ("number", "date", "packages", "gross_weight_kg", "net_weight_kg", "cbm", "marks"),
    "draft": ("number", "date", "amount", "amount_in_words", "currency"),
    "insurance": ("number", "date", "currency", "insured_amount"),
    "certificate_of_origin": ("number", "date", "goods_description", "packages", "marks", "signed"),
}
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "amount")
# Documents examined only for being there: the generated ones and the certificates received.
PRESENCE_DOCUMENTS = ("beneficiary_certificate",)
PRESENCE_CERTIFICATES = ("inspection_certificate",)
HOLIDAY_WINDOW = dt.timedelta(days=120)


def _picked(data: dict, kind: str) -> dict:
    out = {k: data[k] for k in CHECK_FIELDS[kind] if k in data and data[k] is not None}
    if kind == "commercial_invoice" and isinstance(out.get("lines"), list):
        out["lines"] = [{k: line[k] for k in LINE_FIELDS if k in line and line[k] is not None}
                        if isinstance(line, dict) else line for line in out["lines"]]
    return out


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _bill_data(shipment: Shipment, originals_presented: int | None) -> dict | None:
    """The check's ``bill_of_lading`` from the shipment's B/L (None: no bill yet)."""
    bill = BillOfLading.objects.filter(shipment=shipment).first()
    if bill is None:
        return None
    booking = sailing_booking(shipment)
    carrier = (booking.carrier if booking and booking.carrier else "") or (
        booking.forwarder.display_name if booking else "")
    data = {
        "number": bill.bl_no, "carrier": carrier, "signed": bill.status in (BL.ISSUED, BL.RELEASED),
        "vessel": " ".join(p for p in (bill.vessel, bill.voyage) if p), "port_of_loading": bill.port_of_loading,
        "port_of_discharge": bill.port_of_discharge, "marks": bill.marks,
        "originals_issued": bill.originals if bill.status in (BL.ISSUED, BL.RELEASED) else None,
        "shipment_sets": 1,
    }
    if bill.on_board_on:
        data["on_board_date"] = bill.on_board_on.isoformat()
    if bill.issued_on:
        data["date"] = bill.issued_on.isoformat()
    if bill.packages is not None:
        data["packages"] = bill.packages
    if bill.gross_kg is not None:
        data["gross_weight_kg"] = _text(bill.gross_kg)
    if bill.cbm is not None:
        data["cbm"] = _text(bill.cbm)
    if data["originals_issued"] is not None:
        data["originals_presented"] = (data["originals_issued"] if originals_presented is None
                                       else originals_presented)
    return {k: v for k, v in data.items() if v not in (None, "")}


def bank_holidays(start: dt.date, end: dt.date) -> list[str]:
    """The holidays of the company's calendar between ``start`` and ``end`` (banks closed)."""
    return [day.isoformat() for day in CalendarDay.objects.filter(
        kind=CalendarDay.Kind.HOLIDAY, date__range=(start, end)).order_by("date").values_list("date", flat=True)]


def presentation_credit(order) -> LetterOfCredit | None:
    """The credit an order's set is presented under: None for an order not paid by L/C; an L/C
    order without a credit is refused (no presentation without a credit)."""
    if not order_is_paid_by_credit(order):
        return None
    credit = credit_for_order(order)
    if credit is None:
        raise ValidationFailed(_("Order %(order)s is paid by L/C and has no credit registered: no presentation "
                                 "without a credit. Register the credit first.") % {"order": order.number},
                               code=ExportDocsError.CREDIT_MISSING, fields={"credit": _("No credit.")})
    return credit


def presentation_for(shipment: Shipment, *, presentation_date: dt.date | None = None,
                     originals_presented: int | None = None) -> dict:
    """The check's input for ``shipment``'s set as it stands (see the module's doc)."""
    order = shipment.order
    credit = presentation_credit(order)
    day = presentation_date or timezone.localdate()
    generated = current_documents(shipment)
    if not generated:
        raise BusinessError(_("Shipment %(no)s has no documents generated yet (commercial invoice, packing list "
                              "…): generate the set first.") % {"no": shipment.number},
                            code=ExportDocsError.SET_NOT_GENERATED)
    certificates = received_certificates(shipment)
    documents: dict[str, dict] = {}
    for kind in ("commercial_invoice", "packing_list", "draft"):
        if kind in generated:
            documents[kind] = _picked(generated[kind].data or {}, kind)
    bill = _bill_data(shipment, originals_presented)
    if bill is not None:
        documents["bill_of_lading"] = bill
    if DocumentKind.INSURANCE in certificates:
        documents["insurance"] = _picked(certificates[DocumentKind.INSURANCE].data or {}, "insurance")
    elif DocumentKind.INSURANCE_DECLARATION in generated:
        documents["insurance"] = _picked(generated[DocumentKind.INSURANCE_DECLARATION].data or {}, "insurance")
    if DocumentKind.CERTIFICATE_OF_ORIGIN in certificates:
        documents["certificate_of_origin"] = _picked(
            certificates[DocumentKind.CERTIFICATE_OF_ORIGIN].data or {}, "certificate_of_origin")
    for kind in PRESENCE_DOCUMENTS:
        if kind in generated:
            documents[kind] = {}
    for kind in PRESENCE_CERTIFICATES:
        if kind in certificates:
            documents[kind] = {}
    data: dict = {"presentation_date": day.isoformat(), "documents": documents}
    if credit is not None:
        data["credit"] = credit_check_data(credit)
        end = max(day, credit.expiry_date) + dt.timedelta(days=30)
        data["bank_holidays"] = bank_holidays(min(day, credit.latest_shipment_date) - HOLIDAY_WINDOW, end)
    return data


def set_check(shipment: Shipment, *, presentation_date: dt.date | None = None,
              originals_presented: int | None = None) -> dict:
    """The check of ``shipment``'s set: ``check_presentation``'s answer, each discrepancy with
    ``label`` and ``accepted`` (``{"by", "reason", "at"}`` or None), ``open`` (the discrepancies
    not accepted) and ``dispatchable`` (compliant, or every discrepancy accepted)."""
    result = check_presentation(presentation_for(shipment, presentation_date=presentation_date,
                                                 originals_presented=originals_presented))
    accepted = acceptances_of(shipment)
    for d in result["discrepancies"]:
        a = accepted.get((d["code"], d["document"], d["field"]))
        d["label"] = discrepancy_label(d["code"])
        d["accepted"] = ({"by": str(a.accepted_by), "reason": a.reason, "at": a.created_at.isoformat()}
                         if a is not None else None)
    result["open"] = [d for d in result["discrepancies"] if d["accepted"] is None]
    result["dispatchable"] = not result["open"]
    return result


def discrepancy_text(d: dict) -> str:
    where = f"{d['document']}.{d['field']}" if d.get("field") else d["document"]
    return f"{d['code']} ({where}): {d['message']}"


def discrepancy_accept(*, by: User, shipment, code: str, document: str, field: str = "", reason: str) -> (
        DiscrepancyAcceptance):
    """A manager accepts one discrepancy the set's check finds now (``code``, ``document``,
    ``field``) with ``reason``, so the set may be dispatched; on the order's timeline."""
    require(by, ACCEPT, message=_(
        "No one loosens a gate alone: only a manager accepts a discrepancy of the document set."))
    text = reason_required(reason, _("accepting the discrepancy"))
    shipment_id = getattr(shipment, "pk", shipment)
    code, document, field = str(code or "").strip(), str(document or "").strip(), str(field or "").strip()
    with transaction.atomic():
        order, locked = lock_shipment(by, shipment_id)
        result = set_check(locked)
        found = next((d for d in result["discrepancies"]
                      if (d["code"], d["document"], d["field"]) == (code, document, field)), None)
        if found is None:
            msg = _("The set's check does not find %(code)s on %(where)s now: only a discrepancy found can be "
                    "accepted.") % {"code": code or "—", "where": f"{document}.{field}" if field else document or "—"}
            raise ValidationFailed(msg, code=ExportDocsError.DISCREPANCY_NOT_FOUND, fields={"code": msg})
        acceptance, _created = DiscrepancyAcceptance.objects.update_or_create(
            shipment=locked, code=code, document=document, field=field,
            defaults={"message": found["message"], "reason": text, "accepted_by": by})
        acceptance.shipment = locked
        publish(DiscrepancyAccepted(actor=by, order=order, acceptance=acceptance, reason=text))
    return acceptance
