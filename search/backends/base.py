"""The contract every search backend keeps."""

from abc import ABC, abstractmethod


class KnowledgeSearchBackend(ABC):
    """Answers a ``SearchRequest`` with a ``SearchResponse`` over live, public knowledge pages.

    Every backend applies the same filters and computes facet counts the same way: each dimension
    counted with the other dimensions' filters but not its own.
    """

    name = ""

    @abstractmethod
    def search(self, request, page_size=None):
        """Return the ``SearchResponse`` for ``request`` (a ``SearchRequest``): its page of
        ``page_size`` results (default ``KNOWLEDGE_PAGE_SIZE``)."""
