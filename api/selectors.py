"""What the API reads: visible items with their relations in a fixed number of queries.

Sources: ``knowledge.visibility`` (live, public pages; translations collapsed into one version
per item unless a language is selected, as on the site; the relations an item needs) and, for free
text, ``search.results.search_knowledge`` (the engine, or the database search when there is none
or it is down), sliced to the page asked for: one engine request.
"""

from dataclasses import dataclass
from functools import partial

from knowledge.visibility import pages_in_order, public_knowledge_pages, visible_pages
from knowledge.visibility import with_item_relations as _with_item_relations
from search.query import SORT_DATE, SearchRequest
from search.query import SORT_RELEVANCE as SEARCH_SORT_RELEVANCE
from search.results import search_knowledge

from .errors import ParameterNotFound
from .params import SORT_RELEVANCE, SORTS


def with_item_relations(queryset, fields):
    """``queryset`` with what serialising ``fields`` needs fetched in bulk."""
    return _with_item_relations(queryset, relations=fields)


@dataclass
class ItemPage:
    """One page of items: the items in order, the total and the page numbers."""

    items: list
    total: int
    number: int
    size: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))


def item_page(query):
    """The ``ItemPage`` answering an ``ItemQuery``; ``ParameterNotFound`` past the last page."""
    relations = partial(with_item_relations, fields=query.fields)
    start = (query.page - 1) * query.page_size
    if query.text is not None:
        results = search_knowledge(_search_request(query), relations=relations)
        items = list(results[start : start + query.page_size])
        total = results.count()
    else:
        queryset = visible_pages(public_knowledge_pages(), query.filters, query.prefer_language)
        if query.published_after:
            queryset = queryset.filter(publication_date__gte=query.published_after)
        if query.published_before:
            queryset = queryset.filter(publication_date__lte=query.published_before)
        ordered = queryset.order_by(*SORTS[query.sort])
        ids = list(ordered.values_list("pk", flat=True)[start : start + query.page_size])
        items = pages_in_order(ids, relations)
        total = queryset.count()
    last = max(1, -(-total // query.page_size))
    if query.page > last:
        raise ParameterNotFound("page", f"There are {last} pages of results.")
    return ItemPage(items=items, total=total, number=query.page, size=query.page_size)


def _search_request(query):
    sort = SEARCH_SORT_RELEVANCE if query.sort == SORT_RELEVANCE else SORT_DATE
    return SearchRequest(
        text=query.text, filters=query.filters, sort=sort, language=query.prefer_language
    )
