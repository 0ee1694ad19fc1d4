"""Query expansion across languages through a controlled vocabulary: a query that names a concept
("personnes retournées") also finds what is written with the concept's other labels ("returnees",
"العائدون"), on both backends.

The vocabulary is not search's to know (it builds on search): ``SEARCH_QUERY_EXPANSION`` names the
function that finds the concepts a query's words name, ``(words, language) -> [NamedConcept]``,
``words`` being a ``ParsedQuery``'s plain words; empty or unset, queries are not expanded.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.checks import register
from django.utils.module_loading import import_string

from portal.hooks import hook_errors
from search.analysis import query_terms
from search.query import ParsedQuery

#: Longest query (in terms: ``search.analysis.query_terms``) that is expanded, and most labels
#: it is expanded with, shared among its concepts (preferred labels first). Each label is a phrase
#: in the engine's fields of its language, so together they stay within the engine's 1,024
#: clauses (Lucene's ``maxClauseCount``) beside the query's own; a longer question has meaning.
MAX_EXPANDED_TERMS = 6
MAX_LABELS = 24
#: Most labels the concepts a query's exclusions name are left out by, shared among them
#: (``excluded_concepts``): on top of ``MAX_LABELS``, still within the 1,024 clauses.
MAX_EXCLUDED_LABELS = 12


@dataclass(frozen=True)
class NamedConcept:
    """A concept a query names: it spans the query's plain words ``start`` to ``stop`` (exclusive),
    ``identifier`` is the concept's, ``labels`` are its labels in every language, ``((text,
    language code), ...)``, preferred ones first, ``name`` its name in the reader's language (or
    in ``name_language`` when it has none there) and ``url`` the page that describes it."""

    start: int
    stop: int
    identifier: str
    labels: tuple
    name: str
    name_language: str
    url: str


@dataclass(frozen=True)
class Expansion:
    """The ``concepts`` a query names and the ``rest`` of the query: its plain words outside them
    and its phrases (exclusions stay with the query). An item matches the expanded query when it
    holds the rest and, for each concept, one of its labels as a phrase."""

    concepts: tuple
    rest: ParsedQuery

    def shown(self):
        """``((name, url, language of the name), ...)``: the concepts as a result found through
        them names them."""
        return tuple(
            (concept.name, concept.url, concept.name_language) for concept in self.concepts
        )


def expansion_of(parsed, language):
    """The ``Expansion`` of ``parsed`` (a ``ParsedQuery``) for a reader of ``language``, or None
    when no concept is named (or no vocabulary is configured)."""
    if not parsed.words or not settings.SEARCH_QUERY_EXPANSION:
        return None
    if len(query_terms(parsed)) > MAX_EXPANDED_TERMS:
        return None
    find = import_string(settings.SEARCH_QUERY_EXPANSION)
    concepts = tuple(find(parsed.words, language))
    if not concepts:
        return None
    covered = {index for concept in concepts for index in range(concept.start, concept.stop)}
    rest = tuple(word for index, word in enumerate(parsed.words) if index not in covered)
    # A concept named twice ("returnees personnes retournées") is one condition, shown once.
    once = {}
    for concept in concepts:
        once.setdefault(concept.identifier, concept)
    each = MAX_LABELS // len(once)
    concepts = tuple(replace(concept, labels=concept.labels[:each]) for concept in once.values())
    return Expansion(concepts, ParsedQuery(rest, parsed.phrases))


def excluded_concepts(parsed, language):
    """``(NamedConcept, ...)``: the concepts that a whole exclusion of ``parsed`` names (``-kafala``,
    ``-"personnes retournées"``), each once: an item holding any of their labels is left out too,
    as one holding the word is. Empty when there are none (or no vocabulary is configured)."""
    if not parsed.exclusions or not settings.SEARCH_QUERY_EXPANSION:
        return ()
    find = import_string(settings.SEARCH_QUERY_EXPANSION)
    found = {}
    for term in parsed.exclusions:
        words = term.strip('"').split()
        for concept in find(words, language):
            if concept.start == 0 and concept.stop == len(words):
                found.setdefault(concept.identifier, concept)
    each = MAX_EXCLUDED_LABELS // len(found) if found else 0
    return tuple(replace(concept, labels=concept.labels[:each]) for concept in found.values())


@register()
def check_expansion_setting(app_configs, **kwargs):
    """Django system check: ``SEARCH_QUERY_EXPANSION`` names a function that can be imported
    (else every search would fail on it)."""
    return hook_errors("SEARCH_QUERY_EXPANSION", "search.E001")
