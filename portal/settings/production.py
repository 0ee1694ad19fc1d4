"""Production: every deployment value comes from the environment (see README).

Refuses to start without ``SECRET_KEY``.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, with_request_transactions


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

DEBUG = False
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}
if not DATABASES["default"]:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment.")

# One cache for every web worker, so rate limits and the search engine's circuit breaker count
# requests across processes (a per-process cache multiplies each limit by the number of workers).
# REDIS_URL (recommended: its counts are atomic) or else a table of the database, made by
# `manage.py createcachetable`, large enough that culling never drops a live count. Wagtail's
# image renditions are cached apart, per process, so they never crowd the shared cache out.
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", REDIS_URL)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Public pages (operations.page_cache): in a Redis of their own (PAGE_CACHE_URL), so pages
    # never push the counts out of its memory; else beside them, or in a table of their own.
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "KEY_PREFIX": "pages",
        }
        if PAGE_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
}

MEDIA_URL = os.environ.get("MEDIA_URL", MEDIA_URL)  # noqa: F405
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS only: the proxy in front of the portal terminates TLS and says so in X-Forwarded-Proto;
# plain-HTTP requests are redirected, and browsers are told to use HTTPS for a year (HSTS,
# RFC 6797), subdomains included, and may add the domain to their preload lists.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

DATABASES["default"] = with_request_transactions(DATABASES["default"])
if not REDIS_URL and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # The database cache gets its own connection, outside the request's transaction, so what one
    # request counts the others see at once (portal/routers.py). Not on SQLite: there a second
    # connection would wait for the first one's write lock, and requests run one at a time anyway.
    DATABASES["cache"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False}
    DATABASE_ROUTERS = ["portal.routers.CacheRouter"]

# Structured logs: one JSON object per line on standard error (time, level, logger, message, and
# the record's own fields, such as a refused request's client and path), for a log collector;
# LOG_FORMAT=text gives plain lines.
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["formatters"] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    }
    for handler in LOGGING["handlers"].values():
        handler["formatter"] = "json"
