"""The published vocabulary: permanent, language-neutral URIs answering SKOS (Turtle, JSON-LD,
RDF/XML, N-Triples) by content negotiation and sending people to the page in their language;
the pages themselves.

The URIs follow W3C's "Cool URIs for the Semantic Web" (2008, section 4.3): a request for HTML at
a concept's URI gets a 303 to the HTML page of the reader's language.
"""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from knowledge.site_setup import language_codes
from portal.addresses import absolute
from vocabulary.models import Collection
from vocabulary.names import vocabulary_names
from vocabulary.skos import FORMAT_NAMES, FORMATS, SERIALISATIONS, serialise, vocabulary_graph

HTML = "text/html"


@require_safe
@vary_on_headers("Accept", "Accept-Language")
def vocabulary_document(request, identifier=None):
    """The scheme (``identifier`` None) or a concept at its permanent URI: SKOS when the reader
    asks for Turtle, JSON-LD, RDF/XML or N-Triples (Accept, or ``?format=``, a key of
    ``FORMAT_NAMES``), else a 303 to the page in the reader's language. 404 for an unknown
    concept; 400 for an unknown ``format``; 406 when Accept names none of these types or HTML."""
    names = vocabulary_names()
    if identifier is not None and identifier not in names.concepts:
        raise Http404("No concept has this identifier.")
    if "format" in request.GET and request.GET["format"] not in FORMAT_NAMES:
        return _plain(f"Unknown format: give one of {', '.join(FORMAT_NAMES)}.", 400)
    media_type = _wanted_type(request)
    if media_type is None:
        types = ", ".join([HTML, *SERIALISATIONS])
        return _plain(f"Not available in the types accepted; available: {types}.", 406)
    if media_type == HTML:
        with translation.override(translation.get_language_from_request(request)):
            return _see_other(_page_url(identifier))
    base = absolute("/", request).rstrip("/")
    graph = vocabulary_graph(names, base, only=identifier)
    return HttpResponse(serialise(graph, media_type), content_type=f"{media_type}; charset=utf-8")


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _plain(message, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _wanted_type(request):
    """The media type to answer: the ``format`` asked for, else the best of Accept (HTML when
    the reader sends none), else None."""
    if "format" in request.GET:
        return FORMAT_NAMES[request.GET["format"]]
    return request.get_preferred_type([HTML, *SERIALISATIONS])


def _page_url(identifier):
    if identifier is None:
        return reverse("vocabulary_page")
    return reverse("concept_page", args=[identifier])


@require_safe
def vocabulary_page(request):
    """Every concept, by collection, named in the reader's language."""
    names = vocabulary_names()
    language = translation.get_language()
    collections = [
        {
            "value": collection.value,
            "label": collection.label,
            "concepts": [
                _shown(concept, language) for concept in names.in_collection(collection, language)
            ],
        }
        for collection in Collection
    ]
    return render(
        request, "vocabulary/vocabulary.html", {"collections": collections, "formats": FORMATS}
    )


@require_safe
def concept_page(request, identifier):
    """One concept: its names in every language, definition and links to other concepts."""
    names = vocabulary_names()
    concept = names.concepts.get(identifier)
    if concept is None:
        raise Http404("No concept has this identifier.")
    language = translation.get_language()
    context = {
        "concept": _shown(concept, language),
        "collection": Collection(concept.collection).label,
        "labels": _labels_by_language(concept),
        "broader": _linked(names, concept.broader, language),
        "narrower": _linked(names, names.narrower_of(identifier), language),
        "related": _linked(names, names.related_to(identifier), language),
        "definition": concept.definition,
        "formats": FORMATS,
    }
    return render(request, "vocabulary/concept.html", context)


def _shown(concept, language):
    name, name_language = concept.name_in(language)
    return {
        "identifier": concept.identifier,
        "notation": concept.notation,
        "name": name,
        "language": name_language,
        "url": reverse("concept_page", args=[concept.identifier]),
        "uri": reverse("concept_document", args=[concept.identifier]),
    }


def _linked(names, identifiers, language):
    return [_shown(names.concepts[identifier], language) for identifier in identifiers]


def _labels_by_language(concept):
    """``[{"code", "preferred", "alternative"}]`` in the portal's language order."""
    return [
        {
            "code": code,
            "preferred": concept.preferred.get(code, ""),
            "alternative": concept.alternative.get(code, []),
        }
        for code in language_codes()
        if code in concept.preferred or code in concept.alternative
    ]
