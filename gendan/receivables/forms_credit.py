"""Forms of the credit pages: they carry what was typed to the services, which check the rules
(reason lengths, limits, open amounts) and name the field in their refusal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.core.listing import TypeaheadInput
from gendan.receivables.forms_bank import active_currency_choices
from gendan.receivables.services.dunning import MAX_LEVELS


class LimitForm(BootstrapLikeMixin, forms.Form):
    credit_limit = forms.CharField(label=_("credit limit"), required=False, max_length=40,
                                   help_text=_("Empty: no limit."))
    limit_currency = forms.CharField(label=_("limit currency"), required=False, max_length=3)
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000)
    version = VersionField()


class HoldForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000, widget=forms.Textarea(
        attrs={"rows": 2}))
    version = VersionField()


class ApprovalForm(BootstrapLikeMixin, forms.Form):
    order = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000, widget=forms.Textarea(
        attrs={"rows": 2}))
    exposure = forms.CharField(label=_("exposure approved"), required=False, max_length=40,
                               help_text=_("Empty: the exposure as it stands now."))


class DisputeForm(BootstrapLikeMixin, forms.Form):
    plan_item = forms.CharField(label=_("instalment"), required=False, max_length=20)
    amount = forms.CharField(label=_("amount in dispute"), required=False, max_length=40)
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000)


class SettleForm(BootstrapLikeMixin, forms.Form):
    settlement = forms.CharField(label=_("how it was settled"), required=False, max_length=1000)


class CreditFilterForm(BootstrapLikeMixin, forms.Form):
    """The credit list's filters (``receivables.views_credit.CreditListView``)."""

    # typed (code or name), with suggestions from the customers in the user's scope (core.listing.Typeahead)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100,
                               widget=TypeaheadInput(attrs={"placeholder": _("code or name")}))
    show = forms.ChoiceField(label=_("show"), required=False, choices=[
        ("", _("all")), ("hold", _("on credit hold")), ("dunned", _("being dunned")),
        ("limit", _("with a credit limit"))])
    over_limit = forms.BooleanField(label=_("over the credit limit"), required=False)
    level = forms.TypedChoiceField(label=_("dunning level at least"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("any")), *((n, str(n)) for n in range(1, MAX_LEVELS + 1))])
    currency = forms.ChoiceField(label=_("limit currency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", _("all")), *active_currency_choices()]
