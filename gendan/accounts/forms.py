from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts import services
from gendan.core.forms import BootstrapLikeMixin


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing further tries after too many failures."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = services.client_ip(self.request) if self.request else ""
        remaining = services.login_lock_remaining(username=username, ip=ip)
        if remaining:
            minutes = max(1, round(remaining / 60))
            raise forms.ValidationError(
                _("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes},
                code="locked",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failure_record(username=username, ip=ip)
            raise
        services.login_success_record(user=self.get_user(), ip=ip)
        return cleaned


class PasswordChangeForm(BootstrapLikeMixin, auth_forms.PasswordChangeForm):
    """Django's password change form, rendered by ``core/_form.html`` like every other form
    (the template reads ``form.fieldsets``, which only our mixin provides)."""


class ApiTokenForm(BootstrapLikeMixin, forms.Form):
    """A new API token: which client uses it and for how long."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=60,
                           help_text=gettext_lazy("Which program or person uses it, e.g. “ERP sync”."))
    expires_in_days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=365, initial=90)
