"""elasticsearch-dsl request bodies for the public search: text query, filters, facets, highlights.

Facets follow the post_filter pattern: hits are narrowed by every selected filter in ``post_filter``,
while each dimension's aggregation is computed under the other dimensions' filters only, so a count
is what a click on it gives. Translations collapse to one result per item, shown in the reader's
language when that version matches, else in the first version created: the database backend's rule.
"""

from elasticsearch.dsl import A, FacetedSearch, Q, Search, TermsFacet

from knowledge.facets import MAX_TAG_FACETS
from search.analysis import query_terms
from search.documents import FIELD_BOOSTS, LANGUAGE_CODES, NAMES_BOOST
from search.expansion import excluded_concepts, expansion_of
from search.query import (
    ALL_TERMS_FACTOR,
    ALL_TERMS_REQUIRED_UP_TO,
    MINIMUM_SHOULD_MATCH,
    READER_LANGUAGE_FACTOR,
    SORT_NEWEST,
    SORT_RELEVANCE,
    TYPED_WORDS_FACTOR,
    split_query,
)

#: Index field of each filter dimension.
DIMENSION_FIELDS = {
    "type": "type",
    "country": "countries",
    "theme": "themes",
    "objective": "objectives",
    "year": "year",
    "language": "language",
    "tag": "tags",
}
AGGREGATION_SIZES = {"tag": MAX_TAG_FACETS}
HIGHLIGHT_FIELDS = ("title", "summary", "lessons", "sections", "attachments")
#: Typo tolerance: one edit from 5 characters, two from 8; never on the first character.
FUZZINESS = "AUTO:5,8"

_NEWEST = [{"publication_date": "desc"}, {"page_id": "desc"}]
#: The engine's order for each sort it takes (``search.query.SORTS``; by title, the API lists
#: from the database, as free text cannot be sorted so).
FIELD_ORDERS = {
    SORT_RELEVANCE: _NEWEST,  # without text: nothing to rank by
    SORT_NEWEST: _NEWEST,
    "publication_date": [{"publication_date": "asc"}, {"page_id": "asc"}],
}


def highlighted_fields(language):
    """``["title.fr", "summary.fr", ...]``: the sub-fields a version in ``language`` is
    highlighted in, analysed as that language (its stemmer and stop words)."""
    return [f"{name}.{language}" for name in HIGHLIGHT_FIELDS]


_FRAGMENTS = {"fragment_size": 180, "number_of_fragments": 2}
HIGHLIGHT = {
    "encoder": "html",
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    # Each sub-field marks only the words its own analyzer matches: the folded main field keeps
    # every word, stop words included, and another language's analyzer may turn one into a
    # word of its own (English stems "des" to "de").
    "require_field_match": True,
}


def highlight_search(request, language, page_ids):
    """The ``Search`` for the highlighted fragments of versions ``page_ids``, all in ``language``
    (results already found: only their ids are matched, nothing is scored): the words and
    phrases the reader typed wherever they match exactly (stemmed, folded) in that language's
    sub-fields, with the labels in that language of the concepts they name (``search.expansion``),
    and the reader's names of the item's countries and themes, whole, in case its text has no
    match (``highlights_of``). None when the text holds nothing to mark.

    Only the version's own language is analysed: each sub-field is analysed again from the
    source text, so asking every language's sub-fields of every matching version cost four
    times the work for the fragments shown. The typo-tolerant clause ranks results but is not
    highlighted: marking its fuzzy expansions cost 3 to 7 times the whole search on OpenSearch,
    most of it in long attachments (measured: 50-130 ms against 8-20 ms for 11 hits, one with a
    200,000-character PDF).
    """
    parsed = split_query(request.text)
    if not parsed.positive:
        return None
    expansion = expansion_of(parsed, request.language)
    concepts = expansion.concepts if expansion else ()
    labels = [text for concept in concepts for text, code in concept.labels if code == language]
    positive = " ".join([parsed.positive, *map(_phrase, labels)])
    fields = dict.fromkeys(highlighted_fields(language), _FRAGMENTS)
    fields[f"names.{request.language}"] = {"number_of_fragments": 0}
    # Any word marks (OR): the highlighter looks at one field at a time, and a word the reader
    # typed may be in the title while another is in the summary.
    query = _all_terms(positive, list(fields), operator="or").to_dict()
    search = Search().filter("terms", page_id=list(page_ids)).source(["page_id"])
    return search[: len(page_ids)].extra(
        highlight=HIGHLIGHT | {"fields": fields, "highlight_query": query}
    )


