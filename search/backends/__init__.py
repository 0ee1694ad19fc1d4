"""Search backends answering ``SearchRequest``s; views only call ``search_knowledge``.

With ``SEARCH_URL`` set the engine answers; without it, or while the engine is unreachable or times
out, Wagtail's database search answers the same request and the response is flagged ``degraded``.
"""

import logging
from dataclasses import replace

from django.conf import settings

from search.client import engine_configured
from search.engines import EngineUnavailable

from .base import KnowledgeSearchBackend
from .database import DatabaseSearchBackend
from .engine import EngineSearchBackend

logger = logging.getLogger(__name__)


def search_knowledge(request):
    """The ``SearchResponse`` for ``request``, from the engine or, failing that, the database."""
    if not engine_configured():
        return DatabaseSearchBackend().search(request)
    try:
        return EngineSearchBackend().search(request)
    except EngineUnavailable as error:
        logger.warning("Search engine unavailable, answering from the database: %s", error)
    # Any other engine failure (refused credentials, an unsupported version, a rejected request)
    # must not reach the reader either; it is logged in full for the operators.
    except Exception:  # noqa: BLE001
        logger.exception("Search engine failed, answering from the database")
    return replace(DatabaseSearchBackend().search(request), degraded=True)


def search_ids(request, start, stop):
    """``(ids, total)``: the page ids of results ``start`` to ``stop`` of ``request`` (0-based,
    ``stop`` excluded; the request's own ``page`` is ignored) and how many results match in all.

    Backends answer fixed pages of ``KNOWLEDGE_PAGE_SIZE`` results; this reads the few pages the
    range overlaps, and stops early at the last page or at the engine's result window. Callers with
    their own page size (the API, feeds, digests) read the service through this one function.
    """
    size = settings.KNOWLEDGE_PAGE_SIZE
    first, last = start // size + 1, max(start, stop - 1) // size + 1
    ids, total = [], 0
    for number in range(first, last + 1):
        response = search_knowledge(replace(request, page=number))
        total, page = response.total, response.page
        if page.number != number or getattr(page, "beyond_window", False):
            break
        ids.extend(item.pk for item in page)
        if not page.has_next():
            break
    offset = start - (first - 1) * size
    return ids[offset : offset + stop - start], total


__all__ = [
    "DatabaseSearchBackend",
    "EngineSearchBackend",
    "KnowledgeSearchBackend",
    "search_ids",
    "search_knowledge",
]
