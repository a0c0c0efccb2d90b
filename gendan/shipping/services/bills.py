"""Bills of lading (提单): the forwarder's draft is entered as it reads and checked against the
shipment (what the B/L must say: ``bill_expected``), confirmed — with the reason when a
difference is acceptable, e.g. the consignee the L/C prescribes —, issued by the carrier (B/L
no., on-board date, originals) and released to the customer (originals, telex release,
surrender; a sea or air waybill as a waybill) only when the terms allow. The steps are in
``shipping/workflows.py`` (``BILL``) and docs/workflows/shipping.md.

An ocean B/L, a sea waybill or an air waybill (air: no vessel, no containers; the flight no. is
kept as the voyage). Issuing the bill gives the shipment its B/L no., on-board date (the actual
ETD), vessel / voyage, and the deadline of the shipping advice (``ADVICE_DUE_HOURS`` after the
B/L date, setting ``GENDAN_SHIPPING_ADVICE_DUE_HOURS``). The T&A completes "ETD" from it.

``order_release_bills`` is the order-level "release the original B/L" (it replaces the sales
order's own release): it releases every issued bill of the order's shipped shipments, and for an
order shipped before bills were kept (no bill at all) it records the release on the order as
before. Once every shipped shipment's bill is released the order's ``original_bl_released_at``
is set and the sales event ``OriginalBLReleased`` published (finance and the T&A read them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.guards import id_or_zero, parse_date, reason_required, refuse, require
from gendan.core.services import check_version, lock_row
from gendan.documents.pdf.company import company
from gendan.sales.events import OriginalBLReleased
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import BillConfirmed, BillDraftReceived, BillIssued, BillReleased
from gendan.shipping.models import BillOfLading, Booking, Container, ContainerLine, Shipment
from gendan.shipping.packing import line_cartons, product_cbm, product_gross_kg
from gendan.shipping.rules import (
    BILL_KINDS_FOR_MODE,
    WAYBILLS,
    bill_draft_check,
    bill_issue_check,
    bill_release_check,
    order_bills_release_check,
    release_kinds,
)
from gendan.shipping.workflows import BILL

BL = BillOfLading.Status
K = BillOfLading.Kind
CHANGE = "shipping.change_billoflading"
RELEASE = "shipping.release_billoflading"
# The shipping advice is due this many hours after the B/L date (00:00 company time), the usual
# L/C clause ("within 48 hours of the B/L date"); a deployment changes it with the setting
# GENDAN_SHIPPING_ADVICE_DUE_HOURS. (A per-customer or per-credit period is for the L/C issue.)
ADVICE_DUE_HOURS = 48
# Differences that are not differences: a weight within half a kilogram, a volume within a litre.
GROSS_KG_TOLERANCE = Decimal("0.5")
CBM_TOLERANCE = Decimal("0.001")
MAX_ORIGINALS = 3

# The fields of the draft a merchandiser types, as the forwarder's draft reads.
TEXT_FIELDS = ("bl_no", "shipper", "consignee", "notify_party", "port_of_loading", "port_of_discharge",
               "place_of_delivery", "vessel", "voyage", "marks", "description", "containers", "freight")
# The fields checked against the shipment (``bill_expected``), in the order of the B/L's boxes.
CHECKED_FIELDS = ("shipper", "consignee", "notify_party", "port_of_loading", "port_of_discharge", "vessel",
                  "voyage", "marks", "packages", "gross_kg", "cbm", "containers")
SAME_AS_CONSIGNEE = "same as consignee"


def advice_due_hours() -> int:
    return int(getattr(settings, "GENDAN_SHIPPING_ADVICE_DUE_HOURS", ADVICE_DUE_HOURS))


# --- what the B/L must say ------------------------------------------------------------------


def _party(name: str, address: str) -> str:
    return "\n".join(part.strip() for part in (name, address) if part and part.strip())


def shipper_expected() -> str:
    """Our company, as it signs its export documents (English name and address)."""
    seller = company()
    return _party(str(seller.get("name_en") or ""), str(seller.get("address_en") or ""))


# Who else may say what the consignee must be: ``fn(order) -> str | None`` (the first wording
# given wins). Export documents registers the credit's ("TO ORDER OF <bank>") for L/C orders.
_CONSIGNEE_PROVIDERS: list = []


def register_consignee_provider(fn) -> None:
    """Let a higher app prescribe the B/L consignee of an order (idempotent)."""
    if fn not in _CONSIGNEE_PROVIDERS:
        _CONSIGNEE_PROVIDERS.append(fn)


def _customer_party(order: SalesOrder) -> str:
    customer = order.customer
    return _party(customer.name_en or customer.display_name, customer.address)


def consignee_expected(order: SalesOrder) -> str:
    """The consignee the B/L must name: the order's customer — unless a registered provider
    prescribes another wording (under an L/C the credit does: "TO ORDER", "TO ORDER OF <bank>").
    A B/L made out otherwise as the credit says is confirmed with that reason."""
    for provider in _CONSIGNEE_PROVIDERS:
        wording = provider(order)
        if wording:
            return wording
    return _customer_party(order)


def notify_expected(order: SalesOrder) -> str:
    """The notify party: the customer (a draft saying "SAME AS CONSIGNEE" matches when the
    consignee is the customer too)."""
    return _customer_party(order)


def sailing_booking(shipment: Shipment) -> Booking | None:
    """The confirmed booking the goods sail on: the one linked to the shipment, else the order's
    earliest confirmed booking."""
    confirmed = Booking.objects.filter(status=Booking.Status.CONFIRMED)
    return (confirmed.filter(shipment=shipment).order_by("etd", "id").first()
            or confirmed.filter(order_id=shipment.order_id).order_by("etd", "id").first())


def live_containers(shipment: Shipment) -> list[Container]:
    return list(shipment.containers.exclude(status=Container.Status.CANCELLED).prefetch_related("lines")
                .order_by("id"))


def container_text(container: Container) -> str:
    """ "CSQU3054383 / SEAL 123456, 40HQ" """
    seal = f" / SEAL {container.seal_no}" if container.seal_no else ""
    return f"{container.container_no}{seal}, {container.container_type}"


def bill_expected(shipment: Shipment) -> dict:
    """What the B/L must say, from the shipment: shipper (our company), consignee and notify party
    (the order's customer), ports (the shipment's, else the order's), vessel / voyage (the
    confirmed booking), marks (the order's shipping marks), packages (the cartons loaded into the
    shipment's live containers, else its lines' cartons), gross weight and CBM (the containers'
    lines, else the lines' cartons by the product's export carton) and the containers with their seals, one a line. ``None`` or "": not known, not checked."""
    order = shipment.order
    booking = sailing_booking(shipment) if shipment.transport_mode != Shipment.Mode.AIR else None
    containers = live_containers(shipment) if shipment.transport_mode != Shipment.Mode.AIR else []
    lines = [line for c in containers for line in c.lines.all()]
    gross = cbm = None
    if lines:
        packages = sum(line.cartons for line in lines)
        gross = sum((line.gross_kg for line in lines), Decimal(0))
        cbm = sum((line.cbm for line in lines), Decimal(0))
    else:  # LCL, air, courier: the lines' cartons by the product's export carton, where every line has it
        planned = list(shipment.lines.select_related("order_line__product"))
        products = [line.order_line.product for line in planned]
        # The cartons counted on the line, else the quantity over the product's units per carton
        # (as the packing list counts them, shipping.packing).
        cartons = [line.cartons or line_cartons(line.quantity, p) for p, line in zip(products, planned, strict=True)]
        packages = sum(cartons) if cartons and all(c is not None for c in cartons) else None
        if packages is not None and all(p is not None and p.gross_weight_kg and p.carton_cbm for p in products):
            # A part carton weighs what it holds (shipping.packing): the packing list's figures.
            gross = sum((product_gross_kg(p, line.quantity, n)
                         for p, line, n in zip(products, planned, cartons, strict=True)), Decimal(0))
            cbm = sum((product_cbm(p, line.quantity, n) for p, line, n in zip(products, planned, cartons, strict=True)),
                      Decimal(0))
    return {
        "shipper": shipper_expected(),
        "consignee": consignee_expected(order),
        "notify_party": notify_expected(order),
        "port_of_loading": shipment.port_of_loading or order.port_of_loading,
        "port_of_discharge": shipment.port_of_destination or order.port_of_destination,
        "vessel": booking.vessel if booking else "",
        "voyage": booking.voyage if booking else "",
        "marks": order.shipping_marks,
        "packages": packages,
        "gross_kg": gross,
        "cbm": cbm,
        "containers": "\n".join(container_text(c) for c in containers),
    }


# --- comparing the draft with it -------------------------------------------------------------

_CONTAINER_NO = re.compile(r"\b([A-Z]{4})\s?(\d{6,7})\b")
_SEAL = re.compile(r"SEAL\s*(?:NO\.?)?\s*[:#.]?\s*([A-Z0-9][A-Z0-9-]*)")


def _text(value) -> str:
    """Text as compared: case and whitespace (line breaks included) do not count."""
    return " ".join(str(value or "").split()).casefold()


def container_pairs(text: str) -> set[tuple[str, str]]:
    """The (container no., seal no.) pairs of a "containers and seals" box, one container a line
    ("CSQU3054383 / SEAL 123456, 40HQ", "CSQU3054383/123456/40HQ" …)."""
    pairs = set()
    for raw in re.split(r"[\n;]+", str(text or "").upper()):
        found = _CONTAINER_NO.search(raw)
        if not found:
            continue
        number = found.group(1) + found.group(2)
        rest = raw[found.end():]
        seal = _SEAL.search(rest)
        if seal:
            seal_no = seal.group(1)
        else:
            tokens = [t for t in re.split(r"[\s/,]+", rest) if t and t not in ("20GP", "40GP", "40HQ", "45HQ")]
            seal_no = tokens[0] if tokens else ""
        pairs.add((number, seal_no))
    return pairs


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _same(field: str, expected, found, consignee_found: str) -> bool:
    if field in ("gross_kg", "cbm"):
        if found is None:
            return False
        tolerance = GROSS_KG_TOLERANCE if field == "gross_kg" else CBM_TOLERANCE
        return abs(Decimal(expected) - Decimal(found)) <= tolerance
    if field == "packages":
        return found is not None and int(expected) == int(found)
    if field == "containers":
        return container_pairs(expected) == container_pairs(found)
    if field == "notify_party" and _text(found) == SAME_AS_CONSIGNEE:
        return _text(consignee_found) == _text(expected)
    return _text(expected) == _text(found)


def bill_differences(bill: BillOfLading, expected: Mapping) -> list[dict]:
    """``[{"field", "expected", "found"}]``: the checked fields where the draft says something
    else than the shipment (a field the shipment does not know is not checked). An air waybill
    has no vessel and no containers."""
    rows = []
    for field in CHECKED_FIELDS:
        if bill.kind == K.AIR_WAYBILL and field in ("vessel", "voyage", "containers"):
            continue
        want = expected.get(field)
        if want is None or want == "":
            continue
        found = getattr(bill, field)
        if not _same(field, want, found, bill.consignee):
            rows.append({"field": field, "expected": _shown(want), "found": _shown(found)})
    return rows


# --- reading what the merchandiser typed --------------------------------------------------------


def _number(data: Mapping, field: str, errors: dict, *, places: int, digits: int) -> Decimal | None:
    raw = data.get(field)
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "")[:40])
    except (ArithmeticError, ValueError):
        value = None
    # compare before quantizing: Decimal("1e999999999").quantize() would raise, int() would hang
    if value is None or not value.is_finite() or value < 0 or value >= Decimal(10) ** (digits - places):
        errors[field] = _("Enter a number from 0 to %(max)s.") % {"max": "9" * (digits - places)}
        return None
    return value.quantize(Decimal(1).scaleb(-places))


def _whole(raw, field: str, errors: dict, *, low: int, high: int) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip()[:20])
        whole = value.is_finite() and low <= value <= high and value == value.to_integral_value()
    except (ArithmeticError, ValueError):
        whole = False
    if not whole:
        errors[field] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    return int(value)


def _apply_draft(bill: BillOfLading, data: Mapping, errors: dict) -> None:
    """Put the draft's fields on ``bill`` (not saved): each text as typed (stripped), the numbers
    checked; a field not given is blank (a new draft is entered whole)."""
    for field in TEXT_FIELDS:
        value = str(data.get(field) or "").strip()
        limit = BillOfLading._meta.get_field(field).max_length
        if limit and len(value) > limit:
            errors[field] = _("At most %(n)d characters.") % {"n": limit}
            continue
        setattr(bill, field, value)
    bill.packages = _whole(data.get("packages"), "packages", errors, low=0, high=10_000_000)
    bill.gross_kg = _number(data, "gross_kg", errors, places=2, digits=11)
    bill.cbm = _number(data, "cbm", errors, places=3, digits=9)
    try:
        bill.draft_received_on = parse_date(data.get("draft_received_on"), field="draft_received_on") \
            or timezone.localdate()
    except ValidationFailed as exc:
        errors.update(exc.fields)


def _raise(errors: dict, code=CoreError.VALIDATION_FAILED) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values())), code=code, fields=dict(errors))




def lock_shipment(actor: User, shipment_id) -> tuple[SalesOrder, Shipment]:
    """Lock the shipment's sales order (404 outside the actor's orders), then the shipment."""
    order_id = Shipment.objects.filter(pk=id_or_zero(shipment_id)).values_list("order_id", flat=True).first()
    order = lock_order(actor, order_id if order_id is not None else 0)
    shipment = lock_row(Shipment.objects.filter(order=order), id_or_zero(shipment_id), not_found="No such shipment.")
    shipment.order = order
    return order, shipment


def _lock_bill(actor: User, bill_id, expected_version: int | None) -> tuple[SalesOrder, BillOfLading]:
    """Lock the bill's sales order, its shipment, then the bill (refusing a stale version)."""
    shipment_id = BillOfLading.objects.filter(pk=id_or_zero(bill_id)).values_list("shipment_id", flat=True).first()
    order, shipment = lock_shipment(actor, shipment_id if shipment_id is not None else 0)
    bill = lock_row(BillOfLading.objects.filter(shipment=shipment), id_or_zero(bill_id), not_found="No such bill.")
    check_version(bill, expected_version)
    bill.shipment = shipment
    return order, bill


