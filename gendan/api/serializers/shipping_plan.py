"""The shipping plan's input (plan, change, cancel a shipment; issue its shipping notice) and the
notice's answer. Quantities are strings or numbers checked by the services (their messages
name `lines.<order line id>.quantity`, `.cartons` or `cells.<order cell id>`)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from gendan.api.fields import BusinessDateField, DecimalInput, IdField, UserRef
from gendan.shipping.models import Shipment

_id = IdField


class QuantitiesInput(serializers.DictField):
    """``{"<id>": "600", …}``: the keys are ids, the values numbers (checked by the service)."""

    child = DecimalInput()


class ShipmentPlanFields(serializers.Serializer):
    lines = QuantitiesInput(required=False, help_text='{order line id: quantity} (lines without colour × size)')
    cells = QuantitiesInput(required=False, help_text="{order cell id: quantity}: a line ordered in colour × size "
                                                      "is planned by its cells; its quantity is their sum")
    cartons = QuantitiesInput(required=False, help_text="{order line id: cartons}; default from the product's "
                                                        "export carton")
    transport_mode = serializers.ChoiceField(choices=Shipment.Mode.choices, required=False)
    planned_ex_factory = BusinessDateField(required=False)
    port_of_loading = serializers.CharField(required=False, allow_blank=True, max_length=80)
    port_of_destination = serializers.CharField(required=False, allow_blank=True, max_length=80)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ShipmentPlanInput(ShipmentPlanFields):
    order = _id()
    transport_mode = serializers.ChoiceField(choices=Shipment.Mode.choices)
    planned_ex_factory = BusinessDateField()
    version = _id(required=False, help_text="the order's version: a stale one is refused with 409")


class ShipmentUpdateInput(ShipmentPlanFields):
    version = _id(help_text="the shipment's version: a stale one is refused with 409")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ShipmentCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)
    version = _id(required=False, help_text="the shipment's version")


class NoticeIssueInput(serializers.Serializer):
    factory = _id(required=False, allow_null=True, help_text="the own workshop or outsourced factory (a supplier "
                                                             "id); default: the previous version's")
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                        help_text="what changed (required from the second version on)")


class NoticeIssuedOut(serializers.Serializer):
    id = serializers.IntegerField()
    shipment = serializers.IntegerField(source="shipment_id")
    number = serializers.CharField()
    revision = serializers.IntegerField()
    factory = serializers.IntegerField(source="factory_id", allow_null=True)
    recipients = serializers.CharField()
    change_note = serializers.CharField()
    changes = serializers.ListField(child=serializers.ListField(child=serializers.CharField()),
                                    help_text="[label, before, now] against the previous version")
    pdf = serializers.SerializerMethodField()
    issued_by = UserRef()
    created_at = serializers.DateTimeField()

    def get_pdf(self, notice) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:shipment-plan-notice-pdf", args=[notice.shipment_id, notice.pk]))
