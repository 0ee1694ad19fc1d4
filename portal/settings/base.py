"""Settings shared by every environment.

Environment-specific values live in ``dev``, ``test`` and ``production``; deployment values are read
from environment variables there (see the README's table).
"""

import datetime
import os
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def with_request_transactions(database):
    """``database`` (an entry of ``DATABASES``) with each request in one transaction, so the search
    outbox row and the email a change writes are committed with it (or not at all).

    On SQLite, writers then queue for up to 20 s instead of failing with "database is locked" when
    one request's transaction upgrades to a write while another holds the lock (Django's SQLite
    notes: ``transaction_mode`` IMMEDIATE); every request takes the write lock, which one person
    never notices and several web and task workers need.
    """
    database = {**database, "ATOMIC_REQUESTS": True}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        options = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        database["OPTIONS"] = {**database.get("OPTIONS", {}), **options}
    return database


VAR_DIR = BASE_DIR / "var"

DEBUG = False

INSTALLED_APPS = [
    "accounts",
    "knowledge",
    "search",
    "vocabulary",
    "lessons",
    "feeds",
    "seo",
    "citations",
    "oai",
    "api",
    "subscriptions",
    "packs",
    "operations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "wagtail_2fa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "operations.views.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "operations.page_cache.PublicPageCacheMiddleware",
    # Pages compressed for readers on slow links: HTML shrinks about fivefold. Django's gzip adds
    # random bytes to each response against BREACH (Django 4.2 release notes), and CSRF tokens
    # are masked per response. Files served (documents) are left as they are.
    "portal.compression.TextGZipMiddleware",
    "portal.security.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wagtail_2fa.middleware.VerifyUserPermissionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "knowledge.admin_views.HiddenPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content Security Policy (portal/security.py): public pages load only the portal's own scripts,
# styles, images and fonts, and may not be framed; the admin adds what Wagtail's editor needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Editors' accounts (README, "Security"):
# - django-axes locks a username out from one address after AXES_FAILURE_LIMIT failed logins, for
#   AXES_COOLOFF_TIME; its counts live in the database, shared by every web worker.
# - Two-factor login (wagtail-2fa on django-otp: authenticator apps, and single-use recovery codes
#   from the portal's own view) is required of administrators and of every group holding the
#   "Enable 2FA" permission (moderators and programme reviewers; knowledge.teams grants it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Password forms of private pages and documents: submissions per client address. The admin's
# password reset: requests per client, and in all (each may send an email).
PASSWORD_FORM_RATE = os.environ.get("PASSWORD_FORM_RATE", "10/hour")
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "5/hour")
PASSWORD_RESETS_PER_HOUR = os.environ.get("PASSWORD_RESETS_PER_HOUR", "50/hour")
WAGTAIL_2FA_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "true").lower() != "false"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the four languages of the programme. A page's language is its Wagtail locale.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "COMPASS Knowledge Portal"
# Links in notification emails start with this address.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Avatars are uploaded, never fetched from Gravatar, and the dashboard does not ask wagtail.org
# for new releases: the admin makes no outside requests (its Content Security Policy forbids them).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
DEFAULT_FROM_EMAIL = "COMPASS Knowledge Portal <noreply@localhost>"

