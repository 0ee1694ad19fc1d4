"""The contract every retriever keeps."""

from abc import ABC, abstractmethod

from search.query import SORTS, split_query
from search.semantic import nearest_items


class Retriever(ABC):
    """Reads slices of the answer to a ``KnowledgeQuery`` over live, public knowledge pages: the
    engine's index, or Wagtail's database search backend.

    Every retriever applies the same filters, ranks translations of one item as one result shown in
    the reader's language when it can, and counts facets the same way: each dimension under the
    other dimensions' filters but not its own.
    """

    #: The sorts (keys of ``search.query.SORTS``) it can order results by.
    sorts = frozenset(SORTS)

    def __init__(self):
        self._nearest = {}

    def nearest_items(self, request, has_words):
        """``{translation key: (Near, ...)}`` of the items near the meaning of the request's
        words and phrases (``search.semantic``; its ``-exclusions`` left out, which the match
        then applies), read once per text by one retriever. Only for a search ranked by
        relevance whose text ``has_words`` (not stop words alone): a list by date or title (a
        feed, a digest) keeps the items holding the words, as the reader can check."""
        if not request.ranked or not has_words:
            return {}
        if request.text not in self._nearest:
            self._nearest[request.text] = self.nearest_to(split_query(request.text).positive)
        return self._nearest[request.text]

    def nearest_to(self, text):
        """``search.semantic.nearest_items`` of ``text``, from the database's vectors; a
        retriever that holds vectors of its own reads them there."""
        return nearest_items(text)

    @abstractmethod
    def read(self, request, start, stop, facets=False, highlights=False):
        """The ``Reading`` of results ``start`` to ``stop`` (0-based, ``stop`` excluded; an
        empty range reads only the total) of ``request``, with facet counts when ``facets``
        and highlighted fragments when ``highlights`` (where the retriever can)."""
