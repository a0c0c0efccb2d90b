"""The sales documents as PDFs: the order's PI (English) and 购销合同 (Chinese), and quotations
in English or Chinese. The builders here read orders, customers and payment terms
(``sources``, ``proforma``, ``contract``, ``quotation``); the engine they draw with — fonts,
styles, tables, the numbered page frame — is ``gendan.documents.pdf``.

Every PDF is set in the font shipped in ``gendan/documents/fonts`` and embeds it, so Chinese
shows on any reader's machine; nothing is fetched at run time. Amounts print with the
currency's decimals, and a document's printed total is the sum of its printed line amounts.
"""

from __future__ import annotations

from gendan.documents.pdf.layout import RenderError
from gendan.sales.pdf.contract import render_sales_contract
from gendan.sales.pdf.proforma import render_proforma_invoice
from gendan.sales.pdf.quotation import render_quotation_pdf

__all__ = ["RenderError", "render_order_document", "render_quotation"]

QUOTATION_LANGUAGES = {"en": "en", "zh-hans": "zh"}


def render_order_document(*, order, document) -> bytes:
    """Return the PDF of ``document`` (an ``OrderDocument``, saved or not) for ``order``:
    kind "pi" → English proforma invoice, kind "contract" → Chinese 购销合同."""
    if document.kind == "pi":
        return render_proforma_invoice(order=order, document=document)
    if document.kind == "contract":
        return render_sales_contract(order=order, document=document)
    raise RenderError(f"No PDF layout for document kind {document.kind!r}.")


def render_quotation(*, quotation, language: str) -> bytes:
    """Return the PDF of ``quotation`` in ``language`` ("en" or "zh-hans"). It shows what the
    customer is offered, never the factory cost or the margin."""
    if language not in QUOTATION_LANGUAGES:
        raise RenderError(f"Quotations are printed in English (en) or Chinese (zh-hans), not {language!r}.")
    return render_quotation_pdf(quotation=quotation, lang=QUOTATION_LANGUAGES[language])
