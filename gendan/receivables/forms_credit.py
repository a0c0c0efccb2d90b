"""Forms of the credit pages: they carry what was typed to the services, which check the rules
(reason lengths, limits, open amounts) and name the field in their refusal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField


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
