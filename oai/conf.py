"""The OAI-PMH settings, read in this one place.

``OAI_REPOSITORY_IDENTIFIER``
    Namespace of the item identifiers (``oai:<it>:<page id>``), a domain name the portal owns, e.g.
    ``knowledge.compass-programme.org``. Defaults to the host of ``WAGTAILADMIN_BASE_URL`` when that
    is a domain name, else ``compass.localhost``. Once harvested, it must never change.
``OAI_ADMIN_EMAIL``
    The repository's contact in Identify; defaults to the address of ``DEFAULT_FROM_EMAIL``.
``OAI_PAGE_SIZE``
    Records (or headers) per ListRecords / ListIdentifiers response, 100 by default.
``OAI_RESUMPTION_TOKEN_LIFETIME``
    Seconds a resumption token stays valid, 86400 (one day) by default.
"""

import re
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings

#: The oai-identifier scheme's repositoryIdentifier (a domain name whose labels start with a letter).
REPOSITORY_IDENTIFIER_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
FALLBACK_REPOSITORY_IDENTIFIER = "compass.localhost"


def repository_identifier():
    configured = getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "")
    if configured:
        return configured
    host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").hostname or ""
    return host if REPOSITORY_IDENTIFIER_RE.match(host) else FALLBACK_REPOSITORY_IDENTIFIER


def admin_email():
    configured = getattr(settings, "OAI_ADMIN_EMAIL", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"


def repository_name():
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "COMPASS Knowledge Portal"


def page_size():
    return max(1, int(getattr(settings, "OAI_PAGE_SIZE", 100)))


def token_lifetime():
    return max(60, int(getattr(settings, "OAI_RESUMPTION_TOKEN_LIFETIME", 24 * 3600)))
