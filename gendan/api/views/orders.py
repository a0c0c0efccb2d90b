"""Sales orders: list with the list page's filters, detail with the actions allowed now, draft
create and edit, and one POST per workflow action. Each action parses its body, calls the one
service that performs it (which checks permission, scope, the rule and the version under the
order's row lock) and answers with the order as it now stands."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.errors import flatten_errors
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.lines import lines_for_service
from gendan.api.serializers.orders import (
    CancelInput,
    ConfirmationInput,
    ConfirmationJsonInput,
    ConfirmationOut,
    ConfirmInput,
    DocumentIssueInput,
    DocumentOut,
    OrderCreateInput,
    OrderFilterInput,
    OrderListOut,
    OrderOut,
    OrderUpdateInput,
    OverrideGateInput,
    PaymentRequestInput,
    PaymentRequestOut,
    ReasonRequiredInput,
    ReleaseProductionInput,
    RevisionInput,
    RevisionOut,
    ShipInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.core.errors import RULE_CODES, BusinessError, CoreError, Kind, ValidationFailed
from gendan.core.events import change_rows, timeline_for
from gendan.finance.services import payment_request_send
from gendan.production.services.release import order_release_production
from gendan.sales.selectors import order_get_for_user, order_list
from gendan.sales.services import confirmations, lifecycle
from gendan.sales.services import documents as document_services
from gendan.sales.services import orders as order_services
from gendan.sales.services import revisions as revision_services
from gendan.sales.services.line_fill import lines_fill_defaults
from gendan.sales.services.lines import clean_lines
from gendan.shipping.services import order_ship
from gendan.shipping.services.bills import order_release_bills

VIEW = ("sales.view_salesorder",)
FILE_VIEW = ("sales.view_salesorder", "documents.view_attachment")


class ReasonOptionalInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TimelineEventOut(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    verb = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    kind = serializers.CharField()
    params = serializers.JSONField()
    message = serializers.CharField(source="text", help_text="What happened, in the reader's language.")
    reason = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_changes(self, event) -> list[dict]:
        return change_rows(event)


def _version(request) -> int | None:
    """The optional ``version`` the client loaded: a stale one is refused with 409 by the service."""
    raw = request.data.get("version") if hasattr(request.data, "get") else None
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed("version", fields={"version": ["A valid integer is required."]}) from None
    if value < 1:
        raise ValidationFailed("version", fields={"version": ["Ensure this value is greater than or equal to 1."]})
    return value


def _action_schema(request, response=OrderOut, status: int = 200, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        409: OpenApiResponse(ErrorSerializer, description="refused by a rule (code names it, e.g. gate_deposit) "
                                                          "or a stale version (conflict)"),
    }, **kwargs)


def _header(data: dict) -> tuple[dict, list[dict] | None]:
    """Split validated order input into the header fields and the lines (None = unchanged)."""
    data = dict(data)
    lines = data.pop("lines", None)
    for name in ("customer", "version", "reason", "confirm_large_amount"):
        data.pop(name, None)
    return data, (lines_for_service(lines) if lines is not None else None)


def _without_errors(data, errors):
    """``data`` less what the serializer refused (``errors``, its nested detail): a wrong header
    field is left out, a wrong line (or cell) keeps its index with only its right fields."""
    if not isinstance(data, dict):
        return {}
    out = {}
    for key, value in data.items():
        error = errors.get(key) if isinstance(errors, dict) else None
        if not error:
            out[key] = value
        elif isinstance(value, list) and not _is_messages(error):
            out[key] = [_without_errors(item, _item_errors(error, index)) if _item_errors(error, index) else item
                        for index, item in enumerate(value)]
    return out


def _follows_from_product(name: str, fields: dict) -> bool:
    """A line's missing description when its product could not be read (the product gives it):
    the product's own message says it."""
    return name.endswith(".description") and f"{name.rsplit('.', 1)[0]}.product" in fields


def _is_messages(error) -> bool:
    return isinstance(error, list) and all(isinstance(e, str) for e in error)


def _item_errors(error, index: int):
    """The errors of item ``index`` of a list field: DRF gives ``{index: {...}}`` or ``[{...}, …]``."""
    if isinstance(error, dict):
        return error.get(index) or error.get(str(index))
    return error[index] if index < len(error) else None


