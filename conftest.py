"""Shared pytest fixtures: a pinned clock, users in roles, logged-in clients, the database leg in use.

The clock: every test runs at one fixed instant, ``GENDAN_TEST_NOW`` (ISO 8601 with an offset;
``DEFAULT_TEST_NOW`` when unset), and time still moves forward from there during the test
(``tick=True``), so durations, the live server and timeouts behave. The company's clock is
``settings.TIME_ZONE`` (Asia/Shanghai); the process clock is UTC on purpose, and the default
instant is early morning in Shanghai, still the day before in UTC: a test or a service that takes
``timezone.now().date()`` or ``date.today()`` for the company's "today" gets the wrong day and
fails. A test that needs its own instant uses ``@pytest.mark.time_machine(...)`` or the
``time_machine`` fixture (both from time-machine) or ``tests.clock.on_day``.

Date-sensitive tests: a test whose outcome depends on the day (T&A plans and the chase board,
reminders, payment due dates, the production schedule, sample deadlines, overdue filters …)
is marked ``@pytest.mark.dates`` (usually the whole module: ``pytestmark``). Such a test runs on
the company calendar (``tests.clock.company_calendar()``: the published holidays and make-up
working days, seeded before the test's own fixtures), and ``make test-clocks`` (part of
``make test``) runs every one of them again at each instant of ``tests.clock.CLOCKS``: a
Friday 23:30 UTC (Saturday in Shanghai), the last working day before the Spring Festival,
31 December, 29 February 2028 and a make-up working Saturday (调休), all in one session
(``GENDAN_TEST_CLOCKS="<name> <name> …" pytest -m dates``: the test's id ends with the clock's
name). ``GENDAN_TEST_NOW`` takes one of those names as well as an instant, e.g.
``GENDAN_TEST_NOW=leap-day pytest -m dates`` runs the whole date-sensitive set at one clock.
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


def _instant(value: str, variable: str = "GENDAN_TEST_NOW") -> dt.datetime:
    """An ISO 8601 instant with an offset, or the name of one of ``tests.clock.CLOCKS``."""
    from tests.clock import CLOCKS

    value = CLOCKS.get(value, value)
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{variable}: {value!r} is neither an ISO 8601 date-time nor one of "
                                f"{', '.join(CLOCKS)}") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"{variable}: {value!r} needs an offset, e.g. {DEFAULT_TEST_NOW}")
    return instant


def test_now() -> dt.datetime:
    """The instant every test starts at (``GENDAN_TEST_NOW``, an instant or the name of one of
    ``tests.clock.CLOCKS``, or ``DEFAULT_TEST_NOW``), unless it runs at a fixed clock of
    ``GENDAN_TEST_CLOCKS``."""
    return _instant(os.environ.get("GENDAN_TEST_NOW") or DEFAULT_TEST_NOW)


def fixed_clock_names() -> list[str]:
    """``GENDAN_TEST_CLOCKS``: the fixed clocks (names or instants, space-separated) at which
    every test marked ``dates`` runs, once each, in one session (``make test-clocks``)."""
    return os.environ.get("GENDAN_TEST_CLOCKS", "").split()


test_now.__test__ = False  # a helper, not a test


def _utc_process_clock() -> None:
    """Django moves the process to ``TIME_ZONE`` when it reads its settings; the tests move it
    back to UTC, the clock of a real server."""
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    test_now()  # refuse a malformed GENDAN_TEST_NOW or GENDAN_TEST_CLOCKS before collecting anything
    for name in fixed_clock_names():
        _instant(name, "GENDAN_TEST_CLOCKS")
    _utc_process_clock()


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"gendan: database leg = {engine}",
            f"gendan: clock pinned at {test_now().isoformat()} (company zone {settings.TIME_ZONE}, process zone UTC)"
            + (f"; tests marked dates run at {', '.join(fixed_clock_names())}" if fixed_clock_names() else "")]


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


def pytest_generate_tests(metafunc):
    """Under ``GENDAN_TEST_CLOCKS`` a test marked ``dates`` runs once at each of those clocks
    (its id ends with the clock's name)."""
    names = fixed_clock_names()
    if names and "fixed_clock" in metafunc.fixturenames and metafunc.definition.get_closest_marker("dates"):
        metafunc.parametrize("fixed_clock", [_instant(name) for name in names], ids=names)


@pytest.fixture
def fixed_clock():
    """The fixed clock this run of the test starts at (``GENDAN_TEST_CLOCKS``), else None."""
    return None


@pytest.fixture(autouse=True)
def clock(request, fixed_clock):
    """Pin the clock at ``fixed_clock`` or ``test_now()`` for the test, ticking. Yields the
    time-machine traveller (``clock.move_to(...)``, ``clock.shift(...)``); a test marked
    ``time_machine(...)`` keeps its own."""
    _utc_process_clock()
    if request.node.get_closest_marker("time_machine"):
        yield None
        return
    with time_machine.travel(fixed_clock or test_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _company_calendar(request, clock):
    """A test marked ``dates`` runs on the company calendar (``tests.clock.company_calendar()``),
    written before its own fixtures build orders and plans."""
    if not request.node.get_closest_marker("dates"):
        return
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from tests.clock import seed_company_calendar

    seed_company_calendar()


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
def minute_caches(settings):
    """Production's once-a-minute rules (the chase badge counted, the session saved), which the
    test settings turn off so that every page does the work of the first page of a minute. For
    the tests that count a page's queries in the steady state, after a first page."""
    settings.GENDAN_CHASE_BADGE_SECONDS = settings.GENDAN_SESSION_REFRESH_SECONDS = 60


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
