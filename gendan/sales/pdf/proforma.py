"""The proforma invoice (PI, 形式发票), in English (DOMAIN §5.1).

Seller and buyer, PI no. / date / validity, order and PO references, the lines with their
colour × size breakdown, total in figures and in words, Incoterm, ports, dates, payment terms
with the deposit and balance schedule, packing, marks, special requirements, bank details and
signatures. A re-issued PI says which version it supersedes.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

from gendan.core.money import amount_in_words_en
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    RULE,
    LineLabels,
    PageFrame,
    boxed,
    build_pdf,
    check_total,
    fmt_amount,
    fmt_date,
    join_nonempty,
    key_value_table,
    lines_table,
    para,
    table_style,
)
from gendan.sales.pdf.sources import (
    customer_party,
    fmt_percent,
    local_date,
    order_lines,
    payment_schedule,
)

LABELS = LineLabels(no="No.", item_no="Item no.", description="Description", quantity="Quantity", unit="Unit",
                    unit_price="Unit price", amount="Amount", total="TOTAL", colour_size="Colour / size")


def previous_number(document) -> str:
    """The display number of the version this one supersedes."""
    return document.number if document.version == 2 else f"{document.number}-R{document.version - 2}"


def seller_header(seller: dict, title: str, *, lang: str = "en") -> Table:
    """Our letterhead on the left (the document's language first), its title on the right."""
    names = [seller["name_en"], seller["name_zh"]]
    address = seller["address_en"]
    if lang == "zh":
        names.reverse()
        address = seller["address_zh"] or address
    contact = join_nonempty([f"Tel {seller['phone']}" if seller["phone"] else "",
                             f"Fax {seller['fax']}" if seller["fax"] else "", seller["email"], seller["website"]],
                            "  ·  ")
    left = [para(names[0], "company"), para(names[1], "company_sub"), para(join_nonempty([address, contact]), "small")]
    table = Table([[left, para(title, "title")]], colWidths=[CONTENT_WIDTH * 0.64, CONTENT_WIDTH * 0.36])
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, -1), 1.2, RULE),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def render_proforma_invoice(*, order, document) -> bytes:
    with translation.override("en"):
        return _render(order, document)


def _render(order, document) -> bytes:
    seller = company()
    currency = document.currency_id
    buyer = customer_party(order.customer, lang="en")
    issued_on = local_date(document.issued_at)
    valid_until = issued_on + dt.timedelta(days=int(seller["pi_validity_days"]))
    contact_person = order.salesperson or order.merchandiser
    half = CONTENT_WIDTH / 2

    story: list = [seller_header(seller, "PROFORMA INVOICE"), Spacer(0, 5 * mm)]
    if document.version > 1:
        story.append(para(
            f"Revision {document.version - 1} — supersedes {previous_number(document)}. "
            f"Issued for order revision {document.revision_no} on {fmt_date(issued_on, 'en')}; "
            f"the earlier version is no longer valid.", "notice"))

    buyer_block = [para("BUYER", "label"), para(buyer.name, "bold"), para(buyer.address),
                   para(join_nonempty([f"Attn: {buyer.contact}" if buyer.contact else "",
                                       f"Tel: {buyer.phone}" if buyer.phone else "",
                                       f"Email: {buyer.email}" if buyer.email else ""]), "small")]
    references = key_value_table([
        ("PI no.", para(document.display_number, "bold")),
        ("Date", fmt_date(issued_on, "en")),
        ("Valid until", fmt_date(valid_until, "en")),
        ("Our order no.", order.number),
        ("Your PO no.", order.customer_po_no),
        ("PO date", fmt_date(order.customer_po_date, "en")),
        ("Currency", currency),
        ("Contact", join_nonempty([str(contact_person) if contact_person else "",
                                   getattr(contact_person, "email", "")], " · ")),
    ], width=half - 10, label_width=62)
    story += [boxed([buyer_block, references], [half, half]), Spacer(0, 5 * mm)]

    table, total = lines_table(order_lines(order, lang="en"), currency=currency, labels=LABELS)
    check_total(total, document.total_amount, document.display_number)
    story += [table, Spacer(0, 2 * mm),
              para(f"<b>Total amount:</b> {currency} {fmt_amount(total, currency)}", raw=True),
              para(amount_in_words_en(total, currency), "bold"), Spacer(0, 4 * mm)]

    story += _terms(order, currency)
    story += _bank(seller)
    story.append(CondPageBreak(38 * mm))
    story.append(KeepTogether(_signatures(seller, buyer.name)))

    frame = PageFrame(
        running_header=f"PROFORMA INVOICE {document.display_number} — {buyer.name} (continued)",
        footer=f"{seller['name_en']} · Proforma invoice {document.display_number} · PO {order.customer_po_no}",
        page_label=lambda n, count: f"Page {n} of {count}",
    )
    return build_pdf(story, frame=frame, title=f"Proforma invoice {document.display_number}",
                     author=str(seller["name_en"]), subject=f"Order {order.number}, PO {order.customer_po_no}",
                     lang="en")


def _terms(order, currency: str) -> list:
    payment = join_nonempty([order.get_payment_method_display(), order.payment_terms_note], ". ")
    schedule = payment_schedule(order, lang="en")
    if schedule:
        rows = [
            f"{item.kind.capitalize()} {fmt_percent(item.percent)}: {currency} {fmt_amount(item.amount, currency)}"
            f" {item.when}" + (f", due {fmt_date(item.due_date, 'en')}" if item.due_date else "")
            for item in schedule
        ]
        payment = join_nonempty([payment, *rows])
    delivery = join_nonempty([
        f"Ex-factory: {fmt_date(order.ex_factory_date, 'en')}",
        f"Delivery required by: {fmt_date(order.requested_delivery_date, 'en')}"
        if order.requested_delivery_date else "",
    ], "  ·  ")
    rows = [
        ("Terms of delivery", order.incoterm_text),
        ("Port of loading", order.port_of_loading),
        ("Port of destination", order.port_of_destination),
        ("Shipment", delivery),
        ("Payment terms", payment),
        ("Packing", order.packing_requirements),
        ("Shipping marks", order.shipping_marks),
        ("Special requirements", order.special_requirements),
    ]
    return [para("TERMS AND CONDITIONS", "heading"), key_value_table(rows, width=CONTENT_WIDTH, label_width=100)]


def _bank(seller: dict) -> list:
    rows = [("Beneficiary", seller["beneficiary"] or seller["name_en"]), ("Bank", seller["bank_name"]),
            ("Bank address", seller["bank_address"]), ("Account no.", seller["bank_account"]),
            ("SWIFT / BIC", seller["bank_swift"])]
    return [para("BANK DETAILS", "heading"), key_value_table(rows, width=CONTENT_WIDTH, label_width=100),
            para("Please quote the PI number with your payment. Bank charges outside China are for the "
                 "buyer's account.", "muted")]


def _signatures(seller: dict, buyer_name: str) -> list:
    half = CONTENT_WIDTH / 2

    def block(heading: str, name: str, line: str) -> list[Paragraph | Spacer]:
        return [para(heading, "label"), para(name, "bold"), Spacer(0, 16 * mm), para("_" * 38, "muted"),
                para(line, "small")]

    return [Spacer(0, 6 * mm), boxed([
        block("For and on behalf of the seller", str(seller["name_en"]), "Authorised signature, date"),
        block("Accepted and confirmed by the buyer", buyer_name, "Signature and company stamp, date"),
    ], [half, half])]
