from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.accounts.roles import Role
from gendan.api.actions import order_actions
from gendan.api.fields import (
    BusinessDateField,
    DecimalInput,
    IdField,
    Money,
    Quantity,
    ScopedRelatedField,
    UnitPrice,
    UserRef,
)
from gendan.api.serializers.common import (
    NOT_BLANK,
    CustomerRef,
    ModelInput,
    SupplierRef,
    VersionRequiredMixin,
)
from gendan.api.serializers.lines import LineCellOut, LineInput, lines_rules, number_schema
from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_date
from gendan.core.models import Currency
from gendan.parties.selectors import assignable_users, customer_queryset, supplier_queryset
from gendan.sales.models import Confirmation, OrderDocument, OrderRevision, SalesOrder
from gendan.sales.rules import revision_loosened
from gendan.sales.services.lines import MAX_QUANTITY, QTY_PLACES
from gendan.sales.services.orders import HEADER_INPUT


def _merchandisers(user):
    return assignable_users(Role.MERCHANDISER)


class OrderHeaderInput(ModelInput):
    """The header fields a draft order accepts (``sales.services.orders.HEADER_INPUT``)."""

    currency = serializers.SlugRelatedField(slug_field="code", queryset=Currency.objects.filter(is_active=True),
                                            required=False)
    merchandiser = ScopedRelatedField(_merchandisers, required=False, allow_null=True)

    class Meta:
        model = SalesOrder
        fields = list(HEADER_INPUT)
        # the rules between the dates and against today's, checked by the service (their own codes)
        extra_kwargs = {
            "customer_po_date": {"help_text": "Not in the future (today's date; `date_in_future`)."},
            "ex_factory_date": {"help_text": "Not before `customer_po_date` (a rule between two fields; "
                                             "`dates_out_of_order`)."},
            "requested_delivery_date": {"help_text": "Not before `ex_factory_date` (a rule between two fields; "
                                                     "`dates_out_of_order`)."},
        }


def _confirm_large_amount():
    return serializers.BooleanField(
        required=False, default=False,
        help_text="Confirms a total above the configured large-order amount (about USD 10 million); without it "
                  "such a total is refused with `large_amount_unconfirmed`.")


class OrderCreateInput(OrderHeaderInput):
    customer = ScopedRelatedField(customer_queryset)
    lines = LineInput(many=True)
    confirm_large_amount = _confirm_large_amount()

    request_schema_rules = staticmethod(lines_rules)

    class Meta(OrderHeaderInput.Meta):
        fields = ["customer", *HEADER_INPUT, "lines", "confirm_large_amount"]


class OrderUpdateInput(VersionRequiredMixin, OrderHeaderInput):
    """Edit a draft (use with ``partial=True``): only the fields sent change; ``lines``, when
    sent, replace all lines."""

    version = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    lines = LineInput(many=True, required=False)
    confirm_large_amount = _confirm_large_amount()

    request_schema_rules = staticmethod(lines_rules)

    class Meta(OrderHeaderInput.Meta):
        fields = ["version", *HEADER_INPUT, "lines", "reason", "confirm_large_amount"]


class RevisionInput(OrderHeaderInput):
    """Propose a change order (use with ``partial=True``): the changed header fields and/or
    the complete new lines, and why."""

    version = IdField(required=False)
    reason = serializers.CharField(max_length=300)
    lines = LineInput(many=True, required=False)
    confirm_large_amount = _confirm_large_amount()

    request_schema_rules = staticmethod(lines_rules)

    class Meta(OrderHeaderInput.Meta):
        fields = ["version", *HEADER_INPUT, "lines", "reason", "confirm_large_amount"]


