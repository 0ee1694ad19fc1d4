"""The vocabulary as SKOS (W3C, "SKOS Simple Knowledge Organization System Reference", 2009): an
rdflib graph of ``vocabulary.names.Names``, serialised as Turtle, JSON-LD, RDF/XML or N-Triples.

One concept scheme; each collection (``vocabulary.models.Collection``) a ``skos:Collection`` of
its concepts; every concept without a broader one is a top concept of the scheme. ``skos:narrower``
and the second direction of ``skos:related`` are written out, as SKOS asks readers to infer them
and many do not.
"""

from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from knowledge.site_setup import language_codes
from vocabulary.models import Collection


class Format(NamedTuple):
    """A serialisation readers may ask for: ``name`` in ``?format=``, its ``media_type`` in
    Accept, rdflib's ``serialiser`` and the ``label`` a page shows."""

    name: str
    media_type: str
    serialiser: str
    label: str


FORMATS = (
    Format("turtle", "text/turtle", "turtle", "Turtle"),
    Format("jsonld", "application/ld+json", "json-ld", "JSON-LD"),
    Format("rdfxml", "application/rdf+xml", "xml", "RDF/XML"),
    Format("ntriples", "application/n-triples", "nt", "N-Triples"),
)
#: ``?format=`` name: media type.
FORMAT_NAMES = {each.name: each.media_type for each in FORMATS}
#: Media type: rdflib's serialiser.
SERIALISATIONS = {each.media_type: each.serialiser for each in FORMATS}
#: The scheme's title (``dcterms:title``) per language.
SCHEME_TITLE = gettext_noop("COMPASS migration vocabulary")


def scheme_uri(base):
    """The scheme's URI under ``base`` (the site's root URL, no trailing slash)."""
    return URIRef(f"{base}/vocabulary/")


def concept_uri(base, identifier):
    """A concept's permanent URI: ``{base}/vocabulary/{identifier}/``."""
    return URIRef(f"{base}/vocabulary/{identifier}/")


def collection_uri(base, collection):
    """A collection's URI: ``{base}/vocabulary/#{collection}`` (a ``Collection`` value)."""
    return URIRef(f"{base}/vocabulary/#{collection}")


def vocabulary_graph(names, base, only=None):
    """The graph of every concept of ``names``, or of the concept ``only`` (an identifier) and
    the scheme it belongs to."""
    graph = Graph(bind_namespaces="core")
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    scheme = scheme_uri(base)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for code in language_codes():
        with translation.override(code):
            graph.add(
                (scheme, DCTERMS.title, Literal(translation.gettext(SCHEME_TITLE), lang=code))
            )
    concepts = names.concepts.values() if only is None else [names.concepts[only]]
    for concept in concepts:
        _add_concept(graph, names, concept, base)
    if only is None:
        _add_collections(graph, names, base)
    return graph


def _add_concept(graph, names, concept, base):
    uri = concept_uri(base, concept.identifier)
    scheme = scheme_uri(base)
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.inScheme, scheme))
    for code, text in concept.preferred.items():
        graph.add((uri, SKOS.prefLabel, Literal(text, lang=code)))
    for code, texts in concept.alternative.items():
        for text in texts:
            graph.add((uri, SKOS.altLabel, Literal(text, lang=code)))
    if concept.notation:
        graph.add((uri, SKOS.notation, Literal(concept.notation)))
    if concept.definition:
        graph.add((uri, SKOS.definition, Literal(concept.definition, lang=settings.LANGUAGE_CODE)))
    if not concept.broader:
        graph.add((uri, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, uri))
    for identifier in concept.broader:
        graph.add((uri, SKOS.broader, concept_uri(base, identifier)))
    for identifier in names.narrower_of(concept.identifier):
        graph.add((uri, SKOS.narrower, concept_uri(base, identifier)))
    for identifier in names.related_to(concept.identifier):
        graph.add((uri, SKOS.related, concept_uri(base, identifier)))


def _add_collections(graph, names, base):
    for collection in Collection:
        uri = collection_uri(base, collection.value)
        graph.add((uri, RDF.type, SKOS.Collection))
        for code in language_codes():
            with translation.override(code):
                graph.add((uri, SKOS.prefLabel, Literal(str(collection.label), lang=code)))
        for concept in names.concepts.values():
            if concept.collection == collection:
                graph.add((uri, SKOS.member, concept_uri(base, concept.identifier)))


def serialise(graph, media_type):
    """``graph`` as ``media_type`` (a key of ``SERIALISATIONS``), as text."""
    if media_type == "application/ld+json":
        context = {"skos": str(SKOS), "dcterms": str(DCTERMS)}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=SERIALISATIONS[media_type])
