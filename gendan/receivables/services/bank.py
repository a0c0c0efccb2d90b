"""Receipts from the bank's statement: import a file, then finance decides each credit line.

``bank_statement_import`` reads the file (``bank_formats``), refuses it whole on any problem
(every problem listed, nothing saved) or when the same file (SHA-256) was imported before,
and stores the credit lines as *open*. Nothing is allocated then: the proposals are reads
(``selectors.bank.line_proposals``). ``bank_line_confirm`` records the receipt and its
allocations through finance's ``receipt_record`` in one transaction with the line's status
(a refusal — over-allocation, a duplicate bank reference … — saves nothing);
``bank_line_set_aside`` leaves a line with a note (not a customer's payment: interest, a
refund, another company's money); ``bank_line_link`` marks a line whose transfer was already
recorded by hand. Each decision names who and when, and goes on the statement's timeline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent, publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import id_or_zero, no, reason_required, refuse, require
from gendan.core.models import Currency, Event
from gendan.core.money import MoneyError, check_precision, format_money, to_decimal
from gendan.finance.models import Receipt
from gendan.finance.services import receipt_record
from gendan.receivables import bank_formats
from gendan.receivables.errors import BankError
from gendan.receivables.models import BankStatement, BankStatementLine
from gendan.receivables.selectors.bank import statement_queryset

IMPORT = "receivables.add_bankstatement"
DECIDE = "receivables.change_bankstatementline"
RECORD = "finance.add_receipt"


# --- timeline ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class BankStatementEvent(DomainEvent):
    statement: BankStatement

    def subject(self):
        return self.statement


@dataclass(kw_only=True)
class BankStatementImported(BankStatementEvent):
    kind = "receivables.bank_statement_imported"
    text = gettext_noop("Bank statement %(file)s imported: %(n)d credit lines, %(skipped)d debits skipped")
    verb: ClassVar[str] = Event.Verb.CREATED
    skipped: int = 0

    def params(self) -> dict:
        return {"file": self.statement.filename, "n": self.statement.lines_count, "skipped": self.skipped}


@dataclass(kw_only=True)
class BankLineEvent(BankStatementEvent):
    line: BankStatementLine

    def params(self) -> dict:
        ln = self.line
        return {"line": ln.line_no, "amount": format_money(ln.amount, self.statement.currency_id),
                "payer": ln.payer_name or "-", "receipt": ln.receipt.number if ln.receipt_id else ""}


@dataclass(kw_only=True)
class BankLineRecorded(BankLineEvent):
    kind = "receivables.bank_line_recorded"
    text = gettext_noop("Line %(line)d (%(amount)s from %(payer)s) recorded as receipt %(receipt)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BankLineLinked(BankLineEvent):
    kind = "receivables.bank_line_linked"
    text = gettext_noop("Line %(line)d (%(amount)s from %(payer)s) was already recorded as receipt %(receipt)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BankLineReopened(BankLineEvent):
    kind = "receivables.bank_line_reopened"
    text = gettext_noop("Line %(line)d (%(amount)s from %(payer)s) set aside by mistake: open to match again")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class BankLineSetAside(BankLineEvent):
    kind = "receivables.bank_line_set_aside"
    text = gettext_noop("Line %(line)d (%(amount)s from %(payer)s) set aside")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


# --- import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    statement: BankStatement
    debits_skipped: int = 0
    other_currency_skipped: int = 0


def _file_error(message: str, code=BankError.BANK_FILE_UNREADABLE) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": message})


def bank_statement_import(*, actor, upload, currency: str) -> ImportResult:
    """Import ``upload`` (a file object with ``name``, or bytes) as the statement of the
    account in ``currency``. All or nothing; the same file twice is refused."""
    require(actor, IMPORT, message=_("Only finance imports bank statements."))
    code = str(currency or "").strip().upper()[:3]
    currency_obj = Currency.objects.filter(code=code, is_active=True).first() if code else None
    if currency_obj is None:
        msg = _("Choose the currency of the account.") if not code else _("Unknown currency “%(code)s”.") % {
            "code": str(currency)[:10]}
        raise ValidationFailed(msg, fields={"currency": msg})
    if upload is None:
        raise _file_error(_("Choose the bank statement file."))
    size = getattr(upload, "size", None)
    if size is not None and size > bank_formats.max_bytes():
        raise _file_error(_("The file is larger than %(n)s MB; export a shorter period.") % {
            "n": bank_formats.max_bytes() // (1024 * 1024) or 1})
    if isinstance(upload, bytes | bytearray):
        data, filename = bytes(upload), "statement"
    else:
        data = upload.read(bank_formats.max_bytes() + 1)
        filename = getattr(upload, "name", "") or "statement"
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    digest = hashlib.sha256(data).hexdigest()
    refuse(_not_imported_check(digest), field="file")
    parsed = bank_formats.parse_statement(data, filename, currency=code, today=timezone.localdate())
    if parsed.problems:
        messages = parsed.messages()
        summary = messages[0] if len(messages) == 1 else _(
            "The bank statement was not imported: %(n)d problems (nothing was saved).") % {
            "n": len(parsed.problems) + parsed.problems_more}
        raise ValidationFailed(summary, code=BankError.BANK_FILE_UNREADABLE, fields={"file": messages})
    with transaction.atomic():
        try:
            with transaction.atomic():
                statement = BankStatement.objects.create(
                    filename=filename, sha256=digest, layout=parsed.layout, currency=currency_obj,
                    account=parsed.account[:60], period_start=parsed.period_start, period_end=parsed.period_end,
                    lines_count=len(parsed.lines), imported_by=actor, imported_at=timezone.now())
        except IntegrityError:  # the same file at the same moment: the unique fingerprint decided
            refuse(_not_imported_check(digest), field="file")
            raise
        BankStatementLine.objects.bulk_create([
            BankStatementLine(statement=statement, line_no=index, value_date=line.value_date, amount=line.amount,
                              bank_charges=line.charges, payer_name=line.payer[:160], reference=line.reference[:80],
                              remittance=line.remittance[:400])
            for index, line in enumerate(parsed.lines, start=1)])
        publish(BankStatementImported(actor=actor, statement=statement, skipped=parsed.debits_skipped))
    return ImportResult(statement, parsed.debits_skipped, parsed.other_currency_skipped)


def _not_imported_check(digest: str):
    from gendan.core.guards import OK

    seen = BankStatement.objects.filter(sha256=digest).select_related("imported_by").first()
    if seen is None:
        return OK
    return no(BankError.BANK_FILE_DUPLICATE, _(
        "This file was already imported on %(date)s by %(user)s (%(file)s, %(n)d lines): nothing was imported "
        "again.") % {"date": timezone.localtime(seen.imported_at).strftime("%Y-%m-%d %H:%M"),
                     "user": seen.imported_by, "file": seen.filename, "n": seen.lines_count})


# --- deciding a line ------------------------------------------------------------------------------


def _lock_line(actor, line_id) -> BankStatementLine:
    line = (BankStatementLine.objects.select_for_update(of=("self",)).select_related("statement")
            .filter(pk=id_or_zero(line_id), statement__in=statement_queryset(actor)).first())
    if line is None:
        raise Http404(_("No such statement line."))
    return line


def _lock_open_line(actor, line_id) -> BankStatementLine:
    line = _lock_line(actor, line_id)
    if line.status != BankStatementLine.Status.OPEN:
        when = timezone.localtime(line.decided_at).strftime("%Y-%m-%d %H:%M") if line.decided_at else ""
        refuse(no(BankError.BANK_LINE_DECIDED, _(
            "Line %(line)d was already decided (%(status)s) by %(user)s at %(when)s; reload the statement.") % {
            "line": line.line_no, "status": line.get_status_display(), "user": line.decided_by or "-",
            "when": when}))
    return line


def _money(value, *, currency: str, field: str, label: str) -> Decimal:
    try:
        amount = check_precision(to_decimal(value if value not in (None, "") else "0"), currency)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), fields={field: str(exc)}) from None
    if amount < 0:
        msg = _("%(label)s may not be negative.") % {"label": label}
        raise ValidationFailed(msg, fields={field: msg})
    return amount


def _status_change(old: str, new: str) -> dict:
    """The line's status change, shown on the statement's timeline with the line's labels."""
    return {"status": {"old": old, "new": new, "model": "receivables.bankstatementline"}}


