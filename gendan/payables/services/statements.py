"""The monthly supplier statement (对账单): issue, send, the supplier's reply, disputes.

- ``statement_issue``: freeze the month's figures of one supplier in one currency
  (``selectors.statements.statement_figures``) as a numbered statement (``SS…``); issuing again
  for the same supplier, month and currency *reissues*: the live statement is superseded (its
  open disputes are settled as "replaced by …"); a confirmed statement is not reissued.
- ``statement_send``: e-mail the PDF and the Excel to the supplier's contacts, by a task after
  the commit (``tasks.send_supplier_statement``); the result is recorded on the statement.
- ``statement_reply``: the supplier confirmed (refused while the month has not ended, and while
  a disputed line is open) or disputed named lines (``StatementDispute``, on the purchasing
  board until settled by ``dispute_settle``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import id_or_zero, no, parse_date, reason_required, refuse, require
from gendan.core.models import Currency
from gendan.core.money import format_money
from gendan.core.numbering import number_next
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.payables.errors import InvoicesError
from gendan.payables.events_invoices import (
    DisputeSettled,
    StatementConfirmed,
    StatementDisputed,
    StatementIssued,
    StatementSent,
    StatementSuperseded,
)
from gendan.payables.models import StatementDispute, SupplierStatement
from gendan.payables.selectors.statements import month_closed, month_start, statement_figures
from gendan.payables.services.invoices import money_field

log = logging.getLogger("gendan.payables")

ISSUE = "payables.add_supplierstatement"
REPLY = "payables.change_supplierstatement"
SETTLE = "payables.change_statementdispute"
St = SupplierStatement.Status
LIVE = (St.ISSUED, St.SENT, St.DISPUTED)
MAX_DISPUTES = 100


def parse_month(value, *, field: str = "month") -> dt.date:
    """``YYYY-MM`` (or a date) as the first day of that month."""
    if isinstance(value, dt.date):
        return month_start(value)
    text = str(value or "").strip()
    if len(text) == 7:
        text += "-01"
    try:
        return month_start(parse_date(text, field=field, required=True))
    except ValidationFailed:
        msg = _("Enter a month as YYYY-MM.")
        raise ValidationFailed(msg, code=CoreError.INVALID_DATE, fields={field: msg}) from None


def recipients(supplier: Supplier) -> list[str]:
    """The supplier's main contacts with an e-mail, else every contact's, else the supplier's own."""
    contacts = [c for c in supplier.contacts.all() if c.email]
    primary = [c.email for c in contacts if c.is_primary]
    if primary:
        return primary
    if contacts:
        return [c.email for c in contacts]
    return [supplier.email] if supplier.email else []