# --- the use cases ---------------------------------------------------------------------------


def bill_draft_receive(*, actor: User, shipment_id: int, data: Mapping, kind: str = K.OCEAN,
                       expected_version: int | None = None) -> BillOfLading:
    """Enter the forwarder's draft of the shipment's B/L (``data``: the draft's fields as it reads
    them — shipper, consignee, notify_party, ports, vessel, voyage, marks, packages, gross_kg, cbm,
    containers …) and check it against ``bill_expected``: the differences are kept on the bill and
    listed. The first draft creates the bill; a corrected draft of a bill still in draft replaces
    it (``draft_no`` + 1). ``expected_version`` is the bill's (for a new draft)."""
    require(actor, CHANGE)
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id)
        bill = BillOfLading.objects.select_for_update().filter(shipment=shipment).first()
        refuse(bill_draft_check(shipment, bill))
        if bill is not None:
            check_version(bill, expected_version)
        kind = str(kind or K.OCEAN)
        if kind not in BILL_KINDS_FOR_MODE.get(shipment.transport_mode, ()):
            allowed = ", ".join(str(K(k).label) for k in BILL_KINDS_FOR_MODE.get(shipment.transport_mode, ()))
            msg = _("A shipment by %(mode)s travels on: %(kinds)s.") % {
                "mode": shipment.get_transport_mode_display(), "kinds": allowed}
            raise ValidationFailed(msg, code=ShippingError.BILL_KIND_MISMATCH, fields={"kind": msg})
        creating = bill is None
        if creating:
            bill = BillOfLading(shipment=shipment, draft_no=1)
        else:
            bill.draft_no += 1
            bill.version += 1
        bill.kind = kind
        errors: dict = {}
        _apply_draft(bill, data, errors)
        if kind == K.AIR_WAYBILL:
            bill.vessel, bill.containers = "", ""
        _raise(errors)
        bill.status = BL.DRAFT
        bill.differences = bill_differences(bill, bill_expected(shipment))
        bill.checked_at, bill.checked_by = timezone.now(), actor
        bill.save()
        bill.shipment = shipment
        publish(BillDraftReceived(actor=actor, order=order, bill=bill))
    return bill


