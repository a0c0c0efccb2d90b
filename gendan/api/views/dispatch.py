"""The set's check, discrepancy acceptance, dispatch (寄单 / 交单) and its result, certificates
others issue. Each action parses its body and calls one service of ``exportdocs.services``
(``presentation``, ``dispatch``, ``certificates``: permission, scope, rule and version checked
there under the order's lock).

- ``GET  /api/v1/shipments/{id}/document-check/`` — the set's check (``presentation_for`` →
  ``check_presentation``), each discrepancy with its acceptance;
- ``POST /api/v1/shipments/{id}/discrepancy-acceptances/`` — a manager accepts one;
- ``GET|POST /api/v1/shipments/{id}/dispatches/`` — the shipment's dispatches / send the set;
- ``POST /api/v1/dispatches/{id}/result/`` — the bank's (or courier's) result;
- ``GET|POST /api/v1/shipments/{id}/certificates/``; ``POST /api/v1/certificates/{id}/apply/``,
  ``/receive/`` (multipart: ``file`` and the data fields), ``/check/``.
"""

from __future__ import annotations

from django.core.validators import URLValidator
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.fields import DateText, InlineChoiceField
from gendan.api.serializers.common import NOT_BLANK, ErrorSerializer
from gendan.api.views.base import ApiViewSet
from gendan.core.guards import id_or_zero
from gendan.exportdocs.models import CertificateItem, DocumentDispatch, DocumentKind
from gendan.exportdocs.selectors.dispatch import certificates_of, dispatches_of
from gendan.exportdocs.services import certificates as certificate_services
from gendan.exportdocs.services.dispatch import dispatch_result, documents_dispatch
from gendan.exportdocs.services.presentation import discrepancy_accept, set_check
from gendan.shipping.selectors import shipment_get_for_user

VIEW = ("sales.view_salesorder", "exportdocs.view_shipmentdocument")
VIEW_DISPATCH = ("sales.view_salesorder", "exportdocs.view_documentdispatch")
VIEW_CERTIFICATE = ("sales.view_salesorder", "exportdocs.view_certificateitem")


class SetDiscrepancyOut(serializers.Serializer):
    code = serializers.CharField()
    document = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    label = serializers.CharField()
    accepted = serializers.DictField(allow_null=True)


class SetCheckOut(serializers.Serializer):
    compliant = serializers.BooleanField()
    dispatchable = serializers.BooleanField()
    discrepancies = SetDiscrepancyOut(many=True)


class DiscrepancyAcceptInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    document = serializers.CharField(max_length=24)
    field = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class DocumentCount(serializers.Serializer):
    """A document sent: its kind (once per dispatch, one of the shipment's documents) and how many
    originals and copies — at least one of them."""

    kind = InlineChoiceField(choices=DocumentKind.choices, help_text="once per dispatch (`duplicate_item`); one of "
                                                                     "the shipment's documents (the stored record: "
                                                                     "`record_mismatch`)")
    originals = serializers.IntegerField(min_value=0, max_value=10, default=0)
    copies = serializers.IntegerField(min_value=0, max_value=10, default=0)


class DocumentCountSchema(OpenApiSerializerExtension):
    """A document sent goes as at least one original or one copy: ``anyOf`` in the schema."""

    target_class = DocumentCount

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["anyOf"] = [{"required": [name], "properties": {name: {"minimum": 1}}}
                               for name in ("originals", "copies")]
        return schema