def parse_or_check(view, serializer_class, save, **kwargs) -> dict:
    """Parse the request body; when it does not parse whole, still run ``save`` with
    ``validate_only=True`` on what did (the service's header rules, every line and cell), and
    refuse with every error — the serializer's and the service's — in one 400."""
    data, context = view.request.data, view.get_serializer_context()
    serializer = serializer_class(data=data, context=context, **kwargs)
    if serializer.is_valid():
        return serializer.validated_data
    fields = flatten_errors(serializer.errors)
    code = CoreError.VALIDATION_FAILED
    rest_data = _without_errors(data, serializer.errors)
    _stand_in_descriptions(rest_data, fields)
    rest = serializer_class(data=rest_data, context=context, partial=True)
    if rest.is_valid():
        try:
            save(rest.validated_data, validate_only=True)
        except BusinessError as exc:
            if exc.kind == Kind.VALIDATION:
                for name, messages in exc.fields.items():
                    if not _follows_from_product(name, fields):
                        fields.setdefault(name, messages)
                # A record the body names that does not exist is no malformed value: beside it, a rule
                # the service refused keeps its code (the field names both).
                if exc.code in RULE_CODES and _only_missing_records(serializer.errors):
                    code = exc.code
    name, messages = next(iter(fields.items()))
    raise ValidationFailed(messages[0] if name == "__all__" else f"{name}: {messages[0]}", code=code, fields=fields)


def _stand_in_descriptions(data: dict, fields: dict) -> None:
    """A line whose product was refused (no such record) and has no description of its own is
    checked with a stand-in one: the product would have given it, so its absence is no error of the
    request beside the product's own (which would otherwise make a rule's answer validation_failed)."""
    lines = data.get("lines") if isinstance(data, dict) else None
    for index, line in enumerate(lines if isinstance(lines, list) else []):
        if isinstance(line, dict) and f"lines[{index}].product" in fields \
                and not str(line.get("description") or "").strip():
            line["description"] = "-"


def _only_missing_records(detail) -> bool:
    """Does DRF's error ``detail`` say only that records the body names do not exist?"""
    if isinstance(detail, dict):
        return all(_only_missing_records(value) for value in detail.values())
    if isinstance(detail, list):
        return all(_only_missing_records(item) for item in detail)
    return getattr(detail, "code", None) == "does_not_exist"


