"""Shared pytest fixtures: users in roles, logged-in clients, the database leg in use."""

from __future__ import annotations

import os

import pytest


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"gendan: database leg = {engine}"


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
