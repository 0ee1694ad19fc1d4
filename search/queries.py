"""elasticsearch-dsl request bodies for the public search: text query, filters, facets, highlights.

Facets follow the post_filter pattern: hits are narrowed by every selected filter in ``post_filter``,
while each dimension's aggregation is computed under the other dimensions' filters only, so a count
is what a click on it gives. Translations collapse to the reader's language with the same rule as
the database backend: keep the reader's language version, else the first version created.
"""

from elasticsearch_dsl import A, Q, Search

from knowledge.facets import MAX_TAG_FACETS
from search.documents import FIELD_BOOSTS, LANGUAGE_CODES
from search.query import SORT_DATE, split_query

#: Index field of each filter dimension.
DIMENSION_FIELDS = {
    "type": "type",
    "country": "countries",
    "theme": "themes",
    "year": "year",
    "language": "language",
    "tag": "tags",
}
AGGREGATION_SIZES = {"tag": MAX_TAG_FACETS}
HIGHLIGHT_FIELDS = ("title", "summary", "lessons", "sections", "attachments")
#: Typo tolerance: one edit from 5 characters, two from 8; never on the first character.
FUZZINESS = "AUTO:5,8"


def searched_fields():
    """``["title^6", "title.en^6", ...]``: every text field and its language sub-fields, boosted."""
    fields = []
    for name, boost in FIELD_BOOSTS.items():
        fields.append(f"{name}^{boost}")
        fields.extend(f"{name}.{code}^{boost}" for code in LANGUAGE_CODES)
    return fields


def text_query(text):
    """All words must match (AND) in some boosted field; typos tolerated, never above exact matches."""
    positive, words, excluded = split_query(text)
    fields = searched_fields()
    should = []
    if positive.strip('"- '):
        should.append(
            Q(
                "simple_query_string",
                query=positive,
                fields=fields,
                default_operator="and",
                flags="PHRASE|WHITESPACE|PRECEDENCE",
                boost=10,
            )
        )
    if words.strip():
        should.append(
            Q(
                "multi_match",
                query=words,
                fields=[f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()],
                operator="and",
                fuzziness=FUZZINESS,
                prefix_length=1,
                boost=0.1,
            )
        )
    query = Q("bool", should=should, minimum_should_match=1) if should else Q("match_all")
    if excluded.strip():
        query &= ~Q("simple_query_string", query=excluded, fields=fields, flags="PHRASE|WHITESPACE")
    return query


def dimension_filter(dimension, values):
    return Q("terms", **{DIMENSION_FIELDS[dimension]: list(values)})


def collapse_filter(language):
    """The reader's version of each item: in ``language``, else the first version created."""
    return Q("term", language=language) | (
        ~Q("term", available_languages=language) & Q("term", first_version=True)
    )


def _filters(filters, language, without=None):
    clauses = [
        dimension_filter(dimension, getattr(filters, dimension))
        for dimension in DIMENSION_FIELDS
        if dimension != without and getattr(filters, dimension)
    ]
    collapse = not filters.language and without != "language"
    if collapse:
        clauses.append(collapse_filter(language))
    return clauses


def knowledge_search(request, size, offset):
    """The ``Search`` for a ``SearchRequest``: hits, facet aggregations, highlights."""
    search = Search().query(text_query(request.text) if request.text.strip() else Q("match_all"))
    search = search.post_filter(Q("bool", filter=_filters(request.filters, request.language)))
    for dimension, field in DIMENSION_FIELDS.items():
        others = _filters(request.filters, request.language, without=dimension)
        terms = A("terms", field=field, size=AGGREGATION_SIZES.get(dimension, 100))
        search.aggs.bucket(dimension, "filter", filter=Q("bool", filter=others)).bucket(
            "values", terms
        )
    if request.sort == SORT_DATE or not request.text.strip():
        search = search.sort({"publication_date": "desc"}, {"page_id": "desc"})
    search = search.highlight_options(
        encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], require_field_match=False
    ).highlight(*HIGHLIGHT_FIELDS, fragment_size=180, number_of_fragments=2)
    return search.source(["page_id"]).extra(from_=offset, size=size, track_total_hits=True)


def facet_counts(response):
    """``{dimension: [(value, count)]}`` from a search response's aggregations."""
    return {
        dimension: [
            (bucket.key, bucket.doc_count)
            for bucket in getattr(response.aggregations, dimension)["values"].buckets
        ]
        for dimension in DIMENSION_FIELDS
    }
