"""Excel exports of the ledger part (``core.xlsx``): the statement of account and the aging, each
exactly what its page shows — same rows, same numbers (Decimal cells, not text)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.core.xlsx import xlsx_response
from gendan.receivables.selectors.aging import AgingReport
from gendan.receivables.selectors.ledger import INSTALMENT, ON_ACCOUNT, PAYMENT
from gendan.receivables.services.statements import Statement


def entry_text(e) -> str:
    """What a ledger line says, in the reader's language (the page, the Excel and the API)."""
    if e.kind == INSTALMENT:
        kind = _("deposit") if e.instalment == "deposit" else _("balance")
        return f"{kind} · {e.order_number} (PO {e.customer_po_no}) · {e.due_text}"
    if e.kind == PAYMENT:
        text = _("payment %(receipt)s (%(reference)s) to %(order)s") % {
            "receipt": e.receipt_number, "reference": e.bank_reference, "order": e.order_number}
        if e.exchange_rate:
            text += f" · {e.receipt_currency} {e.receipt_amount} @ {e.exchange_rate}"
        if e.bank_charges:
            text += " · " + _("bank charges deducted %(amount)s") % {
                "amount": f"{e.receipt_currency} {e.bank_charges}"}
        return text
    if e.kind == ON_ACCOUNT:
        return _("on account, not allocated: %(receipt)s (%(reference)s)") % {
            "receipt": e.receipt_number, "reference": e.bank_reference}
    return ""


def statement_xlsx(statement: Statement):
    headers = [_("currency"), _("date"), _("description"), _("due date"), _("debit"), pgettext("ledger", "credit"), _("balance")]
    rows: list[list] = []
    for c in statement.currencies:
        rows.append([c.currency, statement.start, _("Opening balance"), None, None, None, c.opening])
        for e in c.movements:
            rows.append([c.currency, e.day, entry_text(e), e.due_date, e.debit or None, e.credit or None, e.balance])
        rows.append([c.currency, statement.end, _("Closing balance"), None, c.debit, c.credit, c.closing])
    rows.append([])
    rows.append([_("Open items"), None, None, None, None, None, None])
    for c in statement.currencies:
        for item in c.open_items:
            if item["kind"] == ON_ACCOUNT:
                label = _("on account") + f" {item.get('receipt_number', '')}"
            elif item["credit_item"]:
                label = _("credit on order %(order)s") % {"order": item["order_number"]}
            else:
                label = f"{_('deposit') if item['kind'] == 'deposit' else _('balance')} · {item['order_number']}"
            rows.append([c.currency, None, label, item["due_date"], None, None, item["open"]])
    return xlsx_response(filename=f"{statement.number}.xlsx", sheet_title=_("Statement")[:31], headers=headers,
                         rows=rows)


def aging_columns(report: AgingReport) -> list[str]:
    return [report.group_label, _("currency"), *[b.label for b in report.buckets], _("in dispute"), _("total")]


def aging_row_values(row) -> list:
    return [*row.amounts, row.disputed, row.total]


def aging_xlsx(report: AgingReport):
    rows = [[row.label if report.group != "currency" else row.currency, row.currency, *aging_row_values(row)]
            for row in report.rows]
    rows += [[_("Total"), total.currency, *aging_row_values(total)] for total in report.totals]
    if report.cny_totals:
        rows.append([_("Total in CNY"), "CNY", *report.cny_totals])
    return xlsx_response(filename=f"aging-{report.as_of:%Y%m%d}.xlsx", sheet_title=_("Aging")[:31],
                         headers=aging_columns(report), rows=rows)