def bill_confirm(*, actor: User, bill_id: int, accept_reason: str = "",
                 expected_version: int | None = None) -> BillOfLading:
    """Confirm the draft to the forwarder. Refused while differences remain, unless
    ``accept_reason`` says why they are acceptable (e.g. "consignee as the L/C requires"): the
    reason goes on the timeline."""
    require(actor, CHANGE)
    with transaction.atomic():
        order, bill = _lock_bill(actor, bill_id, expected_version)
        refuse(BILL.check(bill, BL.CONFIRMED))
        reason = ""
        if bill.differences:
            if not (accept_reason or "").strip():
                fields = ", ".join(str(BillOfLading._meta.get_field(d["field"]).verbose_name)
                                   for d in bill.differences)
                msg = _("The draft differs from the shipment in: %(fields)s. Have the forwarder correct it, or "
                        "say why the differences are acceptable.") % {"fields": fields}
                raise ValidationFailed(msg, code=ShippingError.BILL_DIFFERENCES, fields={"accept_reason": msg})
            reason = reason_required(accept_reason, _("accepting the differences"), field="accept_reason")
        old = bill.status
        BILL.move(bill, BL.CONFIRMED)
        bill.version += 1
        bill.save(update_fields=["status", "version", "updated_at"])
        publish(BillConfirmed(actor=actor, order=order, bill=bill, reason=reason, changes={
            "status": {"old": old, "new": BL.CONFIRMED, "model": "shipping.billoflading"}}))
    return bill


