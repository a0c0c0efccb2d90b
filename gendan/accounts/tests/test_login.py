"""Logging in and out, and the brake on password guessing (ASVS 6.3.1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def alice(make_user):
    return make_user("sales", username="alice", language="en")


def _login(browser, username, password, **extra):
    return browser.post(LOGIN, {"username": username, "password": password, **extra})


def _logged_in_user_id(browser):
    return browser.session.get("_auth_user_id")


def test_login_page_renders_for_anonymous(browser):
    response = browser.get(LOGIN)
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_login_with_the_right_password_opens_home(browser, alice):
    response = _login(browser, "alice", TEST_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert _logged_in_user_id(browser) == str(alice.pk)
    assert browser.get(reverse("core:home")).status_code == 200


def test_login_goes_back_to_the_page_asked_for(browser, alice):
    response = _login(browser, "alice", TEST_PASSWORD, next="/accounts/profile/")
    assert response.url == "/accounts/profile/"


def test_login_refuses_a_redirect_to_another_site(browser, alice):
    response = _login(browser, "alice", TEST_PASSWORD, next="https://evil.example/")
    assert response.url == reverse("core:home")


def test_wrong_password_is_refused(browser, alice):
    response = _login(browser, "alice", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _logged_in_user_id(browser) is None


def test_inactive_user_cannot_log_in(browser, make_user):
    make_user("sales", username="gone", is_active=False)
    _login(browser, "gone", TEST_PASSWORD)
    assert _logged_in_user_id(browser) is None


def test_login_rotates_the_session_key(browser, alice):
    browser.get(LOGIN)
    browser.cookies["sessionid"] = "attacker-chosen-key"
    _login(browser, "alice", TEST_PASSWORD)
    assert browser.cookies["sessionid"].value != "attacker-chosen-key"


def test_logout_ends_the_session(browser, alice):
    _login(browser, "alice", TEST_PASSWORD)
    response = browser.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert _logged_in_user_id(browser) is None
    home = browser.get(reverse("core:home"))
    assert home.status_code == 302 and home.url.startswith(LOGIN)


def test_logged_in_user_opening_login_page_goes_home(client_for, alice):
    response = client_for(alice).get(LOGIN)
    assert response.status_code == 302
    assert response.url == reverse("core:home")


# --- throttling -----------------------------------------------------------------------


def test_sixth_try_after_five_failures_is_refused_even_with_the_right_password(browser, alice, settings):
    assert settings.GENDAN_LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        response = _login(browser, "alice", "guess")
        assert "Too many failed logins" not in response.content.decode()

    response = _login(browser, "alice", TEST_PASSWORD)

    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert _logged_in_user_id(browser) is None


def test_lock_counts_the_username_whatever_its_case(browser, alice):
    for _ in range(5):
        _login(browser, "ALICE", "guess")
    response = _login(browser, "alice", TEST_PASSWORD)
    assert "Too many failed logins" in response.content.decode()


def test_another_username_is_not_locked_by_someone_elses_failures(browser, alice, make_user):
    make_user("finance", username="bob")
    for _ in range(5):
        _login(browser, "alice", "guess")

    response = _login(browser, "bob", TEST_PASSWORD)

    assert response.status_code == 302
    assert _logged_in_user_id(browser) is not None


def test_four_failures_then_success_resets_the_count(browser, alice):
    for _ in range(4):
        _login(browser, "alice", "guess")
    assert _login(browser, "alice", TEST_PASSWORD).status_code == 302
    browser.post(reverse("accounts:logout"))
    for _ in range(4):
        _login(browser, "alice", "guess")

    assert _login(browser, "alice", TEST_PASSWORD).status_code == 302


def test_lock_ends_after_the_lock_time(browser, alice, monkeypatch, settings):
    import time

    for _ in range(5):
        _login(browser, "alice", "guess")
    assert "Too many failed logins" in _login(browser, "alice", TEST_PASSWORD).content.decode()

    later = time.time() + settings.GENDAN_LOGIN_LOCK_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)

    assert _login(browser, "alice", TEST_PASSWORD).status_code == 302


def test_many_usernames_failing_from_one_address_lock_the_address(browser, alice, settings):
    """Credential stuffing: one address trying many usernames is stopped too (at 4 × the user limit,
    so a shared office connection is not locked by one person's typos)."""
    for n in range(settings.GENDAN_LOGIN_MAX_FAILURES * 4):
        _login(browser, f"user{n}", "guess")

    response = _login(browser, "alice", TEST_PASSWORD)

    assert "Too many failed logins" in response.content.decode()
    assert _logged_in_user_id(browser) is None
    other_office = browser.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other_office.status_code == 302


def test_the_count_is_shared_by_every_worker_not_kept_in_one_process(browser, alice):
    """Issue 10: with five gunicorn workers each kept its own count (23 wrong passwords before a
    lock). The count lives in the database: a worker with an empty cache of its own sees it."""
    from django.core.cache import cache

    for _ in range(3):
        _login(browser, "alice", "guess")
    cache.clear()  # another worker: nothing of the first one's memory
    for _ in range(2):
        _login(browser, "alice", "guess")
    cache.clear()

    response = _login(browser, "alice", TEST_PASSWORD)
    assert "Too many failed logins" in response.content.decode()
    assert _logged_in_user_id(browser) is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_failures_from_many_workers_at_once_are_all_counted():
    """Ten workers failing the same username at the same moment count ten, not fewer (the
    count is an atomic UPDATE; the first failure's concurrent INSERTs fall back to it)."""
    import threading

    from django.db import connection

    from gendan.accounts.models import LoginFailure
    from gendan.accounts.services import _key, login_failure_record

    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            login_failure_record(username="carol", ip="192.0.2.7")
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert LoginFailure.objects.get(kind="user", key=_key("carol")).count == 10
    assert LoginFailure.objects.get(kind="ip", key=_key("192.0.2.7")).count == 10


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(browser, alice, settings):
    """Issue 10, item 5: a client that writes its own X-Forwarded-For cannot escape the address
    lock (nor lock someone else's address); behind the configured proxy, the client's address
    is the nearest one the proxy did not add."""
    from django.test import RequestFactory

    from gendan.accounts.services import client_ip

    def ip(remote, forwarded):
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    settings.GENDAN_TRUSTED_PROXIES = []
    assert ip("203.0.113.7", "1.2.3.4") == "203.0.113.7"
    settings.GENDAN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert ip("203.0.113.7", "1.2.3.4") == "203.0.113.7"  # not through our proxy: the header is anyone's
    assert ip("10.0.0.2", "6.6.6.6, 198.51.100.9") == "198.51.100.9"  # the hop our proxy saw, not the forged one
    assert ip("127.0.0.1", "198.51.100.9, 10.0.0.3") == "198.51.100.9"  # two proxies of ours
    assert ip("10.0.0.2", "not-an-address") == "10.0.0.2"

    settings.GENDAN_TRUSTED_PROXIES = []
    for n in range(settings.GENDAN_LOGIN_MAX_FAILURES * 4):  # forged addresses do not spread the count
        _login(browser, f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert "Too many failed logins" in _login(browser, "alice", TEST_PASSWORD).content.decode()


def test_a_lockout_is_logged_with_user_address_and_time(browser, alice, caplog):
    with caplog.at_level("WARNING", logger="gendan.security"):
        for _ in range(5):
            _login(browser, "alice", "guess")
    locks = [r for r in caplog.records if r.getMessage().startswith("login locked")]
    assert len(locks) == 1
    assert "user='alice'" in locks[0].getMessage() and "ip=127.0.0.1" in locks[0].getMessage()
    assert locks[0].created  # the log line's time
