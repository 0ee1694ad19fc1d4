"""A reader's text as the database backend's full-text index reads it (``TextQuery``).

Each word stands for its stems in every language (``search.analysis.query_stems``): a page is
indexed in its own language, and a reader may look for it in another. A word the index has never
seen as written may be misspelt: it stands also for the indexed words within the engine's typo
distance (``FUZZINESS = "AUTO:5,8"``: one edit from five letters, two from eight, never on the
first letter; a swap of two letters is one edit, as in Lucene's fuzzy query: the optimal string
alignment distance, with rapidfuzz). So a typo never outranks an exact match: a word the index
holds as typed is taken as typed.
"""

import itertools
from dataclasses import dataclass, replace

from rapidfuzz import distance, process

from search.analysis import LANGUAGES, fold, query_stems, query_terms, tokens, words
from search.models import TextIndexWord
from search.query import required_terms

#: Most indexed words a misspelt word may stand for (the closest first).
MAX_EXPANSIONS = 10


@dataclass(frozen=True)
class TextQuery:
    """What a page must hold: ``required`` of ``words`` (all of them, or all but one in a longer
    query: ``search.query.required_terms``), and no group of ``exclusions``.

    A word (a term of the query: ``search.analysis.query_terms``) is a tuple of groups that must
    all match: one for a plain word or a phrase, one per part of a hyphenated word. A group is a
    set of alternatives (OR), each a tuple of terms that must follow one another: one term for a
    word, several for a phrase. ``labels`` are the words as typed, one per word.
    """

    words: tuple = ()
    exclusions: tuple = ()
    labels: tuple = ()
    #: Other word lists a page may match instead of ``words``: the query with the concepts it
    #: names standing for any of their labels (``search.expansion``).
    variants: tuple = ()

    @property
    def groups(self):
        """Every group of every word."""
        return tuple(group for word in self.words for group in word)

    @property
    def required(self):
        """How many of ``words`` a page must hold."""
        return required_terms(len(self.words))

    def required_combinations(self):
        """The groups of every combination of ``required`` words, and of each variant's words,
        all required (as on the engine: ``search.dsl._concepts_clause``): a page matches when it
        matches all the groups of one."""
        combinations = itertools.combinations(self.words, self.required)
        return [
            tuple(group for word in words for group in word)
            for words in [*combinations, *self.variants]
        ]

    def without_variants(self):
        """The query as the reader typed it, no concept standing for its labels."""
        return replace(self, variants=())

    def terms(self):
        """Every term of the positive groups and their variants' (what highlighting marks)."""
        groups = [
            *self.groups,
            *(group for words in self.variants for word in words for group in word),
        ]
        return {term for group in groups for terms in group for term in terms}


def text_query(parsed, expansion=None, excluded=()):
    """The ``TextQuery`` of ``parsed`` (a ``search.query.ParsedQuery``), whatever the reader's
    language. Stop words fall out: a query of stop words alone has no words. ``expansion``
    (``search.expansion.Expansion``), when the query names concepts, adds the variant in which
    the rest of the query and one label of each concept match; each of the ``excluded``
    concepts (``search.expansion.excluded_concepts``) excludes all its labels."""
    query = _typed_query(parsed)
    labels = [word for word in map(_labels_word, excluded) if word]
    if labels:
        query = replace(query, exclusions=(*query.exclusions, *(group for (group,) in labels)))
    if expansion is None or not query.words:
        return query
    rest = _typed_query(expansion.rest)
    concepts = [word for word in map(_labels_word, expansion.concepts) if word]
    if not concepts:
        return query
    return replace(query, variants=((*rest.words, *concepts),))


def _labels_word(concept):
    """A word of one group: any of the ``concept``'s labels as a phrase, each analysed in its own
    language (as the pages of that language are indexed)."""
    alternatives = {
        terms
        for text, language in concept.labels
        if (terms := tuple(token.term for token in tokens(text, language)))
    }
    alternatives = frozenset(alternatives)
    return (alternatives,) if alternatives else None


def _typed_query(parsed):
    known = _known_words([*parsed.words, *parsed.exclusions])
    words, labels = [], []
    for term in query_terms(parsed):
        if term.startswith('"'):
            groups = [group for group in [_phrase_group(term.strip('"'))] if group]
        else:
            groups = _word_groups(term, known)
        if groups:
            words.append(tuple(groups))
            labels.append(term)
    exclusions = []
    for term in parsed.exclusions:
        text = term.strip('"')
        if term.startswith('"'):
            exclusions += [group for group in [_phrase_group(text)] if group]
        else:
            exclusions += _word_groups(text, known)
    return TextQuery(tuple(words), tuple(exclusions), tuple(labels))


def _known_words(typed):
    """The folded ``typed`` words the indexed text holds as written, read in one query."""
    folded = {fold(part) for text in typed for part in words(text)} - {""}
    if not folded:
        return set()
    return set(TextIndexWord.objects.filter(word__in=folded).values_list("word", flat=True))


def _word_groups(word, known):
    """One group per word within ``word`` (``l'intégration`` holds two, one a stop word): the
    word's stems and, when the index never holds it as written, the terms of the indexed words
    within typo distance (a plural not written anywhere still meets its singular's stem)."""
    groups = []
    for part in words(word):
        stems = query_stems(part)
        if not stems:
            continue
        folded = fold(part)
        if folded not in known:
            stems = stems | similar_terms(folded)
        groups.append(frozenset((stem,) for stem in stems))
    return groups


def _phrase_group(phrase):
    """The phrase's terms in order, analysed in each language."""
    alternatives = set()
    for code in LANGUAGES:
        terms = tuple(token.term for token in tokens(phrase, code))
        if terms:
            alternatives.add(terms)
    return frozenset(alternatives)


def typo_edits(length):
    """Edits allowed in a word of ``length`` letters: 0 below 5, 1 below 8, else 2."""
    return 0 if length < 5 else 1 if length < 8 else 2


def similar_terms(word):
    """The terms of the indexed words within ``typo_edits`` of ``word`` (folded) that share its
    first letter, at most ``MAX_EXPANSIONS`` words, closest first; empty when none."""
    edits = typo_edits(len(word))
    if not edits:
        return set()
    candidates = TextIndexWord.objects.filter(
        initial=word[0], length__range=(len(word) - edits, len(word) + edits)
    ).values_list("word", "term")
    terms_of = {}
    for candidate, term in candidates:
        terms_of.setdefault(candidate, set()).add(term)
    close = process.extract(
        word,
        list(terms_of),
        scorer=distance.OSA.distance,
        score_cutoff=edits,
        limit=MAX_EXPANSIONS,
    )
    return {term for candidate, _distance, _index in close for term in terms_of[candidate]}
