"""Search on the Elasticsearch-compatible engine, with facets, highlights and a capped window."""

from search.analysis import query_terms
from search.client import alias_name
from search.dsl import (
    FIELD_ORDERS,
    KnowledgeFacets,
    highlight_search,
    item_total,
    knowledge_search,
    preferred_versions,
    shown_versions,
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
    one result; the version shown is the group's best match when that is in the reader's
    language, else a second, small request finds the matching versions of the other groups'
    items (``knowledge_search`` says why not inner hits). Highlighted fragments come last, for
    the versions shown only, each in its own language (one search per language, sent together).
    """

    #: The sorts it orders by (by title only the database can).
    sorts = frozenset(FIELD_ORDERS)

    def __init__(self, engine):
        self.engine = engine

    def read(self, request, start, stop, facets=False, highlights=False):
        stop = min(stop, MAX_RESULT_WINDOW)
        start = min(start, stop)
        collapsed = not request.filters.language
        search = knowledge_search(request, facets=facets, highlights=highlights)
        response = self.engine.search(search[start:stop], alias_name())
        hits = self._preferred(request, response, highlights) if collapsed else response.hits
        terms = query_terms(split_query(request.text)) if highlights else ()
        highlighted = self._highlighted(request, hits) if highlights else {}
        shown = shown_versions(hits, highlighted, request.language, terms)
        return Reading(
            ids=[page_id for page_id, *_described in shown],
            total=item_total(response, collapsed),
            facet_counts=KnowledgeFacets(request).counts(response) if facets else None,
            highlights={page_id: fragments for page_id, fragments, _, _ in shown if fragments},
            matched_names={page_id: names for page_id, _, names, _ in shown if names},
            missing_terms={page_id: missing for page_id, _, _, missing in shown if missing},
        )

    def _preferred(self, request, response, highlights):
        """The version to show of each group: its best match when in the reader's language (it
        is then the one ``preferred_versions`` picks), else found among the item's matching
        versions."""
        groups = list(response.hits)
        keys = [translation_key_of(group) for group in groups if group.language != request.language]
        if not keys:
            return groups
        search = versions_search(request, keys, named=highlights)
        versions = self.engine.search(search, alias_name())
        return preferred_versions(groups, versions.hits, request.language)

    def _highlighted(self, request, hits):
        """``{page id: hit with highlights}`` of ``hits``, one request per language."""
        by_language = {}
        for hit in hits:
            by_language.setdefault(hit.language, []).append(int(hit.page_id))
        searches = [
            search
            for language, page_ids in by_language.items()
            if (search := highlight_search(request, language, page_ids)) is not None
        ]
        if not searches:
            return {}
        responses = self.engine.msearch(searches, alias_name())
        return {int(hit.page_id): hit for response in responses for hit in response.hits}
