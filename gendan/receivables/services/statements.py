"""Statements of account (对账单 / 客户往来对账单) for a customer and a period.

Per currency: the opening balance (every movement before the period), the movements of the
period (instalments falling due as debits, payments and money on account as credits), the
closing balance = opening + debits − credits, exactly, in Decimal; then the open items on the
last day of the period (with the order's credit and the money on account, they add up to the
closing balance) and their aging in finance's buckets. Shown as a page, printed as a PDF
(``pdf_statement``), exported to Excel, and e-mailed with the PDF attached — on demand by
finance, or by the monthly run (``statements_monthly_due``, called from ``chase_run``): on the
first working day of a month, last month's statement to every customer with open items, once
per customer and month (``StatementSend``'s constraint).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.accounts.models import User
from gendan.core.calendar import is_working_day
from gendan.core.domain_events import DomainEvent, publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_date, require
from gendan.core.models import Event
from gendan.finance.models import PaymentPlanItem
from gendan.parties.models import Customer
from gendan.receivables.errors import LedgerError
from gendan.receivables.models import StatementSend
from gendan.receivables.selectors.aging import Bucket, bucket_of, buckets_for, current_bounds
from gendan.receivables.selectors.ledger import (
    NOT_OWED,
    ON_ACCOUNT,
    Entry,
    LedgerFacts,
    by_currency,
    days_overdue,
    ledger_customer_get,
    ledger_facts,
    open_instalments,
    running,
)

log = logging.getLogger("gendan.receivables")

SEND = "receivables.add_statementsend"
ZERO = Decimal("0")
MAX_PERIOD_DAYS = 3 * 366


@dataclass
class CurrencyStatement:
    currency: str
    opening: Decimal
    movements: list[Entry]
    debit: Decimal
    credit: Decimal
    closing: Decimal
    open_items: list[dict]
    aging: list[Decimal]  # per bucket (disputes left out)
    disputed: Decimal
    rate_end: Decimal | None  # CNY per unit on the last day
    closing_cny: Decimal | None

    @property
    def open_total(self) -> Decimal:
        return sum((i["open"] for i in self.open_items), ZERO)


@dataclass
class Statement:
    customer: Customer
    start: dt.date
    end: dt.date
    language: str  # "zh" | "en"
    buckets: list[Bucket]
    currencies: list[CurrencyStatement] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"SOA-{self.customer.code}-{self.end:%Y%m}"


@dataclass(kw_only=True)
class StatementSent(DomainEvent):
    kind = "receivables.statement_sent"
    text = gettext_noop("Statement of account %(start)s – %(end)s (%(trigger)s) to %(to)s")
    verb = Event.Verb.NOTE
    send: StatementSend

    def subject(self):
        return self.send.customer

    def params(self) -> dict:
        s = self.send
        return {"start": s.period_start.isoformat(), "end": s.period_end.isoformat(),
                "trigger": {"_c": ["receivables.statementsend", "trigger", s.trigger]}, "to": s.sent_to or "—"}


# --- the period --------------------------------------------------------------------------


def statement_period(start, end, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Parse and check a period (both days included); refused naming the field."""
    today = today or timezone.localdate()
    first = parse_date(start, field="start", required=True)
    last = parse_date(end, field="end", required=True)
    if last > today:
        msg = _("The period cannot end after today (%(today)s).") % {"today": today.isoformat()}
        raise ValidationFailed(msg, code=LedgerError.STATEMENT_PERIOD_INVALID, fields={"end": msg})
    if first > last:
        msg = _("The period starts on %(start)s, after its end %(end)s.") % {"start": first, "end": last}
        raise ValidationFailed(msg, code=LedgerError.STATEMENT_PERIOD_INVALID, fields={"start": msg})
    if (last - first).days > MAX_PERIOD_DAYS:
        msg = _("A statement covers at most three years.")
        raise ValidationFailed(msg, code=LedgerError.STATEMENT_PERIOD_INVALID, fields={"start": msg})
    return first, last


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Last month's first day to today: what a customer asks for most."""
    today = today or timezone.localdate()
    return previous_month(today)[0], today


def customer_language(customer: Customer) -> str:
    """The statement's language: Chinese for a customer in China, English for everyone else."""
    return "zh" if customer.country == "CN" else "en"


# --- the statement -------------------------------------------------------------------------


