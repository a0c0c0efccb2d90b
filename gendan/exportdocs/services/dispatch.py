"""Dispatch of a shipment's documents (寄单 / 交单) and its result.

``documents_dispatch`` sends the set the way the order's payment terms say:

- L/C (at sight, usance) → ``bank_credit``: presented to the bank under the credit — a drawing
  of the invoice total, refused when it exceeds the credit's undrawn balance (amount with its
  tolerance, less what the credit's other presentations draw);
- D/P, D/A → ``bank_collection``: to our bank with the collection instruction (出口托收委托书,
  URC 522 Art. 4b, ``pdf/collection_instruction.py``), stored with the order's files;
- T/T, O/A → ``courier``: originals to the customer (courier, AWB no., tracking). Originals of
  the B/L go only when the terms allow (the order's gates on ``release_original_bl``: under
  "against copy of B/L" after the balance, or with the manager's override); the originals sent,
  the issued B/L counts as released to the customer (``shipping.services.bills.bill_release``).

Whatever the channel, the set goes only when its check (``presentation.set_check``) is compliant
or a manager accepted every remaining discrepancy — the refusal lists them. Numbered DS…;
``DocumentsDispatched`` completes the T&A's "documents sent".

``dispatch_result`` records what came back: paid (finance records the receipt itself), accepted
(usance / D/A: maturity date), refused (the bank's discrepancies: on the chase board of the
order's merchandiser until a new dispatch of the shipment goes or the refused one is paid after
all), delivered (courier), withdrawn. Bank results are finance's or a manager's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.guards import OK, Check, collect_past_date, id_or_zero, no, parse_date, refuse, require
from gendan.core.money import currency_info, format_amount, round_money
from gendan.core.numbering import number_next
from gendan.core.services import lock_row
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_store_generated
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.dispatch import DispatchResultRecorded, DocumentsDispatched
from gendan.exportdocs.models import DocumentDispatch, DocumentKind, LetterOfCredit
from gendan.exportdocs.pdf.collection_instruction import CollectionInstruction, render_collection_instruction
from gendan.exportdocs.selectors.credits import credit_drawn, credit_undrawn
from gendan.exportdocs.selectors.dispatch import current_documents, dispatch_kinds, received_certificates
from gendan.exportdocs.services.presentation import discrepancy_text, presentation_credit, set_check
from gendan.parties.models import PaymentMethod
from gendan.sales.gates import ORDER_GATES, RELEASE_ORIGINAL_BL
from gendan.shipping.models import BillOfLading
from gendan.shipping.rules import WAYBILLS
from gendan.shipping.services.bills import bill_release, lock_shipment

ADD = "exportdocs.add_documentdispatch"
CHANGE = "exportdocs.change_documentdispatch"
C = DocumentDispatch.Channel
S = DocumentDispatch.Status
M = PaymentMethod
BANK_RESULT_ROLES = ("finance", "manager", "admin")
MAX_COUNT = 10
# The channel the payment terms send the documents by.
CHANNEL_FOR_TERMS = {M.LC_SIGHT: C.BANK_CREDIT, M.LC_USANCE: C.BANK_CREDIT, M.DP: C.BANK_COLLECTION,
                     M.DA: C.BANK_COLLECTION}
COLLECTION_TERMS = {M.DP: "D/P", M.DA: "D/A"}
# The results a dispatch may take from each status; the channels each result belongs to.
RESULTS = {S.SENT: {S.DELIVERED, S.PAID, S.ACCEPTED, S.REFUSED, S.WITHDRAWN}, S.ACCEPTED: {S.PAID},
           S.REFUSED: {S.PAID, S.ACCEPTED, S.WITHDRAWN}, S.DELIVERED: set(), S.PAID: set(), S.WITHDRAWN: set()}
BANK = (C.BANK_CREDIT, C.BANK_COLLECTION)
RESULT_CHANNELS = {S.DELIVERED: (C.COURIER,), S.PAID: BANK, S.ACCEPTED: BANK, S.REFUSED: BANK, S.WITHDRAWN: BANK}


def channel_for(order) -> str:
    return CHANNEL_FOR_TERMS.get(order.payment_method, C.COURIER)




def _count(raw, field: str, errors: FieldErrors) -> int:
    text = str(raw if raw is not None else 0).strip() or "0"
    if not text.isdigit() or int(text) > MAX_COUNT:
        errors.add(field, _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_COUNT})
        return 0
    return int(text)


def _documents(raw, errors: FieldErrors) -> list[dict]:
    """``[{kind, originals, copies}]`` checked: known kinds, each once, counts 0–10, something sent."""
    if not isinstance(raw, (list, tuple)) or not raw:
        errors.add("documents", _("List the documents sent with their originals and copies."))
        return []
    out, seen = [], set()
    for i, item in enumerate(list(raw)[:50]):
        if not isinstance(item, Mapping):
            errors.add(f"documents[{i}]", _("Expected an object."))
            continue
        kind = str(item.get("kind") or "")
        if kind not in DocumentKind.values:
            errors.add(f"documents[{i}].kind", _("Unknown document “%(kind)s”.") % {"kind": kind[:40]})
            continue
        if kind in seen:
            errors.add(f"documents[{i}].kind", _("%(kind)s is listed twice.") % {"kind": DocumentKind(kind).label},
                       CoreError.DUPLICATE_ITEM)
            continue
        seen.add(kind)
        originals = _count(item.get("originals"), f"documents[{i}].originals", errors)
        copies = _count(item.get("copies"), f"documents[{i}].copies", errors)
        if originals or copies:
            out.append({"kind": kind, "originals": originals, "copies": copies})
    if not out and "documents" not in errors and not any(k.startswith("documents[") for k in errors):
        errors.add("documents", _("List the documents sent with their originals and copies."))
    return out


def _text(raw, field: str, errors: FieldErrors, *, limit: int, required: bool = False, what: str = "") -> str:
    value = str(raw or "").strip()
    if required and not value:
        errors.add(field, _("Enter the %(what)s.") % {"what": what})
    elif len(value) > limit:
        errors.add(field, _("At most %(n)d characters.") % {"n": limit})
    return value


def _invoice_total(documents: dict) -> Decimal | None:
    invoice = documents.get(DocumentKind.COMMERCIAL_INVOICE)
    try:
        return Decimal(str(invoice.data.get("total"))) if invoice is not None else None
    except (InvalidOperation, ValueError):
        return None


def _numbered(sent: list[dict], documents: dict, bill: BillOfLading | None, certificates: dict) -> list[dict]:
    """Each document sent with its no. (the generated version's, the B/L's, the certificate's)."""
    for item in sent:
        kind = item["kind"]
        if kind in documents:
            item["number"] = documents[kind].number
        elif kind == DocumentKind.BILL_OF_LADING and bill is not None:
            item["number"] = bill.bl_no
        elif kind in certificates:
            item["number"] = certificates[kind].certificate_no
    return sent


def originals_check(order, bill: BillOfLading | None, sent: Iterable[dict]) -> Check:
    """Originals of an ocean B/L by courier go only when the terms allow (the order's gates on
    ``release_original_bl``: under "against copy of B/L" after the balance, or overridden)."""
    originals = sum(d["originals"] for d in sent if d["kind"] == DocumentKind.BILL_OF_LADING)
    if not originals or (bill is not None and bill.kind in WAYBILLS):
        return OK
    return ORDER_GATES.check(RELEASE_ORIGINAL_BL, order)


def _channel_check(order, channel: str) -> Check:
    wanted = channel_for(order)
    if channel == wanted:
        return OK
    return no(ExportDocsError.CHANNEL_NOT_FOR_TERMS, _(
        "Order %(order)s is paid “%(terms)s”: its documents go %(wanted)s, not %(channel)s.") % {
        "order": order.number, "terms": order.get_payment_method_display(),
        "wanted": C(wanted).label, "channel": C(channel).label})


def _open_check(result: dict) -> Check:
    if result["dispatchable"]:
        return OK
    listed = "; ".join(discrepancy_text(d) for d in result["open"])
    return no(ExportDocsError.DISCREPANCIES_OPEN, _(
        "The set is not dispatched while its check finds discrepancies no manager accepted: %(list)s. Correct the "
        "documents (or have a manager accept a discrepancy with the reason).") % {"list": listed})


def _drawing_check(credit: LetterOfCredit, amount: Decimal) -> Check:
    undrawn = credit_undrawn(credit)
    if amount <= undrawn:
        return OK
    return no(ExportDocsError.DRAWING_OVER_CREDIT, _(
        "Credit %(no)s: %(drawn)s %(cur)s is drawn; %(amount)s is over its undrawn balance %(left)s (with its "
        "tolerance).") % {"no": credit.number, "cur": credit.currency_id, "drawn": format_amount(credit_drawn(credit), credit.currency_id),
                          "amount": format_amount(amount, credit.currency_id),
                          "left": format_amount(undrawn, credit.currency_id)})


def _store_instruction(*, actor: User, order, number: str, pdf: bytes) -> Attachment:
    """The collection instruction among the order's files."""
    return attachment_store_generated(actor=actor, owner=order, name=f"{number}-collection-instruction.pdf",
                                      mime="application/pdf", content=pdf,
                                      description=f"出口托收委托书 Collection instruction {number}")


def _instruction(dispatch: DocumentDispatch, order, documents: dict, bill: BillOfLading | None) -> bytes:
    customer = order.customer
    credit_days = getattr(order, "payment_days", 0) or 0
    invoice = documents.get(DocumentKind.COMMERCIAL_INVOICE)
    return render_collection_instruction(CollectionInstruction(
        number=dispatch.number, date=dispatch.sent_on, terms=dispatch.collection_terms,
        tenor_days=int(credit_days) if dispatch.collection_terms == "D/A" else 0,
        currency=dispatch.currency_id, amount=dispatch.amount, remitting_bank=dispatch.bank,
        remitting_bank_reference=dispatch.bank_reference, drawee_name=customer.name_en or customer.display_name,
        drawee_address="\n".join(p for p in (customer.address, customer.city, customer.get_country_display()) if p),
        presenting_bank=customer.bank_name, presenting_bank_swift=getattr(customer, "bank_swift", "") or "",
        documents=dispatch.documents, order_number=order.number,
        invoice_number=invoice.number if invoice is not None else "", bl_number=bill.bl_no if bill else ""))


def documents_dispatch(*, by: User, shipment, channel: str, documents, sent_on, courier: str = "",
                       awb_no: str = "", tracking_url: str = "", bank: str = "", bank_reference: str = "",
                       collection_terms: str = "", notes: str = "") -> DocumentDispatch:
    """Send the shipment's set (see the module's doc). Nothing is saved when anything is refused."""
    require(by, ADD)
    errors = FieldErrors()
    channel = str(channel or "")
    if channel not in C.values:
        errors.add("channel", _("Choose how the documents go: %(list)s.") % {
            "list": ", ".join(str(label) for label in C.labels)})
    sent = _documents(documents, errors)
    day = collect_past_date(sent_on, field="sent_on", errors=errors, required=True)
    courier = _text(courier, "courier", errors, limit=80, required=channel == C.COURIER, what=_("courier company"))
    awb_no = _text(awb_no, "awb_no", errors, limit=60, required=channel == C.COURIER, what=_("AWB no."))
    tracking_url = _text(tracking_url, "tracking_url", errors, limit=300)
    if tracking_url:
        try:
            URLValidator(schemes=["http", "https"])(tracking_url)
        except DjangoValidationError:
            errors.add("tracking_url", _("Enter the tracking link (https://…)."))
    bank = _text(bank, "bank", errors, limit=160, required=channel in BANK, what=_("bank"))
    bank_reference = _text(bank_reference, "bank_reference", errors, limit=60)
    errors.raise_any()
    shipment_id = getattr(shipment, "pk", shipment)
    with transaction.atomic():
        order, locked = lock_shipment(by, shipment_id)
        refuse(_channel_check(order, channel))
        terms = COLLECTION_TERMS.get(order.payment_method, "")
        if channel == C.BANK_COLLECTION and collection_terms and str(collection_terms).upper() != terms:
            msg = _("Order %(order)s is paid %(terms)s: the collection is %(terms)s.") % {
                "order": order.number, "terms": terms}
            raise ValidationFailed(msg, code=ExportDocsError.CHANNEL_NOT_FOR_TERMS, fields={"collection_terms": msg})
        bill = BillOfLading.objects.filter(shipment=locked).first()
        allowed = dispatch_kinds(locked)
        foreign = [d["kind"] for d in sent if d["kind"] not in allowed]
        if foreign:
            msg = _("Not among this shipment's documents: %(kinds)s.") % {
                "kinds": ", ".join(str(DocumentKind(k).label) for k in foreign)}
            raise ValidationFailed(msg, code=CoreError.RECORD_MISMATCH, fields={"documents": msg})
        if channel == C.COURIER:
            refuse(originals_check(order, bill, sent))
        presented = next((d["originals"] for d in sent if d["kind"] == DocumentKind.BILL_OF_LADING), None)
        if channel == C.COURIER and not presented:
            presented = None  # copies to the customer: the originals follow (or a telex release)
        result = set_check(locked, presentation_date=day, originals_presented=presented)
        refuse(_open_check(result))
        generated = current_documents(locked)
        amount = _invoice_total(generated) or Decimal("0")
        credit = presentation_credit(order) if channel == C.BANK_CREDIT else None
        currency_id = credit.currency_id if credit is not None else order.currency_id
        if credit is not None:
            LetterOfCredit.objects.select_for_update().filter(pk=credit.pk).first()
            refuse(_drawing_check(credit, amount))
        dispatch = DocumentDispatch(
            number=number_next(code="document_dispatch", on_date=day), shipment=locked, credit=credit,
            channel=channel, documents=_numbered(sent, generated, bill, received_certificates(locked)),
            currency_id=currency_id, amount=amount, sent_on=day, courier=courier if channel == C.COURIER else "",
            awb_no=awb_no if channel == C.COURIER else "", tracking_url=tracking_url,
            bank=bank if channel in BANK else "", bank_reference=bank_reference if channel in BANK else "",
            collection_terms=terms if channel == C.BANK_COLLECTION else "", notes=str(notes or "").strip()[:2000],
            sent_by=by)
        dispatch.save()
        if channel == C.BANK_COLLECTION:
            pdf = _instruction(dispatch, order, generated, bill)
            dispatch.instruction = _store_instruction(actor=by, order=order, number=dispatch.number, pdf=pdf)
            dispatch.save(update_fields=["instruction"])
        dispatch.shipment = locked
        publish(DocumentsDispatched(actor=by, order=order, dispatch=dispatch))
        if channel == C.COURIER and presented and bill is not None and bill.status == BillOfLading.Status.ISSUED \
                and bill.kind not in WAYBILLS:
            # the originals went to the customer: the B/L is released (the same gate, checked above)
            bill_release(actor=by, bill_id=bill.pk, release_kind=BillOfLading.Release.ORIGINALS)
    return dispatch


# --- the result --------------------------------------------------------------------------------


def lock_dispatch(actor: User, dispatch_id, expected_version: int | None = None):
    shipment_id = DocumentDispatch.objects.filter(pk=id_or_zero(dispatch_id)).values_list("shipment_id", flat=True).first()
    order, shipment = lock_shipment(actor, shipment_id if shipment_id is not None else 0)
    dispatch = lock_row(DocumentDispatch.objects.filter(shipment=shipment), id_or_zero(dispatch_id),
                        expected_version=expected_version, not_found="No such dispatch.")
    dispatch.shipment = shipment
    return order, dispatch


def may_record_bank_result(user: User) -> bool:
    return user.has_perm(CHANGE) and user.has_role(*BANK_RESULT_ROLES)


def dispatch_result(*, by: User, dispatch, status: str, result_on, paid_amount=None, maturity_date=None,
                    bank_discrepancies: str = "", notes: str = "", expected_version: int | None = None
                    ) -> DocumentDispatch:
    """Record the result of ``dispatch`` (see the module's doc)."""
    require(by, CHANGE)
    errors = FieldErrors()
    status = str(status or "")
    if status not in RESULT_CHANNELS:
        errors.add("status", _("Choose the result: %(list)s.") % {
            "list": ", ".join(str(S(s).label) for s in RESULT_CHANNELS)})
    day = collect_past_date(result_on, field="result_on", errors=errors, required=True)
    maturity = None
    if status == S.ACCEPTED:
        try:
            maturity = parse_date(maturity_date, field="maturity_date", required=True)
        except ValidationFailed as exc:
            errors.add("maturity_date", exc.fields["maturity_date"][0], CoreError.INVALID_DATE)
        if maturity and day and maturity < day:
            errors.add("maturity_date", _("The maturity date is before the acceptance."))
    paid = None
    if status == S.PAID and paid_amount not in (None, ""):
        try:
            paid = Decimal(str(paid_amount).strip().replace(",", "")[:30])
        except (InvalidOperation, ValueError):
            paid = None
        if paid is None or not paid.is_finite() or paid <= 0 or paid >= Decimal("1e14"):
            errors.add("paid_amount", _("Enter the amount paid (more than 0)."))
            paid = None
    text = str(bank_discrepancies or "").strip()
    if status == S.REFUSED and len(text) < 3:
        errors.add("bank_discrepancies", _("Enter the discrepancies the bank names (as its advice says)."))
    if len(text) > 4000:
        errors.add("bank_discrepancies", _("At most %(n)d characters.") % {"n": 4000})
    errors.raise_any()
    dispatch_id = getattr(dispatch, "pk", dispatch)
    with transaction.atomic():
        order, locked = lock_dispatch(by, dispatch_id, expected_version)
        if locked.channel in BANK and not may_record_bank_result(by):
            raise NotAllowed(_("Only finance or a manager records the bank's result of a presentation or "
                               "collection."), code=ExportDocsError.BANK_RESULT_ROLE)
        if locked.channel not in RESULT_CHANNELS[status]:
            raise TransitionNotAllowed(_("A dispatch %(channel)s cannot be “%(status)s”.") % {
                "channel": locked.get_channel_display(), "status": S(status).label})
        if status not in RESULTS[locked.status]:
            raise TransitionNotAllowed(_("Dispatch %(no)s is %(now)s: it cannot become “%(status)s”.") % {
                "no": locked.number, "now": locked.get_status_display(), "status": S(status).label})
        if day < locked.sent_on:
            msg = _("The result is dated before the documents were sent (%(sent)s).") % {"sent": locked.sent_on}
            raise ValidationFailed(msg, code=CoreError.INVALID_DATE, fields={"result_on": msg})
        if paid is not None and paid != round_money(paid, locked.currency_id):
            msg = _("%(amount)s has more decimals than %(currency)s allows (%(places)d).") % {
                "amount": paid, "currency": locked.currency_id,
                "places": currency_info(locked.currency_id).minor_unit}
            raise ValidationFailed(msg, fields={"paid_amount": msg})
        old = locked.status
        locked.status, locked.result_on = status, day
        if status == S.ACCEPTED:
            locked.maturity_date = maturity
        if status == S.PAID:
            locked.paid_amount = paid if paid is not None else locked.amount
        if status == S.REFUSED:
            locked.bank_discrepancies = text
        if notes:
            locked.notes = "\n".join(p for p in (locked.notes, str(notes).strip()[:1000]) if p)
        locked.version += 1
        locked.save()
        publish(DispatchResultRecorded(actor=by, order=order, dispatch=locked, reason=text, changes={
            "status": {"old": old, "new": status, "model": "exportdocs.documentdispatch"}}))
    return locked
