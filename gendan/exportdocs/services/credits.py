"""The credit register (信用证登记): a letter of credit as the bank advised it (the MT700 fields),
linked to the orders it pays; corrected, closed or cancelled. The steps are the table
``CREDIT`` below (docs/workflows/letters-of-credit.md).

Every use case is keyword-only, checks the actor's permission, validates everything before
saving anything (one ``ValidationFailed`` naming every bad field, with the code of the first
rule that refused), refuses a stale ``version`` (409) and publishes its event on the credit's
timeline and on each linked order's (``events.credits``). The field parsing here is also what
an amendment's advised changes go through (``services.amendments``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.core.errors import CoreError, FieldErrors, TransitionNotAllowed, ValidationFailed
from gendan.core.events import field_value
from gendan.core.guards import id_or_zero, parse_date, reason_required, refuse, require
from gendan.core.models import Currency
from gendan.core.money import MoneyError, to_decimal
from gendan.core.services import lock_row
from gendan.core.workflow import Workflow
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.events.credits import (
    CreditCancelled,
    CreditClosed,
    CreditReceived,
    CreditUpdated,
    credit_publish,
)
from gendan.exportdocs.models import DocumentKind, LetterOfCredit
from gendan.exportdocs.selectors.credits import credit_drawn, order_is_paid_by_credit
from gendan.parties.models import Customer, Incoterm
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset

C = LetterOfCredit.Status
ADD = "exportdocs.add_letterofcredit"
CHANGE = "exportdocs.change_letterofcredit"

_S = "gendan.exportdocs.services."
TRANSITIONS: dict[tuple[str, str], str] = {
    (C.RECEIVED, C.ACCEPTED): _S + "examination.credit_examine",  # nothing needs an amendment
    (C.RECEIVED, C.AMENDMENT_NEEDED): _S + "examination.credit_examine",  # a finding needs one
    (C.AMENDMENT_NEEDED, C.ACCEPTED): _S + "examination.credit_examine",  # examined again (after an amendment)
    (C.ACCEPTED, C.AMENDMENT_NEEDED): _S + "examination.credit_examine",
    (C.AMENDMENT_NEEDED, C.RECEIVED): _S + "credits.credit_update",  # corrected: to examine again
    (C.ACCEPTED, C.RECEIVED): _S + "credits.credit_update",
    (C.ACCEPTED, C.CLOSED): _S + "credits.credit_close",  # fully drawn or expired
    (C.AMENDMENT_NEEDED, C.CLOSED): _S + "credits.credit_close",
    (C.RECEIVED, C.CANCELLED): _S + "credits.credit_cancel",  # never used
    (C.AMENDMENT_NEEDED, C.CANCELLED): _S + "credits.credit_cancel",
    (C.ACCEPTED, C.CANCELLED): _S + "credits.credit_cancel",
}
CREDIT = Workflow("letter_of_credit", LetterOfCredit, transitions=TRANSITIONS, label=gettext_lazy("credit"),
                  doc="letters-of-credit")
LIVE = (C.RECEIVED, C.AMENDMENT_NEEDED, C.ACCEPTED)

# The kinds a credit may require (46A): the documents of an export set; the data sheets Gendan
# prints for itself (customs, origin, insurance declaration, collection instruction) are not.
REQUIRABLE_KINDS: tuple[str, ...] = tuple(k for k in DocumentKind.values if k not in (
    DocumentKind.SHIPPING_MARKS, DocumentKind.INSURANCE_DECLARATION, DocumentKind.ORIGIN_DATA,
    DocumentKind.CUSTOMS_DATA, DocumentKind.COLLECTION_INSTRUCTION))
MAX_COPIES = 10
MAX_NOTE = 500

TEXT_FIELDS = ("number", "issuing_bank", "advising_bank", "confirming_bank", "applicant", "beneficiary",
               "quantity_unit", "goods_description", "incoterm_place", "port_of_loading", "port_of_discharge",
               "expiry_place", "additional_conditions", "charges")
REQUIRED_TEXT = ("number", "issuing_bank", "applicant", "beneficiary", "goods_description")
DATE_FIELDS = ("latest_shipment_date", "expiry_date", "issued_on", "received_on")
REQUIRED_DATES = ("latest_shipment_date", "expiry_date")
CHOICE_FIELDS = {"partial_shipments": LetterOfCredit.Shipments, "transhipment": LetterOfCredit.Shipments,
                 "tenor": LetterOfCredit.Tenor, "usance_from": LetterOfCredit.UsanceFrom}
# field → (decimal places, largest value allowed, smallest)
DECIMAL_FIELDS = {"amount": (2, Decimal("1e14"), Decimal("0.01")),
                  "amount_tolerance_pct": (2, Decimal("100"), Decimal("0")),
                  "quantity": (3, Decimal("1e11"), Decimal("0.001")),
                  "unit_price": (4, Decimal("1e12"), Decimal("0")),
                  "insurance_pct": (2, Decimal("200"), Decimal("100"))}
INT_FIELDS = {"presentation_days": (1, 365), "usance_days": (0, 720)}
BOOL_FIELDS = ("about",)
# Every field of the register a person (or the bank's amendment) may set.
CREDIT_FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, *CHOICE_FIELDS, *DECIMAL_FIELDS, *INT_FIELDS, *BOOL_FIELDS,
                 "currency", "incoterm", "documents_required")
DEFAULTS = {"presentation_days": 21, "insurance_pct": Decimal("110")}


# --- parsing ---------------------------------------------------------------------------------


def _decimal(value, field: str, errors: FieldErrors) -> Decimal | None:
    places, largest, smallest = DECIMAL_FIELDS[field]
    if value in (None, ""):
        return None
    try:
        number = to_decimal(value)
    except MoneyError as exc:
        errors.add(field, str(exc), CoreError.VALIDATION_FAILED)
        return None
    if field == "amount_tolerance_pct" and number > largest:
        errors.add(field, _("A tolerance of %(pct)s %% is over 100 %%: the credit's amount may vary by at most "
                            "±100 %%.") % {"pct": f"{number.normalize():f}"}, ExportDocsError.TOLERANCE_TOO_LARGE)
        return None
    if number > largest or number < smallest:
        errors.add(field, _("Enter a number from %(min)s to %(max)s.") % {
            "min": f"{smallest.normalize():f}", "max": f"{largest.normalize():f}"}, CoreError.VALIDATION_FAILED)
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        errors.add(field, _("At most %(n)d decimal places.") % {"n": places}, CoreError.VALIDATION_FAILED)
        return None
    return number


def _whole(value, low: int, high: int) -> int | None:
    """``value`` as a whole number from ``low`` to ``high``, or None."""
    try:
        number = Decimal(str(value).strip()[:20])
        if number.is_finite() and low <= number <= high and number == number.to_integral_value():
            return int(number)
    except (ArithmeticError, ValueError, TypeError):
        pass
    return None


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def documents_required_parse(value, errors: FieldErrors) -> list[dict]:
    """46A as rows ``{"kind", "originals", "copies", "note"}`` (a bare kind is one original).
    Each kind one of ``REQUIRABLE_KINDS``, counts whole numbers from 0 to 10."""
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        errors.add("documents_required", _("List the documents the credit requires."), CoreError.VALIDATION_FAILED)
        return []
    if len(value) > MAX_DOCUMENTS:
        errors.add("documents_required", _("At most %(n)d documents.") % {"n": MAX_DOCUMENTS},
                   CoreError.VALIDATION_FAILED)
        return []
    rows = []
    for i, raw in enumerate(value):
        row = {"kind": raw} if isinstance(raw, str) else raw
        field = f"documents_required.{i}"
        if not isinstance(row, Mapping):
            errors.add(field, _("A document required is a kind with its counts."), CoreError.VALIDATION_FAILED)
            continue
        kind = str(row.get("kind") or "").strip().lower()
        if kind not in REQUIRABLE_KINDS:
            errors.add(f"{field}.kind", _("“%(kind)s” is not a document Gendan knows (%(kinds)s).") % {
                "kind": str(row.get("kind") or "")[:40], "kinds": ", ".join(REQUIRABLE_KINDS)},
                ExportDocsError.UNKNOWN_DOCUMENT_KIND)
            continue
        counts = {}
        for name, default in (("originals", 1), ("copies", 0)):
            raw_count = row.get(name)
            count = default if raw_count in (None, "") else _whole(raw_count, 0, MAX_COPIES)
            if count is None:
                errors.add(f"{field}.{name}", _("The number of %(what)s must be a whole number from 0 to %(n)d.") % {
                    "what": _("originals") if name == "originals" else _("copies"), "n": MAX_COPIES},
                    CoreError.VALIDATION_FAILED)
            counts[name] = count
        note = str(row.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            errors.add(f"{field}.note", _("At most %(n)d characters.") % {"n": MAX_NOTE}, CoreError.VALIDATION_FAILED)
        rows.append({"kind": kind, **counts, "note": note[:MAX_NOTE]})
    return rows


def credit_fields_apply(credit: LetterOfCredit, data: Mapping, errors: FieldErrors) -> None:
    """Put the register fields given in ``data`` on ``credit`` (parsed; not saved). Absent keys
    stay as they are; a field Gendan does not know is refused."""
    for name in sorted(set(data) - set(CREDIT_FIELDS)):
        errors.add(name, _("“%(field)s” is not a field of the credit.") % {"field": str(name)[:40]},
                   CoreError.VALIDATION_FAILED)
    for name in CREDIT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in TEXT_FIELDS:
            text = str(value if value is not None else "").strip()
            limit = LetterOfCredit._meta.get_field(name).max_length
            if limit and len(text) > limit:
                errors.add(name, _("At most %(n)d characters.") % {"n": limit}, CoreError.VALIDATION_FAILED)
                continue
            if name == "number":
                text = text.upper()
            setattr(credit, name, text)
        elif name in DATE_FIELDS:
            if name == "received_on" and value in (None, ""):
                continue  # blank: the default (today, when registering) or the date stored
            try:
                setattr(credit, name, parse_date(value, field=name))
            except ValidationFailed as exc:
                errors.add(name, exc.fields[name][0], exc.code)
        elif name in CHOICE_FIELDS:
            code = str(value or "").strip().lower()
            if name == "usance_from" and code == "":
                credit.usance_from = ""
            elif code not in CHOICE_FIELDS[name].values:
                errors.add(name, _("Choose one of %(choices)s.") % {"choices": ", ".join(CHOICE_FIELDS[name].values)},
                           CoreError.VALIDATION_FAILED)
            else:
                setattr(credit, name, code)
        elif name in DECIMAL_FIELDS:
            number = _decimal(value, name, errors)
            setattr(credit, name, DEFAULTS[name] if number is None and name in DEFAULTS else number)
        elif name in INT_FIELDS:
            low, high = INT_FIELDS[name]
            number = DEFAULTS.get(name, low) if value in (None, "") else _whole(value, low, high)
            if number is None:
                errors.add(name, _("Enter a whole number from %(min)d to %(max)d.") % {"min": low, "max": high},
                           CoreError.VALIDATION_FAILED)
            else:
                setattr(credit, name, number)
        elif name in BOOL_FIELDS:
            setattr(credit, name, _bool(value))
        elif name == "currency":
            code = str(getattr(value, "code", value) or "").strip().upper()
            currency = Currency.objects.filter(code=code, is_active=True).first()
            if currency is None:
                errors.add("currency", _("Currency “%(code)s” does not exist or is not in use.") % {"code": code[:10]},
                           CoreError.VALIDATION_FAILED)
            else:
                credit.currency = currency
        elif name == "incoterm":
            code = str(value or "").strip().upper()
            if code and code not in Incoterm.values:
                errors.add("incoterm", _("“%(code)s” is not an Incoterm.") % {"code": code[:10]},
                           CoreError.VALIDATION_FAILED)
            else:
                credit.incoterm = code
        elif name == "documents_required":
            credit.documents_required = documents_required_parse(value, errors)


def credit_validate(credit: LetterOfCredit, errors: FieldErrors) -> None:
    """The rules between the fields of a credit (on the values applied): required fields, expiry
    not before the latest shipment, a usance credit's days, the number once per issuing bank."""
    for name in REQUIRED_TEXT:
        if not getattr(credit, name) and name not in errors:
            errors.add(name, _("This field is required."), CoreError.VALIDATION_FAILED)
    for name in REQUIRED_DATES:
        if getattr(credit, name) is None and name not in errors:
            errors.add(name, _("Enter a date."), CoreError.INVALID_DATE)
    if credit.amount is None and "amount" not in errors:
        errors.add("amount", _("Enter the credit's amount."), CoreError.VALIDATION_FAILED)
    if credit.currency_id is None and "currency" not in errors and credit.customer_id is not None:
        # (without the customer the default currency is unknown: the customer's or orders' error comes first)
        errors.add("currency", _("Choose the currency."), CoreError.VALIDATION_FAILED)
    latest, expiry = credit.latest_shipment_date, credit.expiry_date
    if latest and expiry and expiry < latest:
        errors.add("expiry_date", _("The expiry date %(expiry)s is before the latest shipment date %(latest)s: no "
                                    "presentation could comply.") % {"expiry": expiry.isoformat(),
                                                                       "latest": latest.isoformat()},
                   ExportDocsError.EXPIRY_BEFORE_LATEST_SHIPMENT)
    if credit.tenor == LetterOfCredit.Tenor.USANCE and not credit.usance_days and "usance_days" not in errors:
        # a rule between two fields (the tenor and its days, given or stored)
        errors.add("usance_days", _("A usance credit states its days (e.g. 60 days after B/L date)."),
                   CoreError.VALUES_INCONSISTENT)
    if credit.tenor == LetterOfCredit.Tenor.SIGHT:
        credit.usance_days, credit.usance_from = 0, ""
    if credit.number and credit.issuing_bank and "number" not in errors:
        taken = LetterOfCredit.objects.filter(number=credit.number, issuing_bank__iexact=credit.issuing_bank)
        if credit.pk:
            taken = taken.exclude(pk=credit.pk)
        if taken.exists():
            errors.add("number", _("%(bank)s already has a credit no. %(no)s registered.") % {
                "bank": credit.issuing_bank, "no": credit.number}, ExportDocsError.CREDIT_NUMBER_TAKEN)