#: Distinct items among documents. HyperLogLog++ counts exactly up to its precision threshold
#: (3,000, the engines' default) and within about 1% beyond; higher thresholds cost far more.
ITEM_COUNT = A("cardinality", field="translation_key", precision_threshold=3_000)

#: The documents of a bucket that may share their item with another document (every one not
#: indexed as ``translated: false``, an older document without the flag included), and the
#: items among them (``ITEM_COUNT``): only these need a distinct count (``items_in``). A distinct
#: count over every document cost the facet aggregations 499 ms against 134 ms without it at
#: 100,000 documents (README, "What a search costs the engine").
SHARED_VERSIONS = A("filter", filter=~Q("term", translated=False), aggs={"items": ITEM_COUNT})


def items_in(bucket, shared):
    """Items among a bucket's documents (``bucket``: the bucket or filter aggregation's answer,
    ``shared``: its ``SHARED_VERSIONS``): each document of an item with one version in the
    index is one item, and the other documents hold ``shared``'s distinct items. The same count
    as the cardinality of every document's key, for a fraction of the work."""
    return bucket["doc_count"] - shared["doc_count"] + shared["items"]["value"]


def searched_fields(languages=LANGUAGE_CODES):
    """``["title^6", "title.en^6", ...]``: every text field and its sub-fields of ``languages``,
    boosted (a concept's label is of one language: ``_concepts_clause``)."""
    fields = []
    for name, boost in FIELD_BOOSTS.items():
        fields.append(f"{name}^{boost}")
        fields.extend(f"{name}.{code}^{boost}" for code in languages)
    return fields


def _all_terms(query, fields, boost=1.0, operator="and", **options):
    return Q(
        "simple_query_string",
        query=query,
        fields=fields,
        default_operator=operator,
        flags="PHRASE|WHITESPACE",
        boost=boost,
        **options,
    )


#: How much an exact match counts against a typo-tolerant one.
EXACT_BOOST = 10


def text_query(text, language, named=True, near=()):
    """Every word and phrase must match in some boosted field, or all but one in a query of more
    than ``ALL_TERMS_REQUIRED_UP_TO`` terms (``search.analysis.query_terms``: stop words do not
    count, nearly every page holds them); ``-terms`` must not. Then an item holding all of them
    matches two clauses, the one requiring all at ``ALL_TERMS_FACTOR - 1`` times the other's
    boost: about ``ALL_TERMS_FACTOR`` times the score of one missing a term. When ``named`` and
    a hit may miss a term, each term's clauses are named (``term_name``), so a hit says which it
    holds (``missing_terms_of``); unnamed otherwise, as the engine evaluates every named clause
    again (and expands its typo-tolerant words again) for each hit it returns.

    Exact matching (folded and stemmed fields) scores ten times the typo-tolerant alternative, in
    which plain words may be misspelt but phrases must still match exactly, so a typo match never
    outranks an exact one. Country and theme names match in the reader's ``language`` only, at
    ``NAMES_BOOST``: an item found only through them comes after those whose text matches. A
    version in the reader's language scores ``READER_LANGUAGE_FACTOR`` times its match.

    When the text names concepts of the vocabulary (``search.expansion``), an item holding the
    rest of the words and any label of each concept matches too (``_concepts_clause``).

    ``near``: translation keys of the items near the text's meaning (``search.semantic``), whose
    versions match too, with a score of 0 unless their words match: so totals, facets and
    collapsing count the words' results and meaning's together, and a score tells which a
    version was found by (``search.fusion`` ranks them).
    """
    parsed = split_query(text)
    fields = _text_fields(language)
    terms = query_terms(parsed)
    names = _clause_names(terms, named)
    should = []
    if parsed.positive:
        if len(terms) > ALL_TERMS_REQUIRED_UP_TO:
            exact = [
                _all_terms(term, fields, **name) for term, name in zip(terms, names, strict=True)
            ]
            should.append(_enough(exact, boost=EXACT_BOOST))
            should.append(_all_terms(parsed.positive, fields, EXACT_BOOST * (ALL_TERMS_FACTOR - 1)))
        else:
            should.append(_all_terms(parsed.positive, fields, boost=EXACT_BOOST))
    if any(not term.startswith('"') for term in terms):
        # One clause per word, each in any field: a multi_match of all the words with the "and"
        # operator would need them all in one field, so a misspelt word in a query of several
        # found nothing when the others matched in the title and it in the text.
        typo_tolerant = [
            _typo_tolerant(term, fields, name) for term, name in zip(terms, names, strict=True)
        ]
        should.append(_enough(typo_tolerant))
    expansion = expansion_of(parsed, language) if should else None
    if expansion:
        # Named when asked, so a hit tells whether the words typed or only a concept's labels
        # matched (``by_concept``); the scores add up as before.
        should = [Q("bool", should=should, **({"_name": WORDS_CLAUSE} if named else {}))]
        should.append(_concepts_clause(expansion, fields, named))
    if should and near:
        should.append(Q("constant_score", filter=Q("terms", translation_key=list(near)), boost=0))
    query = Q("bool", should=should, minimum_should_match=1) if should else Q("match_all")
    for clause in _excluded(parsed, language, fields):
        query &= ~clause
    if not should:
        return query
    in_language = {"filter": {"term": {"language": language}}, "weight": READER_LANGUAGE_FACTOR}
    return Q("function_score", query=query, functions=[in_language], boost_mode="multiply")


