"""The contract every retriever keeps."""

from abc import ABC, abstractmethod

from search.query import SORTS


class Retriever(ABC):
    """Reads slices of the answer to a ``KnowledgeQuery`` over live, public knowledge pages: the
    engine's index, or Wagtail's database search backend.

    Every retriever applies the same filters, ranks translations of one item as one result shown in
    the reader's language when it can, and counts facets the same way: each dimension under the
    other dimensions' filters but not its own.
    """

    #: The sorts (keys of ``search.query.SORTS``) it can order results by.
    sorts = frozenset(SORTS)

    @abstractmethod
    def read(self, request, start, stop, facets=False, highlights=False):
        """The ``Reading`` of results ``start`` to ``stop`` (0-based, ``stop`` excluded; an
        empty range reads only the total) of ``request``, with facet counts when ``facets``
        and highlighted fragments when ``highlights`` (where the retriever can)."""