def bill_issue(*, actor: User, bill_id: int, bl_no: str, on_board_on: dt.date | str,
               issued_on: dt.date | str | None = None, originals: int | str = MAX_ORIGINALS,
               expected_version: int | None = None) -> BillOfLading:
    """The carrier issued the bill: its no., the on-board date (not in the future, not before the
    ex-factory date), the issue date (default: the on-board date) and the originals (1 to 3; a
    waybill has none). The shipment takes the B/L no., on-board date, vessel / voyage and its
    actual ETD, and the shipping advice falls due ``advice_due_hours()`` after the B/L date."""
    require(actor, CHANGE)
    errors: dict = {}
    number = str(bl_no or "").strip()
    if not number:
        errors["bl_no"] = _("Enter the B/L no.")
    elif len(number) > BillOfLading._meta.get_field("bl_no").max_length:
        errors["bl_no"] = _("At most %(n)d characters.") % {"n": BillOfLading._meta.get_field("bl_no").max_length}
    on_board = issued = None
    for field, raw in (("on_board_on", on_board_on), ("issued_on", issued_on)):
        try:
            value = parse_date(raw, field=field, required=field == "on_board_on")
        except ValidationFailed as exc:
            errors.update(exc.fields)
            continue
        if field == "on_board_on":
            on_board = value
        else:
            issued = value
    with transaction.atomic():
        order, bill = _lock_bill(actor, bill_id, expected_version)
        refuse(bill_issue_check(bill))
        shipment = bill.shipment
        copies = 0 if bill.kind in WAYBILLS else _whole(originals, "originals", errors, low=1, high=MAX_ORIGINALS)
        if bill.kind not in WAYBILLS and copies is None and "originals" not in errors:
            errors["originals"] = _("Enter the number of originals (1 to %(n)d).") % {"n": MAX_ORIGINALS}
        today = timezone.localdate()
        code = CoreError.VALIDATION_FAILED
        if on_board and on_board > today:
            errors["on_board_on"] = _("The on-board date %(date)s is in the future.") % {"date": on_board}
            code = ShippingError.ON_BOARD_IN_FUTURE
        elif on_board and shipment.shipped_on and on_board < shipment.shipped_on:
            errors["on_board_on"] = _("The on-board date %(date)s is before the ex-factory date %(ex)s.") % {
                "date": on_board, "ex": shipment.shipped_on}
            code = ShippingError.ON_BOARD_BEFORE_EX_FACTORY
        issued = issued or on_board
        if issued and on_board and "on_board_on" not in errors:
            if issued > today:
                errors["issued_on"] = _("The issue date %(date)s is in the future.") % {"date": issued}
                code = ShippingError.ON_BOARD_IN_FUTURE
            elif issued < on_board:
                errors["issued_on"] = _("The B/L is issued on or after the on-board date.")
        _raise(errors, code)
        old = bill.status
        BILL.move(bill, BL.ISSUED)
        bill.bl_no, bill.on_board_on, bill.issued_on, bill.originals = number, on_board, issued, copies
        bill.version += 1
        bill.save()
        before = {"bl_no": shipment.bl_no, "on_board_on": shipment.on_board_on, "etd": shipment.etd}
        shipment.bl_no, shipment.on_board_on, shipment.etd = number, on_board, on_board
        if shipment.eta and shipment.eta < on_board:
            shipment.eta = None  # an estimate the sailing overtook; the next ETA replaces it
        voyage = " / ".join(p for p in (bill.vessel, bill.voyage) if p)
        if voyage:
            shipment.vessel_voyage = voyage[:120]
        bl_day = timezone.make_aware(dt.datetime.combine(issued, dt.time(0, 0)))
        shipment.advice_due_at = bl_day + dt.timedelta(hours=advice_due_hours())
        shipment.version += 1
        shipment.save(update_fields=["bl_no", "on_board_on", "etd", "eta", "vessel_voyage", "advice_due_at",
                                     "version", "updated_at"])
        changes = {"status": {"old": old, "new": BL.ISSUED, "model": "shipping.billoflading"}}
        for field, was in before.items():
            now = getattr(shipment, field)
            if now != was:
                changes[field] = {"old": str(was or ""), "new": str(now or ""), "model": "shipping.shipment"}
        publish(BillIssued(actor=actor, order=order, bill=bill, changes=changes))
    return bill


