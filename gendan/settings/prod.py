"""Production: everything that differs comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS (comma separated), DATABASE_URL (PostgreSQL).
Optional: REDIS_URL (cache + sessions), GENDAN_TASKS_BACKEND (db | rq: the task queue in Redis),
EMAIL_URL-style EMAIL_* settings, GENDAN_VAR_DIR,
CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT (default on; turn off when the proxy redirects).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = _env("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL"), conn_max_age=600, conn_health_checks=True)}
# PostgreSQL's planner, for this application's many short queries (GENDAN_PG_OPTIONS, empty to leave
# the server's own settings; docs/deployment.md). random_page_cost=1.1: the data is in memory or on
# SSD, so an index probe costs about a sequential read — with the default 4 the planner scanned the
# 70 000 shipments for a merchandiser's 600 (29 → 13 ms, the chase board at 100 000 orders).
# max_parallel_workers_per_gather=0: under many users, each query on one core; a parallel plan
# started worker processes for queries of milliseconds (board at 100 000 orders: 102 → 78 ms in the
# database) and took cores the other requests were waiting for.
PG_OPTIONS = os.environ.get("GENDAN_PG_OPTIONS", "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0")
if PG_OPTIONS.strip() and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = PG_OPTIONS

if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Each worker would keep its own copy of a user's rights and miss another worker's change
    # (a role taken away): without a shared cache they are read on every request.
    GENDAN_ACCESS_SECONDS = 0

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "false").lower() == "true"
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# HTTPS everywhere (the proxy terminates TLS and sets X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Cookies only over HTTPS. SECURE_COOKIES=false is for a plain-HTTP test on 127.0.0.1 only
# (scripts/two_servers.py drives two app servers without the TLS proxy).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "true").lower() == "true"
X_FRAME_OPTIONS = "DENY"

TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405
TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405
    ("django.template.loaders.cached.Loader", [
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]),
]

# The API's schema and its browsable docs describe every operation: only for signed-in users.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS,  # noqa: F405
                        "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"]}

# Never the demo company (its users have a published password) in a production database.
GENDAN_DEMO_ALLOWED = False

# The reverse proxy in front of the app servers (comma-separated addresses or networks): only its
# X-Forwarded-For is believed for the client's address (login throttling, logs).
GENDAN_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GENDAN_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
                          if p.strip()]

# Background tasks (reminders, digests, imports). "db" (default): the queue is a database table and
# `manage.py db_worker` runs it. "rq": the queue lives in Redis (REDIS_URL) and RQ workers run it —
# `manage.py rqworker default --job-class django_tasks_rq.Job` — for several app servers or workers
# (docs/deployment.md).
GENDAN_TASKS_BACKEND = os.environ.get("GENDAN_TASKS_BACKEND", "db")
if GENDAN_TASKS_BACKEND == "rq":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]  # noqa: F405
    RQ_QUEUES = {"default": {"URL": _env("REDIS_URL"), "DEFAULT_TIMEOUT": 15 * 60}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif GENDAN_TASKS_BACKEND != "db":
    raise ImproperlyConfigured(f"GENDAN_TASKS_BACKEND: 'db' or 'rq', not {GENDAN_TASKS_BACKEND!r}.")
