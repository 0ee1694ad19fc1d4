"""Search backends answering ``SearchRequest``s; views only call ``search_knowledge``.

With ``SEARCH_URL`` set the engine answers; without it, or while the engine is unreachable or times
out (``search.circuit``), Wagtail's database search answers the same request and the response is
flagged ``degraded``.
"""

from dataclasses import replace

from search.circuit import engine_or_database
from search.client import engine_configured

from .base import KnowledgeSearchBackend
from .database import DatabaseSearchBackend
from .engine import EngineSearchBackend


def search_knowledge(request):
    """The ``SearchResponse`` for ``request``, from the engine or, failing that, the database."""
    if not engine_configured():
        return DatabaseSearchBackend().search(request)
    return engine_or_database(
        lambda engine: EngineSearchBackend(engine).search(request),
        lambda: replace(DatabaseSearchBackend().search(request), degraded=True),
        "Search",
    )


def search_ids(request, start, stop):
    """``(ids, total)``: the page ids of results ``start`` to ``stop`` of ``request`` (0-based,
    ``stop`` excluded; the request's own ``page`` is ignored) and how many results match in all.

    The range is read as pages of its own length (one page when it starts at a multiple of its
    length, as the API's, feeds' and digests' ranges do; two otherwise), stopping early at the last
    page or at the engine's result window: two engine requests whatever the range. All pages come
    from one backend: if the engine fails on either, the whole answer is read again from the
    database, so no item is repeated or skipped where two rankings meet.
    """
    if not engine_configured():
        return _ids(DatabaseSearchBackend(), request, start, stop)
    return engine_or_database(
        lambda engine: _ids(EngineSearchBackend(engine), request, start, stop),
        lambda: _ids(DatabaseSearchBackend(), request, start, stop),
        "Search",
    )


def _ids(backend, request, start, stop):
    size = max(stop - start, 1)
    first, last = start // size + 1, max(start, stop - 1) // size + 1
    ids, total = [], 0
    for number in range(first, last + 1):
        response = backend.search(replace(request, page=number), page_size=size)
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
