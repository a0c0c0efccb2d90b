"""Token authentication: getting, using and revoking a token; the login lock applies."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

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
    assert again.status_code == 200 and again.json()["token"] == first.json()["token"]

    api = ApiClient(first.json()["token"])
    me = api.get("auth/me/").json()
    assert me["username"] == user.username and me["roles"] == ["merchandiser"]

    assert api.delete("auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert api.get("auth/me/").status_code == 401


def test_wrong_password_is_refused_and_counted_like_the_login_form(make_user, settings):
    user = make_user("sales")
    wrong = _login(user.username, "not-the-password")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_credentials"
    assert "correct username and password" in wrong.json()["message"]
    for _ in range(settings.GENDAN_LOGIN_MAX_FAILURES - 1):
        _login(user.username, "still-wrong")
    locked = _login(user.username, TEST_PASSWORD)  # the right password, but locked now
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert "Too many failed logins" in locked.json()["message"]
    assert not Token.objects.filter(user=user).exists()


def test_the_login_form_lock_also_locks_the_api(make_user, settings):
    user = make_user("sales")
    browser = Client()
    for _ in range(settings.GENDAN_LOGIN_MAX_FAILURES):
        browser.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert _login(user.username, TEST_PASSWORD).status_code == 429


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
