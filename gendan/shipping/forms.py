"""The shipment form: it parses input; ``shipping.services.order_ship`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.sales.forms import DATE, QuantityPerLineMixin
from gendan.sales.models import SalesOrder


class ShipForm(QuantityPerLineMixin, BootstrapLikeMixin, forms.Form):
    shipped_on = forms.DateField(label=_("shipment date"), widget=DATE)
    bl_no = forms.CharField(label=_("B/L no."), max_length=60, required=False)
    vessel_voyage = forms.CharField(label=_("vessel / voyage"), max_length=120, required=False)
    etd = forms.DateField(label=_("ETD"), widget=DATE, required=False)
    eta = forms.DateField(label=_("ETA"), widget=DATE, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea, required=False)
    version = VersionField()

    def __init__(self, *args, order: SalesOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipped_on"].initial = timezone.localdate()
        self.fields["version"].initial = order.version
        self.add_line_fields(order.lines.all(), {line.pk: line.open_quantity for line in order.lines.all()})
