"""What the API reads: visible items with their relations in a fixed number of queries.

Every list is a slice of the search service's answer (``search.results.search_knowledge``: the
engine, or the database when there is none, it is down or the sort is by title), with the
relations the asked-for fields need (``knowledge.visibility.with_item_relations``): one engine
request, and SQL queries that do not grow with the page size.
"""

from dataclasses import dataclass
from functools import partial

from knowledge.visibility import with_item_relations
from search.results import search_knowledge
from search.retrievers import MAX_RESULT_WINDOW

from .errors import ParameterNotFound


@dataclass
class ItemPage:
    """One page of items: the items in order, the total and the page numbers."""

    items: list
    total: int
    number: int
    size: int
    #: Results one can page to (all but past an engine's result window).
    reachable: int | None = None
    #: Ids of the items found by the meaning of ``q`` alone (``SearchResults.by_meaning``).
    by_meaning: frozenset = frozenset()

    @property
    def pages(self):
        reachable = self.total if self.reachable is None else self.reachable
        return max(1, -(-reachable // self.size))


def item_page(item_query):
    """The ``ItemPage`` answering an ``ItemQuery``; ``ParameterNotFound`` past the last page."""
    relations = partial(with_item_relations, relations=item_query.fields)
    results = search_knowledge(item_query.query, relations=relations)
    start = (item_query.page - 1) * item_query.page_size
    items = list(results[start : start + item_query.page_size])
    page = ItemPage(items, results.count(), item_query.page, item_query.page_size)
    page.by_meaning = results.by_meaning
    if results.backend == "engine":  # it answers no deeper than its result window
        page.reachable = min(page.total, MAX_RESULT_WINDOW)
    if page.number > page.pages:
        raise ParameterNotFound("page", f"There are {page.pages} pages of results.")
    return page