@extend_schema_field({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 300})
class TrackingUrlField(serializers.URLField):
    """An http(s) link (the service checks it with Django's URL validator, http and https only)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)]
        self.validators.append(URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"]))


def _text_for(channels, name: str) -> dict:
    """The channels that need the text ``name``, else any: one alternative of an ``anyOf``."""
    others = [c for c in DocumentDispatch.Channel.values if c not in channels]
    return {"anyOf": [{"properties": {"channel": {"pattern": f"^({'|'.join(others)})$"}}},
                      {"required": ["channel", *name.split()],
                       "properties": {field: {"pattern": NOT_BLANK} for field in name.split()}}]}


class DispatchInput(serializers.Serializer):
    """The set sent (``dispatch.documents_dispatch``): by courier with the courier and AWB no., to
    the bank (credit or collection) with the bank's name."""

    channel = serializers.ChoiceField(choices=DocumentDispatch.Channel.choices,
                                      help_text="as the order's payment terms say: bank_credit (L/C), "
                                                "bank_collection (D/P, D/A), courier (T/T, O/A)")
    documents = DocumentCount(many=True, max_length=30, min_length=1, allow_empty=False,
                              help_text="at least one; each kind once (`duplicate_item`), one of the shipment's "
                                        "documents (`record_mismatch`)")
    sent_on = DateText(help_text="YYYY-MM-DD, not in the future (today's date: `date_in_future`)")
    courier = serializers.CharField(max_length=80, required=False, allow_blank=True, default="",
                                    help_text="required by courier")
    awb_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                   help_text="required by courier")
    tracking_url = TrackingUrlField(max_length=300, required=False, allow_blank=True, default="")
    bank = serializers.CharField(max_length=160, required=False, allow_blank=True, default="",
                                 help_text="required to a bank")
    bank_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    collection_terms = serializers.CharField(max_length=4, required=False, allow_blank=True, default="",
                                             help_text="a collection's: the order's D/P or D/A")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DispatchInputSchema(OpenApiSerializerExtension):
    """The texts each channel needs, stated in the schema."""

    target_class = DispatchInput

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            C = DocumentDispatch.Channel  # noqa: N806
            schema["allOf"] = [_text_for([C.COURIER], "courier awb_no"),
                               _text_for([C.BANK_CREDIT, C.BANK_COLLECTION], "bank")]
            schema["properties"]["documents"]["minItems"] = 1  # spectacular leaves a list serializer's out
        return schema


class DispatchOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)
    credit = serializers.CharField(source="credit.number", default=None, allow_null=True)  # none: courier, collection
    instruction_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentDispatch
        fields = ("id", "number", "shipment", "channel", "status", "documents", "currency", "amount", "credit",
                  "sent_on", "courier", "awb_no", "tracking_url", "bank", "bank_reference", "collection_terms",
                  "instruction_url", "result_on", "maturity_date", "paid_amount", "bank_discrepancies", "version")

    def get_instruction_url(self, obj) -> str | None:
        return obj.instruction.file.url if obj.instruction_id else None


class ResultInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in DocumentDispatch.Status.choices if s[0] != "sent"])
    result_on = serializers.CharField(max_length=10)
    paid_amount = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    maturity_date = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    bank_discrepancies = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class CertificateOut(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = CertificateItem
        fields = ("id", "shipment", "kind", "origin_form", "issuer", "status", "needed_by", "applied_on",
                  "received_on", "certificate_no", "file_url", "data", "checked_at", "checked_by", "version")

    def get_file_url(self, obj) -> str | None:
        return obj.attachment.file.url if obj.attachment_id else None


class CertificateInput(serializers.Serializer):
    """A certificate the shipment needs (``certificates.certificate_add``): a certificate of origin
    with its form, or another kind."""

    kind = serializers.ChoiceField(choices=[(k, DocumentKind(k).label) for k in certificate_services.CERTIFICATE_KINDS])
    origin_form = serializers.ChoiceField(choices=CertificateItem.Form.choices, required=False, allow_blank=True,
                                          default="", help_text="the form of a certificate of origin: required for "
                                                                "one, ignored for another kind")
    issuer = serializers.CharField(max_length=CertificateItem._meta.get_field("issuer").max_length, required=False,
                                   allow_blank=True, default="")
    needed_by = DateText(required=False, allow_blank=True, default="", help_text="YYYY-MM-DD, or blank")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CertificateInputSchema(OpenApiSerializerExtension):
    """A certificate of origin names its form: stated as ``anyOf`` in the schema."""

    target_class = CertificateInput

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            others = [k for k in certificate_services.CERTIFICATE_KINDS if k != DocumentKind.CERTIFICATE_OF_ORIGIN]
            # the enums in allOf: spectacular would make a bare enum the field's component
            schema["anyOf"] = [
                {"properties": {"kind": {"allOf": [{"enum": others}]}}},
                {"required": ["origin_form"],
                 "properties": {"origin_form": {"allOf": [{"enum": list(CertificateItem.Form.values)}]}}},
            ]
        return schema


class CertificateApplyInput(serializers.Serializer):
    applied_on = serializers.CharField(max_length=10)
    version = serializers.IntegerField(required=False)


class CertificateReceiveInput(serializers.Serializer):
    received_on = serializers.CharField(max_length=10)
    certificate_no = serializers.CharField(max_length=60)
    file = serializers.FileField()
    goods_description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    packages = serializers.CharField(max_length=12, required=False, allow_blank=True)
    marks = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    signed = serializers.CharField(max_length=5, required=False, allow_blank=True)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    insured_amount = serializers.CharField(max_length=30, required=False, allow_blank=True)
    date = serializers.CharField(max_length=10, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class CertificateVersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False)




def _dispatch_for_user(user, pk) -> DocumentDispatch:
    shipment_id = DocumentDispatch.objects.filter(pk=id_or_zero(pk)).values_list("shipment_id", flat=True).first()
    if shipment_id is None:
        raise Http404("No such dispatch.")
    shipment_get_for_user(user=user, pk=shipment_id)
    return DocumentDispatch.objects.select_related("credit", "instruction").get(pk=id_or_zero(pk))


def _certificate_for_user(user, pk) -> CertificateItem:
    shipment_id = CertificateItem.objects.filter(pk=id_or_zero(pk)).values_list("shipment_id", flat=True).first()
    if shipment_id is None:
        raise Http404("No such certificate.")
    shipment_get_for_user(user=user, pk=shipment_id)
    return CertificateItem.objects.select_related("attachment").get(pk=id_or_zero(pk))


class ShipmentDispatchViewSet(ApiViewSet):
    """The dispatch actions on ``/api/v1/shipments/{id}/…`` (beside the shipments' own)."""

    required_perms = {
        "document_check": VIEW, "discrepancy_acceptances": VIEW,
        "dispatches.get": VIEW_DISPATCH, "dispatches.post": (*VIEW_DISPATCH, "exportdocs.add_documentdispatch"),
        "certificates.get": VIEW_CERTIFICATE,
        "certificates.post": (*VIEW_CERTIFICATE, "exportdocs.add_certificateitem"),
    }

    @extend_schema(responses={200: SetCheckOut, 409: OpenApiResponse(ErrorSerializer, description="`set_not_generated`")},
                   description="The check of the shipment's set as it stands (单单一致; 单证一致 "
                   "under the credit of an L/C order): `compliant`, each discrepancy beside its document and field "
                   "with the manager's acceptance, `dispatchable`. 400 `credit_missing` for an L/C order without a "
                   "credit, 409 `set_not_generated` before the set is generated.")
    @action(detail=True, methods=["get"], url_path="document-check")
    def document_check(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        return self.render(SetCheckOut, set_check(shipment))

    @extend_schema(request=DiscrepancyAcceptInput, responses={201: SetCheckOut}, description="A manager accepts one discrepancy the "
                   "check finds now, with the reason (403 for any other role: no one loosens a gate alone).")
    @action(detail=True, methods=["post"], url_path="discrepancy-acceptances")
    def discrepancy_acceptances(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        data = self.parse(DiscrepancyAcceptInput)
        discrepancy_accept(by=request.user, shipment=shipment, code=data["code"], document=data["document"],
                           field=data.get("field", ""), reason=data["reason"])
        return self.render(SetCheckOut, set_check(shipment), status=201)

    @extend_schema(methods=["GET"], responses=DispatchOut(many=True))
    @extend_schema(methods=["POST"], request=DispatchInput, responses={201: DispatchOut},
                   description="Send the set: `bank_credit` (L/C), `bank_collection` (D/P, D/A: the collection "
                   "instruction PDF) or `courier` (T/T, O/A) as the payment terms say. 409 "
                   "`discrepancies_open` while the check finds discrepancies no manager accepted, `gate_balance` "
                   "for original B/Ls before the balance, `drawing_over_credit`.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def dispatches(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        if request.method == "GET":
            return self.render_many(DispatchOut, dispatches_of(shipment))
        data = self.parse(DispatchInput)
        dispatch = documents_dispatch(by=request.user, shipment=shipment, **data)
        return self.render(DispatchOut, _dispatch_for_user(request.user, dispatch.pk), status=201)

    @extend_schema(methods=["GET"], responses=CertificateOut(many=True))
    @extend_schema(methods=["POST"], request=CertificateInput, responses={201: CertificateOut},
                   description="Add a certificate the shipment needs: a certificate of origin with its `origin_form`, "
                               "or another kind.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def certificates(self, request, pk=None):
        shipment = shipment_get_for_user(user=request.user, pk=pk)
        if request.method == "GET":
            return self.render_many(CertificateOut, certificates_of(shipment))
        data = self.parse(CertificateInput)
        certificate = certificate_services.certificate_add(
            actor=request.user, shipment_id=shipment.pk, kind=data["kind"], origin_form=data["origin_form"],
            issuer=data["issuer"], needed_by=data["needed_by"] or None, notes=data["notes"])
        return self.render(CertificateOut, certificate, status=201)


class DispatchViewSet(ApiViewSet):
    required_perms = {"retrieve": VIEW_DISPATCH, "result": (*VIEW_DISPATCH, "exportdocs.change_documentdispatch")}

    @extend_schema(responses=DispatchOut)
    def retrieve(self, request, pk=None):
        return self.render(DispatchOut, _dispatch_for_user(request.user, pk))

    @extend_schema(request=ResultInput, responses=DispatchOut, description="The result: `paid` (the receipt is "
                   "finance's to record), `accepted` (D/A, usance: `maturity_date`), `refused` (the bank's "
                   "discrepancies: on the merchandiser's chase board), `delivered` (courier), `withdrawn`. Bank "
                   "results by finance or a manager (`bank_result_role`).")
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        dispatch = _dispatch_for_user(request.user, pk)
        data = self.parse(ResultInput)
        dispatch_result(by=request.user, dispatch=dispatch, status=data["status"], result_on=data["result_on"],
                        paid_amount=data.get("paid_amount"), maturity_date=data.get("maturity_date") or None,
                        bank_discrepancies=data.get("bank_discrepancies", ""), expected_version=data.get("version"))
        return self.render(DispatchOut, _dispatch_for_user(request.user, pk))


class CertificateViewSet(ApiViewSet):
    required_perms = {"retrieve": VIEW_CERTIFICATE, "apply": ("exportdocs.change_certificateitem",),
                      "receive": ("exportdocs.change_certificateitem",),
                      "check": ("exportdocs.change_certificateitem",)}

    @extend_schema(responses=CertificateOut)
    def retrieve(self, request, pk=None):
        return self.render(CertificateOut, _certificate_for_user(request.user, pk))

    @extend_schema(request=CertificateApplyInput, responses=CertificateOut)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        _certificate_for_user(request.user, pk)
        data = self.parse(CertificateApplyInput)
        certificate_services.certificate_apply(actor=request.user, certificate_id=pk, applied_on=data["applied_on"],
                                               expected_version=data.get("version"))
        return self.render(CertificateOut, _certificate_for_user(request.user, pk))

    @extend_schema(request={"multipart/form-data": CertificateReceiveInput}, responses=CertificateOut,
                   description="The certificate received: its file (a real PDF or image) and what it says.")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        _certificate_for_user(request.user, pk)
        data = dict(self.parse(CertificateReceiveInput))
        upload, version = data.pop("file"), data.pop("version", None)
        received_on, number = data.pop("received_on"), data.pop("certificate_no")
        certificate_services.certificate_receive(actor=request.user, certificate_id=pk, received_on=received_on,
                                                 certificate_no=number, upload=upload, data=data,
                                                 expected_version=version)
        return self.render(CertificateOut, _certificate_for_user(request.user, pk))

    @extend_schema(request=CertificateVersionInput, responses=CertificateOut)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        _certificate_for_user(request.user, pk)
        data = self.parse(CertificateVersionInput)
        certificate_services.certificate_check(actor=request.user, certificate_id=pk,
                                               expected_version=data.get("version"))
        return self.render(CertificateOut, _certificate_for_user(request.user, pk))

