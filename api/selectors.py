"""What the API reads: visible items with their relations in a fixed number of queries.

Sources: ``knowledge.visibility`` (live, public pages; translations collapsed into one version
per item unless a language is selected, as on the site), ``knowledge.filters.apply_filters`` (the
site's filters) and, for free text, ``search.backends.search_knowledge`` (the engine, or the
database search when there is none or it is down).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from knowledge.models import Country, Theme
from knowledge.visibility import public_attachments, public_knowledge_pages, visible_pages
from search.backends import search_ids
from search.query import SORT_DATE, SearchRequest
from search.query import SORT_RELEVANCE as SEARCH_SORT_RELEVANCE

from .errors import ParameterNotFound
from .params import SORT_RELEVANCE, SORTS

#: The relations each item field needs prefetched; fields not asked for are not fetched.
_PREFETCH = {
    "countries": lambda: Prefetch("countries", queryset=Country.objects.order_by("code")),
    "themes": lambda: Prefetch("themes", queryset=Theme.objects.order_by("slug")),
    "tags": lambda: "tags",  # taggit takes no custom queryset here; sorted when serialised
    "attachments": lambda: Prefetch("attachments", queryset=public_attachments()),
}


def with_item_relations(queryset, fields):
    """``queryset`` with what serialising ``fields`` needs fetched in bulk."""
    queryset = queryset.select_related("locale", "content_type")
    lookups = [make() for name, make in _PREFETCH.items() if name in fields]
    return queryset.prefetch_related(*lookups) if lookups else queryset


def translations_of(items):
    """``{translation_key: [live public versions]}`` for ``items``, in one query."""
    keys = {item.translation_key for item in items}
    versions = defaultdict(list)
    if not keys:
        return versions
    queryset = (
        public_knowledge_pages()
        .filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("locale__language_code", "pk")
    )
    for version in queryset:
        versions[version.translation_key].append(version)
    return versions


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
    if query.text is not None:
        ids, total = _search_ids(query)
    else:
        queryset = visible_pages(public_knowledge_pages(), query.filters, query.prefer_language)
        if query.published_after:
            queryset = queryset.filter(publication_date__gte=query.published_after)
        if query.published_before:
            queryset = queryset.filter(publication_date__lte=query.published_before)
        total = queryset.count()
        _check_page(query, total)
        start = (query.page - 1) * query.page_size
        ordered = queryset.order_by(*SORTS[query.sort])
        ids = list(ordered.values_list("pk", flat=True)[start : start + query.page_size])
    items = with_item_relations(public_knowledge_pages().filter(pk__in=ids), query.fields)
    by_id = {item.pk: item for item in items}
    ordered_items = [by_id[pk] for pk in ids if pk in by_id]
    return ItemPage(items=ordered_items, total=total, number=query.page, size=query.page_size)


def _check_page(query, total):
    last = max(1, -(-total // query.page_size))
    if query.page > last:
        raise ParameterNotFound("page", f"There are {last} pages of results.")


def _search_ids(query):
    """Ids of the items of the page asked for, and the total, from the search service."""
    start = (query.page - 1) * query.page_size
    sort = SEARCH_SORT_RELEVANCE if query.sort == SORT_RELEVANCE else SORT_DATE
    request = SearchRequest(
        text=query.text, filters=query.filters, sort=sort, language=query.prefer_language
    )
    ids, total = search_ids(request, start, start + query.page_size)
    _check_page(query, total)
    return ids, total
