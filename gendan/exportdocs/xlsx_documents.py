"""The commercial invoice and the packing list as Excel workbooks (openpyxl), for the people
who expect them: the same numbers as the PDF (both print the stored data), bold headers,
number formats, column widths, a totals row. The totals are written as values, the document's
own totals (the sums of its lines, as the PDF prints them), not as formulas: openpyxl stores no
computed result for a formula, so a reader that does not calculate would see none."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gendan.core.money import currency_info

XLSX_KINDS = ("commercial_invoice", "packing_list")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SHADE = PatternFill("solid", fgColor="E4E7EB")
THIN = Side(style="thin", color="9AA5B1")
RULED = Border(top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _num(value) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _head(ws, data: dict, title: str) -> int:
    ws["A1"] = data.get("issuer", "")
    ws["A1"].font = BOLD
    ws["A2"] = title
    ws["A2"].font = TITLE
    rows = [("No.", data["number"]), ("Date", data["date"]), ("To", data.get("made_out_to", "")),
            ("Order / PO", f"{data.get('order_number', '')} / {data.get('customer_po_no', '')}"),
            ("L/C no.", data.get("credit_number", "")), ("From / to", f"{data.get('port_of_loading', '')} → "
                                                                      f"{data.get('port_of_discharge', '')}"),
            ("Vessel", data.get("vessel", ""))]
    r = 4
    for label, value in rows:
        if value:
            ws.cell(r, 1, label).font = BOLD
            ws.cell(r, 2, value).alignment = WRAP
            r += 1
    if data.get("provisional"):
        ws.cell(r, 1, "DRAFT — not shipped yet").font = Font(bold=True, color="9B1C1C")
        r += 1
    return r + 1


def _header_row(ws, r: int, labels: list[str], widths: list[int]) -> None:
    for c, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(r, c, label)
        cell.font, cell.fill, cell.border = BOLD, SHADE, RULED
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width


def _total(ws, r: int, col: int, value, fmt: str) -> None:
    """The document's total of a column (the sum of its lines) in the totals row."""
    cell = ws.cell(r, col, value)
    cell.font, cell.number_format, cell.border = BOLD, fmt, RULED


def invoice_workbook(data: dict) -> Workbook:
    places = currency_info(data["currency"]).minor_unit
    money = "#,##0" + ("." + "0" * places if places else "")
    wb = Workbook()
    ws = wb.active
    ws.title = "Invoice"
    r = _head(ws, data, "COMMERCIAL INVOICE")
    _header_row(ws, r, ["No.", "Item no.", "Description", "HS code", "Quantity", "Unit",
                        f"Unit price ({data['currency']})", f"Amount ({data['currency']})"],
                [6, 14, 44, 12, 12, 8, 16, 16])
    first = r + 1
    for i, line in enumerate(data["lines"], start=first):
        values = [line["line_no"], line.get("product_code", ""), line["description"], line.get("hs_code", ""),
                  _num(line["quantity"]), line["unit"], _num(line["unit_price"]), _num(line["amount"])]
        for c, value in enumerate(values, start=1):
            ws.cell(i, c, value)
        ws.cell(i, 3).alignment = WRAP
        ws.cell(i, 5).number_format = "#,##0.###"
        ws.cell(i, 7).number_format = "#,##0.00##"
        ws.cell(i, 8).number_format = money
    r = first + len(data["lines"])
    ws.cell(r, 3, "TOTAL").font = BOLD
    _total(ws, r, 5, _num(sum(Decimal(line["quantity"]) for line in data["lines"])), "#,##0.###")
    _total(ws, r, 8, _num(data["total"]), money)
    ws.cell(r + 1, 1, data["amount_in_words"]).font = BOLD
    facts = [("Total", _num(data["total"]), money), ("Packages (CTNS)", data.get("packages"), "0"),
             ("Gross weight (kg)", _num(data.get("gross_weight_kg")), "#,##0.00"),
             ("Net weight (kg)", _num(data.get("net_weight_kg")), "#,##0.00"),
             ("Measurement (CBM)", _num(data.get("cbm")), "0.000"), ("Marks", data.get("marks", ""), None)]
    for k, (label, value, fmt) in enumerate(facts, start=r + 3):
        ws.cell(k, 2, label).font = BOLD
        cell = ws.cell(k, 3, value)
        cell.alignment = WRAP
        if fmt:
            cell.number_format = fmt
    return wb


def packing_workbook(data: dict) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Packing list"
    r = _head(ws, data, "PACKING LIST")
    _header_row(ws, r, ["C/NO. from", "C/NO. to", "Item no.", "Description", "PCS/CTN", "CTNS", "Quantity",
                        "N.W./CTN (kg)", "G.W./CTN (kg)", "N.W. (kg)", "G.W. (kg)", "Meas. (cm)", "CBM"],
                [9, 9, 14, 36, 9, 8, 11, 11, 11, 11, 11, 16, 9])
    first = r + 1
    for i, line in enumerate(data["lines"], start=first):
        values = [line.get("carton_from"), line.get("carton_to"), line.get("product_code", ""), line["description"],
                  _num(line.get("pcs_per_carton")), line.get("cartons"), _num(line["quantity"]),
                  _num(line.get("nw_per_carton")), _num(line.get("gw_per_carton")), _num(line.get("nw_total")),
                  _num(line.get("gw_total")), line.get("measurement_cm", ""), _num(line.get("cbm"))]
        for c, value in enumerate(values, start=1):
            ws.cell(i, c, value)
        ws.cell(i, 4).alignment = WRAP
        for c in (8, 9, 10, 11):
            ws.cell(i, c).number_format = "#,##0.00"
        ws.cell(i, 13).number_format = "0.000"
    r = first + len(data["lines"])
    ws.cell(r, 4, "TOTAL").font = BOLD
    _total(ws, r, 6, data.get("packages"), "0")
    _total(ws, r, 7, _num(data.get("quantity")), "#,##0.###")
    _total(ws, r, 10, _num(data.get("net_weight_kg")), "#,##0.00")
    _total(ws, r, 11, _num(data.get("gross_weight_kg")), "#,##0.00")
    _total(ws, r, 13, _num(data.get("cbm")), "0.000")
    ws.cell(r + 2, 1, "Marks").font = BOLD
    ws.cell(r + 2, 3, data.get("marks", "")).alignment = WRAP
    return wb


def render_xlsx(kind: str, data: dict) -> bytes:
    wb = invoice_workbook(data) if kind == "commercial_invoice" else packing_workbook(data)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
