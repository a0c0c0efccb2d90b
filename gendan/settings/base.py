"""Settings shared by every environment. Environment-specific modules import * from here."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GENDAN_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "gendan.core",
    "gendan.accounts",
    "gendan.parties",
    "gendan.catalog",
    "gendan.documents",
    "gendan.sales",
    "gendan.finance",
    "gendan.production",
    "gendan.shipping",
    "gendan.tracking",
    "gendan.quality",
    "gendan.purchasing",
    "gendan.planning",
    "gendan.exportdocs",
    "gendan.receivables",
    "gendan.payables",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "gendan.api",
    "gendan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gendan.core.headers.SecurityHeadersMiddleware",  # CSP on pages, no-store when signed in (core/headers.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gendan.core.request_cache.RequestCacheMiddleware",  # a GET's repeated reads, once (core/request_cache.py)
    "gendan.accounts.middleware.SessionLifetimeMiddleware",
    "gendan.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gendan.core.once.SubmitOnceMiddleware",  # a page form is sent once (core/once.py)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "gendan.urls"
WSGI_APPLICATION = "gendan.wsgi.application"

# Django's form renderer, with its plainest widget templates (input, select, textarea) written in
# Python: the same HTML (core/widget_render.py).
FORM_RENDERER = "gendan.core.widget_render.FastTemplates"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gendan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gendan.core.context_processors.navigation",
                "gendan.tracking.context_processors.chase_badge",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE makes a write
            # transaction take the write lock at BEGIN, so row-lock style
            # read-modify-write code (select_for_update is a no-op on SQLite) stays serial.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, with the user's roles and permissions kept across requests in the default
# cache for GENDAN_ACCESS_SECONDS, under a generation every change of them moves on
# (accounts/access.py). Safe in one process (development, tests) or with a shared cache; the
# production settings turn it off without one (REDIS_URL).
AUTHENTICATION_BACKENDS = ["gendan.accounts.backends.AccessBackend"]
GENDAN_ACCESS_SECONDS = 300
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: idle timeout (cookie age, renewed when the session is saved) and an absolute
# lifetime counted from login (SessionLifetimeMiddleware). A signed-in user's session is saved at
# most once per GENDAN_SESSION_REFRESH_SECONDS when nothing else changes it, not on every page.
SESSION_COOKIE_AGE = 60 * 60 * 2  # 2 h without activity ends the session
SESSION_SAVE_EVERY_REQUEST = False
GENDAN_SESSION_REFRESH_SECONDS = 60
# The chase badge in the navigation is counted at most this often per user (tracking.context_processors).
GENDAN_CHASE_BADGE_SECONDS = 60
# The chase board's sections are kept this long per person in the default cache (Redis in production),
# and dropped at once when anything changes (core.request_cache.per_user): 0 reads them on every page.
GENDAN_BOARD_SECONDS = 60
GENDAN_SESSION_ABSOLUTE_SECONDS = 60 * 60 * 12  # a working day, then log in again
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Brute-force protection on the login form (accounts.services.login_throttle_*).
GENDAN_LOGIN_MAX_FAILURES = 5
GENDAN_LOGIN_LOCK_SECONDS = 15 * 60
# Proxies whose X-Forwarded-For is believed (addresses or networks); none without a proxy.
GENDAN_TRUSTED_PROXIES: list[str] = []
# API tokens (accounts.tokens): valid this many days unless the user asks for fewer (at most the maximum).
GENDAN_API_TOKEN_DAYS = 90
GENDAN_API_TOKEN_MAX_DAYS = 365

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gendan" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: 20 MB per file is the business limit (documents.services); the request
# limit sits a little above it so the form can answer with a clear message.
GENDAN_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Uploaded Excel workbooks (gendan/core/xlsx_safe.py): the archive is checked before it is
# opened (zip bombs), and rows and columns are counted as they are read, empty ones included.
GENDAN_XLSX_MAX_ENTRIES = int(os.environ.get("GENDAN_XLSX_MAX_ENTRIES", "2000"))
GENDAN_XLSX_MAX_ENTRY_BYTES = int(os.environ.get("GENDAN_XLSX_MAX_ENTRY_BYTES", str(50 * 1024 * 1024)))
GENDAN_XLSX_MAX_TOTAL_BYTES = int(os.environ.get("GENDAN_XLSX_MAX_TOTAL_BYTES", str(100 * 1024 * 1024)))
GENDAN_XLSX_MAX_RATIO = int(os.environ.get("GENDAN_XLSX_MAX_RATIO", "100"))  # uncompressed : compressed, per part
GENDAN_XLSX_MAX_ROWS = int(os.environ.get("GENDAN_XLSX_MAX_ROWS", "20000"))
GENDAN_XLSX_MAX_COLUMNS = int(os.environ.get("GENDAN_XLSX_MAX_COLUMNS", "200"))
# A progress sheet of more rows than this is checked and imported by the task worker, with progress shown.
GENDAN_IMPORT_BACKGROUND_ROWS = int(os.environ.get("GENDAN_IMPORT_BACKGROUND_ROWS", "2000"))

# Background work (reminders, digests, imports): Django's tasks API with the database
# backend; run `python manage.py db_worker`. See README "Deploy" for Redis at scale.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gendan@localhost")

GENDAN_PAGE_SIZE = 50
# ``manage.py seed_demo`` runs only where this is on (off in gendan.settings.prod).
GENDAN_DEMO_ALLOWED = True
# A change order may lower the order's total by this much (in %) without a manager's or finance's
# approval (sales.money_terms: the four-eyes rule on money terms; a unit price cut always needs it).
GENDAN_AMOUNT_DOWN_TOLERANCE_PERCENT = 2
# An order (or change order) whose total is above this needs an explicit confirmation (page:
# a checkbox; API: confirm_large_amount). About USD 10 million in each currency; unlisted → USD's.
GENDAN_LARGE_ORDER_AMOUNT = {
    "USD": 10_000_000, "EUR": 9_000_000, "GBP": 8_000_000, "CHF": 9_000_000, "CNY": 70_000_000,
    "HKD": 78_000_000, "JPY": 1_500_000_000, "AUD": 15_000_000, "CAD": 14_000_000, "SGD": 13_000_000,
}
GENDAN_COMPANY_NAME = {"zh-hans": "示例实业有限公司", "en": "Example Industrial Co., Ltd."}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "gendan": {"handlers": ["console"], "level": "INFO"},
        "gendan.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# JSON API under /api/v1/ (gendan.api, docs/api.md): token or session authentication, every
# error as JSON {code, message, fields}, JSON numbers parsed as exact decimals, 50 per page.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gendan.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["gendan.api.permissions.ActionPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "gendan.api.parsers.DecimalJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "gendan.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "gendan.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "gendan.api.errors.exception_handler",
    "NON_FIELD_ERRORS_KEY": "__all__",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gendan API",
    "DESCRIPTION": "Order follow-up: customers, products, quotations, sales orders and their actions, receipts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "gendan.sales.models.SalesOrder.Status",
        "QuotationStatusEnum": "gendan.sales.models.Quotation.Status",
        "RevisionStatusEnum": "gendan.sales.models.OrderRevision.Status",
        "ConfirmationKindEnum": "gendan.sales.models.Confirmation.Kind",
        "DocumentKindEnum": "gendan.sales.models.OrderDocument.Kind",
        "ProductKindEnum": "gendan.catalog.models.Product.Kind",
        "ShipmentStatusEnum": "gendan.shipping.models.Shipment.Status",
        "BookingStatusEnum": "gendan.shipping.models.Booking.Status",
        "ContainerStatusEnum": "gendan.shipping.models.Container.Status",
        "BillStatusEnum": "gendan.shipping.models.BillOfLading.Status",
        "TransportModeEnum": "gendan.shipping.models.Shipment.Mode",
        # the order's shipped state is not the shipment's status (both fields are called so)
        "OrderShipmentStatusEnum": "gendan.sales.models.SalesOrder.ShipmentStatus",
        # a supplier's kind (own workshop, outsourced factory …) beside the other "kind" fields of the API
        "SupplierKindEnum": "gendan.parties.models.Supplier.Kind",
    },
}

# T&A and reminders (tracking app)
GENDAN_WEEKEND_DAYS = (5, 6)  # Saturday, Sunday; make-up working days (调休) and holidays are calendar days
GENDAN_DIGEST_TIME = os.environ.get("GENDAN_DIGEST_TIME", "07:30")  # default; each person may choose another
GENDAN_ESCALATION_DAYS = int(os.environ.get("GENDAN_ESCALATION_DAYS", "3"))  # required milestone overdue → manager
GENDAN_BOARD_HORIZON_DAYS = 7
# Where Gendan is reached: the links in emails (digests, escalations, exception alerts) are absolute.
GENDAN_SITE_URL = os.environ.get("GENDAN_SITE_URL", "http://localhost:8000")
