from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.accounts import services, tokens
from gendan.accounts.forms import ApiTokenForm, PasswordChangeForm, ThrottledAuthenticationForm
from gendan.accounts.roles import Role
from gendan.core.errors import ValidationFailed

TOKENS_SHOWN = 50
TOKEN_STATES = {"live": gettext_lazy("in use"), "expired": gettext_lazy("expired"),
                "revoked": gettext_lazy("revoked"), "password_changed": gettext_lazy("ended by a password change")}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = tokens.tokens_revoke_for_password_change(user=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        if revoked:
            messages.info(self.request, _("Your API tokens were revoked with the old password: make new ones "
                                          "for the clients that still need one."))
        return response


@require_POST
def language_switch(request):
    """Switch the UI language; for a logged-in user it is saved to their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def profile(request):
    """My account: roles, team, language, and my API tokens — made here (the secret shown once, on
    this answer only), listed with their expiry, last use and state, revoked here."""
    new_secret = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_secret = tokens.token_create(user=request.user, name=form.cleaned_data["name"],
                                                         days=form.cleaned_data["expires_in_days"])
            except ValidationFailed as error:
                form.add_error(None, error.message)
            else:
                form = ApiTokenForm()
    return _profile_page(request, form=form, new_secret=new_secret)


def _profile_page(request, *, form, new_secret=None):
    labels = [Role(code).label for code in sorted(request.user.role_codes) if code in Role.values]
    rows = [{"token": t, "state": tokens.token_state(t)}
            for t in request.user.api_tokens.select_related("user")[:TOKENS_SHOWN]]
    return render(request, "accounts/profile.html", {
        "role_labels": labels, "title": request.user, "token_rows": rows, "token_form": form,
        "new_secret": new_secret, "token_states": TOKEN_STATES})


@login_required
@require_POST
def token_revoke(request, pk: int):
    if tokens.token_revoke(by=request.user, token_id=pk):
        messages.success(request, _("The token was revoked: clients using it are refused from now on."))
    return HttpResponseRedirect(reverse_lazy("accounts:profile"))
