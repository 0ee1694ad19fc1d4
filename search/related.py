"""Related items for a knowledge page: the engine's more_like_this, else shared countries and themes."""

import logging

from elasticsearch_dsl import Q, Search

from knowledge.listings import related_pages, with_listing_relations
from knowledge.visibility import public_knowledge_pages
from search.client import alias_name, engine_configured, get_engine
from search.engines import EngineUnavailable
from search.queries import inner_hit_ids, preferred_version

logger = logging.getLogger(__name__)

LIKE_FIELDS = ["title", "summary", "lessons", "sections", "taxonomy"]


def related_items(page, limit=4):
    """Up to ``limit`` visible items most like ``page``, one version each, never ``page`` itself."""
    if engine_configured():
        try:
            return _engine_related(page, limit) or related_pages(page, limit)
        except EngineUnavailable as error:
            logger.warning("Related items from the database: %s", error)
        except Exception:  # noqa: BLE001  (see search.backends.search_knowledge)
            logger.exception("Related items failed on the engine, using the database")
    return related_pages(page, limit)


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


def _engine_related(page, limit):
    response = get_engine().search(related_search(page, limit), alias_name())
    ids = inner_hit_ids(response)
    pages = {p.pk: p for p in with_listing_relations(public_knowledge_pages().filter(pk__in=ids))}
    return [pages[pk] for pk in ids if pk in pages]
