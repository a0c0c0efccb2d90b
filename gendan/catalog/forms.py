from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.catalog import selectors, services
from gendan.catalog.models import BomLine, Product
from gendan.core.errors import ValidationFailed
from gendan.core.forms import BootstrapLikeMixin, VersionField

BASIC_FIELDS = [
    "code", "kind", "category", "name_zh", "name_en", "series", "model_no", "spec", "size", "colour",
    "material", "surface_finish", "hs_code", "unit", "is_active", "selling_points",
]
PACKING_FIELDS = [
    "units_per_carton", "carton_length_cm", "carton_width_cm", "carton_height_cm",
    "net_weight_kg", "gross_weight_kg",
]


class ProductForm(BootstrapLikeMixin, forms.ModelForm):
    """Create or edit a product, in two sections: the item and its export carton."""

    class Meta:
        model = Product
        fields = BASIC_FIELDS + PACKING_FIELDS
        help_texts = {
            "hs_code": _("6, 8 or 10 digits; dots are ignored (8516.79.90)."),
            "carton_length_cm": _("Outer carton, L × W × H in cm. Give all three or none."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.product_categories()
        self.fields["version"] = VersionField()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True  # an edit without the version loaded is refused
            self.fields["reason"] = forms.CharField(
                label=_("reason for the change"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"class": "input"}))

    def clean_code(self) -> str:
        return services.normalize_item_no(self.cleaned_data.get("code"))

    def clean_hs_code(self) -> str:
        return services.normalize_hs_code(self.cleaned_data.get("hs_code"))

    def validate_unique(self) -> None:
        """The service checks the item no. is free, with a clearer message than Django's."""

    @property
    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        basic = [self[name] for name in BASIC_FIELDS]
        if "reason" in self.fields:
            basic.append(self["reason"])
        return [(_("Product"), basic), (_("Packing (one export carton)"), [self[n] for n in PACKING_FIELDS])]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in services.PRODUCT_FIELDS}


class ProductFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False,
                        help_text=_("item no., name, model or series"))
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all")), *Product.Kind.choices])
    category = forms.ModelChoiceField(label=_("category"), required=False, queryset=None, empty_label=_("all"))
    active = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), ("1", _("active")), ("0", _("inactive"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.product_categories()


_NAME_SEPARATORS = re.compile(r"[,\n\r;，、；]+")


def split_names(text: str) -> list[str]:
    """Split what the user typed into names: one per line or separated by commas
    (also the Chinese "，" and "、"). Blank entries (a trailing comma) are dropped."""
    return [part.strip() for part in _NAME_SEPARATORS.split(text or "") if part.strip()]


class VariantAxesForm(BootstrapLikeMixin, forms.Form):
    """Step one of the matrix editor: the colours and the sizes, in the order of the grid."""

    colours = forms.CharField(
        label=_("colours"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line or separated by commas, e.g. Red, Blue, Black."),
    )
    sizes = forms.CharField(
        label=_("sizes"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line or separated by commas, e.g. S, M, L, XL."),
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if "colours" in data and "sizes" in data:
            try:
                data["colours"], data["sizes"] = services.matrix_axes_validate(
                    colours=split_names(data["colours"]), sizes=split_names(data["sizes"]))
            except ValidationFailed as exc:
                for name, messages in exc.fields.items():
                    for message in messages:
                        self.add_error(name if name in self.fields else None, message)
        return data


class BomLineForm(BootstrapLikeMixin, forms.ModelForm):
    """Add or edit a BOM line. The component is typed as its item no. (a list suggests them)."""

    component = forms.CharField(label=_("component (item no.)"), max_length=40)

    class Meta:
        model = BomLine
        fields = ["quantity", "scrap_percent", "note"]

    field_order = ["component", "quantity", "scrap_percent", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["component"].widget.attrs.update({"list": "bom-component-options", "autocomplete": "off"})
        if self.instance.pk and not self.is_bound:
            self.initial["component"] = self.instance.component.code

    def clean_component(self) -> Product:
        code = services.normalize_item_no(self.cleaned_data.get("component"))
        component = selectors.product_queryset(self.user).filter(code=code).first()
        if component is None:
            raise forms.ValidationError(_("There is no product with item no. “%(code)s”."), params={"code": code})
        return component

    def _post_clean(self):
        """The service validates the line (it knows the product, loops and duplicates)."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.BOM_FIELDS}


class VariantNamesForm(BootstrapLikeMixin, forms.Form):
    """The English names of colour and size words, one "name = English" per line."""

    colours = forms.CharField(
        label=_("colours"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("One per line: the name as typed = its English name, e.g. 白 = White. An English document "
                    "prints the English name; a name not listed here is translated from the built-in "
                    "dictionary, else printed as typed."),
    )
    sizes = forms.CharField(
        label=_("sizes"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only sizes that are words, e.g. 均码 = One size; S, M, L need nothing."),
    )

    def clean(self):
        data = super().clean()
        names = {}
        for field, axis in (("colours", "colour"), ("sizes", "size")):
            try:
                names[axis] = services.parse_variant_names(data.get(field, ""), field=field)
            except ValidationFailed as exc:
                for message in exc.fields.get(field, [str(exc)]):
                    self.add_error(field, message)
        data["names"] = names
        return data
