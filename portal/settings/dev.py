"""Local development: SQLite under var/, console mail, debug on.

The secret key is generated once per checkout and kept in var/secret_key (never committed).
"""

import os

import dj_database_url
from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import VAR_DIR, with_request_transactions


def _local_secret_key():
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
    return key_file.read_text().strip()


DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=600
    )
}
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
INSTALLED_APPS += ["bench"]  # noqa: F405  (development-only measurements: make bench-search)
# The demo accounts log in with a password alone (set TWO_FACTOR_REQUIRED=true to try 2FA).
# Pages are not cached while templates and code change (PAGE_CACHE_TIMEOUT=600 to try it); kept
# in files, so the task worker's and the scheduler's changes drop them too.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "0"))
CACHES["pages"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": VAR_DIR / "page-cache",
}
WAGTAIL_2FA_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "false").lower() == "true"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATABASES["default"] = with_request_transactions(DATABASES["default"])