def statement_build(*, customer: Customer, start: dt.date, end: dt.date, language: str = "en",
                    facts: LedgerFacts | None = None, bounds: tuple[int, ...] | None = None) -> Statement:
    """The statement of ``customer`` from ``start`` to ``end`` (both included), from its ledger."""
    facts = facts or ledger_facts(customer)
    buckets = buckets_for(bounds or current_bounds())
    statement = Statement(customer=customer, start=start, end=end, language=language, buckets=buckets)
    items = open_instalments(facts, as_of=end)
    for currency, entries in by_currency(facts.entries).items():
        opening = sum((e.amount for e in entries if e.day < start), ZERO)
        movements = running([e for e in entries if start <= e.day <= end], opening)
        debit = sum((e.debit for e in movements), ZERO)
        credit = sum((e.credit for e in movements), ZERO)
        closing = opening + debit - credit
        open_items = []
        aging = [ZERO] * len(buckets)
        disputed = ZERO
        for item in items:
            if item["currency"] != currency:
                continue
            days = days_overdue(item["due_date"], end)
            in_dispute = min(item["disputed"], item["open"]) if item["open"] > 0 else ZERO
            bucket = bucket_of(days, buckets)
            open_items.append({**item, "days_overdue": days, "bucket": bucket.label, "in_dispute": in_dispute})
            if item["open"] > 0:
                aging[buckets.index(bucket)] += item["open"] - in_dispute
                disputed += in_dispute
        for e in entries:  # money on account is an open credit until allocated
            if e.kind == ON_ACCOUNT and e.day <= end:
                open_items.append({"id": None, "order_id": None, "kind": ON_ACCOUNT, "amount": ZERO,
                                   "due_date": None, "due_rule": "", "currency": currency, "order_number": "",
                                   "customer_po_no": "", "disputed": ZERO, "open": -e.credit, "credit_item": True,
                                   "receipt_number": e.receipt_number, "day": e.day, "days_overdue": 0,
                                   "bucket": "", "in_dispute": ZERO})
        if not movements and not opening and not open_items:
            continue
        rate = facts.rates.on(currency, end)
        statement.currencies.append(CurrencyStatement(
            currency=currency, opening=opening, movements=movements, debit=debit, credit=credit, closing=closing,
            open_items=sorted(open_items, key=lambda i: (i["due_date"] or dt.date.max, i["order_number"])),
            aging=aging, disputed=disputed, rate_end=rate,
            closing_cny=None if rate is None else (closing * rate).quantize(Decimal("0.01"))))
    return statement


def statement_for(*, user: User, customer_id, start, end, language: str | None = None) -> Statement:
    """The statement a user asked for (scoped: 404 out of scope; the period checked)."""
    customer = ledger_customer_get(user=user, pk=customer_id)
    first, last = statement_period(start, end)
    lang = language if language in ("zh", "en") else customer_language(customer)
    return statement_build(customer=customer, start=first, end=last, language=lang)


# --- e-mail ----------------------------------------------------------------------------------


def statement_recipients(customer: Customer) -> list[str]:
    """The customer's main contacts' addresses, else the first contact's, else its own."""
    contacts = list(customer.contacts.all())
    primary = [c.email for c in contacts if c.email and c.is_primary]
    if primary:
        return primary
    emails = [c.email for c in contacts if c.email]
    if emails:
        return emails[:1]
    return [customer.email] if customer.email else []


def statement_send(*, actor: User, customer_id, start, end, language: str | None = None) -> StatementSend:
    """Finance e-mails a customer its statement for a period (the PDF attached); the e-mail goes
    through a task after the commit, its result recorded on the ``StatementSend`` row."""
    require(actor, SEND, message=_("Only finance sends statements of account."))
    customer = ledger_customer_get(user=actor, pk=customer_id)
    first, last = statement_period(start, end)
    to = statement_recipients(customer)
    if not to:
        msg = _("%(customer)s has no e-mail address: add one to the customer or a contact.") % {
            "customer": customer.code}
        raise ValidationFailed(msg, code=LedgerError.STATEMENT_NO_RECIPIENT, fields={"customer": msg})
    lang = language if language in ("zh", "en") else customer_language(customer)
    with transaction.atomic():
        statement = statement_build(customer=customer, start=first, end=last, language=lang)
        send = StatementSend.objects.create(
            customer=customer, period_start=first, period_end=last, trigger=StatementSend.Trigger.ON_DEMAND,
            sent_to=", ".join(to), language=lang, closing_balance=_closing(statement), requested_by=actor,
            requested_at=timezone.now())
        publish(StatementSent(actor=actor, send=send))
        transaction.on_commit(lambda: _enqueue(send.pk))
    return send


