"""Excel of payables: a supplier statement (its totals, then its frozen lines) and the aging of
what we owe. The invoice list's Excel is the list page's own export (``core.listing``)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gendan.core.xlsx import _cell_value

KIND_LABELS = {"delivery": "delivered", "invoice": "invoice", "payment": "payment"}


def _kind(kind: str) -> str:
    return {"delivery": _("delivered"), "invoice": _("invoice"), "payment": _("payment")}.get(kind, kind)


def statement_workbook(statement) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = statement.number[:31]
    bold = Font(bold=True)
    cur = statement.currency_id
    head = [
        (_("statement no."), statement.number),
        (_("supplier"), str(statement.supplier)),
        (_("month"), statement.month.strftime("%Y-%m")),
        (_("currency"), cur),
        (_("opening balance"), statement.opening_balance),
        (_("delivered"), statement.delivered_amount),
        (_("invoiced"), statement.invoiced_amount),
        (_("paid"), statement.paid_amount),
        (_("closing balance"), statement.closing_balance),
    ]
    for label, value in head:
        ws.append([_cell_value(label), _cell_value(value)])
        ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([])
    ws.append([_("line"), _("date"), _("kind"), _("document"), _("order"), _("quantity"), _("amount")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for x in statement.lines or []:
        qty = Decimal(x["quantity"]) if x.get("quantity") else ""
        ws.append([_cell_value(v) for v in (x["ref"], x["date"], _kind(x["kind"]), x.get("doc", ""),
                                            x.get("order", ""), qty, Decimal(x["amount"]))])
    for col, width in zip("ABCDEFG", (18, 12, 12, 22, 18, 12, 16), strict=True):
        ws.column_dimensions[col].width = width
    return wb


def statement_xlsx_bytes(statement) -> bytes:
    buffer = io.BytesIO()
    statement_workbook(statement).save(buffer)
    return buffer.getvalue()


def aging_rows(rows, labels) -> tuple[list[str], list[list]]:
    headers = [str(_("supplier")), str(_("currency")), *[str(x) for x in labels], str(_("total")),
               str(_("invoices")), str(_("next due"))]
    body = [[str(r.supplier), r.currency, *r.buckets, r.total, r.invoices, r.next_due] for r in rows]
    return headers, body