def statement_issue(*, actor: User, supplier_id: int, month, currency: str = "CNY", send: bool = False
                    ) -> SupplierStatement:
    """Issue (or reissue) the statement of ``supplier_id`` for ``month`` in ``currency``."""
    require(actor, ISSUE)
    errors = FieldErrors()
    supplier = Supplier.objects.filter(pk=id_or_zero(getattr(supplier_id, "pk", supplier_id))).first()
    if supplier is None:
        errors.add("supplier", _("Choose a supplier."), CoreError.VALIDATION_FAILED)
    try:
        first = parse_month(month)
    except ValidationFailed as exc:
        errors.add("month", exc.fields["month"][0], exc.code)
        first = None
    if first and first > month_start(timezone.localdate()):
        errors.add("month", _("%(month)s has not begun: a statement is issued for this month or an earlier one.")
                   % {"month": first.strftime("%Y-%m")}, InvoicesError.STATEMENT_MONTH_FUTURE)
    code = str(getattr(currency, "pk", currency) or "CNY").strip().upper()
    if not Currency.objects.filter(code=code, is_active=True).exists():
        errors.add("currency", _("“%(code)s” is not a currency in use.") % {"code": code[:10]},
                   CoreError.VALIDATION_FAILED)
    errors.raise_any()
    with transaction.atomic():
        supplier = lock_row(Supplier.objects.all(), supplier.pk)  # one issue at a time per supplier
        live = SupplierStatement.objects.filter(supplier=supplier, month=first, currency_id=code).exclude(
            status=St.SUPERSEDED).first()
        if live is not None and live.status == St.CONFIRMED:
            refuse(no(InvoicesError.STATEMENT_NOT_LIVE, _(
                "Statement %(no)s for %(month)s was confirmed by the supplier: it is not reissued.") % {
                "no": live.number, "month": first.strftime("%Y-%m")}))
        figures = statement_figures(supplier_id=supplier.pk, month=first, currency=code)
        number = number_next(code="supplier_statement")
        if live is not None:
            live.status = St.SUPERSEDED
            live.save(update_fields=["status", "updated_at"])
            now = timezone.now()
            for dispute in live.disputes.filter(settled_at__isnull=True):
                dispute.settled_at, dispute.settled_by = now, actor
                dispute.settlement = _("replaced by statement %(no)s") % {"no": number}
                dispute.save(update_fields=["settled_at", "settled_by", "settlement"])
            publish(StatementSuperseded(actor=actor, statement=live, replaced_by=number,
                                        changes={"status": {"old": "live", "new": St.SUPERSEDED}}))
        statement = SupplierStatement.objects.create(
            number=number, supplier=supplier, month=first, currency_id=code, opening_balance=figures.opening,
            delivered_amount=figures.delivered, invoiced_amount=figures.invoiced, paid_amount=figures.paid,
            closing_balance=figures.closing, lines=figures.lines, issued_by=actor)
        publish(StatementIssued(actor=actor, statement=statement))
        if send:
            _send(actor, statement)
    return statement


def _send(actor: User, statement: SupplierStatement) -> None:
    to = recipients(statement.supplier)
    if not to:
        msg = _("%(supplier)s has no contact with an e-mail address: add one to send the statement.") % {
            "supplier": statement.supplier}
        raise ValidationFailed(msg, code=InvoicesError.STATEMENT_NO_RECIPIENT, fields={"send": msg})
    statement.sent_to = ", ".join(to)[:400]
    statement.email_error = ""
    statement.save(update_fields=["sent_to", "email_error", "updated_at"])
    pk = statement.pk

    def enqueue():
        from gendan.payables import tasks

        tasks.send_supplier_statement.enqueue(pk)

    transaction.on_commit(enqueue)


def statement_send(*, actor: User, statement_id: int) -> SupplierStatement:
    """E-mail the statement (PDF and Excel) to the supplier's contacts, after the commit."""
    require(actor, ISSUE)
    with transaction.atomic():
        statement = lock_row(SupplierStatement.objects.select_related("supplier"), statement_id)
        if statement.status in (St.SUPERSEDED,):
            refuse(no(InvoicesError.STATEMENT_NOT_LIVE, _("Statement %(no)s was replaced: send the new one.") % {
                "no": statement.number}))
        _send(actor, statement)
    return statement


