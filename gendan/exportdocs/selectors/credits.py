"""Reads of letters of credit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.guards import OK, Check, no, parse_id
from gendan.core.money import round_money
from gendan.exportdocs.errors import ExportDocsError
from gendan.exportdocs.models import DocumentDispatch, LetterOfCredit
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_scope
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope
from gendan.shipping.document_check import DOCUMENT_KINDS as CHECKED_KINDS
from gendan.shipping.models import Shipment

LC_METHODS = ("lc_sight", "lc_usance")
LIVE_STATUSES = (LetterOfCredit.Status.RECEIVED, LetterOfCredit.Status.AMENDMENT_NEEDED,
                 LetterOfCredit.Status.ACCEPTED)


def credits_of_order(order) -> QuerySet[LetterOfCredit]:
    """The live credits linked to ``order`` (received, to amend or workable), newest first."""
    return (LetterOfCredit.objects.filter(orders=order, status__in=LIVE_STATUSES)
            .select_related("currency", "customer").order_by("-received_on", "-id"))


def credit_for_order(order) -> LetterOfCredit | None:
    """The credit that pays ``order``'s shipments: its newest live credit, or None."""
    return credits_of_order(order).first()


def order_is_paid_by_credit(order) -> bool:
    return order.payment_method in LC_METHODS


# --- the credits part: drawings, the check's input, scope and lists --------------------------

# A presentation counts against the credit unless the bank refused it or we withdrew it.
NOT_DRAWN = (DocumentDispatch.Status.REFUSED, DocumentDispatch.Status.WITHDRAWN)
EXPIRING_SOON_DAYS = 14


def credit_drawings(credit: LetterOfCredit) -> QuerySet[DocumentDispatch]:
    """The presentations under ``credit`` (寄单 to the bank), newest first, with their shipment."""
    return (DocumentDispatch.objects.filter(credit=credit, channel=DocumentDispatch.Channel.BANK_CREDIT)
            .select_related("shipment", "currency").order_by("-sent_on", "-id"))


def credit_drawn(credit: LetterOfCredit) -> Decimal:
    """What the presentations under ``credit`` drew: the amounts of those not refused or withdrawn."""
    total = (DocumentDispatch.objects.filter(credit=credit).exclude(status__in=NOT_DRAWN)
             .aggregate(total=Sum("amount"))["total"])
    return round_money(total or Decimal("0"), credit.currency_id)  # SQLite sums decimals with 9 places


def credit_ceiling(credit: LetterOfCredit) -> Decimal:
    """The most the credit pays: its amount with its tolerance above (UCP 600 Art. 30)."""
    return credit.amount * (1 + credit.tolerance_pct / 100)


def credit_undrawn(credit: LetterOfCredit) -> Decimal:
    """The credit's amount (with its tolerance above) not yet drawn; never below zero."""
    return max(round_money(credit_ceiling(credit) - credit_drawn(credit), credit.currency_id), Decimal("0"))


def credit_check_data(credit: LetterOfCredit) -> dict:
    """``credit`` as the document check's ``credit`` input (``shipping.document_check``):
    decimals as strings, dates ISO, documents required as the list of their kinds (those the
    check knows: ``DOCUMENT_KINDS``)."""
    def dec(value):
        return None if value is None else f"{value.normalize():f}"

    return {
        "number": credit.number, "currency": credit.currency_id, "amount": dec(credit.amount),
        "about": credit.about, "amount_tolerance_pct": dec(credit.amount_tolerance_pct),
        "quantity": dec(credit.quantity), "quantity_unit": credit.quantity_unit,
        "unit_price": dec(credit.unit_price), "applicant": credit.applicant, "beneficiary": credit.beneficiary,
        "goods_description": credit.goods_description, "incoterm": credit.incoterm,
        "port_of_loading": credit.port_of_loading, "port_of_discharge": credit.port_of_discharge,
        "latest_shipment_date": credit.latest_shipment_date.isoformat(),
        "expiry_date": credit.expiry_date.isoformat(), "presentation_days": credit.presentation_days,
        "partial_shipments": credit.partial_shipments,
        # the kinds the check examines; the others (shipping advice, test report …) it cannot see
        "documents_required": [row["kind"] for row in credit.documents_required or []
                               if row.get("kind") in CHECKED_KINDS],
        "insurance_pct": dec(credit.insurance_pct),
    }


def last_presentation_day(credit: LetterOfCredit, on_board: dt.date) -> dt.date:
    """The last day to present the documents of goods on board on ``on_board``: on-board date +
    the presentation period, never after the expiry (UCP 600 Art. 14c; the banking-day shift of
    Art. 29a is the document check's)."""
    return min(on_board + dt.timedelta(days=credit.presentation_days), credit.expiry_date)


def credit_countdowns(credit: LetterOfCredit, *, today: dt.date) -> dict:
    """Days to expiry and, per shipment of the linked orders on board but not yet presented
    under the credit, the last presentation day: ``{"expiry": date, "expiry_days": n,
    "presentations": [{"shipment", "on_board", "last_day", "days"}]}``."""
    presented = DocumentDispatch.objects.filter(credit=credit).exclude(status__in=NOT_DRAWN).values("shipment_id")
    shipments = (Shipment.objects.filter(order__in=credit.orders.all(), on_board_on__isnull=False)
                 .exclude(status=Shipment.Status.CANCELLED).exclude(pk__in=presented)
                 .select_related("order").order_by("on_board_on", "pk"))
    rows = []
    for shipment in shipments:
        last = last_presentation_day(credit, shipment.on_board_on)
        rows.append({"shipment": shipment, "on_board": shipment.on_board_on, "last_day": last,
                     "days": (last - today).days})
    return {"expiry": credit.expiry_date, "expiry_days": (credit.expiry_date - today).days, "presentations": rows}


