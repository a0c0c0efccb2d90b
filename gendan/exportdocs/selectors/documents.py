"""The document set of a shipment as data: what each document prints, read from the shipment,
its order, the order's lines and cells, the products (export carton, HS code, export data) and
the credit that pays the order — never typed twice. The data of each kind is the contract of
``ShipmentDocument.data`` (docs/workflows/export-documents.md): decimals as strings, dates ISO.

Read-only; the service (``services.documents``) numbers, versions and stores it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.catalog.variant_names import VariantNames
from gendan.core.money import (
    amount_in_words_en,
    currency_info,
    line_amount,
    sum_amounts,
)
from gendan.documents.pdf.chinese import amount_in_capitals
from gendan.documents.pdf.company import company
from gendan.exportdocs.models import DocumentKind, LetterOfCredit, ProductExportData, ShipmentDocument
from gendan.exportdocs.selectors.credits import credit_for_order
from gendan.parties.countries import COUNTRIES
from gendan.shipping.models import Shipment
from gendan.shipping.packing import CartonPart, carton_parts
from gendan.shipping.services.bills import bill_expected, live_containers, sailing_booking

K = DocumentKind
# The kinds Gendan makes, in the order of the set (the others are made by third parties and
# tracked as certificates, or by the shipping app: the shipping advice).
GENERATED_KINDS = (K.COMMERCIAL_INVOICE, K.PACKING_LIST, K.SHIPPING_MARKS, K.BENEFICIARY_CERTIFICATE, K.DRAFT,
                   K.INSURANCE_DECLARATION, K.ORIGIN_DATA, K.CUSTOMS_DATA)
ALWAYS = (K.COMMERCIAL_INVOICE, K.PACKING_LIST, K.SHIPPING_MARKS, K.ORIGIN_DATA, K.CUSTOMS_DATA)
INSURED_TERMS = ("CIF", "CIP")
FOB_TERMS = ("FOB", "FCA", "EXW", "FAS")
COLLECTION_METHODS = ("dp", "da")
DEFAULT_INSURANCE_PCT = Decimal("110")
# Certificate of origin form by the destination (the customer's country): FORM E for the
# China–ASEAN agreement, RCEP for the other RCEP members, a general (non-preferential) C/O else.
ASEAN = frozenset({"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"})
RCEP_OTHERS = frozenset({"JP", "KR", "AU", "NZ"})
UNKNOWN = "—"
BENEFICIARY_TEXT = ("WE HEREBY CERTIFY THAT ONE SET OF NON-NEGOTIABLE SHIPPING DOCUMENTS HAS BEEN SENT TO THE "
                    "APPLICANT BY COURIER WITHIN 3 DAYS AFTER SHIPMENT AND THAT THE GOODS ARE OF CHINESE ORIGIN "
                    "AS DESCRIBED IN THE COMMERCIAL INVOICE.")
# Fields that change every time a document is made without its content changing.
VOLATILE = ("date",)


def _s(value) -> str | None:
    """A decimal as the data stores it ("12.500" → "12.5"); None stays None."""
    if value is None:
        return None
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def language_of(customer) -> str:
    """Chinese for a domestic customer (country CN), English for everyone else."""
    return "zh" if customer.country == "CN" else "en"


def origin_form(country: str) -> str:
    if country in ASEAN:
        return "form_e"
    if country in RCEP_OTHERS:
        return "rcep"
    return "general"


@dataclass
class Missing:
    """Something a document needs that is not recorded ("P-001: HS code")."""

    product_code: str
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"product_code": self.product_code, "field": self.field, "message": self.message}


@dataclass
class SetSource:
    """Everything the documents of one shipment are built from, read once."""

    shipment: Shipment
    order: object
    customer: object
    credit: LetterOfCredit | None
    lang: str
    currency: str
    places: int
    rows: list = field(default_factory=list)  # shipment lines with order line + product + export data
    missing: list[Missing] = field(default_factory=list)

    def lack(self, product, field_name: str, message: str) -> None:
        code = getattr(product, "code", "") or "—"
        if not any(m.product_code == code and m.field == field_name for m in self.missing):
            self.missing.append(Missing(code, field_name, message))


def set_source(shipment: Shipment) -> SetSource:
    """Read the shipment, its order, customer, credit and lines (with products and their export
    data) once for all the documents."""
    order = shipment.order
    rows = list(shipment.lines.select_related("order_line__product").prefetch_related("cells__order_cell", "order_line__cells")
                .order_by("order_line__line_no"))
    products = [r.order_line.product_id for r in rows if r.order_line.product_id]
    export = {e.product_id: e for e in ProductExportData.objects.filter(product_id__in=products)}
    for row in rows:
        row.export_data = export.get(row.order_line.product_id)
    currency = order.currency_id
    return SetSource(shipment=shipment, order=order, customer=order.customer, credit=credit_for_order(order),
                     lang=language_of(order.customer), currency=currency,
                     places=currency_info(currency).minor_unit, rows=rows)


def kinds_needed(src: SetSource) -> list[str]:
    """The documents this shipment's set needs: the ones always made, the beneficiary's
    certificate when the credit asks for one, a draft under any L/C (drawn on the issuing bank)
    and under D/P / D/A collections, the insurance declaration under CIF / CIP."""
    kinds = list(ALWAYS)
    required = {str(item.get("kind")) for item in (src.credit.documents_required if src.credit else [])
                if isinstance(item, dict)}
    if src.credit is not None and K.BENEFICIARY_CERTIFICATE in required:
        kinds.append(K.BENEFICIARY_CERTIFICATE)
    if src.credit is not None or src.order.payment_method in COLLECTION_METHODS:
        kinds.append(K.DRAFT)
    if src.order.incoterm in INSURED_TERMS:
        kinds.append(K.INSURANCE_DECLARATION)
    return [k for k in GENERATED_KINDS if k in kinds]


# --- the shared pieces: parties, marks, cartons -----------------------------------------------


def seller_name(src: SetSource) -> str:
    seller = company()
    return str(seller["name_zh"] if src.lang == "zh" else seller["name_en"])


def issuer(src: SetSource) -> str:
    """The beneficiary of the credit, else our company in the document's language."""
    return src.credit.beneficiary.strip() if src.credit else seller_name(src)


