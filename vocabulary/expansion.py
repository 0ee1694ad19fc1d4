"""The concepts a reader's query names, for search's query expansion (``search.expansion``)."""

from django.urls import reverse

from search.expansion import NamedConcept
from vocabulary.models import Collection
from vocabulary.names import vocabulary_names
from vocabulary.text import content_words


def concepts_named(words, language):
    """``[NamedConcept]``: the concepts whose labels (in any language) the query's plain
    ``words`` spell, each run of whole words matched once, the longest label first.

    Labels and words are compared as their content words (``vocabulary.text.content_words``), so
    "Protection des données" names the concept labelled "protection des données".

    Themes are left out: a query naming a theme in the reader's language already finds the items
    tagged with it (the engine's and the database's ``names``), and their broader labels
    ("passeurs", "réintégration") found so many items in other languages that monolingual
    searches ranked worse (``make eval-search``: "passeurs" 0.947 against 0.765 with them).
    """
    names = vocabulary_names()
    flat = [(index, part) for index, word in enumerate(words) for part in content_words(word)]
    found, position = [], 0
    while position < len(flat):
        match = _longest_label_at(flat, position, names)
        if match is None:
            position += 1
            continue
        length, identifier = match
        concept = names.concepts[identifier]
        if concept.collection == Collection.THEMES:
            position += length
            continue
        name, name_language = concept.name_in(language)
        found.append(
            NamedConcept(
                start=flat[position][0],
                stop=flat[position + length - 1][0] + 1,
                identifier=identifier,
                labels=_distinct(concept.labels()),
                name=name,
                name_language=name_language,
                url=reverse("concept_page", args=[identifier]),
            )
        )
        position += length
    return found


def _distinct(labels):
    """``labels`` (``(text, language)``) without repeats of the same content words in one
    language ("kafala" is a label in three languages; each is searched once)."""
    seen, distinct = set(), []
    for text, language in labels:
        key = (content_words(text), language)
        if key[0] and key not in seen:
            seen.add(key)
            distinct.append((text, language))
    return tuple(distinct)


def _longest_label_at(flat, position, names):
    """``(length, identifier)`` of the longest label that spells whole words from ``position``."""
    for length in range(min(names.longest_label, len(flat) - position), 0, -1):
        end = position + length
        whole = (position == 0 or flat[position - 1][0] != flat[position][0]) and (
            end == len(flat) or flat[end][0] != flat[end - 1][0]
        )
        key = tuple(part for _index, part in flat[position:end])
        if whole and key in names.by_content:
            return length, names.by_content[key]
    return None
