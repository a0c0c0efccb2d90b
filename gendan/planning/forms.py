"""Planning forms: parse and type-check input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.parties.models import Supplier
from gendan.planning.models import ProductionException, ProductionInstruction, WorkLine

DATE = forms.DateInput(attrs={"type": "date"})


class ScheduleWindowForm(BootstrapLikeMixin, forms.Form):
    start = BusinessDateField(label=_("from"), required=False, widget=DATE)
    weeks = forms.IntegerField(label=_("weeks"), required=False, min_value=1, max_value=26)
    workshop = forms.IntegerField(label=_("workshop / factory"), required=False, widget=forms.HiddenInput)


class WorkLineForm(BootstrapLikeMixin, forms.Form):
    workshop = forms.ModelChoiceField(label=_("workshop / factory"), queryset=None)
    name = forms.CharField(label=_("line"), max_length=60)
    capacity_per_day = forms.IntegerField(label=_("capacity (units/day)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = Supplier.objects.filter(
            kind__in=[Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY], is_active=True).order_by("code")


class ScheduleEntryForm(BootstrapLikeMixin, forms.Form):
    production_order = forms.CharField(label=_("production order no."), max_length=30)
    work_line = forms.ModelChoiceField(label=_("line"), queryset=None)
    start = BusinessDateField(label=_("start"), widget=DATE)
    end = BusinessDateField(label=_("end"), widget=DATE)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3)
    reason = forms.CharField(label=_("reason (non-working days)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_line"].queryset = WorkLine.objects.filter(is_active=True).select_related("workshop")


class RescheduleForm(BootstrapLikeMixin, forms.Form):
    version = VersionField()
    start = BusinessDateField(label=_("start"), widget=DATE)
    end = BusinessDateField(label=_("end"), widget=DATE)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, required=False)
    reason = forms.CharField(label=_("reason for the change"), max_length=300)


class ImportForm(BootstrapLikeMixin, forms.Form):
    file = forms.FileField(label=_("每日生产进度表 (.xlsx)"))


class ExceptionForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProductionException.Kind.choices)
    production_orders = forms.CharField(label=_("production order nos."), max_length=500,
                                        help_text=_("One or more, separated by spaces or commas."))
    description = forms.CharField(label=_("what happened"), widget=forms.Textarea(attrs={"rows": 4}))
    new_ex_factory_date = BusinessDateField(label=_("new ex-factory date"), required=False, widget=DATE,
                                          help_text=_("Only when the ex-factory date moves."))


class ResolveForm(BootstrapLikeMixin, forms.Form):
    version = VersionField()
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    new_ex_factory_date = BusinessDateField(label=_("new ex-factory date"), required=False, widget=DATE)


class InstructionForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProductionInstruction.Kind.choices)
    week = BusinessDateField(label=_("week (any day)"), widget=DATE)