def made_out_to(src: SetSource) -> str:
    """The credit's applicant, else the customer's name in the document's language."""
    if src.credit:
        return src.credit.applicant.strip()
    c = src.customer
    return (c.name_zh or c.name_en) if src.lang == "zh" else (c.name_en or c.name_zh)


def buyer_address(src: SetSource) -> str:
    c = src.customer
    names = COUNTRIES.get(c.country)
    country = (names[0] if src.lang == "zh" else names[1]) if names else c.country
    return "\n".join(p for p in (c.address, c.city if c.city not in (c.address or "") else "", country) if p)


def main_marks(src: SetSource, cartons: int | None) -> str:
    """The order's shipping marks as the B/L repeats them; without any the UNECE Rec. 15
    elements (buyer, reference, destination, package no.)."""
    marks = (src.order.shipping_marks or "").strip()
    if marks:
        return marks.replace("\r\n", "\n")
    c, order = src.customer, src.order
    count = cartons or "N"
    parts = [(c.short_name or c.code or "").upper(), f"PO NO.: {order.customer_po_no}",
             (src.shipment.port_of_destination or order.port_of_destination or "").upper(), f"C/NO. 1-{count}",
             "MADE IN CHINA"]
    return "\n".join(p for p in parts if p)


@dataclass
class CartonRow:
    """One carton range of the packing list."""

    row: object  # the shipment line
    product: object
    cartons: int | None
    pcs: Decimal | None  # per carton
    quantity: Decimal
    nw: Decimal | None  # per carton
    gw: Decimal | None
    cbm_each: Decimal | None