def _release(*, actor: User, order: SalesOrder, bill: BillOfLading, release_kind: str) -> None:
    """Release the locked, issued ``bill`` (its checks done)."""
    old = bill.status
    BILL.move(bill, BL.RELEASED)
    bill.release_kind, bill.released_at, bill.released_by = release_kind, timezone.now(), actor
    bill.version += 1
    bill.save(update_fields=["status", "release_kind", "released_at", "released_by", "version", "updated_at"])
    publish(BillReleased(actor=actor, order=order, bill=bill, changes={
        "status": {"old": old, "new": BL.RELEASED, "model": "shipping.billoflading"}}))


def _order_released(*, actor: User, order: SalesOrder, legacy: bool = False) -> None:
    """Mark the order's B/L released once every shipped shipment's bill is (``legacy``: the
    order-level release of shipments without a bill). Inside the order's lock."""
    if order.original_bl_released_at:
        return
    if not legacy:
        shipped = Shipment.objects.filter(order=order, status=Shipment.Status.SHIPPED)
        if not shipped.exists() or shipped.exclude(bill__status=BL.RELEASED).exists():
            return
    order.original_bl_released_at = timezone.now()
    order.version += 1
    order.save(update_fields=["original_bl_released_at", "version", "updated_at"])
    publish(OriginalBLReleased(actor=actor, order=order))