def bank_line_confirm(
    *, actor, line_id: int, customer_id: int, allocations: Iterable[Mapping[str, Any]] = (),
    bank_charges: Any = None, bank_reference: str | None = None, note: str = "",
) -> Receipt:
    """Record the line as a receipt of ``customer_id`` and allocate it (``allocations``: rows
    ``{order_id, amount, exchange_rate?}`` in the statement's currency) — what finance confirmed,
    possibly changed from the proposal. ``bank_charges`` defaults to the line's; the bank
    reference to the line's. One transaction: the receipt, its allocations and the line."""
    require(actor, RECORD, message=_("Only finance records money received."))
    require(actor, DECIDE, message=_("Only finance decides the lines of a bank statement."))
    with transaction.atomic():
        line = _lock_open_line(actor, line_id)
        statement = line.statement
        currency = statement.currency_id
        charges = line.bank_charges if bank_charges in (None, "") else _money(
            bank_charges, currency=currency, field="bank_charges", label=_("Bank charges"))
        reference = (bank_reference if bank_reference not in (None, "") else line.reference).strip()
        rows = [dict(a) for a in allocations or ()]
        receipt = receipt_record(
            actor=actor, customer_id=id_or_zero(customer_id), currency=currency, amount=line.amount,
            received_on=line.value_date, bank_reference=reference, bank_charges=charges,
            payer_name=line.payer_name, note=(note or "").strip()[:300] or _("from bank statement %(file)s, line "
                                                                              "%(line)d") % {
                "file": statement.filename, "line": line.line_no},
            allocations=[{"order_id": id_or_zero(r.get("order_id")), "amount": r.get("amount"),
                          "exchange_rate": r.get("exchange_rate")} for r in rows])
        old = line.status
        line.status = BankStatementLine.Status.RECORDED
        line.receipt = receipt
        line.bank_charges = charges
        line.decided_by = actor
        line.decided_at = timezone.now()
        line.note = (note or "").strip()[:300]
        line.save(update_fields=["status", "receipt", "bank_charges", "decided_by", "decided_at", "note"])
        publish(BankLineRecorded(actor=actor, statement=statement, line=line,
                                 changes=_status_change(old, line.status)))
    return receipt


