"""The search index: one ``KnowledgePageDocument`` per live, public knowledge page in every locale.

Analysis: every text field is indexed once with ``folding`` (lower case, accents and Arabic diacritics
folded, no stemming) and once per language with that language's stemmer, stop words and folding, so a
query in any of the four languages matches with or without accents or diacritics. Token filters are
Lucene's (Elasticsearch and OpenSearch ``analysis-common``): ``light_french`` and ``light_spanish``
(Savoy's light stemmers), ``english`` (Porter), ``arabic`` (Larkey's light stemmer) with
``arabic_normalization``.
"""

import copy

from elasticsearch.dsl import (
    Binary,
    Boolean,
    Date,
    Document,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Nested,
    Object,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

LANGUAGE_CODES = ("en", "fr", "ar", "es")

_folding_filters = ["lowercase", "asciifolding", "arabic_normalization"]

folding = analyzer("folding", tokenizer="standard", filter=_folding_filters)

_stop = {
    code: token_filter(f"{code}_stop", "stop", stopwords=f"_{name}_")
    for code, name in (("en", "english"), ("fr", "french"), ("ar", "arabic"), ("es", "spanish"))
}
_stemmer = {
    code: token_filter(f"{code}_stemmer", "stemmer", language=name)
    for code, name in (
        ("en", "english"),
        ("fr", "light_french"),
        ("ar", "arabic"),
        ("es", "light_spanish"),
    )
}
_french_elision = token_filter(
    "fr_elision",
    "elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)

LANGUAGE_ANALYZERS = {
    code: analyzer(
        f"{code}_text",
        tokenizer="standard",
        filter=[
            *([_french_elision] if code == "fr" else []),
            "lowercase",
            _stop[code],
            "asciifolding",
            "arabic_normalization",
            _stemmer[code],
        ],
    )
    for code in LANGUAGE_CODES
}


def multilingual_text(**kwargs):
    """A text field with a folded main field and one stemmed sub-field per language; ``kwargs``
    apply to all of them."""
    fields = {code: Text(analyzer=LANGUAGE_ANALYZERS[code], **kwargs) for code in LANGUAGE_CODES}
    return Text(analyzer=folding, fields=fields, **kwargs)


#: Searchable fields with their boosts: title above summary above the key sections (weight 2 in
#: a type's ``text_sections``) above the other sections and body above attachments.
FIELD_BOOSTS = {
    "title": 6,
    "summary": 4,
    "lessons": 3,
    "sections": 2,
    "taxonomy": 2,
    "attachments": 1,
}


#: Boost of the names of an item's countries and themes in the reader's language (``names``):
#: far below any text, so an item that matches only through them comes after every item whose
#: own text matches, typo-tolerant matches included.
NAMES_BOOST = 0.01


def names_by_language():
    """An object with one text field per language, analysed as that language."""
    return Object(
        properties={code: Text(analyzer=LANGUAGE_ANALYZERS[code]) for code in LANGUAGE_CODES}
    )


class Passage(InnerDoc):
    """A passage of the page (``search.passages``) as the engine searches it by meaning: its
    ordinal and its vector, centred; how the vector is mapped depends on the engine
    (``search.engine_vectors.with_vectors``)."""

    ordinal = Integer()
    vector = Binary(doc_values=True)


class KnowledgePageDocument(Document):
    """What the index knows about a knowledge page (one per page and language version)."""

    page_id = Integer()
    title = multilingual_text()
    title_suggest = SearchAsYouType(analyzer=folding)
    summary = multilingual_text()
    lessons = (
        multilingual_text()
    )  # key sections: lessons, recommendations, key messages, practice, results
    sections = multilingual_text()  # every other text section, the body last
    # Country and theme names in the item's language, keyword names, organisation, authors.
    taxonomy = multilingual_text()
    # Country and theme names in each language ({"en": "Mali\nProtection", "ar": ...}): an
    # item is found by the names in the reader's language, at ``NAMES_BOOST``.
    names = names_by_language()
    # Text extracted from attached PDFs, up to millions of characters: offsets are kept in the
    # index so highlighting reads them instead of analysing the text again, which the engines
    # refuse beyond index.highlight.max_analyzed_offset (1,000,000 characters) and which costs
    # time in proportion to the text's length.
    attachments = multilingual_text(index_options="offsets")
    type = Keyword()
    countries = Keyword()
    themes = Keyword()
    objectives = Integer()
    tags = Keyword()
    language = Keyword()
    publication_date = Date()
    first_published_at = Date()  # when the page first went live on the portal
    expire_at = Date()  # when it stops being public, if it has an expiry date
    year = Integer()
    translation_key = Keyword()
    # Whether another version of the item (a translation) is visible, so in the index, too: a
    # document that is not counts as one item without a distinct count (``search.dsl.items_in``).
    translated = Boolean()
    url = Keyword(index=False)  # path under its language prefix, e.g. /fr/mali/<slug>/
    fingerprint = Keyword(index=False)
    passages = Nested(Passage)

    class Meta:
        # A field the mapping lacks is refused rather than guessed, so an index made by an older
        # version of the portal shows up in `search_index check` instead of drifting silently.
        dynamic = MetaField("strict")
        # Vectors are searched, never shown: a hit's source would carry them for nothing.
        source = MetaField(excludes=["passages"])

    class Index:
        # The real name is set per index version (see search.indexing); searches use the alias.
        name = "knowledge"
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10000}


def index_body():
    """Settings and mappings of a new index version, as elasticsearch-dsl builds them: a copy,
    for callers to change (``Index.to_dict`` returns the class's own settings)."""
    return copy.deepcopy(KnowledgePageDocument._index.to_dict())
