"""Production settings with the task queue in Redis (GENDAN_TASKS_BACKEND=rq, docs/deployment.md):
the deploy checklist passes with django-tasks-rq wired to REDIS_URL, and a misspelt backend stops
the start instead of silently queueing in the database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GENDAN_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gendan.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "gendan.example.com",
        "DATABASE_URL": "postgres://gendan:secret@db.example.com:5432/gendan",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    })
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_redis_task_queue_passes_the_deploy_checklist():
    code = ("from django.conf import settings; from django_tasks import task_backends; "
            "print(type(task_backends['default']).__name__, settings.RQ_QUEUES['default']['URL'])")
    result = _manage("shell", "-v0", "-c", code, GENDAN_TASKS_BACKEND="rq")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RQBackend", "redis://127.0.0.1:6379/0"]

    result = _manage("check", "--deploy", "--fail-level", "WARNING", GENDAN_TASKS_BACKEND="rq")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_task_backend_stops_the_start():
    result = _manage("check", GENDAN_TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "GENDAN_TASKS_BACKEND" in result.stderr
