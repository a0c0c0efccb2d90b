from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Region
from gendan.accounts.roles import Role
from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.parties import credit_code
from gendan.parties.countries import country_choices
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.selectors import assignable_users
from gendan.parties.services import CUSTOMER_ASSIGNMENT_FIELDS

CUSTOMER_FIELDS = [
    "code", "name_zh", "name_en", "short_name", "country", "city", "address", "delivery_address",
    "phone", "fax", "email", "website",
    "default_currency", "payment_method", "deposit_percent", "payment_days", "payment_terms_note",
    "incoterm", "incoterm_place", "port_of_loading", "port_of_destination",
    "bank_name", "bank_account", "bank_swift", "special_requirements", "notes", "is_active",
    *CUSTOMER_ASSIGNMENT_FIELDS,
]

SUPPLIER_FIELDS = [
    "code", "kind", "name_zh", "name_en", "credit_code", "credit_code_override", "credit_code_override_reason",
    "legal_representative", "country", "city", "address", "phone", "fax", "email", "website",
    "main_products", "daily_capacity", "capacity_notes", "bank_name", "bank_account", "bank_swift",
    "notes", "is_active",
]


class PartyFormMixin(BootstrapLikeMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField()
        self.fields["reason"] = forms.CharField(
            label=_("reason for the change"), required=False, max_length=300, widget=forms.TextInput(
                attrs={"class": "input"}))
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, choices=[("", "—"), *country_choices()],
            widget=forms.Select(attrs={"class": "input"}),
        )
        self.fields["code"].required = False
        if self.instance.pk:
            self.fields["code"].required = True
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True  # an edit without the version loaded is refused
        else:
            del self.fields["reason"]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}


class CustomerForm(PartyFormMixin, forms.ModelForm):
    sections = [
        (_("Customer"), ["code", "name_zh", "name_en", "short_name", "country", "city", "is_active"]),
        (_("Address and contact"), ["phone", "fax", "email", "website", "address", "delivery_address"]),
        (_("Trade terms"), ["default_currency", "payment_method", "deposit_percent", "payment_days",
                            "payment_terms_note", "incoterm", "incoterm_place", "port_of_loading",
                            "port_of_destination"]),
        (_("Bank"), ["bank_name", "bank_account", "bank_swift"]),
        (_("Requirements and notes"), ["special_requirements", "notes"]),
        (_("Assignment"), ["salesperson", "merchandiser", "team", "region"]),
        (_("Reason for the change"), ["reason"]),
    ]

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        error_messages = {"code": {"unique": _("This code is already used by another customer.")}}

    def __init__(self, *args, can_assign: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_assign:
            # The service accepts a salesperson or a manager as a customer's salesperson.
            self.fields["salesperson"].queryset = assignable_users(Role.SALES, Role.MANAGER)
            self.fields["merchandiser"].queryset = assignable_users(Role.MERCHANDISER)
            self.fields["region"].queryset = Region.objects.all()
        else:
            for name in CUSTOMER_ASSIGNMENT_FIELDS:
                del self.fields[name]


class SupplierForm(PartyFormMixin, forms.ModelForm):
    # Room for a code pasted with spaces; clean_credit_code normalises it to its 18 characters.
    credit_code = Supplier._meta.get_field("credit_code").formfield(max_length=40)

    sections = [
        (_("Supplier"), ["code", "kind", "name_zh", "name_en", "legal_representative", "country", "city",
                         "is_active"]),
        (_("Unified social credit code"), ["credit_code", "credit_code_override", "credit_code_override_reason"]),
        (_("Address and contact"), ["phone", "fax", "email", "website", "address"]),
        (_("Capacity"), ["main_products", "daily_capacity", "capacity_notes"]),
        (_("Bank"), ["bank_name", "bank_account", "bank_swift"]),
        (_("Notes"), ["notes"]),
        (_("Reason for the change"), ["reason"]),
    ]

    class Meta:
        model = Supplier
        fields = SUPPLIER_FIELDS
        error_messages = {"code": {"unique": _("This code is already used by another supplier.")}}

    def clean_credit_code(self) -> str:
        return credit_code.normalise(self.cleaned_data.get("credit_code") or "")


class ContactForm(BootstrapLikeMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "mobile", "fax", "email", "wechat", "is_primary", "note"]


class CustomerFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    country = forms.ChoiceField(label=_("country"), required=False)
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.all(), required=False)
    salesperson = forms.ModelChoiceField(label=_("salesperson"), queryset=assignable_users(Role.SALES, Role.MANAGER),
                                         required=False)
    active = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), ("1", _("active")), ("0", _("inactive"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("all")), *country_choices()]


class SupplierFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all")), *Supplier.Kind.choices])
    country = forms.ChoiceField(label=_("country"), required=False)
    active = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), ("1", _("active")), ("0", _("inactive"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("all")), *country_choices()]
