"""The document check through the API: ``POST /document-checks`` (with or without the trailing
slash) takes one presentation and answers ``{"compliant", "discrepancies"}`` — the contract of
``gendan.shipping.document_check.check_presentation``, which does all the reading and checking.
Nothing is saved. Who may ask: whoever sees shipments (the same permissions as the shipments
list)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.parsers import DecimalJSONParser
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.document_checks import DocumentCheckInput, DocumentCheckOut
from gendan.api.views.base import LanguageMixin
from gendan.shipping.document_check import check_presentation

SHIPMENT_VIEW = ("sales.view_salesorder", "shipping.view_shipment")

_EXAMPLE = {
    "credit": {"currency": "USD", "amount": "10750.00", "beneficiary": "NINGBO HOMEWARE CO., LTD.",
               "latest_shipment_date": "2026-03-31", "expiry_date": "2026-04-25",
               "documents_required": ["commercial_invoice", "bill_of_lading"]},
    "presentation_date": "2026-04-02",
    "documents": {
        "commercial_invoice": {"issuer": "NINGBO HOMEWARE CO., LTD.", "currency": "USD", "total": "10750.00",
                               "lines": [{"description": "CERAMIC MUGS", "quantity": "5000", "unit_price": "2.15",
                                          "amount": "10750.00"}], "packages": 250},
        "bill_of_lading": {"signed": True, "on_board_date": "2026-03-21", "packages": 260},
    },
}


class DocumentCheckView(LanguageMixin, APIView):
    """Check one presentation of documents (单单一致、单证一致)."""

    parser_classes = [DecimalJSONParser]
    required_perms = {"post": SHIPMENT_VIEW}

    @extend_schema(
        operation_id="document_checks_create", request=DocumentCheckInput,
        responses={200: DocumentCheckOut,
                   400: OpenApiResponse(ErrorSerializer, description=(
                       "`invalid_presentation`: a malformed presentation; `fields` names the path, e.g. "
                       "`documents.commercial_invoice.lines[2].quantity` (or `parse_error`)"))},
        examples=[OpenApiExample("packages differ", value=_EXAMPLE, request_only=True)],
        description="The discrepancies of one presentation by UCP 600 / ISBP (the codes are fixed; the messages "
                    "are in the user's language). Without `credit` only the rules between the documents run.",
    )
    def post(self, request):
        return Response(check_presentation(request.data))


@extend_schema(exclude=True)
class DocumentCheckSlashView(DocumentCheckView):
    """The same with the trailing slash the other endpoints have (documented once, without)."""
