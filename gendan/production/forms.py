"""Forms of the production order pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.parties.models import Supplier
from gendan.parties.selectors import supplier_queryset
from gendan.production.models import Department, ProductionOrder
from gendan.sales.forms import DATE, QuantityPerLineMixin
from gendan.sales.models import SalesOrder

LINE_FIELDS = ["quantity", "unit_cost", "spec", "surface_finish", "packing_requirements", "quality_requirements"]


class ProductionOrderFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": _("production order no., order no., factory")}))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *ProductionOrder.Status.choices])
    kind = forms.ChoiceField(label=_("kind"), required=False,
                             choices=[("", _("all")), *ProductionOrder.Kind.choices])
    supplier = forms.ModelChoiceField(label=_("workshop / factory"), required=False, queryset=Supplier.objects.filter(
        kind__in=[Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY]).order_by("code"))
    due_from = BusinessDateField(label=_("due from"), required=False, widget=DATE)
    due_to = BusinessDateField(label=_("due to"), required=False, widget=DATE)
    overdue = forms.BooleanField(label=_("overdue"), required=False)
    changed = forms.BooleanField(label=_("changed by a change order"), required=False)


class ProductionOrderEditForm(BootstrapLikeMixin, forms.Form):
    """The draft's header plus one row of inputs per line (``line-<id>-<field>``)."""

    due_date = BusinessDateField(label=_("due date"), widget=DATE)
    document = forms.ChoiceField(label=_("document"), choices=ProductionOrder.Document.choices, required=False)
    sign_off = forms.MultipleChoiceField(label=_("sign-off departments"), choices=Department.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)
    copy_to = forms.MultipleChoiceField(label=_("distribution (copies to)"), choices=Department.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False)
    email_to = forms.CharField(label=_("email the issued order to"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("One address per line: the factory and the people who get a copy."))
    notes = forms.CharField(label=_("notes for the workshop / factory"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()

    def __init__(self, *args, production_order: ProductionOrder, **kwargs):
        super().__init__(*args, **kwargs)
        po = production_order
        self.production_order = po
        self.lines = list(po.lines.all())
        for name in ("due_date", "document", "sign_off", "copy_to", "email_to", "notes", "version"):
            self.fields[name].initial = getattr(po, name)
        if po.kind == ProductionOrder.Kind.OWN_WORKSHOP:
            del self.fields["document"]
        for line in self.lines:
            key = f"line-{line.pk}"
            self.fields[f"{key}-quantity"] = forms.DecimalField(
                label=_("quantity"), min_value=0, max_digits=14, decimal_places=3, initial=f"{line.quantity.normalize():f}",
                widget=forms.NumberInput(attrs={"class": "input", "step": "any"}))
            self.fields[f"{key}-unit_cost"] = forms.DecimalField(
                label=_("unit cost"), min_value=0, max_digits=18, decimal_places=4, required=False,
                initial=line.unit_cost, widget=forms.NumberInput(attrs={"class": "input", "step": "any"}))
            self.fields[f"{key}-spec"] = forms.CharField(label=_("specification"), max_length=200, required=False,
                                                         initial=line.spec)
            self.fields[f"{key}-surface_finish"] = forms.CharField(label=_("surface finish"), max_length=120,
                                                                   required=False, initial=line.surface_finish)
            self.fields[f"{key}-packing_requirements"] = forms.CharField(
                label=_("packing requirements"), required=False, initial=line.packing_requirements,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))
            self.fields[f"{key}-quality_requirements"] = forms.CharField(
                label=_("quality requirements"), required=False, initial=line.quality_requirements,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))

    def line_rows(self):
        """(production order line, {field: bound field}) for the template."""
        return [(line, {name: self[f"line-{line.pk}-{name}"] for name in LINE_FIELDS}) for line in self.lines]

    def header(self) -> dict:
        names = ["due_date", "sign_off", "copy_to", "email_to", "notes"]
        if "document" in self.fields and self.cleaned_data.get("document"):
            names.append("document")
        return {name: self.cleaned_data.get(name) for name in names}

    def line_values(self) -> dict[int, dict]:
        return {line.pk: {name: self.cleaned_data.get(f"line-{line.pk}-{name}") for name in LINE_FIELDS}
                for line in self.lines}

    def place_line_errors(self, exc) -> None:
        """Put the service's ``lines[i].<field>`` messages next to the line's input."""
        for line in self.lines:
            for name in ("quantity", "unit_cost"):
                for message in exc.fields.pop(f"lines[{line.order_line.line_no - 1}].{name}", []):
                    self.add_error(f"line-{line.pk}-{name}", message)


class AcceptForm(BootstrapLikeMixin, forms.Form):
    committed_due_date = BusinessDateField(label=_("due date committed by the factory"), widget=DATE)


class ReackForm(BootstrapLikeMixin, forms.Form):
    """The factory accepted a re-issued version: its new committed date if it moved."""

    committed_due_date = BusinessDateField(label=_("new committed due date (if it moved)"), widget=DATE,
                                           required=False)
    note = forms.CharField(label=_("what the factory said"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))


class FinishForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason for finishing short (only when not all is produced)"), max_length=300,
                             required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 24}))


class ReleaseProductionForm(QuantityPerLineMixin, BootstrapLikeMixin, forms.Form):
    """Release a sales order to production: the workshop / factory, the due date, the quantity per line."""

    supplier = forms.ModelChoiceField(label=_("workshop / factory"), queryset=None)
    due_date = BusinessDateField(label=_("due date"), widget=DATE)
    notes = forms.CharField(label=_("notes for the workshop / factory"), widget=forms.Textarea, required=False)
    version = VersionField()

    def __init__(self, *args, user, order: SalesOrder, open_quantities: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = supplier_queryset(user).filter(
            kind__in=[Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY], is_active=True
        ).order_by("kind", "code")
        self.fields["due_date"].initial = order.ex_factory_date
        self.fields["version"].initial = order.version
        self.add_line_fields(order.lines.all(), open_quantities)


class AddProductionOrderForm(ReleaseProductionForm):
    """The release form's fields (workshop / factory, due date, quantity per line), defaulting
    each line to the quantity no production order holds yet."""
