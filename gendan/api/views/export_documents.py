"""The export documents of a shipment in the API: ``GET /shipments/{id}/documents/`` (the
current set with each document's data, what the documents lack) and ``POST
/shipments/{id}/documents/generate/`` (generate / regenerate: ``note`` says what changed for a
new version; ``kinds`` limits it to some documents). The service checks the role, the scope
and the rules; this only parses and renders."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.views.base import ApiViewSet
from gendan.exportdocs.selectors.documents import GENERATED_KINDS, documents_state, set_in_order
from gendan.exportdocs.services.documents import ADD, document_set_generate
from gendan.shipping.selectors import shipment_get_for_user

PERMS = ("sales.view_salesorder", "exportdocs.view_shipmentdocument")


class ExportDocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="commercial_invoice / packing_list / shipping_marks / "
                                           "beneficiary_certificate / draft / insurance_declaration / origin_data / "
                                           "customs_data")
    kind_display = serializers.CharField(source="get_kind_display")
    number = serializers.CharField()
    version = serializers.IntegerField()
    language = serializers.CharField()
    document_date = serializers.DateField()
    change_note = serializers.CharField()
    data = serializers.JSONField(help_text="what the document prints (docs/workflows/export-documents.md)")
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    def _url(self, attachment_id) -> str | None:
        return reverse("documents:attachment_download", args=[attachment_id]) if attachment_id else None

    def get_pdf_url(self, obj) -> str | None:
        return self._url(obj.pdf_id)

    def get_xlsx_url(self, obj) -> str | None:
        return self._url(obj.xlsx_id)


class MissingOut(serializers.Serializer):
    product_code = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class DocumentSetOut(serializers.Serializer):
    shipment = serializers.IntegerField()
    documents = ExportDocumentOut(many=True)
    missing = MissingOut(many=True, help_text="what the documents lack (never a reason to refuse)")
    changed = serializers.ListField(child=serializers.CharField(), help_text="kinds whose content changed since "
                                                                            "their current version")
    not_made = serializers.ListField(child=serializers.CharField())


class GenerateInput(serializers.Serializer):
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=[str(k) for k in GENERATED_KINDS]),
                                  required=False, max_length=len(GENERATED_KINDS),
                                  help_text="only these documents of the set (default: all it needs)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                 help_text="what changed: required when a document gets a new version")


class GenerateOut(DocumentSetOut):
    made = ExportDocumentOut(many=True)
    unchanged = serializers.ListField(child=serializers.CharField())


class ShipmentDocumentsViewSet(ApiViewSet):
    """``/api/v1/shipments/{id}/documents/`` and ``…/documents/generate/`` (registered on the
    shipments' prefix beside their list and detail)."""

    required_perms = {"documents": PERMS, "documents_generate": (*PERMS, ADD)}

    def _set(self, shipment, **extra) -> dict:
        state = documents_state(shipment)
        return {"shipment": shipment.pk, "documents": state["documents"], "missing": state["missing"],
                "changed": state["changed"],
                "not_made": state["not_made"],
                **extra}

    @extend_schema(responses={200: DocumentSetOut}, description="The shipment's current export documents with "
                   "their data and files, what they lack and which changed since they were made.")
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        return self.render(DocumentSetOut, self._set(shipment))

    @extend_schema(request=GenerateInput, responses={
        200: OpenApiResponse(GenerateOut, description="nothing new made: every document unchanged"),
        201: OpenApiResponse(GenerateOut, description="at least one document (version) made"),
        400: OpenApiResponse(ErrorSerializer, description="reason_required (a new version needs `note`), "
                                                          "document_not_in_set"),
        409: OpenApiResponse(ErrorSerializer, description="documents_shipment_cancelled")},
        description="Generate the set: version 1 of each document not made yet, version n + 1 of each whose "
                    "content changed (then `note` is required); unchanged documents keep their version.")
    @action(detail=True, methods=["post"], url_path="documents/generate")
    def documents_generate(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(GenerateInput)
        result = document_set_generate(by=request.user, shipment=shipment, kinds=data.get("kinds"),
                                       note=data.get("note", ""))
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        return self.render(GenerateOut, self._set(shipment, made=set_in_order(result.made),
                                                  unchanged=result.unchanged),
                           status=201 if result.made else 200)