def _carton_rows(src: SetSource, row) -> list[CartonRow]:
    """The line's cartons: full cartons of the product's units per carton, and a last partial
    carton on its own row with what it really holds (its N.W. in proportion, the same tare)."""
    product = row.order_line.product
    per = getattr(product, "units_per_carton", None)
    nw, gw = getattr(product, "net_weight_kg", None), getattr(product, "gross_weight_kg", None)
    cbm = getattr(product, "carton_cbm", None) if product is not None else None
    cartons = row.cartons
    if product is None:
        src.lack(None, "product", _("Line %(no)s has no product: no carton data.") % {"no": row.order_line.line_no})
    else:
        if not per:
            src.lack(product, "units_per_carton", _("%(code)s: units per carton") % {"code": product.code})
        if nw is None or gw is None:
            src.lack(product, "weights", _("%(code)s: N.W. / G.W. per carton") % {"code": product.code})
        if cbm is None:
            src.lack(product, "carton_dimensions", _("%(code)s: carton dimensions") % {"code": product.code})
    return [CartonRow(row, product, part.cartons, part.pcs, part.quantity, part.nw, part.gw, cbm)
            for part in carton_parts(row.quantity, cartons, per, nw, gw)]


def packing_lines(src: SetSource) -> tuple[list[dict], dict]:
    """The packing list's carton ranges (C/NO. 1–50, 51–80 …) in line order, and their totals
    (cartons, quantity, N.W., G.W., CBM: the sums of the lines)."""
    lines, next_no = [], 1
    totals = {"packages": 0, "quantity": Decimal(0), "net": Decimal(0), "gross": Decimal(0), "cbm": Decimal(0)}
    for row in src.rows:
        for part in _carton_rows(src, row):
            first = last = None
            if part.cartons:
                first, last = next_no, next_no + part.cartons - 1
                next_no = last + 1
            n = part.cartons or 0
            weighed = CartonPart(part.cartons, part.pcs, part.quantity, part.nw, part.gw)
            nw_total, gw_total = weighed.net_kg, weighed.gross_kg
            cbm_total = (part.cbm_each * n).quantize(Decimal("0.001"), ROUND_HALF_UP) if part.cbm_each else None
            product = part.product
            lines.append({
                "line_no": row.order_line.line_no, "carton_from": first, "carton_to": last, "cartons": part.cartons,
                "description": row.order_line.description, "product_code": getattr(product, "code", "") or "",
                "pcs_per_carton": _s(part.pcs), "quantity": _s(part.quantity), "unit": row.order_line.unit,
                "nw_per_carton": _s(part.nw), "gw_per_carton": _s(part.gw), "nw_total": _s(nw_total),
                "gw_total": _s(gw_total), "measurement_cm": product.carton_dimensions if product is not None else "",
                "cbm": _s(cbm_total), "partial": bool(part.pcs is not None and product is not None
                                                      and product.units_per_carton
                                                      and part.pcs < product.units_per_carton),
            })
            totals["packages"] += n
            totals["quantity"] += part.quantity
            totals["net"] += nw_total or 0
            totals["gross"] += gw_total or 0
            totals["cbm"] += cbm_total or 0
    return lines, totals


# --- the documents ---------------------------------------------------------------------------


def shipped_cells(row) -> list[tuple[str, str, Decimal]]:
    """The colour × size quantities of a shipment line: its own cells, or — for a line shipped
    without them (``order_ship`` records lines only) that takes the whole order line — the
    order line's cells."""
    cells = [(c.order_cell.colour, c.order_cell.size, c.quantity) for c in row.cells.all() if c.quantity]
    if cells:
        return cells
    line = row.order_line
    if row.quantity == line.quantity:
        return [(c.colour, c.size, c.quantity) for c in line.cells.all() if c.quantity]
    return []


def variant_names(src: SetSource) -> VariantNames:
    """Colour and size names in the document's language ("白" → "White" on an English invoice)."""
    cells = [cell for row in src.rows for cell in shipped_cells(row)]
    return VariantNames.load((c for c, _s, _q in cells), (s for _c, s, _q in cells), lang=src.lang)


