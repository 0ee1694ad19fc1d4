"""Retrievers: what reads results from the engine, or from Wagtail's database search backend when
there is no engine or it is down.

Callers do not pick one: ``search.results.search_knowledge`` does, and falls back for them.
"""

from .base import Retriever
from .database import DatabaseRetriever
from .engine import MAX_RESULT_WINDOW, EngineRetriever

__all__ = [
    "MAX_RESULT_WINDOW",
    "DatabaseRetriever",
    "EngineRetriever",
    "Retriever",
]
