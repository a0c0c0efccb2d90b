"""Production settings: the deploy checklist passes, and missing secrets stop the start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _prod_env(**extra) -> dict:
    unset = ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last: set by browser tests
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gendan.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "gendan.example.com",
        "DATABASE_URL": "postgres://gendan:secret@db.example.com:5432/gendan",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    })
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_prod_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _prod_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