def invoice_lines(src: SetSource) -> list[dict]:
    """The shipped quantities of the shipment's lines at the order lines' unit prices."""
    result = []
    names = variant_names(src)
    for row in src.rows:
        line, product = row.order_line, row.order_line.product
        hs = getattr(product, "hs_code", "") or ""
        if product is not None and not hs:
            src.lack(product, "hs_code", _("%(code)s: HS code") % {"code": product.code})
        cells = [{"colour": names.colour(colour), "size": names.size(size), "quantity": _s(q)}
                 for colour, size, q in shipped_cells(row)]
        result.append({
            "line_no": line.line_no, "description": line.description, "quantity": _s(row.quantity),
            "unit": line.unit, "unit_price": _s(line.unit_price),
            "amount": _money(line_amount(row.quantity, line.unit_price, src.currency), src.places),
            "order_line_id": line.pk, "hs_code": hs, "product_code": getattr(product, "code", "") or "",
            "cells": cells,
        })
    return result


def goods_description(src: SetSource, lines: list[dict]) -> str:
    """The credit's 45A text first (the invoice must correspond with it), then the lines."""
    described = "; ".join(dict.fromkeys(line["description"] for line in lines))
    if src.credit and src.credit.goods_description.strip():
        return f"{src.credit.goods_description.strip()}\n{described}" if described else src.credit.goods_description
    return described


def _vessel(src: SetSource) -> str:
    shipment = src.shipment
    if shipment.vessel_voyage:
        return shipment.vessel_voyage
    booking = sailing_booking(shipment) if shipment.transport_mode != Shipment.Mode.AIR else None
    return " ".join(p for p in ((booking.vessel, booking.voyage) if booking else ()) if p)


def _common(src: SetSource, number: str, day: dt.date) -> dict:
    s, o = src.shipment, src.order
    return {"number": number, "date": day.isoformat(), "language": src.lang, "provisional": s.status != "shipped",
            "order_number": o.number, "customer_po_no": o.customer_po_no, "shipment_number": s.number,
            "issuer": issuer(src), "made_out_to": made_out_to(src), "buyer_address": buyer_address(src),
            "port_of_loading": s.port_of_loading or o.port_of_loading,
            "port_of_discharge": s.port_of_destination or o.port_of_destination, "vessel": _vessel(src),
            "credit_number": src.credit.number if src.credit else "",
            "incoterm": o.incoterm, "incoterm_place": o.incoterm_place}


def payment_terms(src: SetSource) -> str:
    """The order's payment terms in the document's language (Chinese with the English)."""
    with translation.override("en"):
        english = str(src.order.get_payment_method_display())
    if src.lang != "zh":
        return english
    with translation.override("zh-hans"):
        return f"{src.order.get_payment_method_display()} {english}"


def commercial_invoice(src: SetSource, base: dict, totals: dict, marks: str) -> dict:
    lines = invoice_lines(src)
    total = sum_amounts([Decimal(line["amount"]) for line in lines], src.currency)
    words = amount_in_words_en(total, src.currency)
    data = {**base, "currency": src.currency, "lines": lines, "total": _money(total, src.places),
            "amount_in_words": words, "goods_description": goods_description(src, lines),
            "packages": totals["packages"], "gross_weight_kg": _s(totals["gross"]),
            "net_weight_kg": _s(totals["net"]), "cbm": _s(totals["cbm"]), "marks": marks,
            "payment_terms": payment_terms(src),
            "issuing_bank": src.credit.issuing_bank if src.credit else ""}
    if src.lang == "zh":
        data["amount_in_words_zh"] = amount_in_capitals(total, src.currency)
    return data


def packing_list(base: dict, lines: list[dict], totals: dict, marks: str) -> dict:
    return {**base, "packages": totals["packages"], "quantity": _s(totals["quantity"]),
            "gross_weight_kg": _s(totals["gross"]), "net_weight_kg": _s(totals["net"]), "cbm": _s(totals["cbm"]),
            "marks": marks, "lines": lines}


def shipping_marks(src: SetSource, base: dict, totals: dict, marks: str) -> dict:
    """Main marks (the order's, as the B/L repeats them) and a side mark per line: item no.,
    colours, quantity per carton, N.W., G.W., carton size."""
    side = []
    names = variant_names(src)
    for row in src.rows:
        product = row.order_line.product
        colours = list(dict.fromkeys(names.colour(colour) for colour, _size, _q in shipped_cells(row)))
        side.append({"line_no": row.order_line.line_no, "item_no": getattr(product, "code", "") or "",
                     "description": row.order_line.description, "colours": colours,
                     "pcs_per_carton": getattr(product, "units_per_carton", None),
                     "unit": row.order_line.unit,
                     "nw_kg": _s(getattr(product, "net_weight_kg", None)),
                     "gw_kg": _s(getattr(product, "gross_weight_kg", None)),
                     "measurement_cm": product.carton_dimensions if product is not None else ""})
    return {**base, "main_marks": marks, "marks": marks, "packages": totals["packages"], "side_marks": side}