# Background work (django-tasks, which Wagtail uses too): a queue in the database, run by
# `manage.py db_worker`. Every email is queued there and sent by that worker through
# EMAIL_DELIVERY_BACKEND, never from inside a request (portal/mail.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "portal.mail.BackgroundEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Seconds the worker waits for the mail server before trying again later.
EMAIL_TIMEOUT = 10
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt"]
# Documents are always served by Wagtail's view, which applies collection privacy and the portal's
# rule that a file is public only when a visible page shows it (knowledge.visibility); their
# files under MEDIA_ROOT/documents/ are never served directly.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Upload rules (knowledge/uploads.py): documents checked by content and size, images need alt text.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "knowledge.uploads.PortalDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "knowledge.uploads.PortalImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(
    os.environ.get("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(50 * 1024 * 1024))
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.fulltext"}}
# The database's own full-text index (search.text_index) follows every page change; a bulk load may
# turn this off and run `manage.py text_index rebuild` once at the end, like Wagtail's AUTO_UPDATE.
SEARCH_TEXT_INDEX_AUTO_UPDATE = True
# Pages whose searchable state changed are embedded again for semantic search by the task worker.
SEARCH_PASSAGE_VECTORS_AUTO_UPDATE = True
# Offline packs (packs app): brought up to date by the task worker after each change of content,
# set in DejaVu Sans from Debian's fonts-dejavu-core.
OFFLINE_PACKS_AUTO_REFRESH = True
OFFLINE_PACK_FONT_DIR = os.environ.get("OFFLINE_PACK_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# A query that names a concept of the vocabulary also searches its labels in every language
# (empty: no expansion, as `make eval-search` measures against).
SEARCH_QUERY_EXPANSION = os.environ.get(
    "SEARCH_QUERY_EXPANSION", "vocabulary.expansion.concepts_named"
)
# How keywords are named in each language in the filters: the vocabulary's concept labels.
KNOWLEDGE_KEYWORD_NAMES = "vocabulary.keywords.keywords_in"
# The titles of the Global Compact's objectives, which readers filter items by.
KNOWLEDGE_OBJECTIVE_TITLES = "vocabulary.objectives.gcm_titles"
# The documents readers may download besides those of public pages: a lesson's public evidence.
KNOWLEDGE_DOCUMENTS_SHOWN_ELSEWHERE = "lessons.selectors.public_evidence_documents"

TAGGIT_CASE_INSENSITIVE = True

# Whole public pages for readers who are not signed in (operations.page_cache): kept at most
# PAGE_CACHE_TIMEOUT seconds (0: not cached) and dropped by any change readers would see;
# browsers and proxies may keep one PUBLIC_PAGE_MAX_AGE seconds (0: they ask again each time,
# and get 304 Not Modified while nothing changed). Production shares both caches between workers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))
PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "0"))

# The periodic jobs `manage.py run_scheduler` runs (operations.scheduler): name -> (crontab in
# UTC, management command). The index drift check repairs what it finds and fails the run when it
# could not (it is skipped without an engine).
SCHEDULED_JOBS = {
    "publish_scheduled": ("* * * * *", ["publish_scheduled"]),
    "daily_digests": ("0 6 * * *", ["send_digests", "--frequency", "daily"]),
    "weekly_digests": ("0 6 * * 1", ["send_digests", "--frequency", "weekly"]),
    "action_reminders": ("0 7 * * *", ["send_action_reminders"]),
    "prune_task_results": ("0 3 * * *", ["prune_db_task_results", "--min-age-days", "30"]),
}
if os.environ.get("SEARCH_URL"):
    SCHEDULED_JOBS["search_index_check"] = ("30 3 * * *", ["search_index", "check", "--repair"])
# Backups (operations.backups): a new folder under BACKUP_DIR each night, the newest BACKUP_KEEP
# kept, and a restore drill of the newest every Sunday; scheduled when BACKUP_DIR is set.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or VAR_DIR / "backups")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
if os.environ.get("BACKUP_DIR"):
    SCHEDULED_JOBS["backup"] = ("0 2 * * *", ["backup"])
    SCHEDULED_JOBS["restore_drill"] = ("0 4 * * 0", ["restore_drill"])

# OAI-PMH (the oai app): the namespace of item identifiers, a domain the portal owns; never change it
# once harvested (see oai/conf.py for OAI_PAGE_SIZE, OAI_RESUMPTION_TOKEN_LIFETIME, OAI_ADMIN_EMAIL).
OAI_REPOSITORY_IDENTIFIER = os.environ.get("OAI_REPOSITORY_IDENTIFIER", "")

# Public listing and search pages.
KNOWLEDGE_PAGE_SIZE = 12

