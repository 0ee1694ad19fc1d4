"""Search on the Elasticsearch-compatible engine, with facets, highlights and a capped window."""

from django.conf import settings

from search.analysis import query_terms
from search.client import alias_name
from search.dsl import (
    FIELD_ORDERS,
    KnowledgeFacets,
    by_concept,
    excluded_items_search,
    highlight_search,
    item_total,
    knowledge_search,
    preferred_versions,
    shown_versions,
    translation_key_of,
    versions_search,
)
from search.engine_vectors import cosine_of, live_index
from search.expansion import expansion_of
from search.fusion import fused_slice, words_to_read
from search.query import Reading, split_query
from search.semantic import (
    CANDIDATES,
    FLOOR,
    MARGIN,
    Near,
    nearest_passages,
    public_items,
    query_vector,
)

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

    A search ranked by relevance also reads the items near its meaning (``nearest_items``): they
    match with a score of 0 (``search.dsl.text_query``), so the total and facets count them,
    and the words' ranking, read to ``words_to_read``, is fused with theirs (``_fused``).
    """

    #: The sorts it orders by (by title only the database can).
    sorts = frozenset(FIELD_ORDERS)

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    def read(self, request, start, stop, facets=False, highlights=False):
        stop = min(stop, MAX_RESULT_WINDOW)
        start = min(start, stop)
        terms = query_terms(split_query(request.text))
        near = self._near(request, terms)
        if near and stop > start:
            return self._fused(request, near, start, stop, facets, highlights, terms)
        collapsed = not request.filters.language
        keys = [str(key) for key in near]
        search = knowledge_search(request, facets=facets, highlights=highlights, near=keys)
        response = self.engine.search(search[start:stop], alias_name())
        hits = self._preferred(request, response.hits, highlights) if collapsed else response.hits
        return self._reading(request, response, hits, facets, highlights, terms)

    def nearest_to(self, text):
        """The items nearest ``text`` by the vectors of the index behind the alias
        (``search.engine_vectors``), as ``search.semantic.nearest_items`` finds them in the
        database's (which answer for an index built before vectors were indexed)."""
        vector = query_vector(text) if settings.SEMANTIC_SEARCH else None
        if vector is None:
            return {}
        response = live_index.nearest(
            self.engine, alias_name(), vector, CANDIDATES * 4, floor=FLOOR
        )
        if response is None:
            return super().nearest_to(text)
        return items_near(response, CANDIDATES)

    def _near(self, request, terms):
        """``nearest_items`` but those of which a version holds a word the text excludes
        (``excluded_items_search``)."""
        near = self.nearest_items(request, has_words=bool(terms))
        search = excluded_items_search(request, map(str, near)) if near else None
        if search is None:
            return near
        excluded = {translation_key_of(hit) for hit in self.engine.search(search, alias_name())}
        return {key: found for key, found in near.items() if str(key) not in excluded}

    def _reading(self, request, response, hits, facets, highlights, terms, **meaning):
        """The ``Reading`` of ``hits`` (those shown, in order) of ``response`` (the search that
        counted them), ``meaning`` its fields about the results found by meaning."""
        by_meaning = meaning.get("by_meaning", frozenset())
        with_words = [hit for hit in hits if int(hit.page_id) not in by_meaning]
        highlighted = self._highlighted(request, with_words) if highlights else {}
        shown = shown_versions(
            with_words, highlighted, request.language, terms if highlights else ()
        )
        concepts = self._by_concept(request, with_words) if highlights else {}
        return Reading(
            ids=[int(hit.page_id) for hit in hits],
            total=item_total(response, not request.filters.language),
            facet_counts=KnowledgeFacets(request).counts(response) if facets else None,
            highlights={page_id: fragments for page_id, fragments, _, _ in shown if fragments},
            matched_names={page_id: names for page_id, _, names, _ in shown if names},
            missing_terms={
                page_id: missing
                for page_id, _, _, missing in shown
                if missing and page_id not in concepts  # it lacks the words it was not found by
            },
            by_concept=concepts,
            **meaning,
        )

    def _by_concept(self, request, hits):
        """``{page id: ((name, url, language), ...)}`` of those of ``hits`` found through the
        labels of the concepts the text names, not its words (their named clauses tell)."""
        expansion = expansion_of(split_query(request.text), request.language)
        concepts = {int(hit.page_id): by_concept(hit, expansion) for hit in hits}
        return {page_id: found for page_id, found in concepts.items() if found}

    def _fused(self, request, near, start, stop, facets, highlights, terms):
        """The ``Reading`` of results ``start`` to ``stop`` of the words' ranking fused with
        ``near``'s (``search.fusion``), in one request: the words' first ``words_to_read``
        results, with the total and facets of both; and every version of the near items that
        the filters keep, whose scores tell which hold the words."""
        keys = [str(key) for key in near]  # nearest first
        collapsed = not request.filters.language
        search = knowledge_search(request, facets=facets, highlights=highlights, near=keys)
        search = search[: words_to_read(stop)]
        versions = versions_search(request, keys, named=highlights, near=keys)
        response, near_versions = self.engine.msearch([search, versions], alias_name())

        def unit(hit):  # a result: an item, or a version when a language is selected
            return translation_key_of(hit) if collapsed else int(hit.page_id)

        words = [hit for hit in response.hits if hit.meta.score > 0]
        ranks = {key: rank for rank, key in enumerate(keys, 1)}
        meaning = {unit(hit): ranks[translation_key_of(hit)] for hit in near_versions.hits}
        holding = {unit(hit) for hit in near_versions.hits if hit.meta.score > 0}
        first_hit = {}
        for hit in [*words, *near_versions.hits]:
            first_hit.setdefault(unit(hit), hit)
        hits = [
            first_hit[result]
            for result in fused_slice(list(map(unit, words)), meaning, start, stop)
        ]
        if collapsed:
            hits = self._preferred(request, hits, highlights, near_versions.hits)
        by_meaning = frozenset(int(hit.page_id) for hit in hits if hit.meta.score == 0)
        total = item_total(response, collapsed)
        return self._reading(
            request,
            response,
            hits,
            facets,
            highlights,
            terms,
            by_meaning=by_meaning,
            passages=nearest_passages(by_meaning, near) if highlights else {},
            words_total=total - len(meaning.keys() - holding),
        )

    def _preferred(self, request, groups, highlights, known=()):
        """The version to show of each group: its best match when in the reader's language (it
        is then the one ``preferred_versions`` picks), else found among the item's matching
        versions (``known``: hits of every matching version of some items, read already)."""
        groups = list(groups)
        known_keys = {translation_key_of(hit) for hit in known}
        keys = [
            translation_key_of(group)
            for group in groups
            if group.language != request.language and translation_key_of(group) not in known_keys
        ]
        versions = list(known)
        if keys:
            search = versions_search(request, keys, named=highlights)
            versions += self.engine.search(search, alias_name()).hits
        return preferred_versions(groups, versions, request.language)

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


def items_near(response, limit, other_than=None):
    """``{translation key: (Near, ...)}`` as ``search.semantic`` gives them (at most ``limit``
    items within its ``MARGIN`` of the nearest, public versions only, the item ``other_than``
    left out) from the reply to a ``search.engine_vectors`` nearest search, whose floor the
    engine applied."""
    scored = []
    for hit in response.hits:
        (best,) = hit.meta.inner_hits.passages.hits
        near = Near(int(hit.page_id), cosine_of(hit.meta.score), best["passages.ordinal"][0])
        scored.append(near)
    # Checked against the database, as there: a page made private keeps its document until the
    # outbox worker deletes it, and its item's public versions must not come up for its text.
    return public_items(scored, limit, MARGIN, other_than=other_than)
