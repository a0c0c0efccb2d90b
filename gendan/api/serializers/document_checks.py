"""The document check in the API (``POST /document-checks``): the shape of a presentation and of
the answer, for the OpenAPI schema.

The request serializers *document* the input; they do not validate it: the check itself
(``gendan.shipping.document_check.read_presentation``) reads every field once and refuses a
malformed one with ``invalid_presentation`` naming its path — the same answer for the page, the
API and the tests.
"""

from __future__ import annotations

from rest_framework import serializers

from gendan.shipping.document_check import DISCREPANCY_CODES, DOCUMENT_KINDS

_AMOUNT = {"max_digits": 21, "decimal_places": 6, "required": False, "coerce_to_string": True}


def _amount(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(help_text=help_text, **_AMOUNT)


def _text(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text=help_text)


def _count(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=0, help_text=help_text)


class PresentationCreditInput(serializers.Serializer):
    """The credit's terms (MT700); leave the credit out for an order paid without one (单单一致)."""

    number = _text("L/C no.")
    currency = _text("ISO code, e.g. USD")
    amount = _amount()
    about = serializers.BooleanField(required=False, help_text='"about": ±10 % on amount, quantity and unit price')
    amount_tolerance_pct = _amount("explicit ± % on the amount (overrides about), at most 100")
    quantity = _amount()
    quantity_unit = _text("PCS, CTNS, SETS … (counted: exact) or KG, MT, M, L … (bulk: ±5 %, UCP 30b)")
    unit_price = _amount()
    applicant = _text()
    beneficiary = _text()
    goods_description = _text("45A: every word must appear in the invoice's descriptions")
    incoterm = _text()
    port_of_loading = _text("44E; \"ANY CHINESE PORT\" accepts any")
    port_of_discharge = _text("44F")
    latest_shipment_date = serializers.DateField(required=False)
    expiry_date = serializers.DateField(required=False, help_text="not before the latest shipment date")
    presentation_days = serializers.IntegerField(required=False, min_value=0, max_value=366, default=21)
    partial_shipments = serializers.ChoiceField(choices=["allowed", "prohibited"], required=False, default="allowed")
    documents_required = serializers.ListField(child=serializers.ChoiceField(choices=DOCUMENT_KINDS), required=False,
                                               max_length=1000)
    insurance_pct = _amount("minimum cover in % of the invoice (default 110)")


class PresentationInvoiceLineInput(serializers.Serializer):
    description = _text()
    quantity = _amount()
    unit = _text()
    unit_price = _amount()
    amount = _amount()


class _Document(serializers.Serializer):
    number = _text()
    date = serializers.DateField(required=False)


class PresentationInvoiceInput(_Document):
    issuer = _text()
    made_out_to = _text()
    currency = _text()
    goods_description = _text("a description beside the lines' (ISBP: it may be spread over the invoice)")
    lines = PresentationInvoiceLineInput(many=True, required=False, max_length=1000)
    total = _amount()
    packages = _count()
    gross_weight_kg = _amount()
    net_weight_kg = _amount()
    marks = _text()


class PresentationPackingListInput(_Document):
    packages = _count()
    gross_weight_kg = _amount()
    net_weight_kg = _amount()
    cbm = _amount()
    marks = _text()


class PresentationBillInput(_Document):
    carrier = _text()
    signed = serializers.BooleanField(required=False)
    on_board_date = serializers.DateField(required=False)
    vessel = _text()
    port_of_loading = _text()
    port_of_discharge = _text()
    packages = _count()
    gross_weight_kg = _amount()
    cbm = _amount()
    marks = _text()
    originals_issued = _count()
    originals_presented = _count()
    shipment_sets = _count("transport document sets (more than one is a partial shipment)")


class PresentationInsuranceInput(_Document):
    currency = _text()
    insured_amount = _amount()


class PresentationOriginInput(_Document):
    goods_description = _text()
    packages = _count()
    marks = _text()
    signed = serializers.BooleanField(required=False)


class PresentationDraftInput(_Document):
    amount = _amount()
    amount_in_words = _text('e.g. "SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY", "… AND 50/100"')
    currency = _text()


class PresentationDocumentsInput(serializers.Serializer):
    """The documents presented, by kind; a kind left out is not presented."""

    commercial_invoice = PresentationInvoiceInput(required=False)
    packing_list = PresentationPackingListInput(required=False)
    bill_of_lading = PresentationBillInput(required=False)
    insurance = PresentationInsuranceInput(required=False)
    certificate_of_origin = PresentationOriginInput(required=False)
    draft = PresentationDraftInput(required=False)
    beneficiary_certificate = serializers.DictField(required=False, help_text="examined only for being there")
    inspection_certificate = serializers.DictField(required=False, help_text="examined only for being there")


class DocumentCheckInput(serializers.Serializer):
    """One presentation. Unknown fields are refused (400 ``invalid_presentation``, naming them)."""

    credit = PresentationCreditInput(required=False, allow_null=True)
    presentation_date = serializers.DateField(required=False)
    bank_holidays = serializers.ListField(child=serializers.DateField(), required=False, max_length=1000,
                                          help_text="the presenting bank's closed days besides Saturdays and Sundays")
    documents = PresentationDocumentsInput(required=False)


class DiscrepancyOut(serializers.Serializer):
    code = serializers.ChoiceField(choices=DISCREPANCY_CODES)
    document = serializers.ChoiceField(choices=("presentation", *DOCUMENT_KINDS))
    field = serializers.CharField(help_text="path in the document, e.g. lines[2].amount; empty for a missing one")
    message = serializers.CharField(help_text="in the user's language")


class DocumentCheckOut(serializers.Serializer):
    compliant = serializers.BooleanField()
    discrepancies = DiscrepancyOut(many=True)
