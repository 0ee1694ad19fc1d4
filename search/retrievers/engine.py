"""Search on the Elasticsearch-compatible engine, with facets, highlights and a capped window."""

from search.analysis import query_terms
from search.client import alias_name
from search.dsl import (
    FIELD_ORDERS,
    KnowledgeFacets,
    inner_hit_ids,
    item_total,
    knowledge_search,
    plain_hits,
    preferred_hits,
    translation_key_of,
    versions_search,
)
from search.query import Reading, split_query

from .base import Retriever

#: Deepest result an engine returns by default (``index.max_result_window``).
MAX_RESULT_WINDOW = 10_000


class EngineRetriever(Retriever):
    """Answers from ``engine`` (a ``SearchEngine``); raises ``EngineUnavailable`` when it cannot.

    One request reads a slice, its total and its facets. Translations of an item collapse into
    one result; which version is shown comes with it (inner hits) unless highlights are wanted,
    or facets (whose post_filter inner hits would not see): then a second, small request finds
    the versions and their highlighted fragments.
    """

    #: The sorts it orders by (by title only the database can).
    sorts = frozenset(FIELD_ORDERS)

    def __init__(self, engine):
        self.engine = engine

    def read(self, request, start, stop, facets=False, highlights=False):
        stop = min(stop, MAX_RESULT_WINDOW)
        start = min(start, stop)
        collapsed = not request.filters.language
        inline = collapsed and not (facets or highlights)
        search = knowledge_search(request, facets=facets, highlights=highlights, inline=inline)
        response = self.engine.search(search[start:stop], alias_name())
        terms = query_terms(split_query(request.text)) if highlights else ()
        if inline:
            shown = [(page_id, [], "", []) for page_id in inner_hit_ids(response)]
        elif collapsed:
            shown = self._versions(request, response, highlights, terms)
        else:
            shown = plain_hits(response, request.language, terms)
        return Reading(
            ids=[page_id for page_id, *_described in shown],
            total=item_total(response, collapsed),
            facet_counts=KnowledgeFacets(request).counts(response) if facets else None,
            highlights={page_id: fragments for page_id, fragments, _, _ in shown if fragments},
            matched_names={page_id: names for page_id, _, names, _ in shown if names},
            missing_terms={page_id: missing for page_id, _, _, missing in shown if missing},
        )

    def _versions(self, request, response, highlights, terms):
        groups = list(response.hits)
        if not groups:
            return []
        keys = [translation_key_of(group) for group in groups]
        versions = self.engine.search(versions_search(request, keys, highlights), alias_name())
        return preferred_hits(groups, versions.hits, request.language, terms)