def _release_kind(bill: BillOfLading, release_kind: str | None) -> str:
    allowed = release_kinds(bill)
    kind = str(release_kind or allowed[0])
    if kind not in allowed:
        msg = _("A %(kind)s is released as: %(allowed)s.") % {
            "kind": bill.get_kind_display(), "allowed": ", ".join(str(BillOfLading.Release(k).label)
                                                                  for k in allowed)}
        raise ValidationFailed(msg, code=ShippingError.INVALID_RELEASE_KIND, fields={"release_kind": msg})
    return kind


def bill_release(*, actor: User, bill_id: int, release_kind: str,
                 expected_version: int | None = None) -> BillOfLading:
    """Release the issued bill to the customer: an ocean B/L as originals sent, telex release or
    surrendered; a waybill as a waybill. Only when the terms allow (the order's gates on
    ``release_original_bl``: finance's balance rule under "against copy of B/L"). The last bill of
    the order's shipped shipments released, the order's original B/L counts as released."""
    require(actor, RELEASE)
    with transaction.atomic():
        order, bill = _lock_bill(actor, bill_id, expected_version)
        refuse(bill_release_check(bill, order))
        kind = _release_kind(bill, release_kind)
        _release(actor=actor, order=order, bill=bill, release_kind=kind)
        _order_released(actor=actor, order=order)
    return bill


