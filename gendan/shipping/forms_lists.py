"""The filter bars of the shipments list and the bookings list: they parse the query string;
``shipping.selectors`` decides what matches."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin
from gendan.core.listing import TypeaheadInput
from gendan.parties.models import Supplier
from gendan.shipping.models import Booking, Shipment
from gendan.shipping.selectors import iso_week

# Django's own form error codes (as in forms.py), not business error codes.
INVALID, INVALID_CHOICE = "invalid", "invalid_choice"


class _IdChoiceField(forms.ModelChoiceField):
    """A choice by id that refuses an id beyond 64 bits as "not one of the choices" (SQLite
    would raise OverflowError) instead of failing."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except (TypeError, ValueError):
                raise ValidationError(self.error_messages["invalid_choice"], INVALID_CHOICE) from None
            if not 0 < number < 2**63:
                raise ValidationError(self.error_messages["invalid_choice"], INVALID_CHOICE)
        return super().to_python(value)


class WeekField(forms.CharField):
    """An ISO week, "2026-W11" (the browser's week picker sends that form)."""

    widget = forms.TextInput(attrs={"type": "week", "placeholder": "2026-W11"})

    def clean(self, value):
        value = super().clean(value)
        if value:
            try:
                iso_week(value)
            except ValueError:
                raise ValidationError(_("Enter a week like 2026-W11."), INVALID) from None
        return value


def _forwarders():
    return Supplier.objects.filter(kind=Supplier.Kind.FORWARDER).order_by("code")


class ShipmentFilterForm(BootstrapLikeMixin, forms.Form):
    order = forms.CharField(label=_("order no."), required=False, max_length=30)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *Shipment.Status.choices])
    etd_week = WeekField(label=_("ETD week"), required=False, max_length=10)
    # typed (code or name), with suggestions from the customers in the user's scope (core.listing.Typeahead)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100,
                               widget=TypeaheadInput(attrs={"placeholder": _("code or name")}))
    forwarder = _IdChoiceField(label=_("forwarder"), queryset=None, required=False, empty_label=_("all"))
    port_of_loading = forms.CharField(label=_("port of loading"), required=False, max_length=80)
    port_of_destination = forms.CharField(label=_("port of destination"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarder"].queryset = _forwarders()


class BookingFilterForm(BootstrapLikeMixin, forms.Form):
    order = forms.CharField(label=_("order no."), required=False, max_length=30)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *Booking.Status.choices])
    etd_week = WeekField(label=_("ETD week"), required=False, max_length=10)
    forwarder = _IdChoiceField(label=_("forwarder"), queryset=None, required=False, empty_label=_("all"))

    def __init__(self, *args, fixed_forwarder: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarder"].queryset = _forwarders()
        if fixed_forwarder:  # the forwarder's own bookings page: the forwarder is in the address
            del self.fields["forwarder"]
