"""Search on Wagtail's database backend (SQLite FTS5 or PostgreSQL full text)."""

from wagtail.search.backends.base import EmptySearchResults
from wagtail.search.utils import parse_query_string

from knowledge.facets import facet_counts
from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, visible, visible_pages
from search.query import SORTS, Reading, split_query

from .base import Retriever


def text_matches(text):
    """Live, public knowledge pages matching every term of ``text``, ordered by relevance.

    Quoted phrases are kept together (Wagtail's ``parse_query_string``); ``-word`` and
    ``-"a phrase"`` exclude pages that match them. Relies on the database search results'
    ``get_queryset()``, which returns a filterable queryset instead of a list, so facets and filters
    stay in SQL.
    """
    parsed = split_query(text)
    matches = visible(_search(parsed.positive)) if parsed.positive else public_knowledge_pages()
    for term in parsed.exclusions:
        matches = matches.exclude(pk__in=_search(term).values("pk"))
    return matches


def _search(text):
    _filters, query = parse_query_string(text, operator="and")
    return as_queryset(KnowledgePage.objects.search(query, operator="and"))


def as_queryset(results):
    """A Wagtail database search result as a queryset (none when the query held no words)."""
    if isinstance(results, EmptySearchResults):
        return KnowledgePage.objects.none()
    return results.get_queryset()


class DatabaseRetriever(Retriever):
    """The embedded default: no engine needed."""

    def read(self, request, start, stop, facets=False, highlights=False):
        text = request.text
        base = text_matches(text) if text else public_knowledge_pages()
        base = within_scope(base, request)
        results = visible_pages(base, request.filters, request.language)
        if not request.ranked:
            results = results.order_by(*SORTS[request.sort])
        ids = list(results.values_list("pk", flat=True)[start:stop]) if stop > start else []
        counts = facet_counts(base, request.filters) if facets else None
        return Reading(ids=ids, total=_total(results, start, stop, ids), facet_counts=counts)


def _total(results, start, stop, ids):
    """The number of ``results`` when the slice tells it (it holds the last ones) or when only the
    total was asked for; else None: counting costs a query a caller may not need (a feed)."""
    if 0 < len(ids) < stop - start or (start == 0 and stop > 0 and not ids):
        return start + len(ids)
    return results.count() if start == stop else None


def within_scope(pages, query):
    """``pages`` limited to what ``query`` covers beyond the reader's filters: its publication
    dates and, for a digest, items first published after ``first_published_after``."""
    if query.published_after:
        pages = pages.filter(publication_date__gte=query.published_after)
    if query.published_before:
        pages = pages.filter(publication_date__lte=query.published_before)
    if query.first_published_after:
        pages = pages.filter(first_published_at__gt=query.first_published_after)
    return pages
