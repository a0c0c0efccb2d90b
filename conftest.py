"""Shared pytest fixtures: a pinned clock, users in roles, logged-in clients, the database leg in use.

The clock: every test runs at one fixed instant, ``GENDAN_TEST_NOW`` (ISO 8601 with an offset;
``DEFAULT_TEST_NOW`` when unset), and time still moves forward from there during the test
(``tick=True``), so durations, the live server and timeouts behave. The company's clock is
``settings.TIME_ZONE`` (Asia/Shanghai); the process clock is UTC on purpose, and the default
instant is early morning in Shanghai, still the day before in UTC: a test or a service that takes
``timezone.now().date()`` or ``date.today()`` for the company's "today" gets the wrong day and
fails. A test that needs its own instant uses ``@pytest.mark.time_machine(...)`` or the
``time_machine`` fixture (both from time-machine) or ``tests.clock.on_day``.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import time_machine

# Wednesday 11 March 2026, 07:30 in Shanghai (Tuesday 23:30 UTC): an ordinary working week, no
# holiday within two weeks either side, and the UTC date differs from the company's date.
DEFAULT_TEST_NOW = "2026-03-11T07:30:00+08:00"


def test_now() -> dt.datetime:
    """The instant every test starts at (``GENDAN_TEST_NOW`` or ``DEFAULT_TEST_NOW``)."""
    value = os.environ.get("GENDAN_TEST_NOW") or DEFAULT_TEST_NOW
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"GENDAN_TEST_NOW={value!r} is not an ISO 8601 date-time") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"GENDAN_TEST_NOW={value!r} needs an offset, e.g. {DEFAULT_TEST_NOW}")
    return instant


test_now.__test__ = False  # a helper, not a test


def _utc_process_clock() -> None:
    """Django moves the process to ``TIME_ZONE`` when it reads its settings; the tests move it
    back to UTC, the clock of a real server."""
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    test_now()  # refuse a malformed GENDAN_TEST_NOW before collecting anything
    _utc_process_clock()


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"gendan: database leg = {engine}",
            f"gendan: clock pinned at {test_now().isoformat()} (company zone {settings.TIME_ZONE}, process zone UTC)"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Name every error code raised during the run that no ``ErrorCode`` enum declares (with
    ``settings.GENDAN_STRICT_ERROR_CODES`` true they fail their test instead)."""
    from gendan.core.errors import UNDECLARED

    if UNDECLARED:
        terminalreporter.section("undeclared error codes", yellow=True)
        for code, where in sorted(UNDECLARED.items()):
            terminalreporter.line(f"{code}  (raised at {where}): declare it in <app>/errors.py")


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL row locks; runs in the PostgreSQL leg (make test)")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
    if os.environ.get("GENDAN_SKIP_BROWSER") == "1":
        skip = pytest.mark.skip(reason="browser tests run once, in the SQLite leg")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def clock(request):
    """Pin the clock at ``test_now()`` for the test, ticking. Yields the time-machine traveller
    (``clock.move_to(...)``, ``clock.shift(...)``); a test marked ``time_machine(...)`` keeps its own."""
    _utc_process_clock()
    if request.node.get_closest_marker("time_machine"):
        yield None
        return
    with time_machine.travel(test_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """Create a user holding ``roles`` (role codes), e.g. ``make_user("sales", team=team)``."""
    from tests.factories import UserFactory

    def _make(*roles: str, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return _make


@pytest.fixture
def client_for(client):
    """Return a test client logged in as ``user``."""
    from django.test import Client

    def _client(user):
        c = Client()
        c.force_login(user)
        return c

    return _client