def beneficiary_certificate(src: SetSource, base: dict) -> dict:
    """The credit's wording for the certificate (its 46A note) else the standard one."""
    note = next((str(item.get("note") or "") for item in src.credit.documents_required
                 if isinstance(item, dict) and item.get("kind") == K.BENEFICIARY_CERTIFICATE), "").strip()
    text = note.upper()
    if text.startswith(("CERTIFYING THAT", "CERTIFY THAT")):  # 46A's usual "… certifying that …"
        text = "WE HEREBY CERTIFY THAT " + text.split("THAT", 1)[1].strip()
    return {**base, "text": text or BENEFICIARY_TEXT, "invoice_number": base["number"]}


def tenor_text(credit: LetterOfCredit | None, order) -> str:
    if credit is None:
        if order.payment_method == "da":
            return f"AT {order.payment_days} DAYS AFTER SIGHT"
        return "AT SIGHT"
    if credit.tenor == LetterOfCredit.Tenor.SIGHT:
        return "AT SIGHT"
    after = {"bl_date": "AFTER B/L DATE", "sight": "AFTER SIGHT", "invoice_date": "AFTER INVOICE DATE"}
    return f"AT {credit.usance_days} DAYS {after.get(credit.usance_from, 'AFTER SIGHT')}"


def draft(src: SetSource, base: dict, invoice: dict) -> dict:
    """The bill of exchange for the invoice total: on the issuing bank under a credit, on the
    buyer under a collection; drawn by us, payable to our bank."""
    seller = company()
    drawee = src.credit.issuing_bank if src.credit else f"{made_out_to(src)}\n{buyer_address(src)}"
    drawn_under = (f"DRAWN UNDER {src.credit.issuing_bank} L/C NO. {src.credit.number}"
                   + (f" DATED {src.credit.issued_on:%d %b %Y}".upper() if src.credit.issued_on else "")
                   if src.credit else f"DOCUMENTS AGAINST {'ACCEPTANCE' if src.order.payment_method == 'da' else 'PAYMENT'}")
    return {**base, "amount": invoice["total"], "amount_in_words": invoice["amount_in_words"],
            "currency": src.currency, "drawee": drawee, "drawer": issuer(src),
            "payee": str(seller["bank_name"]), "tenor": tenor_text(src.credit, src.order),
            "drawn_under": drawn_under, "invoice_number": invoice["number"],
            "place": (base["port_of_loading"] or "CHINA").upper()}


def insured_amount(total: Decimal, pct: Decimal) -> Decimal:
    """Invoice total × cover %, rounded UP to the whole currency unit — insurers never insure
    less than the cover asked for."""
    return (total * pct / Decimal(100)).quantize(Decimal(1), rounding=ROUND_CEILING)


def insurance_declaration(src: SetSource, base: dict, invoice: dict, totals: dict) -> dict:
    pct = src.credit.insurance_pct if src.credit and src.credit.insurance_pct else DEFAULT_INSURANCE_PCT
    amount = insured_amount(Decimal(invoice["total"]), pct)
    on_board = src.shipment.on_board_on
    day = min(dt.date.fromisoformat(base["date"]), on_board) if on_board else dt.date.fromisoformat(base["date"])
    return {**base, "date": day.isoformat(), "currency": src.currency, "insured_amount": _money(amount, src.places),
            "insurance_pct": _s(pct), "invoice_total": invoice["total"], "goods_description":
            invoice["goods_description"], "packages": totals["packages"], "marks": invoice["marks"],
            "conditions": "ALL RISKS AND WAR RISKS AS PER CIC OF PICC (1/1/1981)" if not src.credit else
            (src.credit.additional_conditions or "AS PER L/C"),
            "rounding": "rounded up to the whole currency unit"}


