"""Every concept's names, read once and kept in the cache until the vocabulary changes.

The vocabulary is small (hundreds of concepts, a few thousand labels), so pages, searches and the
published vocabulary read it whole from the cache rather than query it label by label.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from knowledge.models import Theme
from search.analysis import fold, words
from vocabulary.models import Collection, Concept, ConceptLabel, LabelKind

CACHE_KEY = "vocabulary:names"


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
    language), ...]}`` for every label of every concept."""

    concepts: dict
    by_label: dict

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


def label_key(text):
    """``text``'s words folded (``search.analysis.fold``: case, accents and Arabic letter forms
    do not count), as a tuple: "Returnees" and "returnees" have one key."""
    return tuple(fold(word) for word in words(text))


def vocabulary_names():
    """The vocabulary's ``Names``, from the cache, else read in four queries and cached until a
    concept, a label or a theme changes (``vocabulary.signal_handlers``)."""
    names = cache.get(CACHE_KEY)
    if names is None:
        names = _read_names()
        cache.set(CACHE_KEY, names, timeout=None)
    return names


def forget_names():
    """Drop the cached ``Names`` (the next reader reads the vocabulary again)."""
    cache.delete(CACHE_KEY)


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
    return Names(concepts, _by_label(concepts))


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