#: Names of the clauses of the words typed and of the concepts' labels (``by_concept``).
WORDS_CLAUSE, CONCEPTS_CLAUSE = "words", "concepts"


def _phrase(text):
    return '"' + text.replace('"', " ") + '"'


def _concepts_clause(expansion, fields, named):
    """Each of the ``expansion``'s concepts by any of its labels (a phrase) and the rest of the
    query's words, at ``1 / TYPED_WORDS_FACTOR`` of the exact match's boost: an item holding the
    words typed comes first unless a label matches far better (the database's rule too)."""
    must = [any_label(concept) for concept in expansion.concepts]
    rest = query_terms(expansion.rest)  # stop words out, as the database leaves them out
    if rest:
        must.append(_all_terms(" ".join(rest), fields))
    name = {"_name": CONCEPTS_CLAUSE} if named else {}
    return Q("bool", must=must, boost=EXACT_BOOST / TYPED_WORDS_FACTOR, **name)


def any_label(concept):
    """Any of ``concept``'s labels as a phrase, each in the fields of its own language."""
    return Q(
        "bool",
        should=[
            _all_terms(_phrase(text), searched_fields([code])) for text, code in concept.labels
        ],
        minimum_should_match=1,
    )


def _excluded(parsed, language, fields):
    """The clauses an item must not match: each ``-term`` of ``parsed`` and any label of the
    concepts an exclusion names (``search.expansion.excluded_concepts``)."""
    return [
        *(_all_terms(term, fields) for term in parsed.exclusions),
        *map(any_label, excluded_concepts(parsed, language)),
    ]


def by_concept(hit, expansion):
    """``((name, url, language), ...)`` of the concepts through whose labels ``hit`` matched when
    it did not match the words typed (its named clauses say: ``text_query``); else ``()``."""
    matched = set(getattr(hit.meta, "matched_queries", None) or ())
    if expansion is None or CONCEPTS_CLAUSE not in matched or WORDS_CLAUSE in matched:
        return ()
    return expansion.shown()


def _text_fields(language):
    """Every boosted text field, and the names of countries and themes in ``language``."""
    return [*searched_fields(), f"names.{language}^{NAMES_BOOST}"]


def excluded_items_search(request, translation_keys):
    """The ``Search`` for those of the items ``translation_keys`` of which a version holds a word
    the text excludes (``-word``): meaning brings every version of a near item, and one lacking
    the word must not show an item another version of which holds it (the database backend's
    rule, ``search.retrievers.database._matching``). None when the text excludes nothing."""
    parsed = split_query(request.text)
    if not parsed.exclusions:
        return None
    excluded = _excluded(parsed, request.language, _text_fields(request.language))
    holding = Q("bool", should=excluded)
    keys = list(translation_keys)
    search = Search().query(holding).filter("terms", translation_key=keys)
    return search.source(["translation_key"]).extra(collapse={"field": "translation_key"})[
        : len(keys)
    ]


def _enough(clauses, boost=1.0):
    """``clauses`` (one per term), enough of them matching (``MINIMUM_SHOULD_MATCH``)."""
    return Q("bool", should=clauses, minimum_should_match=MINIMUM_SHOULD_MATCH, boost=boost)


def term_name(index):
    """The name of the clauses of the query's term at ``index`` (``query_terms``)."""
    return f"term-{index}"


def _clause_names(terms, named):
    """``[{"_name": ...} or {}]``, one per term: names only when asked for and a hit may lack a
    term (``missing_terms_of``)."""
    if named and len(terms) > ALL_TERMS_REQUIRED_UP_TO:
        return [{"_name": term_name(index)} for index in range(len(terms))]
    return [{} for _term in terms]


