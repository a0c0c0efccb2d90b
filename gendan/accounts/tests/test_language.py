"""Switching the interface language: saved on the user, a cookie for visitors."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from gendan.core.events import timeline_for

SWITCH = "/accounts/language/"


def _page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def chinese_user(make_user):
    return make_user("merchandiser", language="zh-hans")


def test_logged_in_user_switches_to_english_and_it_is_saved(chinese_user, client_for):
    client = client_for(chinese_user)
    assert _page_language(client.get(reverse("core:home"))) == "zh-hans"

    response = client.post(SWITCH, {"language": "en", "next": reverse("accounts:profile")})

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    page = client.get(reverse("accounts:profile"))
    assert _page_language(page) == "en"
    assert page["Content-Language"] == "en"
    chinese_user.refresh_from_db()
    assert chinese_user.language == "en"
    event = timeline_for(chinese_user).first()
    assert event.changes == {"language": {"old": "zh-hans", "new": "en"}}


def test_saved_language_follows_the_user_to_a_new_session(chinese_user, client_for):
    client_for(chinese_user).post(SWITCH, {"language": "en"})
    chinese_user.refresh_from_db()

    fresh = client_for(chinese_user)  # another browser, no cookie
    assert _page_language(fresh.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")) == "en"


def test_switching_back_to_chinese(make_user, client_for):
    user = make_user("sales", language="en")
    client = client_for(user)
    client.post(SWITCH, {"language": "zh-hans"})

    page = client.get(reverse("core:home"))

    assert _page_language(page) == "zh-hans"
    assert page["Content-Language"] == "zh-hans"
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_anonymous_visitor_gets_a_cookie(client, db):
    response = client.post(SWITCH, {"language": "en", "next": reverse("accounts:login")})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login"))
    assert _page_language(page) == "en"
    assert page["Content-Language"] == "en"


def test_unknown_language_changes_nothing(chinese_user, client_for):
    client = client_for(chinese_user)
    response = client.post(SWITCH, {"language": "fr"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    chinese_user.refresh_from_db()
    assert chinese_user.language == "zh-hans"


def test_switch_does_not_redirect_to_another_site(client, db):
    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_switch_needs_post(client, db):
    assert client.get(SWITCH, {"language": "en"}).status_code == 405
