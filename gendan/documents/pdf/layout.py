"""What every document shares: A4 page frame, styles, number and date formats, the lines table.

Documents are built as reportlab platypus stories. The page frame prints a running header
from page 2 on and "Page 1 of 3" / "第 1 页 共 3 页" in the footer: the canvas keeps each
finished page until the document ends, when the page count is known (``_numbered_canvas``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, LongTable, PageTemplate, Paragraph, Table, TableStyle

from gendan.core.money import currency_info, round_money
from gendan.documents.pdf.fonts import BOLD, REGULAR, missing_characters, register_fonts

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e4e7eb")


class RenderError(ValueError):
    """The document cannot be printed as it stands (e.g. its total is not the sum of its lines)."""


# --- text --------------------------------------------------------------------------------


def _style(name: str, **kwargs) -> ParagraphStyle:
    base = {"fontName": REGULAR, "fontSize": 8.5, "leading": 11.5, "textColor": INK}
    return ParagraphStyle(name, **{**base, **kwargs})


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Return the named paragraph styles (after registering the font they use)."""
    register_fonts()
    return {
        "body": _style("body"),
        "small": _style("small", fontSize=7.5, leading=9.5),
        "muted": _style("muted", fontSize=7.5, leading=9.5, textColor=MUTED),
        "label": _style("label", fontSize=7.5, leading=9.5, textColor=MUTED),
        "bold": _style("bold", fontName=BOLD),
        "right": _style("right", alignment=TA_RIGHT),
        "right_bold": _style("right_bold", fontName=BOLD, alignment=TA_RIGHT),
        "center": _style("center", alignment=TA_CENTER),
        "th": _style("th", fontName=BOLD, fontSize=7.5, leading=9.5),
        "th_right": _style("th_right", fontName=BOLD, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
        "cell": _style("cell", fontSize=6.5, leading=8),
        "cell_right": _style("cell_right", fontSize=6.5, leading=8, alignment=TA_RIGHT),
        "company": _style("company", fontName=BOLD, fontSize=13, leading=16),
        "company_sub": _style("company_sub", fontSize=9.5, leading=12),
        "title": _style("title", fontName=BOLD, fontSize=16, leading=20, alignment=TA_RIGHT),
        "title_center": _style("title_center", fontName=BOLD, fontSize=18, leading=24, alignment=TA_CENTER,
                               spaceAfter=2),
        "clause": _style("clause", leftIndent=11, firstLineIndent=-11),
        "heading": _style("heading", fontName=BOLD, fontSize=9.5, leading=13, spaceBefore=7, spaceAfter=2),
        "notice": _style("notice", fontName=BOLD, fontSize=8.5, leading=11.5, textColor=colors.HexColor("#9b1c1c"),
                         borderColor=colors.HexColor("#9b1c1c"), borderWidth=0.6, borderPadding=4,
                         leftIndent=4, rightIndent=4, spaceBefore=4, spaceAfter=12),
    }


@cache
def _cjk_variant(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


def has_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


def markup(text: object) -> str:
    """Return ``text`` escaped for a Paragraph, line breaks kept."""
    return escape(str(text or ""), quote=False).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style: str = "body", *, raw: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped unless ``raw``). Text with Chinese in it may break
    between any two characters; other text breaks at spaces."""
    value = str(text or "")
    if not value.isascii():
        _warn_missing_glyphs(value)
    st = styles()[style]
    if has_cjk(value):
        st = _cjk_variant(st)
    return Paragraph(value if raw else markup(value), st)


def _warn_missing_glyphs(text: str) -> None:
    missing = missing_characters(text)
    if missing:
        logger.warning("PDF text has characters the shipped font lacks (printed as boxes): %s; "
                       "add them to scripts/build_pdf_font.py and rebuild the font.", "".join(sorted(missing)))


def join_nonempty(parts: Sequence[object], sep: str = "\n") -> str:
    return sep.join(str(p).strip() for p in parts if p and str(p).strip())


# --- numbers and dates ---------------------------------------------------------------------


def fmt_amount(value: Decimal, currency: str) -> str:
    """``1236.01`` → ``1,236.01`` with the currency's decimals (``0`` for JPY)."""
    places = currency_info(currency).minor_unit
    return f"{round_money(value, currency):,.{places}f}"


def fmt_price(value: Decimal, currency: str) -> str:
    """A unit price: at least the currency's decimals, up to the four it is stored with."""
    places = currency_info(currency).minor_unit
    text = f"{value:,.4f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    if decimals < places:
        return f"{value:,.{places}f}"
    return text.rstrip(".")


def fmt_qty(value: Decimal) -> str:
    """``1000.000`` → ``1,000``; ``12.500`` → ``12.5``."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text or "0"


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fmt_date(value: dt.date | None, lang: str) -> str:
    """``24 Nov 2026`` in English documents, ``2026年11月24日`` in Chinese ones."""
    if value is None:
        return ""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year}"


# --- tables ------------------------------------------------------------------------------


def table_style(commands: list) -> TableStyle:
    """A TableStyle whose plain-string cells use our font too (reportlab's default is Helvetica,
    a font the PDF would then name without embedding it)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5), *commands])


