"""Every concept's names, read once per process and kept until the vocabulary changes.

The vocabulary is small (hundreds of concepts, a few thousand labels), so pages, searches and the
published vocabulary read it whole rather than query it label by label.
"""

import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from knowledge.models import Theme
from search.analysis import LANGUAGES, STOP_WORDS, fold, words
from vocabulary.models import Collection, Concept, ConceptLabel, LabelKind

#: The cache key of the vocabulary's version: a token every process compares with that of the
#: names it holds, so a change made in one process is seen by all (``forget_names``)...
VERSION_KEY = "vocabulary:version"
#: ...within this many seconds: a search asks for the names several times, and a database cache
#: would answer each question with a query.
VERSION_CHECK_INTERVAL = 1.0
_held = (None, None, 0.0)  # (version, Names, when the version was last checked) of this process


@dataclass
class ConceptNames:
    """A concept's identity and names: ``preferred`` is ``{language: label}``, ``alternative``
    ``{language: [label, ...]}``; ``broader`` and ``related`` hold identifiers."""

    identifier: str
    collection: str
    notation: str = ""
    definition: str = ""
    preferred: dict = field(default_factory=dict)
    alternative: dict = field(default_factory=dict)
    broader: list = field(default_factory=list)
    related: list = field(default_factory=list)

    def name_in(self, language):
        """``(label, its language)``: the preferred label in ``language``, else in the default
        language, else in any; ``(identifier, "")`` for a concept with none."""
        for code in (language, settings.LANGUAGE_CODE, *sorted(self.preferred)):
            if code in self.preferred:
                return self.preferred[code], code
        return self.identifier, ""

    def labels(self):
        """Every ``(label, language)`` of the concept, preferred ones first."""
        preferred = [(text, code) for code, text in self.preferred.items()]
        alternative = [(text, code) for code, texts in self.alternative.items() for text in texts]
        return preferred + alternative


@dataclass
class Names:
    """``concepts``: ``{identifier: ConceptNames}``; ``by_label``: ``{label_key: [(identifier,
    language), ...]}`` for every label of every concept; ``by_content``: ``{content_words:
    identifier}``, the first concept a label's content words belong to; ``longest_label``: the
    most content words of a label."""

    concepts: dict
    by_label: dict
    by_content: dict = field(default_factory=dict)
    longest_label: int = 0

    def concept_named(self, text):
        """``(ConceptNames, language of the label)`` of the first concept a label of which is
        ``text`` (compared by ``label_key``), else ``None``."""
        for identifier, language in self.by_label.get(label_key(text), ()):
            return self.concepts[identifier], language
        return None

    def narrower_of(self, identifier):
        """Identifiers of the concepts whose broader concepts include ``identifier``."""
        return [names.identifier for names in self.concepts.values() if identifier in names.broader]

    def related_to(self, identifier):
        """Identifiers of the concepts related to ``identifier``, in either direction."""
        related = list(self.concepts[identifier].related)
        for names in self.concepts.values():
            if identifier in names.related and names.identifier not in related:
                related.append(names.identifier)
        return related

    def in_collection(self, collection, language):
        """The concepts of ``collection``, by notation's number, then name in ``language``."""
        concepts = [names for names in self.concepts.values() if names.collection == collection]
        return sorted(concepts, key=lambda names: _sort_key(names, language))


def _sort_key(names, language):
    number = "".join(char for char in names.notation if char.isdigit())
    return (int(number) if number else 0, fold(names.name_in(language)[0]))


def content_words(text):
    """``text``'s words folded, without the stop words of any language, as a tuple: what a label
    and a query are compared by ("traite des êtres humains" is ``("traite", "etres",
    "humains")``)."""
    folded = (fold(word) for word in words(text))
    return tuple(
        word for word in folded if word and not any(word in STOP_WORDS[code] for code in LANGUAGES)
    )


def label_key(text):
    """``text``'s words folded (``search.analysis.fold``: case, accents and Arabic letter forms
    do not count), as a tuple: "Returnees" and "returnees" have one key."""
    return tuple(fold(word) for word in words(text))


def vocabulary_names():
    """The vocabulary's ``Names``: those this process holds while the shared cache's version
    token is theirs (checked at most once per ``VERSION_CHECK_INTERVAL``), else read again (five
    queries) under the current token."""
    global _held  # noqa: PLW0603  (one process-wide copy, swapped whole)
    held_version, names, checked = _held
    now = time.monotonic()
    if names is not None and now - checked < VERSION_CHECK_INTERVAL:
        return names
    version = cache.get(VERSION_KEY)
    if version is None or version != held_version:
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)  # another process may be first
            version = cache.get(VERSION_KEY)
        names = _read_names()  # read after the token: a change committed since drops the token
    _held = (version, names, now)
    return names


def forget_names():
    """Drop this process's names and the version token: every process reads the vocabulary again
    (this one at once, the others within ``VERSION_CHECK_INTERVAL``)."""
    global _held  # noqa: PLW0603
    _held = (None, None, 0.0)
    cache.delete(VERSION_KEY)


def _read_names():
    concepts, by_id = {}, {}
    fields = ("pk", "identifier", "collection", "notation", "definition")
    for pk, identifier, *details in Concept.objects.values_list(*fields):
        concepts[identifier] = ConceptNames(identifier, *details)
        by_id[pk] = identifier
    _add_theme_names(concepts)
    labels = ConceptLabel.objects.order_by("sort_order", "pk")
    for concept_id, language, kind, text in labels.values_list(
        "concept_id", "language", "kind", "text"
    ):
        names = concepts[by_id[concept_id]]
        if kind == LabelKind.PREFERRED:
            names.preferred[language] = text
        else:
            names.alternative.setdefault(language, []).append(text)
    _add_links(concepts, by_id)
    by_content = {}
    for names in concepts.values():
        for text, _language in names.labels():
            by_content.setdefault(content_words(text), names.identifier)
    by_content.pop((), None)
    return Names(concepts, _by_label(concepts), by_content, max(map(len, by_content), default=0))


def _add_theme_names(concepts):
    themes = Theme.objects.filter(
        slug__in=[
            names.identifier for names in concepts.values() if names.collection == Collection.THEMES
        ]
    )
    for slug, language, name in themes.values_list("slug", "locale__language_code", "name"):
        concepts[slug].preferred[language] = name


def _add_links(concepts, by_id):
    for link, attribute in (
        (Concept.broader.through, "broader"),
        (Concept.related.through, "related"),
    ):
        for from_id, to_id in link.objects.values_list("from_concept_id", "to_concept_id"):
            getattr(concepts[by_id[from_id]], attribute).append(by_id[to_id])


def _by_label(concepts):
    by_label = {}
    for names in concepts.values():
        for text, language in names.labels():
            entries = by_label.setdefault(label_key(text), [])
            if (names.identifier, language) not in entries:
                entries.append((names.identifier, language))
    return by_label