# Search engine (Elasticsearch 8/9 or OpenSearch 2/3). Empty SEARCH_URL: Wagtail's database search.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "compass")
SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "5"))
# Index writes (bulk indexing, rebuilds, the outbox worker) wait longer than searches and retry on
# 429, 5xx and timeouts: seconds per request, retries, first wait (doubling up to 30 s).
SEARCH_BULK_TIMEOUT = float(os.environ.get("SEARCH_BULK_TIMEOUT", "60"))
SEARCH_BULK_RETRIES = int(os.environ.get("SEARCH_BULK_RETRIES", "5"))
SEARCH_BULK_BACKOFF = float(os.environ.get("SEARCH_BULK_BACKOFF", "1"))
# A new index version's shards, replicas and refresh interval (README "Index settings": a value an
# operator changed on the live index is kept by the next rebuild).
SEARCH_INDEX_SHARDS = int(os.environ.get("SEARCH_INDEX_SHARDS", "1"))
SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))
SEARCH_INDEX_REFRESH_INTERVAL = os.environ.get("SEARCH_INDEX_REFRESH_INTERVAL", "1s")
SEARCH_VERIFY_CERTS = os.environ.get("SEARCH_VERIFY_CERTS", "true").lower() != "false"
SEARCH_CA_CERTS = os.environ.get("SEARCH_CA_CERTS") or None

# Semantic search (search/embeddings.py): CPU threads the embedding model uses per process; one
# keeps a web worker from taking every core while it embeds a query.
EMBEDDING_THREADS = int(os.environ.get("EMBEDDING_THREADS", "1"))
# Searches add items near the query's meaning, in any language (search/semantic.py). A search
# waits at most SEMANTIC_QUERY_WAIT seconds for the model (busy embedding pages in a process that
# indexes too), then answers by words alone.
SEMANTIC_SEARCH = os.environ.get("SEMANTIC_SEARCH", "true").lower() != "false"
SEMANTIC_QUERY_WAIT = max(0.0, float(os.environ.get("SEMANTIC_QUERY_WAIT", "0.2")))

# Clients and rate limits (portal/clients.py). NUM_PROXIES: how many proxies in front of the
# portal append to X-Forwarded-For; 0 (the default) trusts only the connection's address, so a
# client cannot escape a limit with a forged header. (API_NUM_PROXIES is its former name.)
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", os.environ.get("API_NUM_PROXIES", "0")))
# Subscription form: confirmation emails asked for per client, and sent by the portal in all.
SUBSCRIBE_RATE = os.environ.get("SUBSCRIBE_RATE", "10/hour")
SUBSCRIPTION_CONFIRMATIONS_PER_HOUR = int(
    os.environ.get("SUBSCRIPTION_CONFIRMATIONS_PER_HOUR", "200")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_refused": {"()": "portal.log_filters.RequestRefused"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "refused": {"class": "logging.StreamHandler", "filters": ["request_refused"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "knowledge": {"level": "INFO"},
        "search": {"level": "INFO"},
        "portal.progress": {"level": "INFO"},
        "operations": {"level": "INFO"},
        # Forged Host headers and other refused requests: one line each (portal.log_filters.py).
        "django.security": {"handlers": ["refused"], "level": "WARNING", "propagate": False},
    },
}

# Open JSON API (the api app, /api/v1/): Django REST framework views, their OpenAPI 3 schema from
# drf-spectacular, and CORS for GET from any origin on /api/ only (django-cors-headers). The API's
# views set their own authentication, throttle and error handler, so other DRF users (Wagtail's
# admin API) keep DRF's defaults. API_RATE is the request rate allowed per client (DRF's rate
# syntax, e.g. "120/min"), counted in the default cache.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "corsheaders"]
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]
API_RATE = os.environ.get("API_RATE", "120/min")
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "COMPASS Knowledge Portal API",
    "DESCRIPTION": "Read-only access to the portal's published knowledge items and taxonomy.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {"KnowledgeTypeEnum": "api.serializers.KNOWLEDGE_TYPE_CHOICES"},
    # Its deployment check would build a schema of every DRF view, Wagtail's admin API included;
    # the API's own schema (api.urls) is checked by the test suite against the running API.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}