def statement_email(*, statement_id: int) -> bool:
    """Send the statement's e-mail (the task's body). The supplier reads Chinese: the e-mail and
    the PDF are in Chinese with the English beside it. Records when it went, or the error."""
    from gendan.payables.pdf_statement import statement_pdf
    from gendan.payables.xlsx_payables import statement_xlsx_bytes

    statement = SupplierStatement.objects.select_related("supplier", "currency").get(pk=statement_id)
    if statement.status == St.SUPERSEDED or not statement.sent_to:
        return False
    with translation.override("zh-hans"):
        company = settings.GENDAN_COMPANY_NAME.get("zh-hans", settings.GENDAN_COMPANY_NAME["en"])
        subject = _("Statement %(no)s for %(month)s — %(company)s") % {
            "no": statement.number, "month": statement.month.strftime("%Y-%m"), "company": company}
        body = "\n".join([
            _("Dear %(supplier)s,") % {"supplier": statement.supplier.display_name},
            "",
            _("Please find attached our statement %(no)s for %(month)s: opening balance %(opening)s, invoiced "
              "%(invoiced)s, paid %(paid)s, closing balance %(closing)s.") % {
                "no": statement.number, "month": statement.month.strftime("%Y-%m"),
                "opening": format_money(statement.opening_balance, statement.currency_id),
                "invoiced": format_money(statement.invoiced_amount, statement.currency_id),
                "paid": format_money(statement.paid_amount, statement.currency_id),
                "closing": format_money(statement.closing_balance, statement.currency_id)},
            _("Please check it and confirm, or tell us the lines you do not agree with."),
            "", _("Best regards,"), company])
        pdf = statement_pdf(statement, language="zh")
        xlsx = statement_xlsx_bytes(statement)
    email = EmailMessage(subject=subject, body=body, to=statement.sent_to.split(", "),
                         from_email=settings.DEFAULT_FROM_EMAIL)
    email.attach(f"{statement.number}.pdf", pdf, "application/pdf")
    email.attach(f"{statement.number}.xlsx", xlsx,
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # the mail server is down: the statement stays issued, the error shows on it
        log.warning("supplier statement %s: email failed: %s", statement.pk, exc)
        SupplierStatement.objects.filter(pk=statement.pk).update(email_error=str(exc)[:300])
        return False
    with transaction.atomic():
        statement = SupplierStatement.objects.select_for_update().get(pk=statement.pk)
        statement.email_sent_at, statement.email_error = timezone.now(), ""
        fields = ["email_sent_at", "email_error", "updated_at"]
        if statement.status == St.ISSUED:
            statement.status = St.SENT
            fields.append("status")
        statement.save(update_fields=fields)
        publish(StatementSent(actor=None, statement=statement))
    return True


def statement_reply(*, actor: User, statement_id: int, outcome: str, note: str = "",
                    disputes: Iterable[Mapping] = ()) -> SupplierStatement:
    """Record the supplier's reply: ``outcome`` ``confirmed`` or ``disputed`` (with
    ``disputes``: rows ``{line_ref, amount (default the line's), reason}``)."""
    require(actor, REPLY)
    if outcome not in (St.CONFIRMED, St.DISPUTED):
        msg = _("Choose confirmed or disputed.")
        raise ValidationFailed(msg, code=CoreError.VALIDATION_FAILED, fields={"outcome": msg})
    note = str(note or "").strip()
    if len(note) > 400:
        msg = _("At most %(n)d characters.") % {"n": 400}
        raise ValidationFailed(msg, code=CoreError.VALIDATION_FAILED, fields={"note": msg})
    today = timezone.localdate()
    with transaction.atomic():
        statement = lock_row(SupplierStatement.objects.select_related("supplier"), statement_id)
        if statement.status not in LIVE:
            refuse(no(InvoicesError.STATEMENT_NOT_LIVE, _("Statement %(no)s is %(status)s: no reply is recorded.")
                      % {"no": statement.number, "status": statement.get_status_display()}))
        if outcome == St.CONFIRMED:
            if not month_closed(statement.month, today):
                msg = _("Statement %(no)s is for %(month)s, which has not ended yet: a statement is confirmed once "
                        "its month is closed (from %(from)s).") % {
                    "no": statement.number, "month": statement.month.strftime("%Y-%m"),
                    "from": _next(statement.month).isoformat()}
                raise ValidationFailed(msg, code=InvoicesError.STATEMENT_MONTH_OPEN, fields={"outcome": msg})
            open_lines = list(statement.disputes.filter(settled_at__isnull=True).values_list("line_ref", flat=True))
            if open_lines:
                refuse(no(InvoicesError.STATEMENT_DISPUTES_OPEN, _(
                    "Statement %(no)s still has disputed lines not settled: %(lines)s. Settle them (or reissue the "
                    "statement) first.") % {"no": statement.number, "lines": ", ".join(open_lines)}))
            old = statement.status
            statement.status = St.CONFIRMED
            statement.replied_at, statement.replied_by, statement.reply_note = timezone.now(), actor, note
            statement.save(update_fields=["status", "replied_at", "replied_by", "reply_note", "updated_at"])
            publish(StatementConfirmed(actor=actor, statement=statement, reason=note,
                                       changes={"status": {"old": old, "new": St.CONFIRMED}}))
            return statement
        rows = _dispute_rows(statement, disputes)
        now = timezone.now()
        StatementDispute.objects.bulk_create([StatementDispute(
            statement=statement, line_ref=r["line_ref"], amount=r["amount"], reason=r["reason"], recorded_by=actor,
            recorded_at=now) for r in rows])
        old = statement.status
        statement.status = St.DISPUTED
        statement.replied_at, statement.replied_by, statement.reply_note = now, actor, note
        statement.save(update_fields=["status", "replied_at", "replied_by", "reply_note", "updated_at"])
        total = sum((r["amount"] for r in rows), Decimal(0))
        publish(StatementDisputed(actor=actor, statement=statement, reason=note, n=len(rows),
                                  amount=format_money(total, statement.currency_id),
                                  changes={"status": {"old": old, "new": St.DISPUTED}}))
    return statement


def _next(month: dt.date) -> dt.date:
    from gendan.payables.selectors.statements import next_month

    return next_month(month)


def _dispute_rows(statement: SupplierStatement, disputes: Iterable[Mapping]) -> list[dict]:
    lines = {str(x.get("ref")): x for x in statement.lines or []}
    errors = FieldErrors()
    rows = []
    disputes = list(disputes or [])
    if not disputes:
        msg = _("Name the lines the supplier disputes.")
        raise ValidationFailed(msg, code=CoreError.VALIDATION_FAILED, fields={"disputes": msg})
    if len(disputes) > MAX_DISPUTES:
        msg = _("At most %(n)d disputed lines.") % {"n": MAX_DISPUTES}
        raise ValidationFailed(msg, code=CoreError.VALIDATION_FAILED, fields={"disputes": msg})
    seen = set()
    for i, raw in enumerate(disputes):
        if not isinstance(raw, Mapping):
            errors.add(f"disputes.{i}", _("A disputed line is a line with its reason."), CoreError.VALIDATION_FAILED)
            continue
        ref = str(raw.get("line_ref") or "").strip()
        line = lines.get(ref)
        if line is None:
            errors.add(f"disputes.{i}.line_ref", _("Statement %(no)s has no line “%(ref)s”.") % {
                "no": statement.number, "ref": ref[:60]}, InvoicesError.STATEMENT_LINE_UNKNOWN)
            continue
        if ref in seen:
            errors.add(f"disputes.{i}.line_ref", _("Line %(ref)s is named twice.") % {"ref": ref},
                       CoreError.DUPLICATE_ITEM)
            continue
        seen.add(ref)
        amount = raw.get("amount")
        if amount in (None, ""):
            amount = Decimal(line["amount"])
        else:
            amount = money_field(amount, f"disputes.{i}.amount", errors, currency=statement.currency_id)
        reason = str(raw.get("reason") or "").strip()
        if len(reason) < 3:
            errors.add(f"disputes.{i}.reason", _("Give the supplier's reason (at least 3 characters)."),
                       CoreError.REASON_REQUIRED)
        rows.append({"line_ref": ref, "amount": amount, "reason": reason[:300]})
    errors.raise_any()
    return rows


def dispute_settle(*, actor: User, dispute_id: int, settlement: str) -> StatementDispute:
    """Settle a disputed line with how it was settled (credit note, invoice corrected, the
    supplier agreed …). It leaves the purchasing board."""
    require(actor, SETTLE)
    text = reason_required(settlement, _("how the dispute was settled"), field="settlement")[:300]
    with transaction.atomic():
        dispute = lock_row(StatementDispute.objects.select_related("statement"), dispute_id)
        if dispute.settled_at is not None:
            refuse(no(InvoicesError.STATEMENT_NOT_LIVE, _("Line %(ref)s was already settled: %(how)s") % {
                "ref": dispute.line_ref, "how": dispute.settlement}))
        dispute.settled_at, dispute.settled_by, dispute.settlement = timezone.now(), actor, text
        dispute.save(update_fields=["settled_at", "settled_by", "settlement"])
        publish(DisputeSettled(actor=actor, statement=dispute.statement, dispute=dispute, reason=text))
    return dispute
