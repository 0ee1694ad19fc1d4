"""Test settings: fast hasher, locmem cache and mail, plain static files, media in a temp folder.

``DATABASE_URL`` selects PostgreSQL for the production-parity run; SQLite otherwise.
"""

import tempfile

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": dj_database_url.config(default="sqlite:///:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The tests of the page cache turn it on (PAGE_CACHE_TIMEOUT); the others see every response fresh.
PAGE_CACHE_TIMEOUT = 0
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Django's test runner sends mail straight to its outbox (locmem); tests of the queue switch
# EMAIL_BACKEND back to the portal's background backend, which then delivers there.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="compass-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="compass-test-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024  # the default, whatever the environment says
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The immediate task backend would embed every page a test makes (tens of ms each, with the real
# model); the tests of semantic search turn it on.
SEARCH_PASSAGE_VECTORS_AUTO_UPDATE = False
# Likewise it would build every offline pack after each commit; the tests of packs turn it on.
OFFLINE_PACKS_AUTO_REFRESH = False

# Tests use the database search backend unless a test switches the engine on (tests/search fixtures
# read the engine's address from the SEARCH_URL environment variable).
SEARCH_URL = ""
SEARCH_INDEX_PREFIX = "test-compass"

# Django's test client logs in without a request, which django-axes refuses; the tests of the
# lockout switch it on.
AXES_ENABLED = False
# Tests log editors in directly; the tests of two-factor login switch it on.
WAGTAIL_2FA_REQUIRED = False
# A write the engine refuses is retried after 0.05 s, not 1 s, so outage tests stay quick.
SEARCH_BULK_BACKOFF = 0.05