def order_release_bills(*, actor: User, order_id: int, release_kind: str = "",
                        expected_version: int | None = None) -> SalesOrder:
    """The order's "release the original B/L": release every issued bill of its shipped
    shipments (an ocean B/L as ``release_kind``, default originals; a waybill as a waybill);
    refused while one of them is still a draft. An order shipped before bills were kept (no bill
    on its shipped shipments) records the release on the order, as it always did. The gates on
    ``release_original_bl`` apply. ``expected_version`` is the order's."""
    require(actor, RELEASE)
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        bills = list(BillOfLading.objects.select_for_update(of=("self",)).select_related("shipment")
                     .filter(shipment__order=order, shipment__status=Shipment.Status.SHIPPED).order_by("id"))
        refuse(order_bills_release_check(order, bills))
        issued = [b for b in bills if b.status == BL.ISSUED]
        kinds = {b.pk: _release_kind(b, release_kind if b.kind not in WAYBILLS else None) for b in issued}
        for bill in issued:
            bill.shipment.order = order
            _release(actor=actor, order=order, bill=bill, release_kind=kinds[bill.pk])
        _order_released(actor=actor, order=order, legacy=True)
    return order


def bill_summary(shipment: Shipment) -> dict:
    """Packages, gross weight and CBM of what the shipment carries: the containers' lines (the
    issued bill's figures when there are no containers: LCL, air)."""
    lines = list(ContainerLine.objects.filter(container__shipment=shipment)
                 .exclude(container__status=Container.Status.CANCELLED))
    if lines:
        return {"packages": sum(line.cartons for line in lines),
                "gross_kg": sum((line.gross_kg for line in lines), Decimal(0)),
                "cbm": sum((line.cbm for line in lines), Decimal(0))}
    bill = getattr(shipment, "bill", None)
    cartons = [line.cartons for line in shipment.lines.all()]
    return {"packages": bill.packages if bill and bill.packages is not None else (
                sum(cartons) if cartons and all(c is not None for c in cartons) else None),
            "gross_kg": bill.gross_kg if bill else None, "cbm": bill.cbm if bill else None}
