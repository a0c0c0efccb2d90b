"""The shipment form and the booking forms: they parse input; ``shipping.services`` decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.parties.models import Supplier
from gendan.sales.forms import DATE, DATETIME, QuantityPerLineMixin
from gendan.sales.models import SalesOrder
from gendan.shipping.services.bookings import CONTAINER_CHOICES


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


# --- bookings (订舱) on the order page's shipping panel -----------------------------------


def _container_fields(form: forms.Form, initial: dict | None = None) -> None:
    """One count per container type, named ``containers.<type>`` like the service's field
    messages; blank = not booked."""
    for kind in CONTAINER_CHOICES:
        form.fields[f"containers.{kind}"] = forms.IntegerField(
            label=kind, required=False, widget=forms.NumberInput(attrs={"class": "input", "step": "1"}),
            initial=(initial or {}).get(kind))
    form.sections = [("", [n for n in form.fields if not n.startswith("containers.")]),
                     (_("containers booked (type × count)"), [n for n in form.fields if n.startswith("containers.")])]


class ContainersMixin:
    def container_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("containers.")]

    def containers(self) -> dict[str, int]:
        """The counts typed (blank ones left out; zero and negative ones kept for the service to refuse)."""
        return {name.split(".", 1)[1]: value for name, value in self.cleaned_data.items()
                if name.startswith("containers.") and value is not None}


class BookingRequestForm(ContainersMixin, BootstrapLikeMixin, forms.Form):
    forwarder = forms.ModelChoiceField(label=_("forwarder"), queryset=None)
    port_of_loading = forms.CharField(label=_("port of loading"), max_length=80, required=False)
    port_of_destination = forms.CharField(label=_("port of destination"), max_length=80, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea, required=False)
    version = VersionField()

    def __init__(self, *args, order: SalesOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarder"].queryset = Supplier.objects.filter(kind=Supplier.Kind.FORWARDER, is_active=True)
        self.fields["port_of_loading"].initial = order.port_of_loading
        self.fields["port_of_destination"].initial = order.port_of_destination
        self.fields["version"].initial = order.version
        _container_fields(self)


class BookingConfirmForm(ContainersMixin, BootstrapLikeMixin, forms.Form):
    """The forwarder's confirmation, and the amendment of a confirmed booking (same fields)."""

    booking_no = forms.CharField(label=_("booking no."), max_length=60)
    carrier = forms.CharField(label=_("carrier"), max_length=80, required=False)
    vessel = forms.CharField(label=_("vessel"), max_length=80)
    voyage = forms.CharField(label=_("voyage"), max_length=30, required=False)
    etd = forms.DateField(label=_("ETD"), widget=DATE)
    eta = forms.DateField(label=_("ETA"), widget=DATE, required=False)
    cy_cutoff = forms.DateTimeField(label=_("CY cut-off"), widget=DATETIME, required=False)
    si_cutoff = forms.DateTimeField(label=_("SI cut-off"), widget=DATETIME, required=False)
    vgm_cutoff = forms.DateTimeField(label=_("VGM cut-off"), widget=DATETIME, required=False)
    version = VersionField()

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("booking_no", "carrier", "vessel", "voyage", "etd", "eta", "cy_cutoff", "si_cutoff",
                     "vgm_cutoff", "version"):
            value = getattr(booking, name)
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value)
            self.fields[name].initial = value
        _container_fields(self, booking.containers)


class BookingCancelForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)
    version = VersionField()

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = booking.version
