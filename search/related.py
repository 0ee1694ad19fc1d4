"""Related items for a knowledge page: the engine's more_like_this, else shared countries and themes."""

from django.conf import settings
from elasticsearch.dsl import Q, Search

from knowledge.listings import related_pages
from knowledge.visibility import pages_in_order
from search.circuit import engine_or_database
from search.client import alias_name, engine_configured
from search.dsl import inner_hit_ids, preferred_version

LIKE_FIELDS = ["title", "summary", "lessons", "sections", "taxonomy"]
#: Seconds the engine gets to find related items (a more_like_this query takes milliseconds).
RELATED_TIMEOUT = 1.0


def related_items(page, limit=4):
    """Up to ``limit`` visible items most like ``page``, one version each, never ``page`` itself.

    The engine gets ``RELATED_TIMEOUT`` seconds, not the search timeout: related items are an
    aside, and must never hold the page they sit on (a few such timeouts open the circuit).
    """
    if not engine_configured():
        return related_pages(page, limit)
    timeout = min(RELATED_TIMEOUT, settings.SEARCH_TIMEOUT)
    return engine_or_database(
        lambda engine: _engine_related(engine, page, limit, timeout) or related_pages(page, limit),
        lambda: related_pages(page, limit),
        "Related items",
        timeout=timeout,
    )


def related_search(page, limit):
    """more_like_this on the page's own document; other items only, each shown in the page's
    language when that version exists, else its first version."""
    like = Q(
        "more_like_this",
        fields=LIKE_FIELDS,
        like=[{"_index": alias_name(), "_id": str(page.pk)}],
        min_term_freq=1,
        min_doc_freq=1,
        max_query_terms=40,
    )
    collapse = {
        "field": "translation_key",
        "inner_hits": preferred_version(page.locale.language_code),
    }
    return (
        Search()
        .query(like)
        .exclude("term", translation_key=str(page.translation_key))
        .extra(collapse=collapse)
        .source(["page_id"])[:limit]
    )


def _engine_related(engine, page, limit, timeout):
    response = engine.search(related_search(page, limit), alias_name(), timeout=timeout)
    return pages_in_order(inner_hit_ids(response))
