"""Session lifetime (ASVS 7.3) and password changes (ASVS 6.2)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def alice(make_user):
    return make_user("sales", username="alice", language="en")


def _logged_in(browser, user):
    response = browser.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


def _age_session(browser, seconds: int) -> None:
    session = browser.session
    session["login_at"] = int(time.time()) - seconds
    session.save()


# --- session lifetime ------------------------------------------------------------------


def test_login_stamps_the_session_with_the_login_time(browser, alice):
    _logged_in(browser, alice)
    assert abs(browser.session["login_at"] - time.time()) < 5


def test_session_older_than_the_absolute_lifetime_is_logged_out(browser, alice, settings):
    _logged_in(browser, alice)
    _age_session(browser, settings.GENDAN_SESSION_ABSOLUTE_SECONDS + 60)

    response = browser.get(reverse("core:home"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert browser.session.get("_auth_user_id") is None
    # Nothing behind the login is reachable any more, and the reason is shown on the login page.
    assert browser.get(reverse("accounts:profile")).status_code == 302
    login_page = browser.get(LOGIN)
    assert "Your session has expired" in login_page.content.decode()


def test_session_within_the_absolute_lifetime_stays(browser, alice, settings):
    _logged_in(browser, alice)
    _age_session(browser, settings.GENDAN_SESSION_ABSOLUTE_SECONDS - 60)
    assert browser.get(reverse("core:home")).status_code == 200


def test_activity_does_not_extend_the_absolute_lifetime(browser, alice, settings):
    _logged_in(browser, alice)
    _age_session(browser, settings.GENDAN_SESSION_ABSOLUTE_SECONDS - 30)
    assert browser.get(reverse("core:home")).status_code == 200
    assert browser.session["login_at"] < time.time() - settings.GENDAN_SESSION_ABSOLUTE_SECONDS + 60


def test_idle_timeout_and_cookie_flags(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.GENDAN_SESSION_REFRESH_SECONDS <= 60  # the idle clock restarts at most a minute late
    assert settings.SESSION_COOKIE_HTTPONLY


def _session_writes(browser, django_assert_max_num_queries, path="/accounts/profile/") -> int:
    with django_assert_max_num_queries(50) as queries:
        assert browser.get(path).status_code == 200
    return sum(1 for q in queries.captured_queries
               if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"])


def test_an_idle_session_ends_after_the_cookie_age(browser, alice, settings, clock):
    _logged_in(browser, alice)
    clock.shift(settings.SESSION_COOKIE_AGE + 60)
    response = browser.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_activity_restarts_the_idle_clock(browser, alice, settings, clock):
    settings.GENDAN_CHASE_BADGE_SECONDS = settings.GENDAN_SESSION_REFRESH_SECONDS = 60  # production's
    _logged_in(browser, alice)
    # A request every 3/4 of the idle timeout for longer than three timeouts: still signed in.
    for _ in range(5):
        clock.shift(settings.SESSION_COOKIE_AGE * 3 // 4)
        assert browser.get(reverse("accounts:profile")).status_code == 200
    # Pages within a minute of each other restart it too, a minute late at most.
    for _ in range(4):
        clock.shift(settings.GENDAN_SESSION_REFRESH_SECONDS // 2)
        assert browser.get(reverse("accounts:profile")).status_code == 200
    clock.shift(settings.SESSION_COOKIE_AGE - settings.GENDAN_SESSION_REFRESH_SECONDS - 60)
    assert browser.get(reverse("accounts:profile")).status_code == 200


def test_reading_pages_saves_the_session_at_most_once_a_minute(browser, alice, settings, clock,
                                                               django_assert_max_num_queries):
    settings.GENDAN_CHASE_BADGE_SECONDS = settings.GENDAN_SESSION_REFRESH_SECONDS = 60  # production's
    _logged_in(browser, alice)  # the login stamps the session: the next pages need not save it for that
    # The first page may save it once: the chase badge is counted and kept there for a minute.
    assert _session_writes(browser, django_assert_max_num_queries) <= 1
    assert _session_writes(browser, django_assert_max_num_queries) == 0
    clock.shift(settings.GENDAN_SESSION_REFRESH_SECONDS // 2)
    assert _session_writes(browser, django_assert_max_num_queries) == 0
    clock.shift(settings.GENDAN_SESSION_REFRESH_SECONDS // 2 + 1)
    assert _session_writes(browser, django_assert_max_num_queries) == 1  # its expiry renewed
    assert _session_writes(browser, django_assert_max_num_queries) == 0


# --- password change -------------------------------------------------------------------


def _change(browser, old, new, again=None):
    return browser.post(reverse("accounts:password_change"), {
        "old_password": old, "new_password1": new, "new_password2": again if again is not None else new,
    })


def _error_codes(response, field="new_password2"):
    return {e.code for e in response.context["form"].errors.as_data().get(field, [])}


def test_password_page_renders(browser, alice):
    _logged_in(browser, alice)
    response = browser.get(reverse("accounts:password_change"))
    assert response.status_code == 200
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"'.encode() in response.content


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("Ab3$x9", "password_too_short"),
        ("password123", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("83749201847", "password_entirely_numeric"),
    ],
)
def test_weak_new_passwords_are_refused(browser, alice, new, code):
    _logged_in(browser, alice)
    response = _change(browser, TEST_PASSWORD, new)

    assert response.status_code == 200
    assert code in _error_codes(response)
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)


def test_wrong_current_password_is_refused(browser, alice):
    _logged_in(browser, alice)
    response = _change(browser, "not-my-password", "a-long-and-unusual-phrase-42")
    assert "password_incorrect" in _error_codes(response, "old_password")
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)


def test_long_passphrase_is_accepted_and_the_session_survives(browser, alice):
    _logged_in(browser, alice)
    new = "tea-garden-on-the-hill-" * 3  # 69 characters: long passwords are allowed

    response = _change(browser, TEST_PASSWORD, new)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert browser.get(reverse("accounts:profile")).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_page_needs_login(browser):
    response = browser.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
