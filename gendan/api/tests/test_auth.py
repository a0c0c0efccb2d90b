"""Token authentication: getting, using and revoking a token; the login lock applies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gendan.accounts.models import ApiToken
from gendan.api.tests.conftest import API, ApiClient
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = f"{API}/auth/token/"


def _login(username, password, **extra):
    return Client().post(TOKEN_URL, {"username": username, "password": password}, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="en", **extra)


@pytest.mark.parametrize("path", ["orders/", "customers/", "products/", "quotations/", "receipts/", "auth/me/",
                                  "orders/1/", "orders/1/confirm/"])
def test_every_endpoint_needs_authentication(anonymous, path):
    response = anonymous.get(path) if not path.endswith("confirm/") else anonymous.post(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "fields"}


def test_a_wrong_token_is_refused(db):
    response = ApiClient("0" * 40).get("orders/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_token_for_username_and_password_then_revoke(make_user):
    user = make_user("merchandiser", language="en")
    first = _login(user.username, TEST_PASSWORD)
    assert first.status_code == 201 and first.json()["created"] is True
    again = _login(user.username, TEST_PASSWORD)
    assert again.status_code == 201 and again.json()["token"] != first.json()["token"]  # one per client

    api = ApiClient(first.json()["token"])
    me = api.get("auth/me/").json()
    assert me["username"] == user.username and me["roles"] == ["merchandiser"]

    assert api.delete("auth/token/").status_code == 204
    assert api.get("auth/me/").status_code == 401
    assert ApiClient(again.json()["token"]).get("auth/me/").status_code == 200  # the other client keeps its own


def test_the_database_holds_no_working_token(make_user):
    """Issue 10, item 6: only a hash is stored — what a dump of the table shows does not log in."""
    user = make_user("merchandiser")
    secret = _login(user.username, TEST_PASSWORD).json()["token"]
    row = ApiToken.objects.get(user=user)
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values_list().get()]
    assert not any(secret in value or value == secret for value in stored)
    for value in stored:
        assert ApiClient(value).get("auth/me/").status_code == 401
    assert ApiClient(secret).get("auth/me/").status_code == 200


def test_a_token_has_a_name_an_expiry_and_a_last_use(make_user):
    user = make_user("merchandiser")
    response = Client().post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD, "name": "ERP sync",
                                         "expires_in_days": 30}, content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "ERP sync"
    token = ApiToken.objects.get(user=user)
    assert token.expires_at == token.created_at + dt.timedelta(days=30) and token.last_used_at is None
    ApiClient(response.json()["token"]).get("auth/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < dt.timedelta(seconds=5)
    too_long = Client().post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD,
                                         "expires_in_days": 1000}, content_type="application/json")
    assert too_long.status_code == 400 and "expires_in_days" in too_long.json()["fields"]


def test_an_expired_token_is_refused(make_user):
    user = make_user("merchandiser")
    secret = _login(user.username, TEST_PASSWORD).json()["token"]
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(secret).get("auth/me/").status_code == 401


def test_a_password_change_ends_every_token(make_user, client):
    user = make_user("merchandiser", language="en")
    secret = _login(user.username, TEST_PASSWORD).json()["token"]
    client.force_login(user)
    response = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "N3w-pass-2026!x",
                                                   "new_password2": "N3w-pass-2026!x"})
    assert response.status_code == 302
    assert ApiClient(secret).get("auth/me/").status_code == 401
    assert ApiToken.objects.get(user=user).revoke_reason == "password changed"


def test_a_password_set_elsewhere_also_ends_the_tokens(make_user):
    """The admin or ``manage.py changepassword`` change the password without our page: the token
    was made under the old password and stops working all the same."""
    user = make_user("merchandiser")
    secret = _login(user.username, TEST_PASSWORD).json()["token"]
    user.set_password("Another-pass-2026!")
    user.save()
    assert ApiClient(secret).get("auth/me/").status_code == 401


def test_tokens_are_made_seen_and_revoked_on_the_profile_page(make_user, client):
    user = make_user("merchandiser", language="en")
    client.force_login(user)
    made = client.post("/accounts/profile/", {"name": "Report robot", "expires_in_days": 7})
    assert made.status_code == 200
    secret = made.context["new_secret"]
    assert secret in made.content.decode()
    token = ApiToken.objects.get(user=user)
    assert ApiClient(secret).get("auth/me/").status_code == 200
    page = client.get("/accounts/profile/").content.decode()
    assert "Report robot" in page and token.prefix in page and secret not in page  # shown once only
    other = make_user("merchandiser")
    client.force_login(other)
    client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert ApiClient(secret).get("auth/me/").status_code == 200  # not theirs: nothing revoked
    client.force_login(user)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiClient(secret).get("auth/me/").status_code == 401


def test_inactive_user_gets_no_token_and_loses_access(make_user, api_for):
    user = make_user("merchandiser")
    api = api_for(user)
    user.is_active = False
    user.save()
    assert api.get("orders/").status_code == 401
    assert _login(user.username, TEST_PASSWORD).status_code == 400


def test_malformed_token_request(db):
    response = Client().post(TOKEN_URL, {"username": "x"}, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["fields"] == {"password": ["This field is required."]}


def test_session_login_works_and_csrf_is_enforced(make_user, client_for, customer):
    user = make_user("merchandiser", language="en")
    browser = client_for(user)
    assert browser.get(f"{API}/orders/").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    refused = strict.post(f"{API}/orders/", {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "CSRF" in refused.json()["message"]


def test_answers_follow_accept_language_then_the_users_language(make_user, api_for):
    chinese = make_user("warehouse", language="zh-hans")
    token_api = api_for(chinese, language="")
    token_api.headers.pop("HTTP_ACCEPT_LANGUAGE")
    denied = token_api.post("customers/", {})
    assert denied.status_code == 403
    assert denied.json()["message"] == "您没有执行该操作的权限。"  # the user's saved language
    english = token_api.post("customers/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "You do not have permission to perform this action."
    anonymous = ApiClient(language="zh-hans").get("orders/")
    assert anonymous.json()["message"] == "身份认证信息未提供。"