def missing_terms_of(hit, terms):
    """The ``terms`` (``query_terms``, as typed) whose named clauses ``hit`` did not match, when
    the query has enough of them for a hit to miss one; else ``[]``."""
    if len(terms) <= ALL_TERMS_REQUIRED_UP_TO:
        return []
    matched = set(getattr(hit.meta, "matched_queries", None) or ())
    return [term for index, term in enumerate(terms) if term_name(index) not in matched]


def _typo_tolerant(term, fields, name):
    """A word within ``FUZZINESS`` in some field, or a quoted phrase exactly (``name``: the
    clause's ``_name``, if any)."""
    if term.startswith('"'):
        return _all_terms(term, fields, **name)
    return Q(
        "multi_match",
        query=term,
        fields=[f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()],
        fuzziness=FUZZINESS,
        prefix_length=1,
        operator="and",
        **name,
    )


def dimension_filter(dimension, values):
    return Q("terms", **{DIMENSION_FIELDS[dimension]: list(values)})


def _filters(filters):
    return [
        dimension_filter(dimension, getattr(filters, dimension))
        for dimension in DIMENSION_FIELDS
        if getattr(filters, dimension)
    ]


def _within_scope(search, request):
    """``search`` limited to what the request covers beyond the reader's filters (hits, totals and
    facets alike): never a document past its expiry date (the scheduler unpublishes it later),
    and only items first published after ``first_published_after``."""
    search = search.exclude("range", expire_at={"lte": "now"})
    published = {
        bound: date.isoformat()
        for bound, date in (("gte", request.published_after), ("lte", request.published_before))
        if date
    }
    if published:
        search = search.filter("range", publication_date=published)
    if request.first_published_after:
        moment = request.first_published_after.isoformat()
        search = search.filter("range", first_published_at={"gt": moment})
    return search


def preferred_version(language):
    """inner_hits picking, among an item's matching versions, the reader's language, else the first
    created (lowest page id): the rule of ``knowledge.visibility.collapse_translations``."""
    in_language_first = {
        "_script": {
            "type": "number",
            "order": "asc",
            "script": {
                "source": "doc['language'].value == params.language ? 0 : 1",
                "params": {"language": language},
            },
        }
    }
    return {
        "name": "preferred",
        "size": 1,
        "sort": [in_language_first, {"page_id": "asc"}],
        "_source": ["page_id"],
    }


def knowledge_search(request, facets=False, highlights=False, near=()):
    """The ``Search`` for a ``KnowledgeQuery``: hits, item total, and facet aggregations when
    ``facets``; slice it for a range of hits. ``highlights``: the page shows what each result
    lacks of a longer query, so its clauses are named (``text_query``); the fragments come from
    ``highlight_search``.

    Without a language filter, versions of one item are collapsed on ``translation_key``: the group
    ranks by its best match and counts are of items (``items_in``: a ``cardinality`` of
    translation keys, exact up to 3,000, over the documents of translated items). Which version
    to show is the group's best match when it is in the reader's language, else found by
    ``versions_search``: inner hits (``preferred_version``) would run the query again for each
    group (measured: 1,050 ms against 160 ms for 20 results of 12,000 documents). With a
    language filter every version is its own result, and counts are of documents. With facets
    (``KnowledgeFacets``), the reader's filters narrow hits in a post_filter, so each
    dimension's counts can ignore its own filter; without, they narrow the query itself.
    ``near``: the items near the text's meaning, which match too (``text_query``).
    """
    collapse = not request.filters.language
    selected = Q("bool", filter=_filters(request.filters))
    if facets:
        search = KnowledgeFacets(request, named=highlights, near=near).build_search()
    else:
        search = _matching(Search(), request, highlights, near).filter(selected)
    if not request.ranked:
        search = search.sort(*FIELD_ORDERS[request.sort])
    if collapse:
        # Items are counted by the aggregation; the engine's count of versions is not needed.
        total = search.aggs.bucket("matching", "filter", filter=selected)
        total.bucket("shared", SHARED_VERSIONS)
        search = search.extra(collapse={"field": "translation_key"})
    return search.source(["page_id", "translation_key", "language"]).extra(
        track_total_hits=not collapse
    )


def _matching(search, request, named=False, near=()):
    query = (
        text_query(request.text, request.language, named, near)
        if request.text.strip()
        else Q("match_all")
    )
    return _within_scope(search.query(query), request)