def _closing(statement: Statement) -> dict:
    return {c.currency: str(c.closing) for c in statement.currencies}


def _enqueue(send_id: int) -> None:
    from gendan.receivables.tasks_ledger import send_statement

    send_statement.enqueue(send_id)


def statement_email(*, send_id: int) -> bool:
    """Send the e-mail of a recorded statement (idempotent: a sent one is not sent again)."""
    from gendan.receivables.pdf_statement import render_statement_pdf

    send = StatementSend.objects.select_related("customer").get(pk=send_id)
    if send.email_sent_at or not send.sent_to:
        return False
    lang = "zh-hans" if send.language == "zh" else "en"
    with translation.override(lang):
        statement = statement_build(customer=send.customer, start=send.period_start, end=send.period_end,
                                    language=send.language)
        company = settings.GENDAN_COMPANY_NAME.get(lang, settings.GENDAN_COMPANY_NAME["en"])
        subject = _("Statement of account %(start)s – %(end)s, %(customer)s") % {
            "start": send.period_start.isoformat(), "end": send.period_end.isoformat(), "customer": send.customer.code}
        balances = "\n".join(f"  {c.currency} {c.closing:,.2f}" for c in statement.currencies) or "  —"
        body = "\n".join([
            _("Dear customer,"), "",
            _("Please find attached your statement of account from %(start)s to %(end)s.") % {
                "start": send.period_start.isoformat(), "end": send.period_end.isoformat()},
            _("Closing balance:"), balances, "",
            _("Please let us know within 14 days if anything on it does not agree with your records."), "",
            _("Best regards,"), company])
        pdf = render_statement_pdf(statement)
    email = EmailMessage(subject=subject, body=body, to=send.sent_to.split(", "), from_email=settings.DEFAULT_FROM_EMAIL)
    email.attach(f"{statement.number}.pdf", pdf, "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP down: the send stays recorded with its error, shown on the ledger
        log.warning("statement %s: email failed: %s", send.pk, exc)
        StatementSend.objects.filter(pk=send.pk).update(email_error=str(exc)[:300])
        return False
    StatementSend.objects.filter(pk=send.pk).update(email_sent_at=timezone.now(), email_error="")
    return True


# --- the monthly run -------------------------------------------------------------------------


def first_working_day(year: int, month: int) -> dt.date:
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        candidate = dt.date(year, month, day)
        if is_working_day(candidate):
            return candidate
    return dt.date(year, month, 1)


def statements_monthly_due(*, today: dt.date) -> list[int]:
    """On the first working day of a month, record last month's statement for every customer
    with open items and enqueue its e-mail; on any other day, and a second time, nothing.
    Returns the ids of the sends recorded now."""
    if today != first_working_day(today.year, today.month):
        return []
    start, end = previous_month(today)
    customers = (PaymentPlanItem.objects.filter(received_amount__lt=F("amount"))
                 .exclude(order__status__in=NOT_OWED).values_list("order__customer_id", flat=True).distinct())
    done = set(StatementSend.objects.filter(trigger=StatementSend.Trigger.MONTHLY, period_end=end)
               .values_list("customer_id", flat=True))
    recorded = []
    for customer in Customer.objects.filter(pk__in=list(customers)).exclude(pk__in=done).prefetch_related("contacts"):
        lang = customer_language(customer)
        to = statement_recipients(customer)
        try:
            with transaction.atomic():
                statement = statement_build(customer=customer, start=start, end=end, language=lang)
                send = StatementSend.objects.create(
                    customer=customer, period_start=start, period_end=end, trigger=StatementSend.Trigger.MONTHLY,
                    sent_to=", ".join(to), language=lang, closing_balance=_closing(statement),
                    requested_at=timezone.now(),
                    email_error="" if to else _("The customer has no e-mail address."))
                publish(StatementSent(actor=None, send=send))
        except IntegrityError:  # another run recorded it at the same moment
            continue
        recorded.append(send.pk)
        if to:
            transaction.on_commit(lambda pk=send.pk: _enqueue(pk))
    return recorded

