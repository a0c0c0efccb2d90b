"""The PDF of each kind of the set, from its data."""

from __future__ import annotations

from gendan.exportdocs.pdf.certificates import (
    render_beneficiary_certificate,
    render_draft,
    render_insurance_declaration,
)
from gendan.exportdocs.pdf.declarations import render_customs_data, render_origin_data
from gendan.exportdocs.pdf.invoice import (
    render_commercial_invoice,
    render_packing_list,
    render_shipping_marks,
)

RENDERERS = {
    "commercial_invoice": render_commercial_invoice,
    "packing_list": render_packing_list,
    "shipping_marks": render_shipping_marks,
    "beneficiary_certificate": render_beneficiary_certificate,
    "draft": render_draft,
    "insurance_declaration": render_insurance_declaration,
    "origin_data": render_origin_data,
    "customs_data": render_customs_data,
}


def render_pdf(kind: str, data: dict, *, version: int = 1, note: str = "") -> bytes:
    """Return the PDF of a document of ``kind`` printing ``data`` (version > 1: with its note)."""
    return RENDERERS[kind](data, version=version, note=note)
