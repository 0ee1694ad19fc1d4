"""A reader's query and what a retriever reads for it, whichever channel asks and retriever answers.

The search page, feeds, subscriptions and the API all ask a ``KnowledgeQuery`` (validated by
``search.forms.KnowledgeQueryForm``); listings ask its filters alone.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.http import QueryDict

from knowledge.filters import DIMENSIONS, KnowledgeFilters
from search import analysis

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "-publication_date"
#: The one sort vocabulary, each with its database ordering (relevance is the retriever's own
#: ranking; without text it means newest first). Field names as Django and DRF's
#: ``OrderingFilter`` write them, a minus for descending.
SORTS = {
    SORT_RELEVANCE: ("-publication_date", "-pk"),
    SORT_NEWEST: ("-publication_date", "-pk"),
    "publication_date": ("publication_date", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
#: The sorts free text can take: the engine ranks by relevance or by date only.
TEXT_SORTS = (SORT_RELEVANCE, SORT_NEWEST)
#: Older spellings still read, so links and bookmarks made before keep working.
SORT_ALIASES = {"date": SORT_NEWEST}
#: How much more a text match counts in a version in the reader's language than in another, on
#: both backends: readers read their own language first; an item in another language that matches
#: (a shared name, a word with the same stem) comes after, unless it matches far better.
READER_LANGUAGE_FACTOR = 2
#: A query of up to this many terms (words; a quoted phrase is one term) finds items holding all
#: of them; a longer one also finds items missing one term, after those holding all (in the
#: judged set, a relevant report often lacks one of a reader's three or four words). The engine
#: reads it as ``minimum_should_match`` (``MINIMUM_SHOULD_MATCH``), the database backend through
#: ``required_terms``.
ALL_TERMS_REQUIRED_UP_TO = 2
#: ``ALL_TERMS_REQUIRED_UP_TO`` in Elasticsearch's and OpenSearch's ``minimum_should_match``
#: syntax: "2<-1" is all of up to two clauses, all but one of more.
MINIMUM_SHOULD_MATCH = f"{ALL_TERMS_REQUIRED_UP_TO}<-1"
#: How many times an item holding every term of a query scores the same match missing one, so
#: that items holding all the reader's words come first unless one missing a word matches far
#: better.
ALL_TERMS_FACTOR = 2
#: How many times an item holding the reader's own words scores the same match found through the
#: labels of a concept the query names (``search.expansion``), on both backends: as much as an
#: exact match against a typo-tolerant one on the engine (``search.dsl.EXACT_BOOST``), so the words
#: typed come first unless a label matches far better (a short title or keyword against a word
#: deep in a long report).
TYPED_WORDS_FACTOR = 10
#: The parameters of what a query follows (its text and filters) in their canonical order; paging
#: and sorting are a reader's view of the results, which feeds and subscriptions do not keep.
QUERY_PARAMETERS = ("q", *DIMENSIONS)


@dataclass(frozen=True)
class KnowledgeQuery:
    """What a reader asks for: free ``text`` (may be empty), ``filters``, ``sort`` (a key of
    ``SORTS``) and ``language`` (the reader's: the version of an item shown when it has several).

    ``published_after`` / ``published_before`` (dates, inclusive) bound the publication date;
    ``first_published_after`` (an aware datetime) keeps only items first published on the portal
    after that moment, whatever their publication date: what a digest calls new.
    """

    text: str = ""
    filters: KnowledgeFilters = field(default_factory=KnowledgeFilters)
    sort: str = SORT_RELEVANCE
    language: str = "en"
    published_after: datetime.date | None = None
    published_before: datetime.date | None = None
    first_published_after: datetime.datetime | None = None

    @property
    def ranked(self):
        """True when results come in the retriever's order of relevance, not by a field."""
        return self.sort == SORT_RELEVANCE and bool(self.text.strip())

    def query_string(self):
        """The canonical query string of text and filters, e.g. ``q=water&country=ML``."""
        params = QueryDict(mutable=True)
        if self.text:
            params["q"] = self.text
        for dimension in DIMENSIONS:
            params.setlist(dimension, [str(value) for value in getattr(self.filters, dimension)])
        return params.urlencode()


@dataclass
class Reading:
    """What a backend read for results ``start`` to ``stop`` of a ``KnowledgeQuery``.

    ``ids`` are page ids in rank order; ``total`` counts every result (items, or versions when a
    language is selected), or is None when the backend did not count them (read an empty range
    to count); ``facet_counts`` is ``{dimension: [(value, count)]}`` when asked for,
    else None; ``highlights`` is ``{page id: [HTML fragment with <mark> tags]}`` (engine only);
    ``matched_names`` is ``{page id: HTML}`` for results whose text has no highlight but whose
    country or theme names in the reader's language matched, those words marked;
    ``missing_terms`` is ``{page id: [word or "phrase" as typed]}`` for results lacking some of a
    longer query's terms (``ALL_TERMS_REQUIRED_UP_TO``). Both only when highlights are asked for.
    ``by_meaning`` holds the ids of results found by meaning alone (``search.semantic``): their
    text does not match the query's words; ``passages`` is ``{page id: (language, text)}``, the
    passage of each such result's item nearest the query (when highlights are asked for);
    ``words_total`` how many of all the results the words found, when meaning added to them.
    ``by_concept`` is ``{page id: ((concept name, url, its language), ...)}`` for results found
    through the labels of concepts the query names rather than its own words
    (``search.expansion``).
    """

    ids: list
    total: int | None
    facet_counts: dict | None = None
    highlights: dict = field(default_factory=dict)
    matched_names: dict = field(default_factory=dict)
    missing_terms: dict = field(default_factory=dict)
    by_meaning: frozenset = frozenset()
    passages: dict = field(default_factory=dict)
    words_total: int | None = None
    by_concept: dict = field(default_factory=dict)


# Punctuation standing alone ("*", "(", "-") and "field:" prefixes are engine syntax readers did not
# mean as words; they are read as spaces, the same way by every backend.
_STANDALONE_PUNCTUATION = re.compile(r"(?<!\w)[^\w\s\"-]+(?!\w)|(?<!\w)-(?!\w|\")|:")


def required_terms(count):
    """How many of a query's ``count`` terms an item must hold (``ALL_TERMS_REQUIRED_UP_TO``)."""
    return count if count <= ALL_TERMS_REQUIRED_UP_TO else count - 1


def searchable_text(text):
    """``text`` without query syntax no backend should interpret; may be empty."""
    return " ".join(_STANDALONE_PUNCTUATION.sub(" ", text).split())


_TOKEN = re.compile(r'-?"[^"]*"|\S+')
#: Words a query may hold, each part of a hyphenated word and each word of a phrase counted; the
#: rest is ignored. Keeps the engine's query within its clause limit
#: (indices.query.bool.max_clause_count, 1024): a word is read in 31 fields by three clauses at
#: most (all terms, all but one, the typo-tolerant one for a phrase), 930 for ten.
MAX_QUERY_WORDS = 10


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query split into what must match and what must not.

    ``words`` are the plain words, ``phrases`` the quoted phrases (without quotes), ``exclusions``
    the ``-word`` and ``-"phrase"`` terms (without the minus).
    """

    words: tuple = ()
    phrases: tuple = ()
    exclusions: tuple = ()

    def is_empty(self):
        """True when nothing is left to search for."""
        return not (self.words or self.phrases or self.exclusions)

    @property
    def positive(self):
        """Words and phrases as one simple_query_string / Wagtail query, e.g. 'a "b c"'."""
        return " ".join([*self.words, *(f'"{phrase}"' for phrase in self.phrases)])


def split_query(text):
    """The ``ParsedQuery`` of ``text``'s first ``MAX_QUERY_WORDS`` words; a phrase or a
    hyphenated word reaching past them is cut."""
    words, phrases, exclusions = [], [], []
    budget = MAX_QUERY_WORDS
    for token in _TOKEN.findall(text):
        if budget <= 0:
            break
        length = max(len(analysis.words(token)), 1)
        if length > budget:
            token = analysis.first_words(token, budget) + ('"' if token.endswith('"') else "")
        budget -= length
        negated = token.startswith("-") and len(token) > 1
        term = token[1:] if negated else token
        if len(term) > 1 and term.startswith('"') and term.endswith('"'):
            term = term.strip('"').strip()
            if term:
                (exclusions if negated else phrases).append(f'"{term}"' if negated else term)
            continue
        term = term.strip('"')  # a quote left open is no phrase
        if term.strip("-"):
            (exclusions if negated else words).append(term)
    return ParsedQuery(tuple(words), tuple(phrases), tuple(exclusions))
