"""The examination of a credit on arrival (审证): the credit compared with the orders it pays,
and what needs an amendment (改证) listed.

Each finding is ``{"code", "field", "message", "amendment"}``: ``code`` a stable key (below),
``field`` the credit's field it is about, ``message`` the translated text for people (in the
examiner's language), ``amendment`` whether the credit must change before we can comply (else
it is a point to watch). A credit with a finding that needs an amendment is "amendment needed",
else "examined, workable" (accepted). The findings, who examined and when are stored on the
credit; the result goes on its timeline and its orders'.

What is compared, and the rule:

- ``amount_short``: the credit's amount with its tolerance (Art. 30) below the orders' total;
- ``currency_mismatch``: an order in another currency;
- ``latest_shipment_too_early``: the latest shipment date (44C) before a shipment can sail: the
  planned ETD of a shipment of the shipping plan, else its planned ex-factory date, else the
  order's ex-factory date, + ``TRANSIT_TO_PORT_DAYS`` to reach the port — or the T&A's forecast
  ETD of the order when it has slipped later (``exportdocs.forecasts``, provided by tracking);
- ``presentation_tight``: fewer days between the latest shipment and the expiry than the
  presentation period (an amendment when fewer than ``DOCUMENTS_NEED_DAYS``, the days our
  documents need after shipment: the T&A's "documents sent" is ETD + 7), and a presentation
  period shorter than those days;
- ``expired``: the credit expired, or its latest shipment date passed with goods unshipped;
- ``partial_prohibited``: partial shipments prohibited (43P) while the shipping plan of its
  orders has more than one shipment;
- ``transhipment_prohibited``: transhipment prohibited (43T): to confirm with the forwarder
  (no amendment unless the sailing needs one);
- ``port_of_loading`` / ``port_of_discharge`` / ``incoterm``: the credit's differ from the order's;
- ``soft_clause``: a document signed or approved by the applicant, a countersignature or an
  approval we cannot obtain ourselves (46A notes, 47A);
- ``beneficiary``: the beneficiary is not our company; ``applicant``: the applicant does not
  name the customer (a point to check);
- ``no_orders``: nothing linked, nothing to compare.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.guards import refuse, require
from gendan.core.money import format_money
from gendan.documents.pdf.company import company
from gendan.exportdocs.events.credits import CreditExamined, credit_publish
from gendan.exportdocs.forecasts import etd_forecasts
from gendan.exportdocs.models import LetterOfCredit
from gendan.exportdocs.selectors.credits import credit_ceiling
from gendan.exportdocs.services.credits import CREDIT, LIVE, lock_credit
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment

C = LetterOfCredit.Status
EXAMINE = "exportdocs.examine_letterofcredit"
TRANSIT_TO_PORT_DAYS = 3  # from the factory to the port of loading, and on board
DOCUMENTS_NEED_DAYS = 7  # from on board to the documents at the bank (T&A: documents sent = ETD + 7)
# Clauses that make the credit depend on the applicant (软条款): we cannot produce the document alone.
SOFT_CLAUSE = re.compile(
    r"signed\s+by\s+(the\s+)?applicant|applicant'?s?\s+(approval|signature|consent|confirmation)|"
    r"counter-?signed|approved\s+by\s+(the\s+)?applicant|issued\s+by\s+(the\s+)?applicant|"
    r"(upon|subject\s+to)\s+(the\s+)?applicant|申请人(签字|签署|确认|同意)|会签", re.I)


def _finding(code: str, field: str, message: str, amendment: bool) -> dict:
    return {"code": code, "field": field, "message": str(message), "amendment": amendment}


def _normal(text: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", " ", (text or "").lower()).strip()


def _ready_dates(orders: list[SalesOrder]) -> list[tuple[dt.date, str]]:
    """When each planned shipment of ``orders`` can be on board at the earliest, with its name:
    a shipment's planned ETD, else its planned ex-factory + transit; an order without a plan by
    its ex-factory date + transit — or the T&A's forecast ETD of the order when it is later
    (``forecasts.etd_forecasts``)."""
    dates = []
    forecast = etd_forecasts(orders)
    planned = (Shipment.objects.filter(order__in=orders).exclude(status=Shipment.Status.CANCELLED)
               .select_related("order").order_by("pk"))
    by_order: dict[int, list[Shipment]] = {}
    for shipment in planned:
        by_order.setdefault(shipment.order_id, []).append(shipment)
    transit = dt.timedelta(days=TRANSIT_TO_PORT_DAYS)
    for order in orders:
        shipments = by_order.get(order.pk, [])
        for s in shipments:
            if s.status == Shipment.Status.SHIPPED:
                continue
            day = s.etd or ((s.planned_ex_factory + transit) if s.planned_ex_factory else None) \
                or order.ex_factory_date + transit
            dates.append((_later(day, forecast.get(order.pk)), s.number))
        if not shipments and order.ex_factory_date:
            dates.append((_later(order.ex_factory_date + transit, forecast.get(order.pk)), str(order)))
    return dates


def _later(day: dt.date, forecast: dt.date | None) -> dt.date:
    return max(day, forecast) if forecast else day


def credit_findings(credit: LetterOfCredit, *, today: dt.date | None = None) -> list[dict]:
    """The examination of ``credit`` against its linked orders (see the module's rules)."""
    today = today or timezone.localdate()
    orders = list(credit.orders.exclude(status=SalesOrder.Status.CANCELLED).select_related("customer")
                  .order_by("pk"))
    findings: list[dict] = []
    if not orders:
        findings.append(_finding("no_orders", "orders", _("No order is linked: link the orders the credit pays "
                                                          "to compare it with them."), False))
    findings += _amount_findings(credit, orders)
    findings += _date_findings(credit, orders, today)
    findings += _shipment_findings(credit, orders)
    findings += _terms_findings(credit, orders)
    findings += _clause_findings(credit)
    findings += _party_findings(credit, orders)
    return findings


def _amount_findings(credit: LetterOfCredit, orders: list[SalesOrder]) -> list[dict]:
    out = []
    for order in orders:
        if order.currency_id != credit.currency_id:
            out.append(_finding("currency_mismatch", "currency", _(
                "The credit is in %(credit)s; order %(order)s is in %(cur)s.") % {
                "credit": credit.currency_id, "order": order, "cur": order.currency_id}, True))
    total = sum((o.total_amount for o in orders if o.currency_id == credit.currency_id), Decimal("0"))
    ceiling = credit_ceiling(credit)
    if orders and ceiling < total:
        out.append(_finding("amount_short", "amount", _(
            "The credit's amount %(amount)s (tolerance ±%(tol)s %%) does not cover the orders' total %(total)s: "
            "increase it by at least %(short)s.") % {
            "amount": format_money(credit.amount, credit.currency_id), "tol": f"{credit.tolerance_pct.normalize():f}",
            "total": format_money(total, credit.currency_id),
            "short": format_money(total - ceiling, credit.currency_id)}, True))
    return out


def _date_findings(credit: LetterOfCredit, orders: list[SalesOrder], today: dt.date) -> list[dict]:
    out = []
    latest, expiry = credit.latest_shipment_date, credit.expiry_date
    if expiry < today:
        out.append(_finding("expired", "expiry_date", _("The credit expired on %(date)s.") % {
            "date": expiry.isoformat()}, True))
    ready = _ready_dates(orders)
    late = [(day, name) for day, name in ready if day > latest]
    if late:
        day, name = max(late)
        out.append(_finding("latest_shipment_too_early", "latest_shipment_date", _(
            "The latest shipment date %(latest)s is before %(name)s can be on board (%(day)s: planned ETD or "
            "ex-factory + %(n)d days to the port, or the T&A's forecast ETD if later): extend it to %(day)s or "
            "later.") % {
            "latest": latest.isoformat(), "name": name, "day": day.isoformat(), "n": TRANSIT_TO_PORT_DAYS}, True))
    elif latest < today and any(o.shipment_status != SalesOrder.ShipmentStatus.SHIPPED for o in orders):
        out.append(_finding("expired", "latest_shipment_date", _(
            "The latest shipment date %(date)s has passed with goods not shipped.") % {"date": latest.isoformat()},
            True))
    window = (expiry - latest).days
    if window < credit.presentation_days:
        out.append(_finding("presentation_tight", "expiry_date", _(
            "Only %(n)d days from the latest shipment to the expiry (presentation period %(days)d days): the "
            "documents must reach the bank within %(n)d days of shipping on the last day.") % {
            "n": window, "days": credit.presentation_days}, window < DOCUMENTS_NEED_DAYS))
    if credit.presentation_days < DOCUMENTS_NEED_DAYS:
        out.append(_finding("presentation_tight", "presentation_days", _(
            "A presentation period of %(days)d days is shorter than the %(need)d days our documents need after "
            "shipment.") % {"days": credit.presentation_days, "need": DOCUMENTS_NEED_DAYS}, True))
    return out


def _shipment_findings(credit: LetterOfCredit, orders: list[SalesOrder]) -> list[dict]:
    out = []
    planned = Shipment.objects.filter(order__in=orders).exclude(status=Shipment.Status.CANCELLED).count()
    if credit.partial_shipments == LetterOfCredit.Shipments.PROHIBITED and planned > 1:
        out.append(_finding("partial_prohibited", "partial_shipments", _(
            "Partial shipments are prohibited, and the shipping plan has %(n)d shipments: have partial shipments "
            "allowed.") % {"n": planned}, True))
    if credit.transhipment == LetterOfCredit.Shipments.PROHIBITED:
        out.append(_finding("transhipment_prohibited", "transhipment", _(
            "Transhipment is prohibited: confirm with the forwarder that the sailing is direct."), False))
    return out


def _terms_findings(credit: LetterOfCredit, orders: list[SalesOrder]) -> list[dict]:
    out = []
    checks = (("port_of_loading", credit.port_of_loading, "port_of_loading", _("port of loading")),
              ("port_of_discharge", credit.port_of_discharge, "port_of_destination", _("port of discharge")),
              ("incoterm", credit.incoterm, "incoterm", _("Incoterm")))
    for code, value, order_field, label in checks:
        for order in orders:
            theirs = getattr(order, order_field)
            if value and theirs and _normal(theirs) not in _normal(value) and _normal(value) not in _normal(theirs):
                out.append(_finding(code, code, _("The credit's %(what)s “%(credit)s” differs from order %(order)s's "
                                                  "“%(theirs)s”.") % {
                    "what": label, "credit": value, "order": order, "theirs": theirs}, True))
                break
    return out


def _clause_findings(credit: LetterOfCredit) -> list[dict]:
    out = []
    for i, row in enumerate(credit.documents_required or []):
        note = row.get("note") or ""
        if SOFT_CLAUSE.search(note):
            out.append(_finding("soft_clause", f"documents_required.{i}", _(
                "%(doc)s: “%(note)s” depends on the applicant; we cannot produce it ourselves: have the clause "
                "deleted.") % {"doc": row.get("kind"), "note": note[:120]}, True))
    for sentence in re.split(r"(?<=[.;\n])", credit.additional_conditions or ""):
        if SOFT_CLAUSE.search(sentence):
            out.append(_finding("soft_clause", "additional_conditions", _(
                "47A: “%(text)s” depends on the applicant; have the clause deleted.") % {
                "text": sentence.strip()[:160]}, True))
    return out


def _party_findings(credit: LetterOfCredit, orders: list[SalesOrder]) -> list[dict]:
    out = []
    seller = company()
    ours = [str(seller.get(k) or "") for k in ("beneficiary", "name_en", "name_zh")]
    if not any(name and _normal(name) in _normal(credit.beneficiary) for name in ours):
        out.append(_finding("beneficiary", "beneficiary", _(
            "The beneficiary “%(text)s” is not our company (%(ours)s).") % {
            "text": credit.beneficiary[:80], "ours": ours[0] or ours[1]}, True))
    customer = credit.customer
    names = [n for n in (customer.name_en, customer.name_zh) if n]
    if names and not any(_normal(n) in _normal(credit.applicant) for n in names):
        out.append(_finding("applicant", "applicant", _(
            "The applicant “%(text)s” does not name the customer %(customer)s: the invoice is made out to the "
            "applicant.") % {"text": credit.applicant[:80], "customer": names[0]}, False))
    return out


def credit_examine_locked(*, by: User, credit: LetterOfCredit) -> LetterOfCredit:
    """Examine the locked ``credit`` and store the result (inside the caller's transaction)."""
    findings = credit_findings(credit)
    status = C.AMENDMENT_NEEDED if any(f["amendment"] for f in findings) else C.ACCEPTED
    old = credit.status
    if status != old:
        CREDIT.move(credit, status)
    credit.findings = findings
    credit.examined_at, credit.examined_by = timezone.now(), by
    credit.version += 1
    credit.save(update_fields=["status", "findings", "examined_at", "examined_by", "version", "updated_at"])
    changes = {"status": {"old": old, "new": status, "model": "exportdocs.letterofcredit"}} if status != old else {}
    credit_publish(CreditExamined, credit=credit, actor=by, changes=changes)
    return credit


def credit_examine(*, by: User, credit: LetterOfCredit | int, version: int | None = None) -> list[dict]:
    """Examine the credit (审证) against its orders; store and return the findings. The credit
    becomes "amendment needed" when a finding needs an amendment, else "examined, workable"."""
    require(by, EXAMINE)
    with transaction.atomic():
        credit = lock_credit(credit, version)
        if credit.status not in LIVE:
            refuse(CREDIT.check(credit, C.ACCEPTED))
        credit_examine_locked(by=by, credit=credit)
    return credit.findings
