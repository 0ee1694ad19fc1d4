"""The one place that reads the search settings and holds the connection to the engine.

Settings: ``SEARCH_URL`` (empty: no engine, Wagtail's database search answers), ``SEARCH_INDEX_PREFIX``,
``SEARCH_TIMEOUT`` (seconds, for reads), ``SEARCH_BULK_TIMEOUT``, ``SEARCH_BULK_RETRIES`` and
``SEARCH_BULK_BACKOFF`` (writes: ``search.engines.WritePolicy``), ``SEARCH_VERIFY_CERTS``,
``SEARCH_CA_CERTS``; the index's own settings are read by ``index_settings``.
"""

import threading

from django.conf import settings

from search.engines import WritePolicy, connect

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
    writes = write_policy()
    key = (url, writes)
    if key in _engines:
        return _engines[key]
    # Connected outside the lock: threads that find the engine down each fail within their own
    # timeout instead of queueing behind one another's.
    engine = connect(
        url,
        timeout=settings.SEARCH_TIMEOUT,
        verify_certs=settings.SEARCH_VERIFY_CERTS,
        ca_certs=settings.SEARCH_CA_CERTS,
        identify_timeout=connect_timeout,
        writes=writes,
    )
    with _lock:
        return _engines.setdefault(key, engine)


def write_policy():
    """How index writes wait and retry, from ``SEARCH_BULK_TIMEOUT`` (seconds per request),
    ``SEARCH_BULK_RETRIES`` and ``SEARCH_BULK_BACKOFF`` (the first wait, doubling to 30 s)."""
    return WritePolicy(
        timeout=float(settings.SEARCH_BULK_TIMEOUT),
        retries=int(settings.SEARCH_BULK_RETRIES),
        first_delay=float(settings.SEARCH_BULK_BACKOFF),
    )


def index_settings():
    """``{"number_of_shards", "number_of_replicas", "refresh_interval"}`` a new index version is
    built for (``SEARCH_INDEX_SHARDS``, ``SEARCH_INDEX_REPLICAS``,
    ``SEARCH_INDEX_REFRESH_INTERVAL``); see ``search.indexing.live_settings`` for which wins
    when an operator changed the live index."""
    return {
        "number_of_shards": int(settings.SEARCH_INDEX_SHARDS),
        "number_of_replicas": int(settings.SEARCH_INDEX_REPLICAS),
        "refresh_interval": str(settings.SEARCH_INDEX_REFRESH_INTERVAL),
    }


def alias_name():
    """The alias searches read, e.g. 'compass-knowledge'."""
    return f"{settings.SEARCH_INDEX_PREFIX}-knowledge"