def grid_table(data: list, widths: list[float], *, total_row: bool = False, align_numbers_from: int | None = None
               ) -> LongTable:
    """The documents' ruled grid: a shaded header repeated on every page, hairlines between rows,
    a rule above the total row when there is one; columns from ``align_numbers_from`` on are
    right-aligned (quantities, weights)."""
    table = LongTable(data, colWidths=widths, repeatRows=1)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if align_numbers_from is not None:
        commands.append(("ALIGN", (align_numbers_from, 1), (-1, -1), "RIGHT"))
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
    table.setStyle(table_style(commands))
    return table


def key_value_table(rows: Sequence[tuple[str, object]], *, width: float, label_width: float) -> Table:
    """Label / value pairs, e.g. the PI no., date and PO no. block. Empty values are left out."""
    data = [[para(label, "label"), value if isinstance(value, Paragraph) else para(value)]
            for label, value in rows if value not in (None, "")]
    table = Table(data or [["", ""]], colWidths=[label_width, width - label_width])
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def boxed(cells: Sequence[object], widths: Sequence[float]) -> Table:
    """Blocks side by side in thin boxes (seller / buyer, signatures)."""
    table = Table([list(cells)], colWidths=list(widths))
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


@dataclass
class Line:
    """One printed line, whatever it came from (order line, quotation line)."""

    no: int
    item_no: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    cells: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (colour, size, quantity)


@dataclass(frozen=True)
class LineLabels:
    no: str
    item_no: str
    description: str
    quantity: str
    unit: str
    unit_price: str
    amount: str
    total: str
    colour_size: str
    units: dict[str, str] = field(default_factory=dict)


# Column widths of the lines table; the description takes what is left.
_COLS = {"no": 24, "item_no": 62, "quantity": 50, "unit": 30, "unit_price": 60, "amount": 70}
_MATRIX_MIN_COL = 23


