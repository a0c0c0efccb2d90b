from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import IdField, UserRef
from gendan.api.serializers.common import CODE_PATTERN, NAME_RULES, ModelInput, VersionRequiredMixin
from gendan.core.models import Currency
from gendan.parties.models import Contact, Customer
from gendan.parties.services import CUSTOMER_ASSIGNMENT_FIELDS, can_assign_customers

CUSTOMER_INPUT = [
    "code", "name_zh", "name_en", "short_name", "country", "city", "address", "delivery_address",
    "phone", "fax", "email", "website",
    "default_currency", "payment_method", "deposit_percent", "payment_days", "payment_terms_note",
    "incoterm", "incoterm_place", "port_of_loading", "port_of_destination",
    "bank_name", "bank_account", "bank_swift", "special_requirements", "notes", "is_active",
    *CUSTOMER_ASSIGNMENT_FIELDS,
]


# The model's SWIFT/BIC check (capitals as typed: the service does not change them), or blank.
SWIFT_PATTERN = r"^([A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?)?$"


class CustomerInput(ModelInput):
    """Fields a customer accepts. Assignment (salesperson, merchandiser, team, region) is only
    offered to those who may assign customers, as on the page."""

    default_currency = serializers.SlugRelatedField(slug_field="code", required=False,
                                                    queryset=Currency.objects.filter(is_active=True))

    @staticmethod
    def request_schema_rules(*, partial: bool) -> dict:
        # a new customer has a name in Chinese or in English; an edit keeps the stored one when it sends none
        # (left blank, a new customer's code is numbered; an edit may not blank it)
        code = CODE_PATTERN if partial else f"^({CODE_PATTERN[1:-1]})?$"
        rules = {"properties": {"code": {"pattern": code}, "bank_swift": {"pattern": SWIFT_PATTERN}}}
        return rules if partial else {**rules, **NAME_RULES}

    class Meta:
        model = Customer
        fields = CUSTOMER_INPUT
        # Left empty, the code is numbered by the service.
        extra_kwargs = {"code": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not can_assign_customers(request.user):
            for name in CUSTOMER_ASSIGNMENT_FIELDS:
                self.fields.pop(name, None)


class CustomerUpdateInput(VersionRequiredMixin, CustomerInput):
    version = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta(CustomerInput.Meta):
        fields = [*CUSTOMER_INPUT, "version", "reason"]


class ContactOut(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "mobile", "fax", "email", "wechat", "is_primary", "note"]


class CustomerListOut(serializers.ModelSerializer):
    default_currency = serializers.CharField(source="default_currency_id")
    salesperson = UserRef(allow_null=True)
    merchandiser = UserRef(allow_null=True)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)

    class Meta:
        model = Customer
        fields = ["id", "code", "name_zh", "name_en", "short_name", "country", "city", "default_currency",
                  "payment_method", "incoterm", "region", "salesperson", "merchandiser", "is_active", "version"]


class CustomerOut(CustomerListOut):
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    contacts = ContactOut(many=True, read_only=True)

    class Meta(CustomerListOut.Meta):
        fields = [*CUSTOMER_INPUT, "id", "version", "created_at", "updated_at", "contacts"]
