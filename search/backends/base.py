"""The contract every search backend keeps."""

from abc import ABC, abstractmethod


class KnowledgeSearchBackend(ABC):
    """Reads slices of the answer to a ``SearchRequest`` over live, public knowledge pages.

    Every backend applies the same filters, ranks translations of one item as one result shown in
    the reader's language when it can, and counts facets the same way: each dimension under the
    other dimensions' filters but not its own.
    """

    name = ""

    @abstractmethod
    def read(self, request, start, stop, facets=False, highlights=False):
        """The ``Reading`` of results ``start`` to ``stop`` (0-based, ``stop`` excluded; an
        empty range reads only the total) of ``request``, with facet counts when ``facets``
        and highlighted fragments when ``highlights`` (where the backend can)."""
