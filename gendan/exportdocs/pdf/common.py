"""What the export documents' PDFs share: the letterhead, labels in the document's language
(English; Chinese with the English label beside it for a domestic customer), the draft and
version banners, the parties and references block, the signature and the page frame. Every
PDF is set in the embedded font of ``gendan.documents``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    PageFrame,
    boxed,
    build_pdf,
    fmt_date,
    fmt_qty,
    join_nonempty,
    key_value_table,
    para,
)
from gendan.sales.pdf.proforma import seller_header


def lbl(data: dict, zh: str, en: str) -> str:
    """A label: English, or Chinese with the English beside it."""
    return f"{zh} {en}" if data.get("language") == "zh" and zh else en


def stacked(data: dict, zh: str, en: str) -> str:
    """A column header: the Chinese label above the English one (narrow columns)."""
    return f"{zh}\n{en}" if data.get("language") == "zh" else en


def day(data: dict, key: str = "date") -> str:
    value = data.get(key)
    if not value:
        return ""
    d = dt.date.fromisoformat(value)
    return fmt_date(d, "zh") + " / " + fmt_date(d, "en") if data.get("language") == "zh" else fmt_date(d, "en")


def qty(value) -> str:
    return fmt_qty(Decimal(value)) if value not in (None, "") else "—"


def kg(value) -> str:
    return f"{Decimal(value):,.2f}" if value not in (None, "") else "—"


def cbm(value) -> str:
    return f"{Decimal(value):,.3f}" if value not in (None, "") else "—"


def opening(data: dict, *, title_zh: str, title_en: str, version: int, note: str) -> list:
    """Letterhead with the title, then the draft banner while the shipment has not shipped."""
    lang = data.get("language", "en")
    title = f"{title_zh}\n{title_en}" if lang == "zh" else title_en
    story: list = [seller_header(company(), title, lang=lang), Spacer(0, 4 * mm)]
    if data.get("provisional"):
        story.append(para(lbl(data, "草稿：货物尚未出运，仅供核对。", "DRAFT — the goods have not been shipped yet: for "
                                                               "checking only, not for presentation."), "notice"))
    # A new version's note ("what changed") stays in Gendan — on the set's page and the order's
    # timeline — and is not printed: these documents go to the customer and the bank, where an
    # internal remark is at best noise and at worst read as a discrepancy. The footer's "v2" tells
    # the versions apart.
    return story


def parties(data: dict, references: list[tuple[str, object]], *, buyer_heading: tuple[str, str] = ("买方", "BUYER"),
            buyer: str | None = None) -> list:
    """The buyer (the credit's applicant under an L/C) on the left, the document's references
    on the right."""
    half = CONTENT_WIDTH / 2
    name = buyer if buyer is not None else data.get("made_out_to", "")
    address = data.get("buyer_address", "") if not data.get("credit_number") else ""
    left = [para(lbl(data, *buyer_heading), "label"), para(name, "bold"), para(address, "small")]
    right = key_value_table([(label, value) for label, value in references], width=half - 10,
                            label_width=label_width(data))
    return [boxed([left, right], [half, half]), Spacer(0, 4 * mm)]


def label_width(data: dict, english: float = 78) -> float:
    """Room for the labels: a Chinese label carries its English one beside it."""
    return english + 40 if data.get("language") == "zh" else english


def shipping_rows(data: dict) -> list[tuple[str, object]]:
    terms = join_nonempty([data.get("incoterm"), data.get("incoterm_place"), "Incoterms® 2020"], " ")
    return [(lbl(data, "起运港", "Port of loading"), data.get("port_of_loading")),
            (lbl(data, "目的港", "Port of discharge"), data.get("port_of_discharge")),
            (lbl(data, "船名航次", "Vessel / voyage"), data.get("vessel")),
            (lbl(data, "贸易术语", "Terms of delivery"), terms if data.get("incoterm") else "")]


def signature(data: dict, *, heading: str | None = None) -> list:
    """"For and on behalf of" the issuer, the signature line."""
    half = CONTENT_WIDTH / 2
    block = [para(heading or lbl(data, "出单人", "For and on behalf of"), "label"),
             para(data.get("issuer", ""), "bold"), Spacer(0, 14 * mm), para("_" * 38, "muted"),
             para(lbl(data, "授权签字", "Authorised signature"), "small")]
    table = boxed([block], [half])
    table.hAlign = "RIGHT"
    return [Spacer(0, 6 * mm), KeepTogether(table)]


def build(story: list, data: dict, *, title: str, version: int) -> bytes:
    seller = company()
    number = data.get("number", "")
    frame = PageFrame(running_header=f"{title} {number} (continued)",
                      footer=join_nonempty([str(seller["name_en"]), f"{title} {number} v{version}",
                                            data.get("order_number")], " · "),
                      page_label=(lambda n, c: f"第 {n} 页 共 {c} 页 · Page {n} of {c}")
                      if data.get("language") == "zh" else (lambda n, c: f"Page {n} of {c}"))
    return build_pdf(story, frame=frame, title=f"{title} {number} v{version}", author=str(seller["name_en"]),
                     subject=f"Order {data.get('order_number', '')}, shipment {data.get('shipment_number', '')}",
                     lang=data.get("language", "en"))
