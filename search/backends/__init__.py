"""Search backends answering ``SearchRequest``s; views only call ``search_knowledge``.

With ``SEARCH_URL`` set the engine answers; without it, or while the engine is unreachable or times
out, Wagtail's database search answers the same request and the response is flagged ``degraded``.
"""

import logging
from dataclasses import replace

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


__all__ = [
    "DatabaseSearchBackend",
    "EngineSearchBackend",
    "KnowledgeSearchBackend",
    "search_knowledge",
]
