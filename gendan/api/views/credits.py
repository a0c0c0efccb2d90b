"""Letters of credit: ``/api/v1/credits/`` list (the list page's filters), create (register),
retrieve, ``PATCH`` (correct, with ``version``), ``/examine/``, ``/cancel/``, ``/close/``, ``/amendments/``
(list, request) and ``/amendments/{id}/receive|accept|refuse/``. Each action parses its body
and calls one service of ``exportdocs.services`` (rules, validation and versions are checked
there); the scope is ``exportdocs.selectors.credits.credit_get_for_user``."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.fields import (
    CurrencyField,
    DateText,
    DecimalInput,
    IdField,
    InlineChoiceField,
    PositiveDecimalInput,
    RecordField,
)
from gendan.api.serializers.common import NOT_BLANK, ErrorSerializer
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
    MAX_COPIES,
    MAX_DOCUMENTS,
    MAX_NOTE,
    MAX_ORDERS,
    REQUIRABLE_KINDS,
    credit_cancel,
    credit_close,
    credit_register,
    credit_update,
)
from gendan.exportdocs.services.examination import EXAMINE, credit_examine
from gendan.parties.models import Customer, Incoterm

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


def _text(name: str, **kwargs) -> serializers.CharField:
    """A register text field, as long as its column allows."""
    return serializers.CharField(max_length=LetterOfCredit._meta.get_field(name).max_length, required=False,
                                 allow_blank=True, **kwargs)


def _required_text(name: str, **kwargs) -> serializers.RegexField:
    """A register text the credit cannot be without: something other than spaces."""
    return serializers.RegexField(NOT_BLANK, max_length=LetterOfCredit._meta.get_field(name).max_length, **kwargs)


def _percent(*, low: int, high: int, **kwargs) -> DecimalInput:
    """A percentage from ``low`` to ``high`` (``low`` is 0 or 100, ``high`` 100 or 200), two decimals."""
    lead = {0: "[1-9]?[0-9]", 100: "1[0-9]{2}"}[low]
    schema = {"oneOf": [{"type": "string", "format": "decimal",
                         "pattern": rf"^(({lead})(\.[0-9]{{1,2}})?|{high}(\.0{{1,2}})?)$"},
                        {"type": "integer", "minimum": low, "maximum": high}]}
    return extend_schema_field(schema)(type("PercentInput", (DecimalInput,), {}))(required=False, **kwargs)


class DocumentRequiredField(serializers.JSONField):
    """One row of 46A: ``{kind, originals, copies, note}`` (a bare kind is one original)."""


extend_schema_field({"oneOf": [
    {"type": "string", "enum": list(REQUIRABLE_KINDS)},
    {"type": "object", "properties": {
        "kind": {"type": "string", "enum": list(REQUIRABLE_KINDS)},
        "originals": {"type": "integer", "minimum": 0, "maximum": MAX_COPIES, "default": 1},
        "copies": {"type": "integer", "minimum": 0, "maximum": MAX_COPIES, "default": 0},
        "note": {"type": "string", "maxLength": MAX_NOTE}},
     "required": ["kind"]},
]})(DocumentRequiredField)


class CreditInput(serializers.Serializer):
    """A credit as the bank advised it (MT700), as ``exportdocs.services.credits.credit_register``
    reads and checks it (this serializer states the body in the schema; the service validates it,
    with its own codes: ``tolerance_too_large``, ``unknown_document_kind`` …). The rules between
    fields and against stored records are the service's too: the expiry
    date not before the latest shipment date (``expiry_before_latest_shipment``), a usance credit
    with its days, the number once per issuing bank (``credit_number_taken``), the orders the
    customer's L/C orders in the credit's currency (``order_not_by_credit``)."""

    customer = RecordField(queryset=Customer.objects.all(), required=False,
                           help_text="the applicant customer's id; default: the first linked order's customer "
                                     "(give `customer` or `orders`). A customer that does not exist is refused "
                                     "alone, before the other fields are checked")
    orders = serializers.ListField(child=IdField(), max_length=MAX_ORDERS, required=False,
                                   help_text="ids of the customer's orders paid by L/C, in the credit's currency, "
                                             "not cancelled")
    number = _required_text("number", help_text="20: the L/C no. (kept in capitals)")
    issuing_bank = _required_text("issuing_bank", help_text="51a / 52a")
    advising_bank = _text("advising_bank")
    confirming_bank = _text("confirming_bank")
    applicant = _required_text("applicant", help_text="50")
    beneficiary = _required_text("beneficiary", help_text="59")
    currency = CurrencyField(required=False, help_text="32B: a currency in use (ISO 4217; one not in use is "
                                                       "refused alone, as not existing); default: the linked "
                                                       "orders' currency, else the customer's")
    amount = PositiveDecimalInput(places=2, whole_digits=14, help_text="32B: from 0.01, below 10^14, 2 decimals")
    about = serializers.BooleanField(required=False, help_text='39A "about": ±10 %')
    amount_tolerance_pct = _percent(low=0, high=100, allow_null=True,
                                    help_text="39A: ± % from 0 to 100 (overrides `about`)")
    quantity = PositiveDecimalInput(places=3, whole_digits=11, required=False, allow_null=True, allow_blank=True,
                                    help_text="from 0.001, below 10^11, 3 decimals")
    quantity_unit = _text("quantity_unit")
    unit_price = PositiveDecimalInput(places=4, whole_digits=12, allow_zero=True, allow_blank=True, required=False,
                                      allow_null=True, help_text="below 10^12, 4 decimals")
    goods_description = _required_text("goods_description", help_text="45A")
    incoterm = serializers.ChoiceField(choices=Incoterm.choices, required=False, allow_blank=True)
    incoterm_place = _text("incoterm_place")
    port_of_loading = _text("port_of_loading", help_text="44E")
    port_of_discharge = _text("port_of_discharge", help_text="44F")
    latest_shipment_date = DateText(help_text="44C")
    expiry_date = DateText(help_text="31D: not before the latest shipment date (a rule between two fields, "
                                     "the stored one on PATCH: `expiry_before_latest_shipment`)")
    expiry_place = _text("expiry_place")
    presentation_days = serializers.IntegerField(min_value=1, max_value=365, required=False,
                                                 help_text="48: days after shipment; default 21")
    partial_shipments = InlineChoiceField(choices=LetterOfCredit.Shipments.choices, required=False,
                                       help_text="43P: allowed | prohibited; default allowed")
    transhipment = InlineChoiceField(choices=LetterOfCredit.Shipments.choices, required=False,
                                  help_text="43T: allowed | prohibited; default allowed")
    documents_required = serializers.ListField(child=DocumentRequiredField(), max_length=MAX_DOCUMENTS,
                                               required=False, help_text="46A")
    additional_conditions = _text("additional_conditions", help_text="47A")
    charges = _text("charges", help_text="71B")
    tenor = serializers.ChoiceField(choices=LetterOfCredit.Tenor.choices, required=False,
                                    help_text="default sight; usance needs `usance_days` from 1")
    usance_days = serializers.IntegerField(min_value=0, max_value=720, required=False,
                                           help_text="42C: days of a usance credit (ignored at sight)")
    usance_from = serializers.ChoiceField(choices=LetterOfCredit.UsanceFrom.choices, required=False,
                                          allow_blank=True)
    insurance_pct = _percent(low=100, high=200, allow_null=True, help_text="insurance cover % from 100 to 200; "
                                                                           "default 110")
    issued_on = DateText(required=False, allow_blank=True, help_text="31C")
    received_on = DateText(required=False, allow_blank=True, help_text="default (or blank) today; on PATCH, blank "
                                                                       "keeps the stored date")


class CreditInputSchema(OpenApiSerializerExtension):
    """A new credit names its customer or the orders it pays; a usance credit states its days:
    both stated as ``anyOf`` in the schema."""

    target_class = CreditInput

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False  # the register refuses a field it does not know
            schema["allOf"] = [
                {"anyOf": [{"required": ["customer"]}, {"required": ["orders"], "properties": {"orders": {
                    "minItems": 1}}}]},
                # in allOf: spectacular would make a bare one-value enum the tenor's component
                {"anyOf": [{"properties": {"tenor": {"allOf": [{"enum": [LetterOfCredit.Tenor.SIGHT]}]}}},
                           {"required": ["usance_days"], "properties": {"usance_days": {"minimum": 1}}}]},
            ]
        return schema


class CreditUpdateInput(CreditInput):
    """``PATCH``: the register fields that change, as ``POST`` states them (``orders``: the full
    list of ids), with ``version`` and the ``reason``; the service validates every field, against
    the stored ones too (the expiry date against the stored latest shipment date …). The customer
    is the credit's applicant: never re-assigned, so not a field here."""

    customer = None
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="the version the credit was loaded at (stale: 409 conflict)")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                   help_text="why the register is corrected (on the timeline)")

    # the register refuses a field it does not know, by name
    request_schema_rules = {"additionalProperties": False}


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
    partial_update=_refused(request=CreditUpdateInput, description="Correct the register entry (send `version`): "
                            "the fields of the credit that change, as in `POST`."),
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
