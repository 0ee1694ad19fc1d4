"""Search on Wagtail's database backend (SQLite FTS5 or PostgreSQL full text)."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from wagtail.search.utils import parse_query_string

from knowledge.facets import facet_counts
from knowledge.listings import with_listing_relations
from knowledge.models import KnowledgePage
from knowledge.visibility import public_knowledge_pages, visible_pages
from search.query import SORT_DATE, SearchResponse

from .base import KnowledgeSearchBackend

# Punctuation standing alone ("*", "(", "-") and "field:" prefixes are search-engine syntax that the
# database backend does not offer; they are read as spaces rather than as words that never match.
_STANDALONE_PUNCTUATION = re.compile(r"(?<!\w)[^\w\s\"]+(?!\w)|:")


def searchable_text(text):
    """``text`` without engine syntax the database backend cannot honour; may be empty."""
    return " ".join(_STANDALONE_PUNCTUATION.sub(" ", text).split())


def text_matches(text):
    """Live, public knowledge pages matching every term of ``text``, ordered by relevance.

    Quoted phrases are kept together (Wagtail's ``parse_query_string``). Relies on the database
    search results' ``get_queryset()``, which returns a filterable queryset instead of a list, so
    facets and filters stay in SQL.
    """
    _filters, query = parse_query_string(text, operator="and")
    results = KnowledgePage.objects.search(query, operator="and")
    return results.get_queryset().live().public()


class DatabaseSearchBackend(KnowledgeSearchBackend):
    """The embedded default: no engine needed."""

    name = "database"

    def search(self, request):
        text = searchable_text(request.text)
        base = text_matches(text) if text else public_knowledge_pages()
        results = visible_pages(base, request.filters, request.language)
        if request.sort == SORT_DATE or not text:
            results = results.order_by("-publication_date", "-pk")
        paginator = Paginator(with_listing_relations(results), settings.KNOWLEDGE_PAGE_SIZE)
        page = paginator.get_page(request.page)
        counts = facet_counts(base, request.filters, request.language)
        return SearchResponse(
            page=page, total=paginator.count, facet_counts=counts, backend=self.name
        )
