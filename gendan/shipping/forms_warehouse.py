"""The warehouse's forms: finished goods receipt, container start / load / seal / cancel and
the shipment's departure. They parse input; ``shipping.services.warehouse`` decides (numbers
are passed on as typed, so the service's messages name what is wrong)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.sales.forms import DATE
from gendan.shipping.loading import CONTAINER_TYPES
from gendan.shipping.models import FinishedGoodsReceipt


class GoodsReceiptForm(BootstrapLikeMixin, forms.Form):
    order_line = forms.ChoiceField(label=_("order line"))
    quantity = forms.CharField(label=_("quantity"), max_length=30)
    cartons = forms.CharField(label=_("cartons"), max_length=12)
    received_on = forms.DateField(label=_("received on"), widget=DATE)
    source = forms.ChoiceField(label=_("received from"), choices=FinishedGoodsReceipt.Source.choices)
    source_ref = forms.CharField(label=_("production order / delivery note"), max_length=60, required=False)
    inspection = forms.ChoiceField(label=_("inspection"), choices=FinishedGoodsReceipt.Inspection.choices,
                                   initial=FinishedGoodsReceipt.Inspection.PASSED)
    location = forms.CharField(label=_("location"), max_length=60, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_line"].choices = [
            (line.pk, f"{line.line_no}. {line.description} ({line.quantity.normalize():f} {line.unit})")
            for line in order.lines.all()]
        self.fields["received_on"].initial = timezone.localdate()


class VoidForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason for voiding"), max_length=1000)


class ContainerStartForm(BootstrapLikeMixin, forms.Form):
    container_no = forms.CharField(label=_("container no."), max_length=20,
                                   widget=forms.TextInput(attrs={"placeholder": "CSQU3054383",
                                                                 "autocapitalize": "characters"}))
    container_type = forms.ChoiceField(label=_("container type"), choices=[(t, t) for t in CONTAINER_TYPES],
                                       initial="40HQ")
    version = VersionField()

    def __init__(self, *args, shipment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = shipment.version


class ContainerLoadForm(BootstrapLikeMixin, forms.Form):
    """Cartons and quantity per shipment line (``lines.<order line id>.cartons`` / ``.quantity``,
    named like the service's field messages); blank = not in this container."""

    version = VersionField()

    def __init__(self, *args, container, shipment_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = container.version
        current = {line.order_line_id: line for line in container.lines.all()}
        self.line_rows = []
        for line in shipment_lines:
            key = f"lines.{line.order_line_id}"
            held = current.get(line.order_line_id)
            label = f"{line.order_line.line_no}. {line.order_line.description}"
            self.fields[f"{key}.cartons"] = forms.CharField(
                label=_("%(line)s: cartons") % {"line": label}, required=False, max_length=12,
                initial=held.cartons if held else None, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
            self.fields[f"{key}.quantity"] = forms.CharField(
                label=_("%(line)s: quantity") % {"line": label}, required=False, max_length=30,
                initial=f"{held.quantity.normalize():f}" if held else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            self.line_rows.append((line, self[f"{key}.cartons"], self[f"{key}.quantity"]))

    def lines(self) -> dict:
        result = {}
        for name, value in self.cleaned_data.items():
            if not name.startswith("lines.") or value in (None, ""):
                continue
            _prefix, line_id, part = name.split(".")
            result.setdefault(line_id, {"cartons": "", "quantity": ""})[part] = value
        return result


class ContainerSealForm(BootstrapLikeMixin, forms.Form):
    seal_no = forms.CharField(label=_("seal no."), max_length=30)
    vgm_kg = forms.CharField(label=_("VGM (kg)"), max_length=20,
                             help_text=_("verified gross mass: cargo, packing and the container's tare"))
    tare_kg = forms.CharField(label=_("tare (kg)"), max_length=20, required=False,
                              help_text=_("from the container door (CSC plate); blank: the type's typical tare"))
    version = VersionField()

    def __init__(self, *args, container, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = container.version


class ContainerCancelForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=1000)
    version = VersionField()

    def __init__(self, *args, container, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = container.version


class DepartForm(BootstrapLikeMixin, forms.Form):
    shipped_on = forms.DateField(label=_("ex-factory date"), widget=DATE)
    version = VersionField()

    def __init__(self, *args, shipment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipped_on"].initial = timezone.localdate()
        self.fields["version"].initial = shipment.version


class WeekForm(forms.Form):
    week = forms.CharField(required=False, max_length=10)
