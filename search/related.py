"""Related items for a knowledge page: the engine's more_like_this, else shared countries and themes,
fused with the items nearest its meaning in any language (``search.semantic.items_like``)."""

import numpy as np
from django.conf import settings
from elasticsearch.dsl import Q, Search

from knowledge.listings import related_pages
from knowledge.visibility import (
    collapse_translations,
    pages_in_order,
    public_knowledge_pages,
    with_card_relations,
)
from search.circuit import engine_or_database
from search.client import alias_name, engine_configured
from search.dsl import inner_hit_ids, preferred_version
from search.embeddings import MODEL_NAME, vector_of
from search.engine_vectors import live_index
from search.fusion import reciprocal_rank_fusion
from search.models import PassageVector
from search.retrievers.engine import items_near
from search.semantic import CANDIDATES, FLOOR, items_like

LIKE_FIELDS = ["title", "summary", "lessons", "sections", "taxonomy"]
#: Seconds the engine gets to find related items (a more_like_this query takes milliseconds).
RELATED_TIMEOUT = 1.0


def related_items(page, limit=4):
    """Up to ``limit`` visible items most like ``page``, one version each (in the page's
    language when there is one), never ``page`` itself: those sharing its words or its countries
    and themes (``words_related``) fused by reciprocal rank fusion with those nearest its
    meaning, so a report's related items include those written in other languages."""
    words = words_related(page, limit)
    like = meaning_related(page, limit)
    if not like:
        return words
    ranks = {item.translation_key: rank for rank, item in enumerate(words, 1)}
    keys = reciprocal_rank_fusion(ranks, {key: rank for rank, key in enumerate(like, 1)})[:limit]
    shown = {item.translation_key: item for item in words}
    others = public_knowledge_pages().filter(translation_key__in=set(keys) - shown.keys())
    others = collapse_translations(others, page.locale.language_code)
    shown |= {item.translation_key: item for item in with_card_relations(others)}
    return [shown[key] for key in keys if key in shown]


def words_related(page, limit):
    """Up to ``limit`` items like ``page`` by their words (the engine's more_like_this) or, with
    no engine, by their countries and themes (``related_pages``).

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


def meaning_related(page, limit):
    """``[translation key]`` of up to ``limit`` items nearest ``page``'s meaning
    (``search.semantic.items_like``), by the engine's vectors when its index holds them, within
    ``RELATED_TIMEOUT`` seconds; else by the database's."""
    if not engine_configured() or not settings.SEMANTIC_SEARCH:
        return items_like(page, limit)
    timeout = min(RELATED_TIMEOUT, settings.SEARCH_TIMEOUT)
    return engine_or_database(
        lambda engine: _engine_like(engine, page, limit, timeout),
        lambda: items_like(page, limit),
        "Related items by meaning",
        timeout=timeout,
    )


def _engine_like(engine, page, limit, timeout):
    rows = PassageVector.objects.filter(page_id=page.pk, model_name=MODEL_NAME)
    vectors = [vector_of(vector) for vector in rows.values_list("vector", flat=True)]
    if not vectors:
        return []
    # As many pages as a search reads: k-NN's recall falls with fewer (search.engine_vectors).
    language = page.locale.language_code
    response = live_index.nearest(
        engine,
        alias_name(),
        np.vstack(vectors),
        CANDIDATES * 4,
        floor=FLOOR,
        language=language,
        timeout=timeout,
    )
    if response is None:  # an index built before vectors were indexed
        return items_like(page, limit)
    return list(items_near(response, limit, other_than=str(page.translation_key)))


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
