"""Search backends: the engine, and Wagtail's database search when there is none or it is down.

Callers do not pick one: ``search.results.search_knowledge`` does, and falls back for them.
"""

from .base import KnowledgeSearchBackend
from .database import DatabaseSearchBackend
from .engine import MAX_RESULT_WINDOW, EngineSearchBackend

__all__ = [
    "MAX_RESULT_WINDOW",
    "DatabaseSearchBackend",
    "EngineSearchBackend",
    "KnowledgeSearchBackend",
]
