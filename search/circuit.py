"""A circuit breaker between readers and the engine, and the one way readers reach it.

When the engine fails a reader (connection refused, no answer within the timeout, 5xx or 429, but
not a refusal of that reader's query, ``search.engines.base.REQUEST_FAULTS``), the circuit opens: for ``OPEN_SECONDS`` every search, autocomplete and related-items request answers
from the database at once instead of each waiting out the timeout (a hung engine used to hold every
request for ``SEARCH_TIMEOUT``, page after page). The first reader after that starts one probe in
a background thread, a small search with the normal timeout, and is still answered from the
database; the probe closes the circuit when the engine answers, or keeps it open for another
``OPEN_SECONDS``. The state lives in the default cache, which production shares between web
workers, so one failure spares them all. (The pattern is Nygard's circuit breaker, "Release It!",
2007; the outbox worker and the index commands do not use it: they have their own retries.)
"""

import hashlib
import logging
import threading
import time
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from elasticsearch.dsl import Search

from search.client import alias_name, get_engine, search_url
from search.engines import EngineTimedOut, EngineUnavailable, IndexMissing

logger = logging.getLogger(__name__)

#: Seconds readers are answered from the database after a failure, before the engine is probed.
OPEN_SECONDS = 30
#: Strikes that open the circuit within OPEN_SECONDS: timeouts of a shorter, caller-given wait,
#: and readings that took more than SLOW_SHARE of SEARCH_TIMEOUT (an engine answering just
#: within its timeout held every request nearly as long as a hung one).
STRIKES = 3
SLOW_SHARE = 0.5


def engine_or_database(read, fallback, what, timeout=None):
    """``read(engine)`` when the engine answers, else ``fallback()``.

    ``what`` names the reading in the log ("Search", "Related items"). ``timeout`` (seconds) is a
    shorter wait than ``SEARCH_TIMEOUT`` that ``read`` gives its own requests (and the first
    contact with the engine in this process). Running out of it counts as a strike, as does a
    reading slower than half of ``SEARCH_TIMEOUT``; ``STRIKES`` of them within ``OPEN_SECONDS``
    open the circuit, so one slow aside never sends every search to the database. Any other
    failure that means the engine is unavailable opens it at once. Other engine errors (a
    refused request, an unsupported engine) are logged in full and answered from the database
    too, as no engine exception may reach a reader.
    """
    if is_open():
        return fallback()
    started = monotonic()
    try:
        answer = read(get_engine(connect_timeout=timeout))
    except IndexMissing as error:
        logger.warning("%s from the database: %s", what, error)
    except EngineUnavailable as error:
        logger.warning("%s from the database, the engine is unavailable: %s", what, error)
        if timeout and isinstance(error, EngineTimedOut):
            _strike()
        else:
            trip()
    except Exception:  # noqa: BLE001  (see the docstring)
        logger.exception("%s failed on the engine, answering from the database", what)
    else:
        if monotonic() - started > settings.SEARCH_TIMEOUT * SLOW_SHARE:
            logger.warning("%s was slow on the engine", what)
            _strike()
        return answer
    return fallback()


def is_open():
    """True while readers must be answered from the database; starts the probe when it is due."""
    opened_until = cache.get(_key("open-until"))
    if opened_until is None:
        return False
    if time.time() >= opened_until:
        _probe_in_background()
    return True


def trip():
    """Open the circuit for ``OPEN_SECONDS``."""
    cache.set(_key("open-until"), time.time() + OPEN_SECONDS, timeout=None)


def _strike():
    """Count a strike (a short wait run out, a slow reading); the ``STRIKES``-th within
    ``OPEN_SECONDS`` opens the circuit."""
    key = _key("strikes")
    cache.add(key, 0, timeout=OPEN_SECONDS)
    try:
        strikes = cache.incr(key)
    except ValueError:  # expired meanwhile
        strikes = 1
    if strikes >= STRIKES:
        trip()


def _probe_in_background():
    # One probe at a time across workers: cache.add succeeds for one caller only.
    if not cache.add(_key("probing"), True, timeout=OPEN_SECONDS):
        return
    threading.Thread(target=probe, name="search-circuit-probe", daemon=True).start()


def probe():
    """Ask the engine for a size-0 search: close the circuit if it answers, else keep it open."""
    try:
        get_engine().search(Search()[:0], alias_name())
    except Exception as error:  # noqa: BLE001  (any failure keeps readers on the database)
        logger.warning("The search engine is still unavailable: %s", error)
        trip()
    else:
        logger.info("The search engine answers again; searches use it")
        cache.delete(_key("open-until"))
    finally:
        cache.delete(_key("probing"))
        connections.close_all()  # the thread's own connections (the database cache's)


def _key(name):
    digest = hashlib.sha256(search_url().encode()).hexdigest()[:16]
    return f"search-circuit:{digest}:{name}"
