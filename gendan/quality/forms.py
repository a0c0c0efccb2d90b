"""Forms of the quality pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.quality.models import AQL_CHOICES, LEVEL_CHOICES, CheckResult, Inspection, Sample, SampleSignoff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos at once; each is checked by ``documents`` when the service stores it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class InspectionFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": _("inspection no., order no., inspector")}))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *Inspection.Status.choices])
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all")), *Inspection.Kind.choices])
    date_from = BusinessDateField(label=_("from"), required=False, widget=DATE)
    date_to = BusinessDateField(label=_("to"), required=False, widget=DATE)


class InspectionBookForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Inspection.Kind.choices)
    party = forms.ChoiceField(label=_("inspected by"), choices=Inspection.Party.choices)
    inspector = forms.CharField(label=_("inspector"), max_length=120,
                                help_text=_("Person or inspection company, e.g. “SGS Shenzhen, Mr. Li”."))
    planned_on = BusinessDateField(label=_("inspection date"), widget=DATE)
    lot_size = forms.IntegerField(label=_("lot size (pieces)"), min_value=2)
    production_orders = forms.ModelMultipleChoiceField(label=_("production orders"), queryset=None, required=False,
                                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production_orders"].queryset = order.production_orders.exclude(status="cancelled").order_by("pk")
        self.fields["planned_on"].initial = timezone.localdate()


class InspectionResultForm(BootstrapLikeMixin, forms.Form):
    inspected_on = BusinessDateField(label=_("inspected on"), widget=DATE)
    critical = forms.IntegerField(label=_("critical defects"), min_value=0, initial=0)
    major = forms.IntegerField(label=_("major defects"), min_value=0, initial=0)
    minor = forms.IntegerField(label=_("minor defects"), min_value=0, initial=0)
    notes = forms.CharField(label=_("findings"), widget=forms.Textarea, required=False)
    photos = MultipleFileField(label=_("photos"))
    report = forms.FileField(label=_("inspection report"), required=False)
    reinspection_on = BusinessDateField(label=_("re-inspection date if it fails"), widget=DATE, required=False,
                                      help_text=_("Blank: three working days from today."))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)
    version = VersionField()


class QualityProfileForm(BootstrapLikeMixin, forms.Form):
    critical_aql = forms.ChoiceField(label=_("critical AQL"), choices=AQL_CHOICES)
    major_aql = forms.ChoiceField(label=_("major AQL"), choices=AQL_CHOICES)
    minor_aql = forms.ChoiceField(label=_("minor AQL"), choices=AQL_CHOICES)
    inspection_level = forms.ChoiceField(label=_("inspection level"), choices=LEVEL_CHOICES)
    requires_final_inspection = forms.BooleanField(
        label=_("orders need a passed final inspection before shipment"), required=False)
    requires_first_article = forms.BooleanField(
        label=_("orders need first article approval before production"), required=False)
    notes = forms.CharField(label=_("quality requirements"), widget=forms.Textarea, required=False)
    version = VersionField()


class FirstArticleCreateForm(BootstrapLikeMixin, forms.Form):
    topics = forms.CharField(label=_("checklist (one check per line)"), widget=forms.Textarea)
    requirements = forms.CharField(label=_("customer requirements"), widget=forms.Textarea, required=False)

    def clean_topics(self):
        topics = [t.strip() for t in self.cleaned_data["topics"].splitlines() if t.strip()]
        if not topics:
            raise forms.ValidationError(_("Enter at least one check."))
        return topics


class FirstArticleItemsForm(BootstrapLikeMixin, forms.Form):
    """One result and comment per checklist item: ``result_<id>``, ``comment_<id>``."""

    photos = MultipleFileField(label=_("photos"))
    version = VersionField()

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(label=item.topic, choices=CheckResult.choices,
                                                                 initial=item.result)
            self.fields[f"comment_{item.pk}"] = forms.CharField(label=_("comment"), max_length=300, required=False,
                                                                initial=item.comment)
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.HiddenInput, forms.ClearableFileInput)):
                field.widget.attrs["class"] = "input"

    def rows(self):
        return [(item, self[f"result_{item.pk}"], self[f"comment_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[str, str]]:
        return {item.pk: (self.cleaned_data[f"result_{item.pk}"], self.cleaned_data[f"comment_{item.pk}"])
                for item in self.items}


class SampleRequestForm(BootstrapLikeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Sample.Kind.choices)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("quantity requested"), min_value=1)
    requested_on = BusinessDateField(label=_("needed by"), widget=DATE)
    production_order = forms.ModelChoiceField(label=_("production order"), queryset=None, required=False)
    needs_engineering = forms.BooleanField(label=_("engineering sign-off needed"), required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production_order"].queryset = order.production_orders.exclude(status="cancelled").order_by("pk")


class SampleSendForm(BootstrapLikeMixin, forms.Form):
    sent_on = BusinessDateField(label=_("sent on"), widget=DATE)
    courier = forms.CharField(label=_("courier"), max_length=60, required=False)
    tracking_no = forms.CharField(label=_("courier no."), max_length=60, required=False)
    version = VersionField()


class SampleReceiveForm(BootstrapLikeMixin, forms.Form):
    received_on = BusinessDateField(label=_("received on"), widget=DATE)
    comments = forms.CharField(label=_("comments"), widget=forms.Textarea, required=False)
    photos = MultipleFileField(label=_("photos"))
    version = VersionField()


class SampleSignForm(BootstrapLikeMixin, forms.Form):
    department = forms.ChoiceField(label=_("department"), choices=SampleSignoff.Department.choices)
    verdict = forms.ChoiceField(label=_("verdict"), choices=SampleSignoff.Verdict.choices)
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)
    version = VersionField()
