"""Search on the Elasticsearch-compatible engine, with facets, highlights and a capped window."""

import math
from dataclasses import dataclass, replace

from django.conf import settings

from knowledge.listings import with_listing_relations
from knowledge.visibility import public_knowledge_pages
from search.client import alias_name
from search.queries import (
    facet_counts,
    item_total,
    knowledge_search,
    plain_hits,
    preferred_hits,
    translation_key_of,
    versions_search,
)
from search.query import SearchResponse

from .base import KnowledgeSearchBackend

#: Deepest result an engine returns by default (``index.max_result_window``).
MAX_RESULT_WINDOW = 10_000


@dataclass
class ResultsPaginator:
    """``count`` results in pages of ``per_page``, shaped like Django's ``Paginator``."""

    count: int
    per_page: int

    @property
    def num_pages(self):
        """Pages of results, never past the last page wholly inside the result window."""
        reachable = MAX_RESULT_WINDOW // self.per_page
        return max(1, min(math.ceil(self.count / self.per_page), reachable))


@dataclass
class ResultsPage:
    """One page of engine results, shaped like Django's ``Page`` for the templates."""

    object_list: list
    number: int
    paginator: ResultsPaginator
    beyond_window: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.number < self.paginator.num_pages

    def has_previous(self):
        return self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(value, last_page):
    """The requested page as an int in 1..``last_page``; anything unreadable is page 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), last_page)


class EngineSearchBackend(KnowledgeSearchBackend):
    """Answers from ``engine`` (a ``SearchEngine``); raises ``EngineUnavailable`` when it cannot."""

    name = "engine"

    def __init__(self, engine):
        self.engine = engine

    def search(self, request, page_size=None):
        size = page_size or settings.KNOWLEDGE_PAGE_SIZE
        last_page = MAX_RESULT_WINDOW // size
        requested = page_number(request.page, last_page=10**9)
        number = min(requested, last_page)
        search = knowledge_search(request, size=size, offset=(number - 1) * size)
        engine = self.engine
        response = engine.search(search, alias_name())
        collapsed = not request.filters.language
        total = item_total(response, collapsed)
        paginator = ResultsPaginator(count=total, per_page=size)
        if number > paginator.num_pages:
            return self.search(_with_page(request, paginator.num_pages), page_size)
        shown = _shown(engine, request, response) if collapsed else plain_hits(response)
        page = ResultsPage(
            object_list=_pages_in_order([page_id for page_id, _fragments in shown]),
            number=number,
            paginator=paginator,
            beyond_window=requested > last_page,
        )
        return SearchResponse(
            page=page,
            total=total,
            facet_counts=facet_counts(response, collapsed),
            backend=self.name,
            highlights=dict(shown),
        )


def _shown(engine, request, response):
    groups = list(response.hits)
    if not groups:
        return []
    keys = [translation_key_of(group) for group in groups]
    versions = engine.search(versions_search(request, keys), alias_name()).hits
    return preferred_hits(groups, versions, request.language)


def _with_page(request, number):
    return replace(request, page=number)


def _pages_in_order(ids):
    pages = with_listing_relations(public_knowledge_pages().filter(pk__in=ids))
    by_id = {page.pk: page for page in pages}
    return [by_id[pk] for pk in ids if pk in by_id]