def _matrix(cells: list[tuple[str, str, Decimal]], width: float, corner: str) -> Table | Paragraph:
    """The colour × size breakdown of a line: colours down, sizes across, a total per colour.
    Too many sizes for the column → a compact text form instead."""
    colours = list(dict.fromkeys(c for c, _s, _q in cells))
    sizes = list(dict.fromkeys(s for _c, s, _q in cells))
    qty = {(c, s): q for c, s, q in cells}
    colour_width = min(70.0, max(36.0, width * 0.3))
    size_width = min(40.0, (width - colour_width) / (len(sizes) + 1))
    if size_width < _MATRIX_MIN_COL:
        text = "; ".join(
            f"{c}: " + ", ".join(f"{s} {fmt_qty(qty[c, s])}" for s in sizes if (c, s) in qty) for c in colours)
        return para(f"{corner}: {text}", "cell")
    data = [[para(corner, "cell"), *[para(s, "cell_right") for s in sizes], para("Σ", "cell_right")]]
    for colour in colours:
        row_total = sum((qty.get((colour, s), Decimal(0)) for s in sizes), Decimal(0))
        # Quantities as plain strings: drawn directly, far cheaper than a Paragraph per cell.
        data.append([para(colour, "cell"), *[fmt_qty(qty[colour, s]) if (colour, s) in qty else "–" for s in sizes],
                     fmt_qty(row_total)])
    table = Table(data, colWidths=[colour_width] + [size_width] * (len(sizes) + 1), hAlign="LEFT")
    table.setStyle(table_style([
        ("FONT", (1, 1), (-1, -1), REGULAR, 6.5, 8),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def lines_table(lines: Sequence[Line], *, currency: str, labels: LineLabels) -> tuple[LongTable, Decimal]:
    """Return the lines table (header repeated on every page, total row at the end) and the
    printed total, which is the sum of the printed (already rounded) line amounts. The item no.
    column is left out when no line has one."""
    with_items = any(line.item_no for line in lines)
    cols = {k: w for k, w in _COLS.items() if with_items or k != "item_no"}
    desc_width = CONTENT_WIDTH - sum(cols.values())

    def row(no, item_no, description, quantity, unit, unit_price, amount) -> list:
        return [no, *([item_no] if with_items else []), description, quantity, unit, unit_price, amount]

    data: list[list[object]] = [row(
        para(labels.no, "th"), para(labels.item_no, "th"), para(labels.description, "th"),
        para(labels.quantity, "th_right"), para(labels.unit, "th"),
        para(f"{markup(labels.unit_price)}<br/>({currency})", "th_right", raw=True),
        para(f"{markup(labels.amount)}<br/>({currency})", "th_right", raw=True))]
    total = Decimal(0)
    quantities: dict[str, Decimal] = {}
    for line in lines:
        description: list[object] = [para(line.description)]
        if line.cells:
            description.append(_matrix(line.cells, desc_width - 6, labels.colour_size))
        unit = labels.units.get(line.unit, line.unit)
        # Numbers as plain strings (aligned by the table style): they never wrap, and drawing
        # them directly keeps an 80-line document fast.
        data.append(row(str(line.no), para(line.item_no, "small"), description, fmt_qty(line.quantity), unit,
                        fmt_price(line.unit_price, currency), fmt_amount(line.amount, currency)))
        total += line.amount
        quantities[unit] = quantities.get(unit, Decimal(0)) + line.quantity
    data.append(row("", "", para(f"{labels.total} ({currency})", "bold"),
                    "\n".join(fmt_qty(q) for q in quantities.values()), "\n".join(quantities), "",
                    fmt_amount(total, currency)))
    widths = [cols["no"], *([cols["item_no"]] if with_items else []), desc_width, cols["quantity"], cols["unit"],
              cols["unit_price"], cols["amount"]]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    last = len(data) - 1
    qty_col = 3 if with_items else 2
    table.setStyle(table_style([
        ("FONT", (0, 1), (-1, -1), REGULAR, 8.5, 11.5),
        ("FONT", (0, last), (-1, last), BOLD, 8.5, 11.5),
        ("ALIGN", (qty_col, 1), (qty_col, -1), "RIGHT"),
        ("ALIGN", (qty_col + 2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, 1), (-1, last - 1), 0.3, RULE),
        ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
        ("LINEBELOW", (0, last), (-1, last), 0.8, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table, total


def check_total(printed: Decimal, expected: Decimal, number: str) -> None:
    """Refuse to print a document whose total is not the sum of its printed lines."""
    if printed != expected:
        raise RenderError(f"{number}: the lines add up to {printed}, but the document total is {expected}.")


# --- the page frame -----------------------------------------------------------------------


@dataclass(frozen=True)
class PageFrame:
    """What is printed around the content of every page."""

    running_header: str  # from page 2 on, e.g. "PROFORMA INVOICE PI2611-0007 (continued)"
    footer: str  # left of the footer, e.g. the document number and the seller
    page_label: Callable[[int, int], str]  # (page, pages) → "Page 1 of 3"


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds each page until the end, then prints "page n of N" on all of them."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, count)
                super().showPage()
            super().save()

        def _decorate(self, number: int, count: int) -> None:
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            y = MARGIN_BOTTOM - 7 * mm
            self.line(MARGIN_X, y + 9, PAGE_WIDTH - MARGIN_X, y + 9)
            self.setFont(REGULAR, 7.5)
            self.drawString(MARGIN_X, y, frame.footer)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, y, frame.page_label(number, count))
            if number > 1:
                top = PAGE_HEIGHT - MARGIN_TOP + 4 * mm
                self.drawString(MARGIN_X, top, frame.running_header)
                self.line(MARGIN_X, top - 4, PAGE_WIDTH - MARGIN_X, top - 4)
            self.restoreState()

    return NumberedCanvas


def build_pdf(story: list, *, frame: PageFrame, title: str, author: str, subject: str, lang: str) -> bytes:
    """Lay ``story`` out on A4 pages and return the PDF. Every font in it is embedded."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author=author, subject=subject, creator="Gendan",
        lang="zh-CN" if lang == "zh" else "en", initialFontName=REGULAR,  # else the page preamble names Helvetica
    )
    body = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[body])])
    doc.build(story, canvasmaker=_numbered_canvas(frame))
    return buffer.getvalue()
