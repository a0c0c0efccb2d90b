"""Forms of the purchasing pages. They parse input; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.core.guards import parse_id
from gendan.core.listing import TypeaheadInput
from gendan.core.models import Currency
from gendan.parties.models import Supplier
from gendan.purchasing.models import PurchaseOrder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QTY_INPUT = {"inputmode": "decimal", "class": "num"}


def material_suppliers():
    return Supplier.objects.filter(kind=Supplier.Kind.MATERIAL_SUPPLIER, is_active=True).order_by("code")


class PurchaseOrderForm(BootstrapLikeMixin, forms.Form):
    version = VersionField()
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    currency = forms.ModelChoiceField(label=_("currency"), queryset=Currency.objects.filter(is_active=True),
                                      initial="CNY")
    over_receipt_percent = forms.DecimalField(label=_("over-receipt tolerance %"), required=False, initial=0,
                                              max_digits=5, decimal_places=2,
                                              help_text=_("How much more than ordered may be received (0: never)."))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = material_suppliers()


class PurchaseLineForm(forms.Form):
    material = forms.ModelChoiceField(label=pgettext_lazy("purchasing", "material"), required=False, queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), required=False, max_digits=14, decimal_places=3,
                                  widget=forms.TextInput(attrs=QTY_INPUT))
    unit_price = forms.DecimalField(label=_("unit price"), required=False, max_digits=18, decimal_places=4,
                                    widget=forms.TextInput(attrs=QTY_INPUT))
    eta = BusinessDateField(label=_("ETA"), required=False, widget=DATE)
    # Requirement ids this line is bought for (from the requirements list); empty: automatic.
    covers = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, materials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = materials if materials is not None else Product.objects.filter(
            kind__in=Product.BOM_COMPONENT_KINDS, is_active=True).order_by("code")

    def clean_covers(self) -> list[int] | None:
        raw = self.cleaned_data.get("covers") or ""
        ids = [part for part in raw.split(",") if part.strip()]
        if not ids:
            return None
        numbers = [parse_id(part) for part in ids]
        if None in numbers:  # not a number, or beyond 64 bits
            raise forms.ValidationError(_("Unknown requirement."))
        return numbers

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("material") and data.get("quantity") in (None, "")


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        materials = Product.objects.filter(kind__in=Product.BOM_COMPONENT_KINDS, is_active=True).order_by("code")
        kwargs.setdefault("form_kwargs", {})["materials"] = materials
        super().__init__(*args, **kwargs)

    def lines(self) -> list[dict]:
        """The filled-in lines as the service takes them (blank rows dropped)."""
        result = []
        for form in self.forms:
            if form.is_blank:
                continue
            data = form.cleaned_data
            result.append({"material": data.get("material"), "quantity": data.get("quantity"),
                           "unit_price": data.get("unit_price"), "eta": data.get("eta"),
                           "covers": data.get("covers")})
        return result


PurchaseLineFormSet = forms.formset_factory(PurchaseLineForm, formset=BaseLineFormSet, extra=0, max_num=60,
                                            validate_max=True)


class ReasonForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class ConfirmForm(BootstrapLikeMixin, forms.Form):
    """One ETA field per line: the dates the supplier committed."""

    def __init__(self, *args, purchase_order: PurchaseOrder, **kwargs):
        super().__init__(*args, **kwargs)
        for line in purchase_order.lines.all():
            self.fields[f"eta_{line.pk}"] = BusinessDateField(
                label=_("ETA line %(n)d %(material)s") % {"n": line.line_no, "material": line.material.code},
                required=False, initial=line.eta, widget=DATE)

    def etas(self) -> dict[int, object]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items()
                if name.startswith("eta_") and value is not None}


class ReceiveForm(BootstrapLikeMixin, forms.Form):
    version = VersionField()
    received_on = BusinessDateField(label=_("received on"), widget=DATE)
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, purchase_order: PurchaseOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for line in purchase_order.lines.all():
            name = f"qty_{line.pk}"
            # A CharField: the service says what is wrong with "-5" or "abc" in the business's words.
            self.fields[name] = forms.CharField(label=_("line %(n)d") % {"n": line.line_no}, required=False,
                                                widget=forms.TextInput(attrs=QTY_INPUT))
            self.line_fields.append((line, name))

    def line_rows(self):
        return [(line, self[name]) for line, name in self.line_fields]

    def quantities(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data.get(name) for line, name in self.line_fields}


class ProgressNoteForm(BootstrapLikeMixin, forms.Form):
    noted_on = BusinessDateField(label=_("date"), widget=DATE)
    text = forms.CharField(label=_("what the supplier said"), widget=forms.Textarea(attrs={"rows": 2}))
    new_eta = BusinessDateField(label=_("new ETA"), required=False, widget=DATE)
    line = forms.ChoiceField(label=_("line"), required=False)

    def __init__(self, *args, purchase_order: PurchaseOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", _("every open line"))] + [
            (str(line.pk), f"{line.line_no} · {line.material.code}") for line in purchase_order.lines.all()]


class RequirementForm(BootstrapLikeMixin, forms.Form):
    version = VersionField()
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none(), required=False)
    eta = BusinessDateField(label=_("material ETA"), required=False, widget=DATE)
    purchaser = forms.ModelChoiceField(label=_("purchaser"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = material_suppliers()
        self.fields["purchaser"].queryset = User.objects.filter(
            is_active=True, groups__name__in=["purchasing", "manager"]).distinct().order_by("username")


class ShortageFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": _("material, production order, supplier")}))
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none(), required=False)
    status = forms.ChoiceField(label=_("show"), required=False, choices=[
        ("", _("short or late only")), ("all", _("every open requirement"))])
    mine = forms.BooleanField(label=_("mine (I am the purchaser)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = material_suppliers()


class PurchaseOrderFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": _("purchase order no., supplier")}))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *PurchaseOrder.Status.choices])
    # typed (code or name), with suggestions (core.listing.Typeahead)
    supplier = forms.CharField(label=_("supplier"), required=False, max_length=100,
                               widget=TypeaheadInput(attrs={"placeholder": _("code or name")}))
    late = forms.BooleanField(label=_("late (ETA passed, not received)"), required=False)
