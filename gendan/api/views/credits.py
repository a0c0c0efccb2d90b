"""Letters of credit: ``/api/v1/credits/`` list (the list page's filters), create (register),
retrieve, ``PATCH`` (correct, with ``version``), ``/examine/``, ``/cancel/``, ``/close/``, ``/amendments/``
(list, request) and ``/amendments/{id}/receive|accept|refuse/``. Each action parses its body
and calls one service of ``exportdocs.services`` (rules, validation and versions are checked
there); the scope is ``exportdocs.selectors.credits.credit_get_for_user``."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.views.base import ApiViewSet
from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_id
from gendan.exportdocs.models import CreditAmendment, LetterOfCredit
from gendan.exportdocs.selectors.credits import (
    credit_countdowns,
    credit_drawn,
    credit_get_for_user,
    credit_list,
    credit_undrawn,
)
from gendan.exportdocs.services.amendments import (
    amendment_accept,
    amendment_receive,
    amendment_refuse,
    amendment_request,
)
from gendan.exportdocs.services.credits import (
    ADD,
    CHANGE,
    credit_cancel,
    credit_close,
    credit_register,
    credit_update,
)
from gendan.exportdocs.services.examination import EXAMINE, credit_examine

VIEW = ("exportdocs.view_letterofcredit",)
AMEND_ADD = "exportdocs.add_creditamendment"
AMEND_CHANGE = "exportdocs.change_creditamendment"


# --- shapes ----------------------------------------------------------------------------------


class CreditFindingOut(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()
    amendment = serializers.BooleanField()


class CreditDocumentRequiredOut(serializers.Serializer):
    kind = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)


class CreditAmendmentOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="requested | received | accepted | refused")

    class Meta:
        model = CreditAmendment
        fields = ["id", "sequence", "status", "request_text", "changes", "received_on", "decided_at", "reason"]


class CreditListOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="received | amendment_needed | accepted | closed | cancelled")
    customer = serializers.CharField(source="customer.code")
    currency = serializers.CharField(source="currency_id")

    class Meta:
        model = LetterOfCredit
        fields = ["id", "number", "status", "customer", "issuing_bank", "currency", "amount",
                  "latest_shipment_date", "expiry_date", "version"]


class CreditOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="received | amendment_needed | accepted | closed | cancelled")
    partial_shipments = serializers.CharField(help_text="allowed | prohibited")
    transhipment = serializers.CharField(help_text="allowed | prohibited")
    tenor = serializers.CharField(help_text="sight | usance")
    usance_from = serializers.CharField(help_text="bl_date | sight | invoice_date, or empty")
    customer = serializers.IntegerField(source="customer_id")
    currency = serializers.CharField(source="currency_id")
    orders = serializers.SerializerMethodField()
    documents_required = CreditDocumentRequiredOut(many=True)
    findings = CreditFindingOut(many=True)
    amendments = serializers.SerializerMethodField()
    drawn = serializers.SerializerMethodField()
    undrawn = serializers.SerializerMethodField()
    expiry_days = serializers.SerializerMethodField()

    class Meta:
        model = LetterOfCredit
        fields = ["id", "number", "status", "version", "customer", "orders", "issuing_bank", "advising_bank",
                  "confirming_bank", "applicant", "beneficiary", "currency", "amount", "about",
                  "amount_tolerance_pct", "quantity", "quantity_unit", "unit_price", "goods_description", "incoterm",
                  "incoterm_place", "port_of_loading", "port_of_discharge", "latest_shipment_date", "expiry_date",
                  "expiry_place", "presentation_days", "partial_shipments", "transhipment", "documents_required",
                  "additional_conditions", "charges", "tenor", "usance_days", "usance_from", "insurance_pct",
                  "issued_on", "received_on", "amendment_no", "findings", "examined_at", "amendments", "drawn",
                  "undrawn", "expiry_days"]

    def get_orders(self, credit) -> list[int]:
        return sorted(credit.orders.values_list("pk", flat=True))

    def get_amendments(self, credit) -> list[dict]:
        return CreditAmendmentOut(credit.amendments.order_by("sequence"), many=True).data

    def get_drawn(self, credit) -> str:
        return f"{credit_drawn(credit):f}"

    def get_undrawn(self, credit) -> str:
        return f"{credit_undrawn(credit):f}"

    def get_expiry_days(self, credit) -> int:
        from django.utils import timezone

        return credit_countdowns(credit, today=timezone.localdate())["expiry_days"]


class CreditInput(serializers.Serializer):
    """The register's fields (every MT700 field of ``CreditOut``; ``orders``: ids; ``customer``: id,
    default the orders' customer; ``documents_required``: rows ``{kind, originals, copies, note}``).
    ``PATCH`` sends only what changes, with ``version``. The service validates every field."""

    number = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False)


class CreditFilterInput(serializers.Serializer):
    status = serializers.CharField(required=False, max_length=20,
                                   help_text="received | amendment_needed | accepted | closed | cancelled")
    customer = serializers.IntegerField(required=False, min_value=1)
    expiring = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    q = serializers.CharField(required=False, max_length=60)


class CreditVersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class CreditReasonInput(CreditVersionInput):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class CreditAmendmentRequestInput(CreditVersionInput):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    email = serializers.BooleanField(required=False, default=False)


class CreditAmendmentReceiveInput(CreditVersionInput):
    changes = serializers.DictField(help_text="credit field → new value, as the register reads it")
    received_on = serializers.DateField(required=False)
    amendment = serializers.IntegerField(required=False, min_value=1,
                                         help_text="the requested amendment this advice answers (default: the oldest)")


def _body(request) -> dict:
    if not isinstance(request.data, Mapping):
        msg = _("Send a JSON object.")
        raise ValidationFailed(msg, fields={"__all__": msg})
    return dict(request.data)


def _refused(status: int = 200, response=CreditOut, **kwargs):
    return extend_schema(responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="bad input (expiry_before_latest_shipment, "
                                                          "tolerance_too_large, unknown_document_kind, …)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by the workflow or a stale version (conflict)"),
    }, **kwargs)


@extend_schema_view(
    list=extend_schema(parameters=[CreditFilterInput], responses=CreditListOut,
                       description="The credits of orders and customers the user sees, newest first, 50 a page."),
    retrieve=extend_schema(responses=CreditOut),
    create=_refused(201, request=CreditInput, description="Register a credit as advised (MT700 fields)."),
    partial_update=_refused(request=CreditInput, description="Correct the register entry (send `version`)."),
)
class CreditViewSet(ApiViewSet):
    required_perms = {"list": VIEW, "retrieve": VIEW, "create": (ADD,), "partial_update": (CHANGE,),
                      "examine": (EXAMINE,), "cancel": (CHANGE,), "close": (CHANGE,), "amendments.get": VIEW,
                      "amendments.post": (AMEND_ADD,), "amendment_receive": (AMEND_CHANGE,),
                      "amendment_accept": (EXAMINE,), "amendment_refuse": (EXAMINE,)}

    def _answer(self, pk, status: int = 200):
        return self.render(CreditOut, credit_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(CreditFilterInput, data=request.query_params)
        return self.paginated(credit_list(user=request.user, filters=filters), CreditListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        data = _body(request)
        data.pop("version", None)
        credit = credit_register(by=request.user, data=data)
        return self._answer(credit.pk, status=201)

    def partial_update(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        data = _body(request)
        version = data.pop("version", None)
        reason = data.pop("reason", "")
        credit_update(by=request.user, credit=credit, version=version, data=data, reason=str(reason or ""))
        return self._answer(pk)

    @_refused(request=CreditVersionInput, description="Examine the credit against its orders (审证): findings stored, "
              "status amendment_needed or accepted.")
    @action(detail=True, methods=["post"])
    def examine(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        data = self.parse(CreditVersionInput)
        credit_examine(by=request.user, credit=credit, version=data.get("version"))
        return self._answer(pk)

    @_refused(request=CreditReasonInput, description="Cancel a credit never drawn on, with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        data = self.parse(CreditReasonInput)
        credit_cancel(by=request.user, credit=credit, reason=data.get("reason", ""), version=data.get("version"))
        return self._answer(pk)

    @_refused(request=CreditReasonInput, description="Close a credit fully drawn or expired, with the reason (from "
              "amendment_needed or accepted).")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        data = self.parse(CreditReasonInput)
        credit_close(by=request.user, credit=credit, reason=data.get("reason", ""), version=data.get("version"))
        return self._answer(pk)

    @extend_schema(methods=["GET"], responses=CreditAmendmentOut(many=True))
    @_refused(201, response=CreditAmendmentOut, methods=["POST"], request=CreditAmendmentRequestInput,
              description="Request an amendment from the customer (default text: the findings that need one).")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def amendments(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        if request.method == "POST":
            data = self.parse(CreditAmendmentRequestInput)
            amendment = amendment_request(by=request.user, credit=credit, text=data.get("text", ""),
                                          email=data.get("email", False), version=data.get("version"))
            return self.render(CreditAmendmentOut, amendment, status=201)
        return self.render_many(CreditAmendmentOut, credit.amendments.order_by("sequence"))

    @_refused(response=CreditAmendmentOut, request=CreditAmendmentReceiveInput,
              description="Record the amendment the bank advised: `changes` maps credit fields to new values.")
    @action(detail=True, methods=["post"], url_path="amendments/receive")
    def amendment_receive(self, request, pk=None):
        credit = credit_get_for_user(user=request.user, pk=pk)
        data = self.parse(CreditAmendmentReceiveInput)
        amendment = amendment_receive(by=request.user, credit=credit, changes=data["changes"],
                                      received_on=data.get("received_on"), amendment=data.get("amendment"),
                                      version=data.get("version"))
        return self.render(CreditAmendmentOut, amendment)

    def _amendment(self, pk, amendment_pk) -> CreditAmendment:
        credit = credit_get_for_user(user=self.request.user, pk=pk)
        found = credit.amendments.filter(pk=parse_id(amendment_pk) or 0).first()
        if found is None:
            raise Http404("No such amendment.")
        return found

    @_refused(request=CreditVersionInput, description="Accept the advised amendment: the credit takes its changes and "
              "is examined again. `version` is the credit's.")
    @action(detail=True, methods=["post"], url_path=r"amendments/(?P<amendment_pk>\d+)/accept")
    def amendment_accept(self, request, pk=None, amendment_pk=None):
        amendment = self._amendment(pk, amendment_pk)
        data = self.parse(CreditVersionInput)
        amendment_accept(by=request.user, amendment=amendment, version=data.get("version"))
        return self._answer(pk)

    @_refused(request=CreditReasonInput, description="Refuse the advised amendment with the reason: the credit stays.")
    @action(detail=True, methods=["post"], url_path=r"amendments/(?P<amendment_pk>\d+)/refuse")
    def amendment_refuse(self, request, pk=None, amendment_pk=None):
        amendment = self._amendment(pk, amendment_pk)
        data = self.parse(CreditReasonInput)
        amendment_refuse(by=request.user, amendment=amendment, reason=data.get("reason", ""),
                         version=data.get("version"))
        return self._answer(pk)
