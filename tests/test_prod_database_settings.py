"""Production settings and the database (docs/deployment.md): the app's PostgreSQL connections
carry the planner settings it is measured with, an operator can turn them off, and a user's rights
are kept across requests only when the cache is shared by every worker."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("GENDAN_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")


def _shell(code: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "GENDAN_", "DATABASE_", "REDIS_", "PG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "gendan.settings.prod", "SECRET_KEY": secrets.token_urlsafe(60),
                "ALLOWED_HOSTS": "gendan.example.com", "DATABASE_URL": PG, **extra})
    return subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


PLANNER = ("from django.db import connection; c = connection.cursor(); "
           "c.execute('SHOW random_page_cost'); a = c.fetchone()[0]; "
           "c.execute('SHOW max_parallel_workers_per_gather'); print(a, c.fetchone()[0])")


def _server_available() -> bool:
    result = _shell("from django.db import connection; connection.ensure_connection()", GENDAN_PG_OPTIONS="")
    return result.returncode == 0


@pytest.fixture(scope="module")
def postgres():
    if not _server_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no PostgreSQL server at {PG}, and CI=true requires it")
        pytest.skip(f"no PostgreSQL server at {PG}")


def test_the_app_connects_with_its_planner_settings(postgres):
    result = _shell(PLANNER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1.1", "0"]


def test_an_empty_option_leaves_the_server_settings(postgres):
    result = _shell(PLANNER, GENDAN_PG_OPTIONS="")
    assert result.returncode == 0, result.stderr
    random_page_cost, _workers = result.stdout.split()
    assert random_page_cost != "1.1"  # the server's own (PostgreSQL's default: 4)


def test_rights_are_kept_across_requests_only_with_a_shared_cache():
    code = "from django.conf import settings; print(settings.GENDAN_ACCESS_SECONDS)"
    without = _shell(code)
    with_redis = _shell(code, REDIS_URL="redis://127.0.0.1:6379/0")
    assert without.returncode == with_redis.returncode == 0, without.stderr + with_redis.stderr
    assert (without.stdout.strip(), with_redis.stdout.strip()) == ("0", "300")