def bank_line_set_aside(*, actor, line_id: int, note: str) -> BankStatementLine:
    """Leave the line without a receipt, with the reason (not a customer's payment)."""
    require(actor, DECIDE, message=_("Only finance decides the lines of a bank statement."))
    text = reason_required(note, _("setting the line aside"), field="note")[:300]
    with transaction.atomic():
        line = _lock_open_line(actor, line_id)
        old = line.status
        line.status = BankStatementLine.Status.IGNORED
        line.decided_by, line.decided_at, line.note = actor, timezone.now(), text
        line.save(update_fields=["status", "decided_by", "decided_at", "note"])
        publish(BankLineSetAside(actor=actor, statement=line.statement, line=line, reason=text,
                                 changes=_status_change(old, line.status)))
    return line


def bank_line_link(*, actor, line_id: int) -> BankStatementLine:
    """The line's transfer was already recorded as a receipt (by hand, or from another export):
    mark the line as recorded by that receipt — nothing is recorded or allocated again."""
    require(actor, DECIDE, message=_("Only finance decides the lines of a bank statement."))
    with transaction.atomic():
        line = _lock_open_line(actor, line_id)
        currency = line.statement.currency_id
        receipt = Receipt.objects.filter(currency_id=currency, bank_reference__iexact=line.reference.strip()).first() \
            if line.reference.strip() else None
        if receipt is None:
            refuse(no(BankError.BANK_NO_EXISTING_RECEIPT, _(
                "No receipt in %(currency)s records the bank reference “%(reference)s”: confirm the line instead.") % {
                "currency": currency, "reference": line.reference or "-"}))
        old = line.status
        line.status, line.receipt = BankStatementLine.Status.RECORDED, receipt
        line.decided_by, line.decided_at = actor, timezone.now()
        line.save(update_fields=["status", "receipt", "decided_by", "decided_at"])
        publish(BankLineLinked(actor=actor, statement=line.statement, line=line,
                               changes=_status_change(old, line.status)))
    return line


def bank_line_reopen(*, actor, line_id: int, reason: str) -> BankStatementLine:
    """Undo "set aside": the line is open to match again, with the reason on the statement's
    timeline (the earlier decision stays there). A line recorded as a receipt is not reopened
    here: the receipt is what has to be reversed, in finance."""
    require(actor, DECIDE, message=_("Only finance decides the lines of a bank statement."))
    text = reason_required(reason, _("reopening the line"), field="reason")[:300]
    with transaction.atomic():
        line = _lock_line(actor, line_id)
        if line.status != BankStatementLine.Status.IGNORED:
            refuse(no(BankError.BANK_LINE_NOT_SET_ASIDE, _(
                "Line %(line)d is %(status)s, not set aside: only a line set aside can be reopened.") % {
                "line": line.line_no, "status": line.get_status_display()}))
        old = line.status
        line.status = BankStatementLine.Status.OPEN
        line.decided_by, line.decided_at, line.note = None, None, ""
        line.save(update_fields=["status", "decided_by", "decided_at", "note"])
        publish(BankLineReopened(actor=actor, statement=line.statement, line=line, reason=text,
                                 changes=_status_change(old, line.status)))
    return line
