"""The one place that reads the search settings and holds the connection to the engine.

Settings: ``SEARCH_URL`` (empty: no engine, Wagtail's database search answers), ``SEARCH_INDEX_PREFIX``,
``SEARCH_TIMEOUT`` (seconds), ``SEARCH_VERIFY_CERTS``, ``SEARCH_CA_CERTS``.
"""

import threading
import time

from django.conf import settings

from search.engines import EngineUnavailable, connect

#: After a failed connection, calls fail fast for this many seconds instead of probing again.
RETRY_AFTER_SECONDS = 10

_lock = threading.Lock()
_engines = {}
_failed_until = {}


def search_url():
    return settings.SEARCH_URL.strip()


def engine_configured():
    """True when an engine URL is set (it may still be down)."""
    return bool(search_url())


def get_engine():
    """The adapter for the configured engine, connecting on first use.

    Raises ``EngineUnavailable`` when it cannot be reached (calls in the next 10 seconds fail fast,
    then one tries again), ``ValueError`` for an unsupported engine and ``LookupError`` when no
    engine is configured.
    """
    url = search_url()
    if not url:
        raise LookupError("SEARCH_URL is not set")
    if url in _engines:
        return _engines[url]
    if time.monotonic() < _failed_until.get(url, 0):
        raise EngineUnavailable(f"the search engine at {url} did not answer a moment ago")
    with _lock:
        if url not in _engines:
            try:
                _engines[url] = connect(
                    url,
                    timeout=settings.SEARCH_TIMEOUT,
                    verify_certs=settings.SEARCH_VERIFY_CERTS,
                    ca_certs=settings.SEARCH_CA_CERTS,
                )
            except EngineUnavailable:
                _failed_until[url] = time.monotonic() + RETRY_AFTER_SECONDS
                raise
        return _engines[url]


def alias_name():
    """The alias searches read, e.g. 'compass-knowledge'."""
    return f"{settings.SEARCH_INDEX_PREFIX}-knowledge"