@extend_schema_view(
    list=extend_schema(parameters=[OrderFilterInput], responses=OrderListOut),
    retrieve=extend_schema(responses=OrderOut),
    create=extend_schema(request=OrderCreateInput, responses={201: OrderOut}),
    partial_update=_action_schema(OrderUpdateInput, description="Edit a draft order. `version` is required: a "
                                  "stale one is refused with 409 and nothing changes."),
)
class OrderViewSet(ApiViewSet):
    required_perms = {
        "list": VIEW,
        "retrieve": VIEW,
        "timeline": VIEW,
        "create": ("sales.add_salesorder",),
        "partial_update": ("sales.change_salesorder",),
        "confirm": ("sales.confirm_salesorder",),
        "request_deposit": ("sales.request_payment",),
        "request_balance": ("sales.request_payment",),
        "release_production": ("sales.release_production",),
        "mark_ready": ("sales.release_production",),
        "ship": ("sales.ship_salesorder",),
        "release_original_bl": ("shipping.release_billoflading",),
        "hold": ("sales.close_salesorder",),
        "resume": ("sales.close_salesorder",),
        "cancel": ("sales.close_salesorder",),
        "close": ("sales.close_salesorder",),
        "override_gate": ("sales.override_gate",),
        "confirmations.get": VIEW,
        "confirmations.post": ("sales.confirm_salesorder",),
        "confirmation_file": FILE_VIEW,
        "revisions.get": VIEW,
        "revisions.post": ("sales.change_salesorder",),
        "revision_apply": ("sales.confirm_salesorder",),
        "revision_withdraw": ("sales.change_salesorder",),
        "revision_approve": ("sales.approve_money_terms",),
        "documents.get": VIEW,
        "documents.post": ("sales.confirm_salesorder",),
        "document_file": VIEW,
    }

    def _order(self, pk):
        return order_get_for_user(user=self.request.user, pk=pk)

    def _answer(self, pk, status: int = 200):
        return self.render(OrderOut, self._order(pk), status=status)

    # --- reading, creating, editing ---------------------------------------------------

    def list(self, request):
        filters = self.parse(OrderFilterInput, data=request.query_params)
        return self.paginated(order_list(user=request.user, filters=filters), OrderListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def _create(self, data, *, validate_only: bool = False):
        header, lines = _header(data)
        if "customer" not in data:  # no customer to take the terms from: the lines alone
            currency = header.get("currency")
            return clean_lines(lines or [], currency=getattr(currency, "code", currency) or "USD")
        # A line with a product and no description / unit / price: filled as the order form fills it.
        lines, packing = lines_fill_defaults(customer=data["customer"], currency=header.get("currency"),
                                             lines=lines or [], packing=header.get("packing_requirements", ""))
        if packing:
            header["packing_requirements"] = packing
        return order_services.order_create(
            actor=self.request.user, customer_id=data["customer"].pk, data=header, lines=lines,
            confirm_large_amount=data.get("confirm_large_amount", False), validate_only=validate_only)

    def create(self, request):
        order = self._create(parse_or_check(self, OrderCreateInput, self._create))
        return self._answer(order.pk, status=201)

    def partial_update(self, request, pk=None):
        self._order(pk)  # 404 before anything else for an order the user cannot see

        def update(data, *, validate_only: bool = False):
            header, lines = _header(data)
            return order_services.order_update(
                actor=request.user, order_id=pk, data=header, lines=lines, expected_version=data.get("version"),
                reason=data.get("reason", ""), confirm_large_amount=data.get("confirm_large_amount", False),
                validate_only=validate_only)

        update(parse_or_check(self, OrderUpdateInput, update, partial=True))
        return self._answer(pk)

    @extend_schema(responses=TimelineEventOut(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        return self.render_many(TimelineEventOut, timeline_for(self._order(pk)))

    # --- workflow actions -------------------------------------------------------------

    @_action_schema(ConfirmInput, description="Confirm a draft: refused (409 `gate_written_order`) until the "
                    "customer's written order and a phone confirmation are recorded.")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = self.parse(ConfirmInput)
        confirmations.order_confirm(actor=request.user, order_id=pk, expected_version=data.get("version"))
        return self._answer(pk)

    def _payment_request(self, request, pk, kind: str):
        data = self.parse(PaymentRequestInput)
        payment_request = payment_request_send(actor=request.user, order_id=pk, kind=kind,
                                               message=data.get("message", ""))
        return self.render(PaymentRequestOut, payment_request, status=201)

    @_action_schema(PaymentRequestInput, PaymentRequestOut, 201,
                    description="Email the deposit request (with the current PI) to the customer.")
    @action(detail=True, methods=["post"], url_path="request-deposit")
    def request_deposit(self, request, pk=None):
        return self._payment_request(request, pk, "deposit")

    @_action_schema(PaymentRequestInput, PaymentRequestOut, 201,
                    description="Email the balance request (with the current PI) to the customer.")
    @action(detail=True, methods=["post"], url_path="request-balance")
    def request_balance(self, request, pk=None):
        return self._payment_request(request, pk, "balance")

    @_action_schema(ReleaseProductionInput, description="Release to production, one production order per "
                    "assignment. Refused (409 `gate_deposit`) until finance has confirmed the deposit.")
    @action(detail=True, methods=["post"], url_path="release-production")
    def release_production(self, request, pk=None):
        data = self.parse(ReleaseProductionInput)
        assignments = [dict(a) for a in data["assignments"]]
        order_release_production(actor=request.user, order_id=pk, assignments=assignments,
                                                 expected_version=data.get("version"))
        return self._answer(pk)

    @_action_schema(ReasonOptionalInput, description="Goods finished and packed: the order waits for shipment. "
                    "While production is not finished (a production order on hold, produced less than ordered) "
                    "only with a `reason` (else 400 `reason_required`, the message listing what is unfinished).")
    @action(detail=True, methods=["post"], url_path="mark-ready")
    def mark_ready(self, request, pk=None):
        data = self.parse(ReasonOptionalInput)
        lifecycle.order_mark_ready(actor=request.user, order_id=pk, reason=data.get("reason", ""),
                                   expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(ShipInput, status=201, description="Record a (partial) shipment. Refused (409 "
                    "`gate_balance`) when the payment terms require the balance first.")
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        data = self.parse(ShipInput)
        order_ship(
            actor=request.user, order_id=pk, shipped_on=data["shipped_on"], quantities=data["lines"],
            bl_no=data.get("bl_no", ""), vessel_voyage=data.get("vessel_voyage", ""), etd=data.get("etd"),
            eta=data.get("eta"), notes=data.get("notes", ""), expected_version=_version(request))
        return self._answer(pk, status=201)

    @_action_schema(None, description="Release the B/L of the order's shipped shipments to the customer (every "
                    "issued bill: an ocean B/L as originals, a waybill as a waybill; refused with `bill_not_issued` "
                    "while one is a draft), under “against copy of B/L” only after the balance (`gate_balance`). "
                    "An order shipped before bills were kept records the release on the order. One bill at a time "
                    "(telex release, surrender): `POST /api/bills/{id}/release/`.")
    @action(detail=True, methods=["post"], url_path="release-original-bl")
    def release_original_bl(self, request, pk=None):
        order_release_bills(actor=request.user, order_id=pk, expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(ReasonRequiredInput)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        data = self.parse(ReasonRequiredInput)
        lifecycle.order_hold(actor=request.user, order_id=pk, reason=data["reason"],
                                  expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(ReasonOptionalInput)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        data = self.parse(ReasonOptionalInput)
        lifecycle.order_resume(actor=request.user, order_id=pk, reason=data.get("reason", ""),
                                    expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(CancelInput, description="Cancel with a reason; if money was received, "
                    "`deposit_disposition` says what happens to it (refund, credit, forfeit).")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.parse(CancelInput)
        lifecycle.order_cancel(actor=request.user, order_id=pk, reason=data["reason"],
                                    deposit_disposition=data.get("deposit_disposition", ""),
                                    expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(ReasonOptionalInput, description="Archive a completed order (a shipped, not fully paid "
                    "one only by a manager, with a reason).")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.parse(ReasonOptionalInput)
        lifecycle.order_close(actor=request.user, order_id=pk, reason=data.get("reason", ""),
                                   expected_version=_version(request))
        return self._answer(pk)

    @_action_schema(OverrideGateInput, description="A manager lets the order pass the deposit or the balance "
                    "rule, with a written reason (logged on the timeline).")
    @action(detail=True, methods=["post"], url_path="override-gate")
    def override_gate(self, request, pk=None):
        data = self.parse(OverrideGateInput)
        lifecycle.order_override_gate(actor=request.user, order_id=pk, gate=data["gate"],
                                           reason=data["reason"], expected_version=_version(request))
        return self._answer(pk)

    # --- confirmations ----------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=ConfirmationOut(many=True))
    @extend_schema(methods=["POST"], request={"application/json": ConfirmationJsonInput,
                                              "multipart/form-data": ConfirmationInput},
                   responses={201: ConfirmationOut},
                   description="Record the customer's phone confirmation (JSON: contact_name, phone_number, "
                               "summary) or written order (multipart with `file`).")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def confirmations(self, request, pk=None):
        if request.method == "GET":
            return self.render_many(ConfirmationOut, self._order(pk).confirmations.all())
        data = self.parse(ConfirmationInput)
        confirmation = confirmations.confirmation_record(
            actor=request.user, order_id=pk, kind=data["kind"], confirmed_at=data["confirmed_at"],
            upload=data.get("file"), attachment_id=data.get("attachment_id"),
            contact_name=data.get("contact_name", ""), phone_number=data.get("phone_number", ""),
            summary=data.get("summary", ""))
        return self.render(ConfirmationOut, confirmation, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the file")})
    @action(detail=True, methods=["get"], url_path=r"confirmations/(?P<confirmation_id>\d+)/file",
            url_name="confirmation-file")
    def confirmation_file(self, request, pk=None, confirmation_id=None):
        order = self._order(pk)
        confirmation = next((c for c in order.confirmations.all() if str(c.pk) == confirmation_id), None)
        if confirmation is None or confirmation.attachment is None:
            raise Http404
        attachment = confirmation.attachment
        return _file_response(attachment.file, attachment.original_name, attachment.mime_type)

    # --- change orders ----------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=RevisionOut(many=True))
    @extend_schema(methods=["POST"], request=RevisionInput, responses={201: RevisionOut},
                   description="Propose a change order (revision N+1) of a confirmed order: changed header "
                               "fields and/or the complete new lines, and the reason. Nothing on the order "
                               "changes until the customer confirms it and it is applied.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def revisions(self, request, pk=None):
        if request.method == "GET":
            return self.render_many(RevisionOut, self._order(pk).revisions.select_related("created_by", "approved_by"))

        def revise(data, *, validate_only: bool = False):
            header, lines = _header(data)
            return revision_services.order_revise(
                actor=request.user, order_id=pk, data=header, lines=lines, reason=data.get("reason", ""),
                expected_version=data.get("version"), confirm_large_amount=data.get("confirm_large_amount", False),
                validate_only=validate_only)

        revision = revise(parse_or_check(self, RevisionInput, revise, partial=True))
        return self.render(RevisionOut, revision, status=201)

    @_action_schema(None, description="Make the pending change order effective (needs the customer's written "
                    "and phone confirmation of it: 409 `gate_change` otherwise; and, when it loosens the money "
                    "terms, the approval of a manager or finance other than the proposer: 409 `gate_money_terms`).")
    @action(detail=True, methods=["post"], url_path="revisions/apply", url_name="revision-apply")
    def revision_apply(self, request, pk=None):
        revision_services.order_revision_apply(actor=request.user, order_id=pk)
        return self._answer(pk)

    @_action_schema(ReasonRequiredInput, RevisionOut, description="A manager or finance approves the pending "
                    "change order that loosens the money terms (deposit, payment method, credit days, price, amount, "
                    "currency), with a reason. The proposer may not (403 `own_change_order`); 409 "
                    "`no_approval_needed` when nothing loosens or it is already approved.")
    @action(detail=True, methods=["post"], url_path="revisions/approve", url_name="revision-approve")
    def revision_approve(self, request, pk=None):
        data = self.parse(ReasonRequiredInput)
        revision = revision_services.order_revision_approve(actor=request.user, order_id=pk, reason=data["reason"])
        return self.render(RevisionOut, revision)

    @_action_schema(ReasonOptionalInput, RevisionOut)
    @action(detail=True, methods=["post"], url_path="revisions/withdraw", url_name="revision-withdraw")
    def revision_withdraw(self, request, pk=None):
        data = self.parse(ReasonOptionalInput)
        revision = revision_services.order_revision_withdraw(actor=request.user, order_id=pk,
                                                             reason=data.get("reason", ""))
        return self.render(RevisionOut, revision)

    # --- PI and contract --------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=DocumentOut(many=True))
    @extend_schema(methods=["POST"], request=DocumentIssueInput, responses={201: DocumentOut},
                   description="Issue (or re-issue) the PI or the sales contract as a new PDF version.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        if request.method == "GET":
            return self.render_many(DocumentOut, self._order(pk).documents.all())
        data = self.parse(DocumentIssueInput)
        document = document_services.document_issue(actor=request.user, order_id=pk, kind=data["kind"],
                                                     confirm_replace=data["confirm_replace"])
        return self.render(DocumentOut, document, status=201)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="the PDF")})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)/file",
            url_name="document-file")
    def document_file(self, request, pk=None, document_id=None):
        order = self._order(pk)
        document = next((d for d in order.documents.all() if str(d.pk) == document_id), None)
        if document is None or not document.file:
            raise Http404
        return _file_response(document.file, f"{document.display_number}.pdf", "application/pdf")


def _file_response(field_file, name: str, mime_type: str) -> FileResponse:
    inline = mime_type.startswith("image/") or mime_type == "application/pdf"
    response = FileResponse(field_file.open("rb"), as_attachment=not inline, filename=name, content_type=mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
