"""Search backends answering ``SearchRequest``s; views only see ``get_search_backend()``."""

from .base import KnowledgeSearchBackend
from .database import DatabaseSearchBackend


def get_search_backend():
    """The backend configured for this site: Wagtail's database search on the embedded default."""
    return DatabaseSearchBackend()


__all__ = ["DatabaseSearchBackend", "KnowledgeSearchBackend", "get_search_backend"]