MAX_ORDERS = 200  # orders one credit pays
MAX_DOCUMENTS = 30  # rows of 46A


def _ids(value) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple, set)):
        value = [value]
    value = list(value)[:MAX_ORDERS + 1]  # more than a credit pays is refused below, without a huge query
    ids = []
    for raw in value:
        raw = getattr(raw, "pk", raw)
        number = _whole(raw, 1, 2**63 - 1)
        ids.append(number or 0)
    return ids


def credit_orders_check(actor: User, credit: LetterOfCredit, order_ids: Iterable[int],
                        errors: FieldErrors) -> list[SalesOrder]:
    """The orders to link, locked: each one the actor sees, of the credit's customer, in its
    currency, paid by L/C and not cancelled."""
    ids = sorted(set(order_ids))
    if len(ids) > MAX_ORDERS:
        errors.add("orders", _("A credit pays at most %(n)d orders.") % {"n": MAX_ORDERS},
                   ExportDocsError.ORDER_NOT_BY_CREDIT)
        return []
    orders = list(order_queryset(actor).select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    if len(orders) != len(ids):
        errors.add("orders", _("An order to link is not one you can see."), ExportDocsError.ORDER_NOT_BY_CREDIT)
        return []
    for order in orders:
        problem = None
        if order.customer_id != credit.customer_id:
            problem = _("%(order)s is an order of %(customer)s, not of the credit's customer.") % {
                "order": order, "customer": order.customer.code}
        elif credit.currency_id and order.currency_id != credit.currency_id:
            problem = _("%(order)s is in %(cur)s; the credit is in %(credit_cur)s.") % {
                "order": order, "cur": order.currency_id, "credit_cur": credit.currency_id}
        elif not order_is_paid_by_credit(order):
            problem = _("%(order)s is paid by %(terms)s, not by L/C.") % {
                "order": order, "terms": order.get_payment_method_display()}
        elif order.status == SalesOrder.Status.CANCELLED:
            problem = _("%(order)s is cancelled.") % {"order": order}
        if problem:
            errors.add("orders", problem, ExportDocsError.ORDER_NOT_BY_CREDIT)
    return orders


def _save(credit: LetterOfCredit, errors: FieldErrors) -> None:
    """Save; the one race left (two people register the same number at once) is the same refusal."""
    try:
        with transaction.atomic():
            credit.save()
    except IntegrityError:
        if not LetterOfCredit.objects.filter(number=credit.number, issuing_bank=credit.issuing_bank).exists():
            raise
        errors.add("number", _("%(bank)s already has a credit no. %(no)s registered.") % {
            "bank": credit.issuing_bank, "no": credit.number}, ExportDocsError.CREDIT_NUMBER_TAKEN)
        errors.raise_any()
        raise


def lock_credit(credit: LetterOfCredit | int, version: int | None = None) -> LetterOfCredit:
    """Lock the credit's row (inside a transaction), refusing a stale ``version`` (409)."""
    return lock_row(LetterOfCredit.objects.select_related("currency", "customer"), id_or_zero(getattr(credit, "pk", credit)),
                    expected_version=version, not_found=_("No such letter of credit."))


# --- the use cases ---------------------------------------------------------------------------


def credit_register(*, by: User, data: Mapping) -> LetterOfCredit:
    """Register a credit as advised (MT700): ``data`` holds its fields, ``customer`` (id; default:
    the linked orders' customer) and ``orders`` (ids of the customer's L/C orders in the credit's
    currency). Presentation period 21 days and insurance 110 % unless given. Every linked order's
    timeline gets "L/C received: no., amount, latest shipment, expiry"."""
    require(by, ADD)
    data = dict(data)
    order_ids = _ids(data.pop("orders", None))
    customer_id = data.pop("customer", None)
    errors = FieldErrors()
    credit = LetterOfCredit(created_by=by, status=C.RECEIVED, received_on=timezone.localdate(), **DEFAULTS)
    with transaction.atomic():
        credit.customer = _customer(by, customer_id, order_ids, errors)
        missing = "customer" in errors and customer_id not in (None, "")
        if _currency_missing(data.get("currency"), errors) or missing:
            # a customer or currency that does not exist is refused alone: it is no malformed value
            # nor a broken rule, and the answer that names only it says so (the API's clients and fuzz)
            errors.raise_any()
        if "currency" not in data and credit.customer_id is not None:
            data["currency"] = _orders_currency(order_ids) or credit.customer.default_currency_id
        credit_fields_apply(credit, data, errors)
        credit_validate(credit, errors)
        orders = credit_orders_check(by, credit, order_ids, errors) if credit.customer_id else []
        errors.raise_any()
        _save(credit, errors)
        credit.orders.set(orders)
        credit_publish(CreditReceived, credit=credit, actor=by, orders=orders)
    return credit


def _customer(actor: User, customer_id, order_ids: list[int], errors: FieldErrors) -> Customer | None:
    if customer_id in (None, "") and order_ids:
        customer_id = (order_queryset(actor).filter(pk=order_ids[0]).values_list("customer_id", flat=True).first())
        if customer_id is None:  # the order to take the customer from is not one the actor sees: say so
            errors.add("orders", _("An order to link is not one you can see."), ExportDocsError.ORDER_NOT_BY_CREDIT)
            return None
    pk = _whole(getattr(customer_id, "pk", customer_id), 1, 2**63 - 1) if customer_id not in (None, "") else None
    customer = Customer.objects.filter(pk=pk).first() if pk else None
    if customer is None and customer_id not in (None, ""):
        errors.add("customer", _("Customer %(id)s does not exist.") % {"id": str(customer_id)[:20]},
                   CoreError.VALIDATION_FAILED)
    elif customer is None:
        errors.add("customer", _("Choose the customer (the credit's applicant)."), CoreError.VALIDATION_FAILED)
    return customer


def _currency_missing(value, errors: FieldErrors) -> bool:
    """A currency the body names (a code of three letters) that is not in the currency table, or not
    in use: refused by name (``credit_fields_apply`` says the same of any other value)."""
    code = str(getattr(value, "code", value) or "").strip().upper()
    if len(code) == 3 and code.isalpha() and not Currency.objects.filter(code=code, is_active=True).exists():
        errors.add("currency", _("Currency “%(code)s” does not exist or is not in use.") % {"code": code},
                   CoreError.VALIDATION_FAILED)
        return True
    return False


def _orders_currency(order_ids: list[int]) -> str | None:
    return SalesOrder.objects.filter(pk__in=order_ids).values_list("currency_id", flat=True).first() if order_ids \
        else None


def credit_snapshot(credit: LetterOfCredit) -> dict[str, str]:
    """The register fields as the timeline stores them (plain strings)."""
    values = {name: field_value(credit, name) for name in CREDIT_FIELDS if name != "documents_required"}
    values["documents_required"] = documents_required_text(credit.documents_required)
    return values


def documents_required_text(rows) -> str:
    return "; ".join(f"{r.get('kind')} {r.get('originals', 0)}/{r.get('copies', 0)}"
                     + (f" ({r['note']})" if r.get("note") else "") for r in rows or [])


def credit_changes(before: dict[str, str], credit: LetterOfCredit) -> dict:
    after = credit_snapshot(credit)
    return {name: {"old": old, "new": after[name], "model": "exportdocs.letterofcredit"}
            for name, old in before.items() if after[name] != old}


def credit_update(*, by: User, credit: LetterOfCredit | int, version: int | None, data: Mapping,
                  reason: str = "") -> LetterOfCredit:
    """Correct the register entry (a typing mistake; the bank's changes come as amendments): the
    fields in ``data`` and ``orders`` (the full list of ids) change, validated like the register.
    An examined credit goes back to "to examine" (its findings were of the old values)."""
    require(by, CHANGE)
    data = dict(data)
    order_ids = _ids(data.pop("orders")) if "orders" in data else None
    data.pop("customer", None)  # a credit's customer is its applicant: never re-assigned
    with transaction.atomic():
        credit = lock_credit(credit, version)
        if credit.status not in LIVE:
            refuse(CREDIT.check(credit, C.RECEIVED))
        errors = FieldErrors()
        if _currency_missing(data.get("currency"), errors):
            errors.raise_any()  # refused alone, as when registering
        before = credit_snapshot(credit)
        old_orders = list(credit.orders.all())
        credit_fields_apply(credit, data, errors)
        credit_validate(credit, errors)
        orders = credit_orders_check(by, credit, order_ids, errors) if order_ids is not None else old_orders
        errors.raise_any()
        changes = credit_changes(before, credit)
        linked = {o.pk for o in orders} != {o.pk for o in old_orders}
        if linked:
            changes["orders"] = {"old": ", ".join(str(o) for o in old_orders),
                                 "new": ", ".join(str(o) for o in orders), "model": "exportdocs.letterofcredit"}
        if not changes:
            return credit
        if credit.status != C.RECEIVED:
            changes["status"] = {"old": credit.status, "new": C.RECEIVED, "model": "exportdocs.letterofcredit"}
            CREDIT.move(credit, C.RECEIVED)
        credit.version += 1
        _save(credit, errors)
        if linked:
            credit.orders.set(orders)
        subjects = {o.pk: o for o in [*old_orders, *orders]}.values()
        credit_publish(CreditUpdated, credit=credit, actor=by, orders=subjects, changes=changes,
                       reason=(reason or "").strip())
    return credit


def credit_cancel(*, by: User, credit: LetterOfCredit | int, reason: str,
                  version: int | None = None) -> LetterOfCredit:
    """Cancel a credit never drawn on (registered by mistake, or replaced), with the reason."""
    require(by, CHANGE)
    text = reason_required(reason, _("cancelling the credit"))
    with transaction.atomic():
        credit = lock_credit(credit, version)
        refuse(CREDIT.check(credit, C.CANCELLED))
        if credit_drawn(credit) > 0:
            raise TransitionNotAllowed(_("Credit %(no)s has been drawn on: close it instead of cancelling it.")
                                       % {"no": credit.number})
        old = CREDIT.move(credit, C.CANCELLED)
        credit.version += 1
        credit.save(update_fields=["status", "version", "updated_at"])
        credit_publish(CreditCancelled, credit=credit, actor=by, reason=text, changes={
            "status": {"old": old, "new": C.CANCELLED, "model": "exportdocs.letterofcredit"}})
    return credit


def credit_close(*, by: User, credit: LetterOfCredit | int, reason: str,
                 version: int | None = None) -> LetterOfCredit:
    """Close a credit that is fully drawn or expired, with the reason."""
    require(by, CHANGE)
    text = reason_required(reason, _("closing the credit"))
    with transaction.atomic():
        credit = lock_credit(credit, version)
        old = CREDIT.move(credit, C.CLOSED)
        credit.version += 1
        credit.save(update_fields=["status", "version", "updated_at"])
        credit_publish(CreditClosed, credit=credit, actor=by, reason=text, changes={
            "status": {"old": old, "new": C.CLOSED, "model": "exportdocs.letterofcredit"}})
    return credit

