"""Forms of the documents part: generate the set (with what changed, for a new version) and a
product's export data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin


class DocumentsGenerateForm(BootstrapLikeMixin, forms.Form):
    """Generate the set; once documents exist, a new version says what changed."""

    note = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=1000,
                           help_text=_("Kept with each new version and on the timeline, not printed on the "
                                       "documents (only documents whose content changed get a new version)."))

    def __init__(self, *args, regenerate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not regenerate:
            del self.fields["note"]


class ProductExportDataForm(BootstrapLikeMixin, forms.Form):
    """The export data of one product (the HS code is the catalog's, shown beside it)."""

    customs_name_zh = forms.CharField(label=_("customs name (Chinese)"), required=False, max_length=120)
    declaration_elements = forms.CharField(label=_("declaration elements (申报要素)"), required=False,
                                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    origin_criterion = forms.CharField(label=_("origin criterion"), required=False, max_length=12,
                                       help_text=_("WO, PE, CTC, RVC …"))
    rebate_rate_pct = forms.CharField(label=_("export rebate rate %"), required=False, max_length=8)
