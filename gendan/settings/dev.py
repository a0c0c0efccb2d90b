"""Local development: SQLite in var/, debug on, mails printed to the console."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
