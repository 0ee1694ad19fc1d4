"""The one place that reads the search settings and holds the connection to the engine.

Settings: ``SEARCH_URL`` (empty: no engine, Wagtail's database search answers), ``SEARCH_INDEX_PREFIX``,
``SEARCH_TIMEOUT`` (seconds), ``SEARCH_VERIFY_CERTS``, ``SEARCH_CA_CERTS``.
"""

import threading

from django.conf import settings

from search.engines import connect

_lock = threading.Lock()
_engines = {}


def search_url():
    return settings.SEARCH_URL.strip()


def engine_configured():
    """True when an engine URL is set (it may still be down)."""
    return bool(search_url())


def get_engine(connect_timeout=None):
    """The adapter for the configured engine, connecting on first use (within
    ``connect_timeout`` seconds when given, else ``SEARCH_TIMEOUT``).

    Raises ``EngineUnavailable`` when it cannot be reached (readers then stay away for a while:
    ``search.circuit``), ``ValueError`` for an unsupported engine and ``LookupError`` when no
    engine is configured.
    """
    url = search_url()
    if not url:
        raise LookupError("SEARCH_URL is not set")
    if url in _engines:
        return _engines[url]
    # Connected outside the lock: threads that find the engine down each fail within their own
    # timeout instead of queueing behind one another's.
    engine = connect(
        url,
        timeout=settings.SEARCH_TIMEOUT,
        verify_certs=settings.SEARCH_VERIFY_CERTS,
        ca_certs=settings.SEARCH_CA_CERTS,
        identify_timeout=connect_timeout,
    )
    with _lock:
        return _engines.setdefault(url, engine)


def alias_name():
    """The alias searches read, e.g. 'compass-knowledge'."""
    return f"{settings.SEARCH_INDEX_PREFIX}-knowledge"