class KnowledgeFacets(FacetedSearch):
    """The public search's facets, one ``TermsFacet`` per filter dimension (elasticsearch-dsl's
    ``FacetedSearch``): the reader's filters narrow the hits in a post_filter, and each
    dimension's buckets are counted under the other dimensions' filters only.

    Buckets count items (``ItemsFacet``) when translations collapse, else documents; languages
    always count documents.
    """

    def __init__(self, request, named=False, near=()):
        self.request, self.named, self.near = request, named, near
        collapse = not request.filters.language
        self.facets = {
            dimension: (ItemsFacet if collapse and dimension != "language" else TermsFacet)(
                field=field, size=AGGREGATION_SIZES.get(dimension, 100)
            )
            for dimension, field in DIMENSION_FIELDS.items()
        }
        filters = {
            dimension: list(getattr(request.filters, dimension))
            for dimension in DIMENSION_FIELDS
            if getattr(request.filters, dimension)
        }
        super().__init__(query=request.text, filters=filters)

    def query(self, search, query):
        return _matching(search, self.request, self.named, self.near)

    def counts(self, response):
        """``{dimension: [(value, count)]}`` of an engine ``response`` to this search."""
        aggregations = response.aggregations
        return {
            name: [
                (value, count)
                for value, count, _selected in facet.get_values(
                    aggregations[f"_filter_{name}"][name], []
                )
            ]
            for name, facet in self.facets.items()
        }


class ItemsFacet(TermsFacet):
    """A ``TermsFacet`` whose buckets count items, not documents (``items_in``); buckets are
    still ordered, and the first ones kept, by documents, as the engine orders terms."""

    def __init__(self, **kwargs):
        super().__init__(metric=SHARED_VERSIONS, metric_sort="", **kwargs)

    def get_metric(self, bucket):
        """The bucket's items (``items_in``), shown as its count."""
        return items_in(bucket, bucket["metric"])


def item_total(response, collapsed):
    """Results the reader can page through: items when collapsed (``items_in``), else
    documents."""
    if collapsed:
        matching = response.aggregations.matching
        return items_in(matching, matching["shared"])
    return response.hits.total.value


def versions_search(request, translation_keys, named=False, near=()):
    """The matching versions of the items ``translation_keys`` (a second, small request: inner
    hits of collapse groups would run the query again for each group), their clauses named when
    ``named`` (``text_query``), the items ``near`` the text's meaning matching too."""
    keys = list(translation_keys)
    filters = [*_filters(request.filters), Q("terms", translation_key=keys)]
    search = _matching(Search(), request, named, near).filter(Q("bool", filter=filters))
    return search.source(["page_id", "translation_key", "language"])[
        : len(keys) * len(LANGUAGE_CODES)
    ]


def translation_key_of(hit):
    """A hit's translation key (collapsed hits repeat it in ``fields`` as a one-item list)."""
    key = hit.translation_key
    return key if isinstance(key, str) else key[0]


def preferred_versions(groups, versions, language):
    """The hit to show for each collapsed group (in order): the version in ``language``, else
    the first created (lowest page id), among the group's best match and ``versions`` (hits of
    ``versions_search``: the matching versions of some groups' items)."""
    by_key = {}
    for hit in versions:
        by_key.setdefault(translation_key_of(hit), []).append(hit)
    return [
        min(
            [group, *by_key.get(translation_key_of(group), ())],
            key=lambda hit: (getattr(hit, "language", "") != language, hit.page_id),
        )
        for group in groups
    ]


def shown_versions(hits, highlighted, language, terms=()):
    """``[(page id, fragments, names, missing terms)]`` of the ``hits`` shown, in order:
    ``highlights_of`` their ``highlighted`` hits (``{page id: hit}``) and ``missing_terms_of``
    them for the query's ``terms``."""
    shown = []
    for hit in hits:
        page_id = int(hit.page_id)
        fragments, names = highlights_of(highlighted.get(page_id), hit.language, language)
        shown.append((page_id, fragments, names, missing_terms_of(hit, terms)))
    return shown


def highlights_of(hit, version_language, language):
    """``(fragments, names)`` of a ``highlight_search`` ``hit`` (or None) of a version in
    ``version_language``: up to three highlighted fragments of its text, from its own language's
    sub-fields; and when there are none, its country and theme names in the reader's
    ``language`` with the words that matched marked, e.g. ``"Mali, <mark>...</mark>"`` (else
    ``""``): why it was found."""
    highlight = (getattr(hit.meta, "highlight", None) if hit is not None else None) or {}
    own = highlighted_fields(version_language)
    fragments = [text for name in own if name in highlight for text in highlight[name]][:3]
    names_field = f"names.{language}"
    names = "" if fragments or names_field not in highlight else highlight[names_field][0]
    return fragments, names.replace("\n", ", ")


def inner_hit_ids(response):
    """Page ids of the ``preferred_version`` inner hits of a collapsed response, in order."""
    return [int(hit.meta.inner_hits.preferred.hits[0].page_id) for hit in response.hits]