def origin_data(src: SetSource, base: dict, invoice: dict, totals: dict) -> dict:
    lines = []
    for row in src.rows:
        product = row.order_line.product
        export = getattr(row, "export_data", None)
        hs = (getattr(product, "hs_code", "") or "")[:6]
        criterion = getattr(export, "origin_criterion", "") or ""
        if product is not None and not criterion:
            src.lack(product, "origin_criterion", _("%(code)s: origin criterion") % {"code": product.code})
        lines.append({"line_no": row.order_line.line_no, "description": row.order_line.description,
                      "product_code": getattr(product, "code", "") or "", "hs_code6": hs or UNKNOWN,
                      "origin_criterion": criterion or UNKNOWN, "quantity": _s(row.quantity),
                      "unit": row.order_line.unit})
    form = origin_form(src.customer.country)
    return {**base, "form": form, "destination_country": src.customer.country,
            "goods_description": invoice["goods_description"], "packages": totals["packages"],
            "gross_weight_kg": _s(totals["gross"]), "marks": invoice["marks"], "lines": lines,
            "invoice_number": invoice["number"]}


def customs_data(src: SetSource, base: dict, invoice: dict, totals: dict, packing: list[dict]) -> dict:
    """The export declaration (报关): per line the HS code, the customs name and declaration
    elements (申报要素), quantity and unit, the declared value at the trade terms (FOB value
    under FOB / FCA / EXW; under C-terms freight and insurance are declared in their boxes),
    packages and weights."""
    by_line: dict[int, dict] = {}
    for p in packing:
        entry = by_line.setdefault(p["line_no"], {"packages": 0, "gross": Decimal(0), "net": Decimal(0)})
        entry["packages"] += p["cartons"] or 0
        entry["gross"] += Decimal(p["gw_total"] or 0)
        entry["net"] += Decimal(p["nw_total"] or 0)
    lines = []
    for row, inv in zip(src.rows, invoice["lines"], strict=True):
        product, export = row.order_line.product, getattr(row, "export_data", None)
        name = getattr(export, "customs_name_zh", "") or getattr(product, "name_zh", "") or ""
        elements = getattr(export, "declaration_elements", "") or ""
        if product is not None:
            if not getattr(export, "customs_name_zh", ""):
                src.lack(product, "customs_name_zh", _("%(code)s: customs name") % {"code": product.code})
            if not elements:
                src.lack(product, "declaration_elements", _("%(code)s: declaration elements (申报要素)")
                         % {"code": product.code})
        weights = by_line.get(row.order_line.line_no, {"packages": 0, "gross": Decimal(0), "net": Decimal(0)})
        lines.append({"line_no": row.order_line.line_no, "product_code": inv["product_code"],
                      "hs_code": inv["hs_code"] or UNKNOWN, "customs_name": name or UNKNOWN,
                      "declaration_elements": elements or UNKNOWN, "quantity": inv["quantity"], "unit": inv["unit"],
                      "unit_price": inv["unit_price"], "declared_value": inv["amount"],
                      "packages": weights["packages"], "gross_weight_kg": _s(weights["gross"]),
                      "net_weight_kg": _s(weights["net"]),
                      "rebate_rate_pct": _s(getattr(export, "rebate_rate_pct", None))})
    return {**base, "currency": src.currency, "trade_terms": src.order.incoterm,
            "value_basis": "FOB" if src.order.incoterm in FOB_TERMS else src.order.incoterm,
            "total_value": invoice["total"], "packages": totals["packages"], "gross_weight_kg": _s(totals["gross"]),
            "net_weight_kg": _s(totals["net"]), "destination_country": src.customer.country, "lines": lines}


def _cross_check(src: SetSource, totals: dict) -> list[str]:
    """The packing list against the containers the warehouse loaded (``bill_expected``), where
    it loaded any: the B/L will say what was loaded."""
    if not live_containers(src.shipment):
        return []
    loaded = bill_expected(src.shipment)
    notes = []
    if loaded["packages"] is not None and loaded["packages"] != totals["packages"]:
        notes.append(_("The containers hold %(loaded)s cartons, the packing list counts %(listed)s.")
                     % {"loaded": loaded["packages"], "listed": totals["packages"]})
    if loaded["gross_kg"] and abs(loaded["gross_kg"] - totals["gross"]) > Decimal("0.5"):
        notes.append(_("The containers' G.W. is %(loaded)s kg, the packing list's %(listed)s kg.")
                     % {"loaded": _s(loaded["gross_kg"]), "listed": _s(totals["gross"])})
    return notes


