"""Forms of the T&A pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.catalog.models import ProductCategory
from gendan.core.forms import BootstrapLikeMixin, BusinessDateField
from gendan.core.models import CalendarDay
from gendan.parties.models import Customer
from gendan.tracking.models import (
    Anchor,
    CompletesOn,
    DayKind,
    MilestoneTemplate,
    OrderMilestone,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardFilterForm(BootstrapLikeMixin, forms.Form):
    days = forms.IntegerField(label=_("look ahead (days)"), min_value=1, max_value=60, required=False)
    group = forms.ChoiceField(label=_("group by"), required=False, choices=[
        ("order", _("order")), ("customer", _("customer")), ("department", _("department"))])


class MilestoneFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("order no., customer, milestone")}))
    state = forms.ChoiceField(label=_("state"), required=False, choices=[
        ("", _("all")), ("overdue", _("overdue")), ("today", _("due today")), ("upcoming", _("due soon")),
        ("at_risk", _("at risk")), *OrderMilestone.Status.choices])
    role = forms.ChoiceField(label=_("department"), required=False, choices=[("", _("all")), *Role.choices])
    mine = forms.BooleanField(label=_("mine only"), required=False)
    days = forms.IntegerField(label=_("look ahead (days)"), min_value=1, max_value=60, required=False)


class TemplateForm(BootstrapLikeMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MilestoneTemplate
        fields = ["name", "kind", "customer", "category", "is_default", "is_active", "transit_days",
                  "etd_after_ex_factory"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("code")
        self.fields["category"].queryset = ProductCategory.objects.order_by("code")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TemplateStepForm(BootstrapLikeMixin, forms.Form):
    sequence = forms.IntegerField(label=_("position"), min_value=1, max_value=32000)
    key = forms.SlugField(label=_("key"), max_length=40,
                          help_text=_("Letters, digits and _ ; unique in the template (e.g. pp_sample_approved)."))
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=_("name (English)"), max_length=60)
    owner_role = forms.ChoiceField(label=_("owner role"), choices=Role.choices)
    anchor = forms.ChoiceField(label=_("anchor"), choices=Anchor.choices)
    offset_days = forms.IntegerField(label=_("offset (days)"), min_value=-365, max_value=365,
                                     help_text=_("Negative = before the anchor (scheduled backwards)."))
    day_kind = forms.ChoiceField(label=_("counted in"), choices=DayKind.choices)
    predecessor_key = forms.ChoiceField(label=_("after"), required=False)
    completes_on = forms.ChoiceField(label=_("completed automatically by"), required=False,
                                     choices=[("", _("— by hand —")), *CompletesOn.choices])
    required = forms.BooleanField(label=_("required"), required=False, initial=True)

    def __init__(self, *args, template, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs and not args:
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "sequence", "key", "name_zh", "name_en", "owner_role", "anchor", "offset_days", "day_kind",
                "predecessor_key", "completes_on", "required")}
        super().__init__(*args, **kwargs)
        others = [s for s in template.steps.all() if instance is None or s.pk != instance.pk]
        self.fields["predecessor_key"].choices = [("", _("— none —"))] + [
            (s.key, f"{s.sequence} · {s.display_name}") for s in others]


class CalendarDayForm(BootstrapLikeMixin, forms.Form):
    date = BusinessDateField(label=_("date"), widget=DATE, input_formats=["%Y-%m-%d"])
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 国庆节 / 国庆调休")}))