def credit_scope(user) -> Q:
    """Credits ``user`` may see: those paying an order in their order scope, and those of the
    customers they see (a credit registered before its orders were linked)."""
    if not user.has_perm("exportdocs.view_letterofcredit"):
        return Q(pk__in=[])
    scope = order_scope(user)
    if scope == Q():
        return Q()
    of_orders = Exists(SalesOrder.objects.filter(scope, credits=OuterRef("pk")))
    customers = customer_scope(user)
    if customers == Q(pk__in=[]):
        return Q(of_orders)

    return Q(of_orders) | Q(customer_id__in=Customer.objects.filter(customers).values("pk"))


def credit_queryset(user) -> QuerySet[LetterOfCredit]:
    return LetterOfCredit.objects.filter(credit_scope(user)).select_related("currency", "customer")


def credit_list(*, user, filters: dict | None = None, today: dt.date | None = None) -> QuerySet[LetterOfCredit]:
    """The credits list: ``status``, ``customer`` (id), ``expiring`` (live credits expiring within
    that many days), ``q`` (number, bank, customer code)."""
    f = filters or {}
    qs = credit_queryset(user)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("customer"):
        qs = qs.filter(customer_id=f["customer"])
    if f.get("expiring") is not None and f.get("expiring") != "":
        today = today or timezone.localdate()
        qs = qs.filter(status__in=LIVE_STATUSES, expiry_date__gte=today,
                       expiry_date__lte=today + dt.timedelta(days=int(f["expiring"])))
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(Q(number__icontains=text) | Q(issuing_bank__icontains=text)
                       | Q(customer__code__icontains=text))
    return qs.order_by("-received_on", "-id")


def credit_get_for_user(*, user, pk) -> LetterOfCredit:
    """The credit if ``user`` may see it; 404 for missing and out of scope alike."""


    found = credit_queryset(user).filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404("No such credit.")
    return found


# --- the ship gate (registered on sales.gates.ORDER_GATES by hooks_credits) -------------------

def workable_credits(order) -> QuerySet[LetterOfCredit]:
    """``order``'s credits examined workable (accepted) and not expired."""
    return LetterOfCredit.objects.filter(orders=order, status=LetterOfCredit.Status.ACCEPTED,
                                         expiry_date__gte=timezone.localdate())


def credit_ship_check(order) -> Check:
    """The L/C rule: an order paid by L/C ships only under a live credit examined workable
    (accepted), not expired. The refusal says what is missing."""
    if not order_is_paid_by_credit(order) or workable_credits(order).exists():
        return OK
    credit = credit_for_order(order)
    if credit is None:
        missing = _("no credit is registered for it yet")
    elif credit.status == LetterOfCredit.Status.RECEIVED:
        missing = _("credit %(no)s is not examined yet") % {"no": credit.number}
    elif credit.status == LetterOfCredit.Status.AMENDMENT_NEEDED:
        missing = _("credit %(no)s needs an amendment first") % {"no": credit.number}
    else:
        missing = _("credit %(no)s expired on %(date)s") % {"no": credit.number,
                                                             "date": credit.expiry_date.isoformat()}
    return no(ExportDocsError.GATE_CREDIT, _(
        "L/C rule: order %(order)s is paid by L/C and ships only under a credit examined workable; %(missing)s.") % {
        "order": order, "missing": missing})


def credit_blocked_q() -> Q:
    """``credit_ship_check`` as a filter: open L/C orders without a workable credit."""

    S = SalesOrder.Status
    workable = LetterOfCredit.objects.filter(orders=OuterRef("pk"), status=LetterOfCredit.Status.ACCEPTED,
                                             expiry_date__gte=timezone.localdate())
    return Q(payment_method__in=LC_METHODS, status__in=[S.CONFIRMED, S.IN_PRODUCTION, S.READY]) & ~Q(Exists(workable))


# --- the B/L consignee the credit prescribes (registered on shipping's bills by hooks_credits) --

_TO_ORDER = re.compile(r"(?:consigned|made\s+out|issued)\s+to\s+(?:the\s+)?order(?:\s+of\s+([^;.\n]+?))?\s*(?:[;.\n]|$)",
                       re.I)


def credit_consignee(order) -> str | None:
    """The consignee wording of the B/L as ``order``'s credit prescribes it in its 46A B/L row's
    note ("… made out to order of Deutsche Bank AG, Hamburg" → "TO ORDER OF DEUTSCHE BANK AG,
    HAMBURG"; "… consigned to order" → "TO ORDER"), or None (the customer, as without a credit)."""
    if not order_is_paid_by_credit(order):
        return None
    credit = credit_for_order(order)
    if credit is None:
        return None
    for row in credit.documents_required or []:
        if row.get("kind") != "bill_of_lading":
            continue
        found = _TO_ORDER.search(row.get("note") or "")
        if found:
            whom = " ".join((found.group(1) or "").split()).upper()
            return f"TO ORDER OF {whom}" if whom else "TO ORDER"
    return None
