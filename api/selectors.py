"""What the API reads: visible items with their relations in a fixed number of queries.

Sources: ``knowledge.visibility`` (live, public pages; translations collapsed into one version
per item unless a language is selected, as on the site), ``knowledge.filters.apply_filters`` (the
site's filters) and, for free text, ``search.backends.search_knowledge`` (the engine, or the
database search when there is none or it is down).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from knowledge.models import Country, KnowledgeAttachment, Theme
from knowledge.visibility import public_knowledge_pages, visible_pages
from search.backends import search_knowledge
from search.query import SORT_DATE, SearchRequest
from search.query import SORT_RELEVANCE as SEARCH_SORT_RELEVANCE

from .errors import ParameterNotFound
from .params import SORT_RELEVANCE, SORTS

#: The relations each item field needs prefetched; fields not asked for are not fetched.
_PREFETCH = {
    "countries": lambda: Prefetch("countries", queryset=Country.objects.order_by("code")),
    "themes": lambda: Prefetch("themes", queryset=Theme.objects.order_by("slug")),
    "tags": lambda: "tags",  # taggit takes no custom queryset here; sorted when serialised
    "attachments": lambda: Prefetch(
        "attachments",
        queryset=KnowledgeAttachment.objects.select_related("document").order_by("sort_order"),
    ),
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
    """Ids of the items of the page asked for, and the total, from the search service.

    The service answers pages of ``KNOWLEDGE_PAGE_SIZE`` items; the API's page is read from the few
    service pages it overlaps (at most ``MAX_PAGE_SIZE / KNOWLEDGE_PAGE_SIZE + 1`` of them).
    """
    size = settings.KNOWLEDGE_PAGE_SIZE
    start = (query.page - 1) * query.page_size
    stop = start + query.page_size
    first, last = start // size + 1, (stop - 1) // size + 1
    sort = SEARCH_SORT_RELEVANCE if query.sort == SORT_RELEVANCE else SORT_DATE
    ids, total = [], 0
    for number in range(first, last + 1):
        response = search_knowledge(
            SearchRequest(
                text=query.text,
                filters=query.filters,
                page=number,
                sort=sort,
                language=query.prefer_language,
            )
        )
        total = response.total
        if number == first:
            _check_page(query, total)
        if response.page.number != number or getattr(response.page, "beyond_window", False):
            break
        ids.extend(item.pk for item in response.page)
        if number >= response.page.paginator.num_pages:
            break
    offset = start - (first - 1) * size
    return ids[offset : offset + query.page_size], total
