"""Bills of lading and the shipping advice in the API: the bill with what the shipment says it
must read (``expected``) and the next steps (``allowed_actions``); the inputs of the draft,
confirm, issue and release steps. The services check everything; these only parse."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.api.serializers.shipments import BillOut
from gendan.core.errors import CoreError
from gendan.core.guards import no
from gendan.shipping.models import BillOfLading
from gendan.shipping.rules import bill_draft_check, bill_issue_check, bill_release_check
from gendan.shipping.services.bills import CHANGE, RELEASE, bill_expected
from gendan.shipping.workflows import BILL

MAX_ID = 2**63 - 1
BL = BillOfLading.Status


def _version(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                    help_text="the bill's version: a stale one is refused with 409", **kwargs)


class BillDetailOut(BillOut):
    # Plain strings (their values are the model's choices): one enum per choice set is already
    # in the schema, a second of the same name would collide.
    kind = serializers.CharField(help_text="ocean / sea_waybill / air_waybill")
    status = serializers.CharField(help_text="draft / confirmed / issued / released")
    release_kind = serializers.CharField(help_text="originals / telex / surrender / waybill, or empty")
    shipment = serializers.IntegerField(source="shipment_id")
    expected = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(BillOut.Meta):
        fields = ["shipment", *BillOut.Meta.fields, "expected", "allowed_actions"]

    @extend_schema_field(serializers.DictField())
    def get_expected(self, bill) -> dict:
        """What the B/L must say, from the shipment (numbers as strings; "" / null: not checked)."""
        return {k: (str(v) if v is not None and not isinstance(v, str) else v)
                for k, v in bill_expected(bill.shipment).items()}

    @extend_schema_field(serializers.DictField(child=serializers.DictField()))
    def get_allowed_actions(self, bill) -> dict[str, dict]:
        """draft / confirm / issue / release: allowed now, or the code and reason why not."""
        user = self.context["request"].user
        forbidden = no(CoreError.FORBIDDEN, _("Your role may not do this."))
        may_change = user.has_perm(CHANGE)
        checks = {"draft": bill_draft_check(bill.shipment, bill) if may_change else forbidden,
                  "confirm": BILL.check(bill, BL.CONFIRMED) if may_change else forbidden,
                  "issue": bill_issue_check(bill) if may_change else forbidden,
                  "release": bill_release_check(bill, bill.shipment.order) if user.has_perm(RELEASE)
                  else forbidden}
        return {name: {"allowed": check.allowed, "code": check.code, "reason": check.reason}
                for name, check in checks.items()}


class BillDraftInput(serializers.Serializer):
    """The forwarder's draft as it reads (fields not sent are blank: a new draft is entered whole)."""

    kind = serializers.CharField(max_length=12, default=BillOfLading.Kind.OCEAN,
                                 help_text="ocean / sea_waybill (sea freight) or air_waybill (air freight); "
                                           "refused with `bill_kind_mismatch` when it does not fit the shipment")
    draft_received_on = serializers.DateField(required=False, allow_null=True)
    bl_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
    shipper = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    consignee = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    notify_party = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    port_of_loading = serializers.CharField(required=False, allow_blank=True, max_length=80)
    port_of_discharge = serializers.CharField(required=False, allow_blank=True, max_length=80)
    place_of_delivery = serializers.CharField(required=False, allow_blank=True, max_length=80)
    vessel = serializers.CharField(required=False, allow_blank=True, max_length=80)
    voyage = serializers.CharField(required=False, allow_blank=True, max_length=30,
                                   help_text="the voyage, or the flight no. of an air waybill")
    marks = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    # Numbers as text: the service parses them and names the field it refuses (1e999, NaN …).
    packages = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    gross_kg = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=30)
    cbm = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=30)
    containers = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                       help_text='one container a line: "CSQU3054383 / SEAL 123456, 40HQ"')
    freight = serializers.CharField(required=False, allow_blank=True, max_length=30)
    version = _version()


class BillConfirmInput(serializers.Serializer):
    accept_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                          help_text="required while differences remain: why they are acceptable")
    version = _version()


class BillIssueInput(serializers.Serializer):
    bl_no = serializers.CharField(max_length=60, allow_blank=True)
    on_board_on = serializers.DateField()
    issued_on = serializers.DateField(required=False, allow_null=True)
    originals = serializers.IntegerField(required=False, min_value=0, max_value=99, default=3,
                                         help_text="1 to 3 for an ocean B/L; ignored for a waybill")
    version = _version()


class BillReleaseInput(serializers.Serializer):
    release_kind = serializers.CharField(max_length=10, help_text="originals / telex / surrender (an ocean B/L) or "
                                                                   "waybill; else `invalid_release_kind`")
    version = _version()


class AdviceOut(serializers.Serializer):
    """The shipment's shipping advice: when it is due, when it last went (it goes after the save)."""

    shipment = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    advice_due_at = serializers.DateTimeField(allow_null=True)
    advice_sent_at = serializers.DateTimeField(allow_null=True)
