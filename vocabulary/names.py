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
from search.analysis import fold
from vocabulary.models import Collection, Concept, ConceptLabel, LabelKind
from vocabulary.text import content_words

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
    """``concepts``: ``{identifier: ConceptNames}``; ``by_content``: ``{content words:
    identifier}`` of every label (``content_words``), the first concept a label belongs to;
    ``longest_label``: the most content words of a label."""

    concepts: dict
    by_content: dict
    longest_label: int
    #: What other modules work out from these names, kept with them (e.g. each concept's GCM
    #: objectives: ``vocabulary.objectives``).
    derived: dict = field(default_factory=dict)

    def concept_named(self, text):
        """The ``ConceptNames`` of the concept a label of which is ``text`` (compared by
        ``content_words``: case, accents and stop words do not count), else ``None``."""
        identifier = self.by_content.get(content_words(text))
        return self.concepts[identifier] if identifier else None

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


def vocabulary_names(fresh=False):
    """The vocabulary's ``Names``: those this process holds while the shared cache's version
    token is theirs (checked at most once per ``VERSION_CHECK_INTERVAL``, at once when
    ``fresh``), else read again (five queries) under the current token."""
    global _held  # noqa: PLW0603  (one process-wide copy, swapped whole)
    held_version, names, checked = _held
    now = time.monotonic()
    if names is not None and not fresh and now - checked < VERSION_CHECK_INTERVAL:
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
        if concept_id not in by_id:  # created since the concepts were read (read committed)
            continue
        names = concepts[by_id[concept_id]]
        if kind == LabelKind.PREFERRED:
            names.preferred[language] = text
        else:
            names.alternative.setdefault(language, []).append(text)
    _add_links(concepts, by_id)
    _drop_repeated_names(concepts)
    by_content = {}
    for names in concepts.values():
        for text, _language in names.labels():
            by_content.setdefault(content_words(text), names.identifier)
    by_content.pop((), None)
    return Names(concepts, by_content, max(map(len, by_content), default=0))


def _drop_repeated_names(concepts):
    """Alternative labels equal to the preferred one of their language (SKOS's integrity
    condition S13: the two are disjoint), e.g. a theme's name given again as a label."""
    for names in concepts.values():
        for language, texts in names.alternative.items():
            preferred = content_words(names.preferred.get(language, ""))
            names.alternative[language] = [
                text for text in texts if content_words(text) != preferred
            ]


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
            if from_id in by_id and to_id in by_id:  # else changed since the concepts were read
                getattr(concepts[by_id[from_id]], attribute).append(by_id[to_id])