class OrderFilterInput(serializers.Serializer):
    """The order list's filters, the same as the list page's (``sales.selectors.order_list``)."""

    status = serializers.ChoiceField(choices=SalesOrder.Status.choices, required=False)
    customer = IdField(required=False)
    merchandiser = IdField(required=False)
    po_from = BusinessDateField(required=False)
    po_to = BusinessDateField(required=False)
    exf_from = BusinessDateField(required=False)
    exf_to = BusinessDateField(required=False)
    payment_overdue = serializers.BooleanField(required=False, default=False)
    blocked = serializers.ChoiceField(choices=["deposit", "balance", "inspection"], required=False)
    risk = serializers.ChoiceField(choices=["on_track", "at_risk", "late"], required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


# --- actions -----------------------------------------------------------------------------


def _line_quantities(description: str, child, **kwargs) -> serializers.DictField:
    """``{order line id: quantity}``: values above zero with at most 3 decimals (the service leaves a
    line at 0 out), at least one line. The keys name the order's lines: OpenAPI 3.0 cannot type
    them; one that names no line of the order is refused as a line that does not exist."""
    schema = {"type": "object", "description": description, "minProperties": 1,
              "additionalProperties": number_schema(places=QTY_PLACES, largest=MAX_QUANTITY)}
    return extend_schema_field(schema)(type("LineQuantities", (serializers.DictField,), {}))(child=child, **kwargs)


def _line_ids_valid(value: dict) -> dict:
    # A key that is not an id names no line: refused as a reference to a record that does not exist, with
    # the words of an unknown id anywhere else (``customer: 0``). OpenAPI 3.0 cannot type a map's keys.
    bad = [key for key in value if not (str(key).isascii() and str(key).isdigit())]
    if bad:
        missing = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
        raise serializers.ValidationError({key: [missing.format(pk_value=key)] for key in bad})
    return {int(key): qty for key, qty in value.items()}


class ConfirmInput(serializers.Serializer):
    version = IdField(required=False)


class PaymentRequestInput(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssignmentInput(serializers.Serializer):
    supplier = ScopedRelatedField(supplier_queryset, help_text="An active own workshop or outsourced factory.")
    due_date = BusinessDateField(help_text="Not in the past (today's date, checked by the service).")
    lines = _line_quantities("{order line id: quantity}; omitted = every line's open quantity; at most what the "
                             "line still needs", serializers.DecimalField(max_digits=14, decimal_places=3),
                             required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_lines(self, value):
        return _line_ids_valid(value)


class ReleaseProductionInput(serializers.Serializer):
    version = IdField(required=False)
    assignments = AssignmentInput(many=True)

    request_schema_rules = {"properties": {"assignments": {"minItems": 1}}}


class ShipInput(serializers.Serializer):
    shipped_on = BusinessDateField()
    lines = _line_quantities("{order line id: quantity shipped}; at most what the line still has to ship",
                             DecimalInput())
    bl_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
    vessel_voyage = serializers.CharField(required=False, allow_blank=True, max_length=120)
    etd = BusinessDateField(required=False, allow_null=True)
    eta = BusinessDateField(required=False, allow_null=True,
                            help_text="Not before `etd` (a rule between two fields, checked by the service).")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_lines(self, value):
        return _line_ids_valid(value)


class ReasonRequiredInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class CancelInput(ReasonRequiredInput):
    deposit_disposition = serializers.ChoiceField(choices=SalesOrder.DepositDisposition.choices, required=False,
                                                  allow_blank=True)


class OverrideGateInput(ReasonRequiredInput):
    gate = serializers.ChoiceField(choices=["deposit", "balance", "inspection"])


def _confirmation_rules(*, files: bool) -> dict:
    # the kind as a pattern: an ``enum`` here would be taken for a choice set of its own by spectacular
    verbal = {"properties": {"kind": {"pattern": f"^{Confirmation.Kind.VERBAL}$"}, "contact_name": {"pattern": NOT_BLANK},
                             "phone_number": {"pattern": NOT_BLANK}, "summary": {"pattern": NOT_BLANK}},
              "required": ["contact_name", "phone_number", "summary"]}
    written = {"properties": {"kind": {"pattern": f"^{Confirmation.Kind.WRITTEN}$"}}}
    if files:
        written["anyOf"] = [{"required": ["file"]}, {"required": ["attachment_id"]}]
    else:
        written["required"] = ["attachment_id"]
    return {"oneOf": [verbal, written]}


@extend_schema_field({"type": "string", "format": "date-time",
                     # a year well inside 2000–2099 whatever the offset the moment is written in
                     "pattern": "^20(0[1-9]|[1-8][0-9]|9[0-8])-"})
class _BusinessMoment(serializers.DateTimeField):
    """A moment within the years Gendan accepts (``core.guards.parse_date``: 2000–2099, in the local
    time): "0043-10-22T15:56:06Z" was recorded, and answered with Shanghai's 1901 offset (+08:05:43)."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        try:
            parse_date(timezone.localtime(moment) if timezone.is_aware(moment) else moment, field="date")
        except ValidationFailed as exc:
            raise serializers.ValidationError(exc.fields["date"]) from None
        return moment


class ConfirmationInput(serializers.Serializer):
    """A verbal confirmation (who, number, what) or a written one (multipart with ``file``, or
    ``attachment_id`` of a file already on the order)."""

    kind = serializers.ChoiceField(choices=Confirmation.Kind.choices)
    confirmed_at = _BusinessMoment(
        help_text="When the customer confirmed: not in the future (now, checked by the service: "
                  "`date_in_future`).")
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    phone_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    # an empty file goes on to the service, which refuses it as no written order (not_a_written_order)
    file = serializers.FileField(required=False, allow_empty_file=True,
                                 help_text="the customer's written order: a PDF, image, e-mail or Office file "
                                           "(`not_a_written_order` otherwise)")
    attachment_id = IdField(required=False, help_text="A file attached to this order (the stored record: "
                                                      "`record_mismatch` otherwise).")

    request_schema_rules = _confirmation_rules(files=True)


class ConfirmationJsonInput(ConfirmationInput):
    """A confirmation sent as JSON: a written one names a file already on the order."""

    request_schema_rules = _confirmation_rules(files=False)

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("file")
        return fields


class DocumentIssueInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderDocument.Kind.choices)
    confirm_replace = serializers.BooleanField(
        required=False, default=False,
        help_text="Re-issuing replaces the current version (it stays archived): without this, 400 "
                  "`reissue_unconfirmed` says what would happen.")


# --- output ------------------------------------------------------------------------------


class CheckOut(serializers.Serializer):
    allowed = serializers.BooleanField()
    code = serializers.CharField()
    reason = serializers.CharField()


class OrderLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    line_no = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id", allow_null=True)
    product_code = serializers.CharField(source="product.code", allow_null=True, default=None)
    description = serializers.CharField()
    unit = serializers.CharField()
    unit_price = UnitPrice()
    quantity = Quantity()
    amount = Money()
    shipped_quantity = Quantity()
    open_quantity = Quantity()
    cells = LineCellOut(many=True, source="cells.all")


class PlanItemOut(serializers.Serializer):
    kind = serializers.CharField()
    amount = Money()
    due_date = BusinessDateField(allow_null=True)
    due_event = serializers.CharField()
    received_amount = Money()
    open_amount = Money()
    requested_at = serializers.DateTimeField(allow_null=True)


class ConfirmationOut(serializers.ModelSerializer):
    recorded_by = UserRef()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Confirmation
        fields = ["id", "revision_no", "kind", "contact_name", "phone_number", "confirmed_at", "summary",
                  "recorded_by", "recorded_at", "file"]

    def get_file(self, confirmation) -> dict | None:
        attachment = confirmation.attachment
        if attachment is None:
            return None
        from django.urls import reverse

        url = reverse("api:order-confirmation-file", args=[confirmation.order_id, confirmation.pk])
        request = self.context.get("request")
        return {"name": attachment.original_name, "mime_type": attachment.mime_type, "size": attachment.size,
                "download_url": request.build_absolute_uri(url) if request else url}


class LoosenedTermOut(serializers.Serializer):
    code = serializers.CharField(help_text="deposit_lowered, payment_method_riskier, payment_days_raised, "
                                           "unit_price_lowered, amount_lowered, currency_changed")
    line = serializers.IntegerField(help_text="0 for the order, else the line number")
    old = serializers.CharField()
    new = serializers.CharField()
    label = serializers.CharField(help_text="In the reader's language, e.g. “deposit 30 % → 0 %”.")


class RevisionOut(serializers.ModelSerializer):
    created_by = UserRef()
    approved_by = UserRef(allow_null=True)
    money_terms_loosened = serializers.SerializerMethodField(
        help_text="What the pending change order loosens (empty otherwise): it applies only once a manager or "
                  "finance other than the proposer approved it (`revisions/approve/`).")

    class Meta:
        model = OrderRevision
        fields = ["id", "revision_no", "status", "reason", "diff", "created_by", "created_at", "effective_at",
                  "money_terms_loosened", "approved_by", "approved_at", "approval_reason"]

    @extend_schema_field(LoosenedTermOut(many=True))
    def get_money_terms_loosened(self, revision) -> list[dict]:
        if revision.status != OrderRevision.Status.PENDING:
            return []
        return [item.as_dict() for item in revision_loosened(revision.order, revision)]


class DocumentOut(serializers.ModelSerializer):
    display_number = serializers.CharField()
    total_amount = Money()
    currency = serializers.CharField(source="currency_id")
    issued_by = UserRef()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OrderDocument
        fields = ["id", "kind", "number", "display_number", "version", "revision_no", "total_amount", "currency",
                  "is_current", "issued_at", "issued_by", "download_url"]

    def get_download_url(self, document) -> str:
        from django.urls import reverse

        url = reverse("api:order-document-file", args=[document.order_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PaymentRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    amount = Money()
    currency = serializers.CharField(source="currency_id")
    due_date = BusinessDateField(allow_null=True)
    sent_to = serializers.CharField()
    subject = serializers.CharField()
    requested_by = UserRef()
    requested_at = serializers.DateTimeField()
    email_sent_at = serializers.DateTimeField(allow_null=True)
    email_error = serializers.CharField()


class ProductionOrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    supplier = SupplierRef()
    status = serializers.CharField()
    due_date = BusinessDateField()
    change_flag = serializers.CharField()


class ShipmentLineOut(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    line_no = serializers.IntegerField(source="order_line.line_no")
    quantity = Quantity()


class ShipmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    shipped_on = BusinessDateField()
    bl_no = serializers.CharField()
    vessel_voyage = serializers.CharField()
    etd = BusinessDateField(allow_null=True)
    eta = BusinessDateField(allow_null=True)
    lines = ShipmentLineOut(many=True, source="lines.all")


_LIST_FIELDS = [
    "id", "number", "version", "status", "status_display", "customer", "customer_po_no", "customer_po_date",
    "ex_factory_date", "currency", "total_amount", "received_amount", "payment_status", "production_status",
    "shipment_status", "merchandiser", "salesperson", "revision_no",
]


class OrderListOut(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    customer = CustomerRef()
    currency = serializers.CharField(source="currency_id")
    merchandiser = UserRef(allow_null=True)
    salesperson = UserRef(allow_null=True)
    total_amount = Money()
    received_amount = Money()

    class Meta:
        model = SalesOrder
        fields = _LIST_FIELDS


class OrderOut(OrderListOut):
    """An order with everything its page shows, and which actions the user may take now
    (each with the rule's reason when not)."""

    deposit_amount = Money()
    balance_amount = Money()
    outstanding_amount = Money()
    lines = OrderLineOut(many=True, source="lines.all")
    plan_items = PlanItemOut(many=True, source="plan_items.all")
    confirmations = ConfirmationOut(many=True, source="confirmations.all")
    revisions = RevisionOut(many=True, source="revisions.all")
    documents = DocumentOut(many=True, source="documents.all")
    payment_requests = PaymentRequestOut(many=True, source="payment_requests.all")
    production_orders = ProductionOrderOut(many=True, source="production_orders.all")
    shipments = ShipmentOut(many=True, source="shipments.all")
    allowed_actions = serializers.SerializerMethodField()

    class Meta(OrderListOut.Meta):
        fields = [
            *_LIST_FIELDS, "quotation", "incoterm", "incoterm_place", "payment_method", "deposit_percent",
            "payment_days", "payment_terms_note", "port_of_loading", "port_of_destination",
            "requested_delivery_date", "packing_requirements", "shipping_marks", "special_requirements", "notes",
            "deposit_amount", "balance_amount", "outstanding_amount", "production_gate_override",
            "shipment_gate_override", "requires_first_article", "requires_final_inspection",
            "inspection_gate_override", "original_bl_released_at", "confirmed_at", "cancel_reason",
            "deposit_disposition", "closed_at", "created_at", "updated_at", "lines", "plan_items",
            "confirmations", "revisions", "documents", "payment_requests", "production_orders", "shipments",
            "allowed_actions",
        ]

    @extend_schema_field(serializers.DictField(child=CheckOut()))
    def get_allowed_actions(self, order) -> dict[str, dict]:

        user = self.context["request"].user
        return {name: {"allowed": check.allowed, "code": check.code, "reason": check.reason}
                for name, check in order_actions(user=user, order=order).items()}