@dataclass
class SetData:
    kinds: list[str]
    data: dict[str, dict]
    missing: list[dict]
    notes: list[str]
    language: str


def document_set_data(shipment: Shipment, *, number: str, day: dt.date | None = None) -> SetData:
    """The data of every document the shipment's set needs, all carrying the commercial invoice
    number ``number``; what is missing for them (never a reason to refuse) and notes."""
    src = set_source(shipment)
    day = day or timezone.localdate()
    base = _common(src, number, day)
    packing, totals = packing_lines(src)
    marks = main_marks(src, totals["packages"])
    invoice = commercial_invoice(src, base, totals, marks)
    data = {K.COMMERCIAL_INVOICE: invoice, K.PACKING_LIST: packing_list(base, packing, totals, marks),
            K.SHIPPING_MARKS: shipping_marks(src, base, totals, marks),
            K.ORIGIN_DATA: origin_data(src, base, invoice, totals),
            K.CUSTOMS_DATA: customs_data(src, base, invoice, totals, packing)}
    kinds = kinds_needed(src)
    if K.BENEFICIARY_CERTIFICATE in kinds:
        data[K.BENEFICIARY_CERTIFICATE] = beneficiary_certificate(src, base)
    if K.DRAFT in kinds:
        data[K.DRAFT] = draft(src, base, invoice)
    if K.INSURANCE_DECLARATION in kinds:
        data[K.INSURANCE_DECLARATION] = insurance_declaration(src, base, invoice, totals)
    return SetData(kinds=kinds, data={str(k): data[k] for k in kinds}, missing=[m.as_dict() for m in src.missing],
                   notes=_cross_check(src, totals), language=src.lang)


def same_content(before: dict, after: dict) -> bool:
    """Whether two versions print the same (the date they were made on aside)."""
    def strip(d: dict) -> dict:
        return {k: v for k, v in d.items() if k not in VOLATILE}
    return strip(before) == strip(after)


# --- reads for the pages and the API ---------------------------------------------------------


def current_documents(shipment: Shipment) -> QuerySet[ShipmentDocument]:
    """The current version of each document of the set, in the set's order."""
    return (ShipmentDocument.objects.filter(shipment=shipment, is_current=True)
            .select_related("pdf", "xlsx", "issued_by"))


def set_in_order(documents) -> list[ShipmentDocument]:
    order = {str(k): i for i, k in enumerate(GENERATED_KINDS)}
    return sorted(documents, key=lambda d: (order.get(d.kind, 99), -d.version))


def previous_versions(shipment: Shipment) -> list[ShipmentDocument]:
    return set_in_order(ShipmentDocument.objects.filter(shipment=shipment, is_current=False)
                        .select_related("pdf", "xlsx", "issued_by"))


def set_number(shipment: Shipment) -> str | None:
    """The commercial invoice number the shipment's set carries, once allocated."""
    return (ShipmentDocument.objects.filter(shipment=shipment).order_by("id").values_list("number", flat=True)
            .first())


def documents_state(shipment) -> dict:
    """The set as it stands: current documents in the set's order, the previous versions, what
    the documents lack and which would change if generated now."""
    documents = set_in_order(current_documents(shipment))
    built = document_set_data(shipment, number=set_number(shipment) or "—")
    by_kind = {d.kind: d for d in documents}
    changed = [k for k in built.kinds if k in by_kind and not same_content(by_kind[k].data, built.data[k])]
    return {"documents": documents, "previous": previous_versions(shipment), "missing": built.missing,
            "notes": built.notes, "changed": changed,
            "not_made": [k for k in built.kinds if k not in by_kind],
            "not_made_labels": [str(DocumentKind(k).label) for k in built.kinds if k not in by_kind]}
