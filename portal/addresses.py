"""The portal's public address, for links that leave it (emails)."""

from django.conf import settings


def absolute(path):
    """``path`` (starting with /) under the portal's public address, ``WAGTAILADMIN_BASE_URL``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
