"""Public pages cached whole, for readers who are not signed in, and dropped when content changes.

A page is stored under a key made of the request (scheme, host, path and query, gzip or not) and
the cache's *generation*: a token replaced, after the commit, whenever something readers see
changes (``operations.signal_handlers``). A request reads the generation first, so once a change
is committed no request finds a page stored before it, and a request that rendered old content
while the change committed stores it under the old generation, where nobody looks again. This is
why the portal does not use wagtail-cache: it clears the whole cache on a change, and a request
still rendering the old content at that moment stores it again for the full timeout.

The generation also remembers the next expiry date of a live page (``until``): expired pages
disappear at once, not when the scheduler next unpublishes them.

Only what every anonymous reader gets alike is stored: GET and HEAD requests without a session
or messages cookie or credentials and with a query string of at most ``MAX_QUERY_CHARACTERS``,
outside the admin, documents, API, OAI-PMH, static files and health checks, answered 200 without
cookies (a page holding a CSRF token sets the reader's token cookie: Django renews it on every
use), without ``Vary`` beyond ``Accept-Encoding`` and ``Cookie``, at most ``MAX_PAGE_BYTES`` and
without ``private``, ``no-cache`` or ``no-store`` (Wagtail marks every page behind a view
restriction so). A cache that cannot be reached is logged and passed over. Stored pages carry an ``ETag``, ``Last-Modified`` (the time of the last change)
and ``Cache-Control: public`` with ``PUBLIC_PAGE_MAX_AGE``, so a proxy or CDN can revalidate them
(``ConditionalGetMiddleware`` answers 304). Responses to signed-in readers are marked ``private``.

Settings: ``PAGE_CACHE_TIMEOUT`` (seconds a stored page lives at most; 0 turns the cache off),
``PUBLIC_PAGE_MAX_AGE`` (seconds browsers and proxies may keep a page without asking again;
default 0: they revalidate each time), the cache alias ``pages`` (shared by every web worker in
production: ``PAGE_CACHE_URL``).
"""

import hashlib
import logging
import math
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_max_age, patch_cache_control
from django.utils.http import http_date
from redis.exceptions import RedisError
from wagtail.models import Page

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
#: What a cache that cannot be reached raises (Redis: its connection errors are OSErrors or
#: redis.exceptions.ConnectionError; the database cache: DatabaseError).
CACHE_FAILURES = (OSError, DatabaseError, RedisError)
#: Paths never stored: private or per-reader views, files, and channels with their own limits.
UNCACHED_PREFIXES = ("/admin/", "/documents/", "/api/", "/oai/", "/health/", "/ready/")
BYPASS_COOKIES = ("messages",)
#: Addresses with a longer query string and larger pages are never kept: no reader's filters come
#: near either, and a made-up address must not cost the cache much.
MAX_QUERY_CHARACTERS = 512
MAX_PAGE_BYTES = 512 * 1024
#: Only pages that exist: a 404 costs little to render, and storing one per made-up address would
#: let anyone fill the cache.
STORED_STATUSES = (200,)


def page_cache():
    return caches["pages"]


def drop_cached_pages():
    """A new generation, after a change readers would see (every stored page is then passed
    over). A cache that cannot be reached is logged, not raised: the change is committed, and
    the pages kept there expire within ``PAGE_CACHE_TIMEOUT``. Nothing while the cache is off."""
    if settings.PAGE_CACHE_TIMEOUT <= 0:
        return
    try:
        new_generation()
    except CACHE_FAILURES:
        logger.error("Page cache unavailable: stored pages could not be dropped", exc_info=True)


def new_generation():
    """Store and return a new generation: ``{"id", "at": epoch seconds, "until": epoch seconds of
    the next expiry of a live page, or None}``."""
    now = timezone.now()
    next_expiry = Page.objects.filter(live=True, expire_at__gt=now).aggregate(Min("expire_at"))
    until = next_expiry["expire_at__min"]
    previous = page_cache().get(GENERATION_KEY) or {"at": 0}
    generation = {
        "id": uuid.uuid4().hex,
        # Last-Modified counts whole seconds: each generation gets a later one than the last,
        # so a proxy asking If-Modified-Since never hears "not modified" of a newer page.
        "at": max(math.ceil(now.timestamp()), previous["at"] + 1),
        "until": until.timestamp() if until else None,
    }
    page_cache().set(GENERATION_KEY, generation, timeout=None)
    return generation


def current_generation():
    """The generation pages are stored under now (a new one when none is, or its ``until`` has
    passed)."""
    generation = page_cache().get(GENERATION_KEY)
    if generation is None or (generation["until"] and generation["until"] <= time.time()):
        return new_generation()
    return generation


def cacheable_request(request):
    if settings.PAGE_CACHE_TIMEOUT <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_CHARACTERS:
        return False
    if request.path.startswith((*UNCACHED_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)):
        return False
    cookies = (settings.SESSION_COOKIE_NAME, *BYPASS_COOKIES)
    return "HTTP_AUTHORIZATION" not in request.META and not any(
        name in request.COOKIES for name in cookies
    )


def storable(response):
    """True when ``response`` is the same for every anonymous reader and may be kept.

    ``Vary: Cookie`` is allowed: for a request without a session cookie it says only that a
    signed-in reader would get another page (the session was looked at). A page holding a CSRF
    token, which is the reader's own, always sets the token's cookie, so it is never kept.
    """
    control = response.get("Cache-Control", "")
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return (
        response.status_code in STORED_STATUSES
        and not response.streaming
        and len(response.content) <= MAX_PAGE_BYTES
        and not response.cookies
        and vary <= {"accept-encoding", "cookie"}
        and not any(word in control for word in ("private", "no-cache", "no-store"))
    )


def page_key(request, generation):
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:{generation['id']}:{'gz' if gzip else 'id'}:{digest}"


def mark_public(response, generation):
    """Add the validators and ``Cache-Control`` a proxy needs (keeping a shorter ``max-age`` the
    view set); returns the seconds the page may be stored."""
    view_max_age = get_max_age(response)
    timeout = settings.PAGE_CACHE_TIMEOUT if view_max_age is None else view_max_age
    timeout = min(timeout, settings.PAGE_CACHE_TIMEOUT)
    if view_max_age is None:
        if settings.PUBLIC_PAGE_MAX_AGE:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        else:
            patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, public=True)
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    response["Last-Modified"] = http_date(generation["at"])
    return timeout


class PublicPageCacheMiddleware:
    """Serve stored public pages, store new ones (see the module's docstring). Placed after
    ``ConditionalGetMiddleware`` (which answers 304 from the stored validators) and before the
    compression, so a stored page is compressed once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                patch_cache_control(response, private=True)
            return response
        try:
            generation = current_generation()
            key = page_key(request, generation)
            stored = page_cache().get(key)
        except CACHE_FAILURES:
            logger.warning("Page cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return stored
        response = self.get_response(request)
        if storable(response):
            timeout = mark_public(response, generation)
            if timeout > 0:
                _store(key, response, timeout)
        return response


def _store(key, response, timeout):
    try:
        page_cache().set(key, response, timeout)
    except CACHE_FAILURES:
        logger.warning("Page cache unavailable; page not kept", exc_info=True)
