"""Test settings. SQLite by default; DATABASE_URL selects PostgreSQL for the second leg."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GENDAN_TEST_DB_NAME", "test_gendan")}
else:
    # In-memory (shared cache, so the browser tests' live server thread sees it too): fast, and
    # parallel runs in one checkout do not share a file.
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GENDAN_TEST_DB_NAME") or None}

# Every page counts the chase badge and saves the session, as the first page of each minute does
# in production (GENDAN_CHASE_BADGE_SECONDS, GENDAN_SESSION_REFRESH_SECONDS = 60): a test that
# compares the queries of two pages compares like with like. The tests of the once-a-minute
# rules set those settings back to 60.
GENDAN_CHASE_BADGE_SECONDS = 0
GENDAN_BOARD_SECONDS = 0
GENDAN_SESSION_REFRESH_SECONDS = 0

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# WhiteNoise looks at STATIC_ROOT at start-up; the tests serve static files through the finders.
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

# A BusinessError whose code no ErrorCode enum declares: reported in the test summary
# ("undeclared error codes"); True fails the test that raises it.
GENDAN_STRICT_ERROR_CODES = False
