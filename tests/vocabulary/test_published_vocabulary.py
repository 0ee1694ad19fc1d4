"""The published vocabulary: SKOS by content negotiation at permanent URIs, read back with rdflib,
and the pages people read it on."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from knowledge.models import Theme
from tests.helpers import soup, text_of

BASE = "http://testserver/vocabulary"


def graph_of(response, media_type):
    assert response.status_code == 200
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in response["Vary"]
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld"}[media_type]
    return Graph().parse(data=response.content.decode(), format=fmt)


def concept(identifier):
    return URIRef(f"{BASE}/{identifier}/")


@pytest.mark.django_db
@pytest.mark.parametrize("media_type", ["text/turtle", "application/ld+json"])
def test_the_whole_vocabulary_is_skos_in_turtle_and_json_ld(client, media_type):
    graph = graph_of(client.get("/vocabulary/", HTTP_ACCEPT=media_type), media_type)
    scheme = URIRef(f"{BASE}/")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 70
    assert all((uri, SKOS.inScheme, scheme) in graph for uri in concepts)
    returnees = concept("returnees")
    assert (returnees, SKOS.prefLabel, Literal("personnes retournées", lang="fr")) in graph
    assert (returnees, SKOS.prefLabel, Literal("العائدون", lang="ar")) in graph
    assert (returnees, SKOS.altLabel, Literal("returning migrants", lang="en")) in graph
    reintegration = concept("return-and-reintegration")
    assert (returnees, SKOS.broader, reintegration) in graph
    assert (reintegration, SKOS.narrower, returnees) in graph
    assert (reintegration, SKOS.topConceptOf, scheme) in graph
    objective = concept("gcm-objective-21")
    assert (returnees, SKOS.related, objective) in graph
    assert (objective, SKOS.related, returnees) in graph
    assert (objective, SKOS.notation, Literal("GCM 21")) in graph
    # The UN's own titles only: Arabic and three Spanish ones await the resolution's text.
    assert {label.language for label in graph.objects(objective, SKOS.prefLabel)} == {
        "en",
        "fr",
        "es",
    }
    for uri in concepts:  # SKOS S13: a label is preferred or alternative, never both
        preferred = set(graph.objects(uri, SKOS.prefLabel))
        assert not preferred & set(graph.objects(uri, SKOS.altLabel)), uri
    members = set(graph.objects(URIRef(f"{BASE}/#gcm"), SKOS.member))
    assert members == {concept(f"gcm-objective-{number}") for number in range(1, 24)}


@pytest.mark.django_db
def test_a_theme_is_named_by_the_theme_itself_and_a_rename_is_published_at_once(client):
    def names():
        response = client.get("/vocabulary/protection/", HTTP_ACCEPT="text/turtle")
        graph = graph_of(response, "text/turtle")
        return set(graph.objects(concept("protection"), SKOS.prefLabel))

    assert Literal("Protección", lang="es") in names()
    theme = Theme.objects.get(slug="protection", locale__language_code="es")
    theme.name = "Protección de las personas migrantes"
    theme.save()
    assert Literal("Protección de las personas migrantes", lang="es") in names()


@pytest.mark.django_db
def test_a_theme_s_concept_goes_with_the_theme_s_last_version(client):
    Theme.objects.filter(slug="protection", locale__language_code="es").delete()
    assert client.get("/vocabulary/protection/", HTTP_ACCEPT="text/turtle").status_code == 200
    Theme.objects.filter(slug="protection").delete()
    gone = client.get("/vocabulary/protection/", HTTP_ACCEPT="text/turtle", follow=True)
    assert gone.status_code == 404
    graph = graph_of(client.get("/vocabulary/", HTTP_ACCEPT="text/turtle"), "text/turtle")
    assert not set(graph.triples((concept("protection"), None, None)))
    assert not set(graph.triples((None, None, concept("protection"))))


@pytest.mark.django_db
def test_one_concepts_uri_answers_that_concept_only(client):
    response = client.get("/vocabulary/kafala/", HTTP_ACCEPT="application/ld+json")
    graph = graph_of(response, "application/ld+json")
    assert set(graph.subjects(RDF.type, SKOS.Concept)) == {concept("kafala")}
    assert (concept("kafala"), SKOS.altLabel, Literal("الكفالة", lang="ar")) in graph


@pytest.mark.django_db
def test_a_format_parameter_stands_in_for_the_accept_header(client):
    response = client.get("/vocabulary/kafala/?format=turtle", HTTP_ACCEPT="text/html")
    assert (concept("kafala"), RDF.type, SKOS.Concept) in graph_of(response, "text/turtle")


@pytest.mark.django_db
def test_a_person_at_a_concepts_uri_is_sent_to_its_page_in_their_language(client):
    response = client.get(
        "/vocabulary/kafala/", HTTP_ACCEPT="text/html,*/*;q=0.8", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 303
    assert response["Location"] == "/ar/vocabulary/kafala/"
    page = client.get(response["Location"])
    assert text_of(page, "h1") == "نظام الكفالة"


@pytest.mark.django_db
def test_an_unknown_format_is_a_400_that_says_which_exist(client):
    response = client.get("/vocabulary/?format=rdf")
    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown format: give one of turtle, jsonld, rdfxml, ntriples."
    )


@pytest.mark.django_db
def test_rdf_xml_and_n_triples_are_served_too_and_other_types_refused(client):
    response = client.get("/vocabulary/kafala/", HTTP_ACCEPT="application/rdf+xml")
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    graph = Graph().parse(data=response.content.decode(), format="xml")
    assert (concept("kafala"), RDF.type, SKOS.Concept) in graph
    response = client.get("/vocabulary/kafala/?format=ntriples")
    graph = Graph().parse(data=response.content.decode(), format="nt")
    assert (concept("kafala"), SKOS.prefLabel, Literal("kafala system", lang="en")) in graph
    assert client.get("/vocabulary/kafala/", HTTP_ACCEPT="*/*").status_code == 303
    refused = client.get("/vocabulary/kafala/", HTTP_ACCEPT="application/json")
    assert refused.status_code == 406
    assert "text/turtle" in refused.content.decode()


@pytest.mark.django_db
def test_an_unknown_concept_is_not_found(client):
    response = client.get("/vocabulary/no-such-concept/", HTTP_ACCEPT="text/turtle", follow=True)
    assert response.status_code == 404
    assert client.get("/fr/vocabulary/no-such-concept/").status_code == 404


@pytest.mark.django_db
def test_the_vocabulary_page_lists_each_collection_in_the_readers_language(client):
    page = soup(client.get("/fr/vocabulary/"))
    headings = [heading.get_text(strip=True) for heading in page.select("main h2")]
    assert len(headings) == 3
    objectives = page.select("#gcm li")
    assert len(objectives) == 23
    assert objectives[0].get_text(" ", strip=True).startswith("GCM 1 ")
    terms = {link.get_text(strip=True) for link in page.select("#terms a")}
    assert {"personnes retournées", "travail forcé"} <= terms
    alternate = page.select_one('link[rel=alternate][type="text/turtle"]')
    assert alternate["href"] == "/vocabulary/?format=turtle"


@pytest.mark.django_db
def test_a_concept_page_names_it_in_every_language_each_marked_with_its_language(client):
    page = soup(client.get("/es/vocabulary/returnees/"))
    assert page.select_one("h1").get_text(strip=True) == "personas retornadas"
    names = {
        span["lang"]: span.get_text(" ", strip=True) for span in page.select("dl.facts dd span")
    }
    assert names["fr"].startswith("personnes retournées")
    assert names["ar"].startswith("العائدون")
    assert page.select_one("dd span[lang=ar]")["dir"] == "rtl"
    broader = page.select_one('a[href="/es/vocabulary/return-and-reintegration/"]')
    assert broader.get_text(strip=True) == "Retorno y reintegración"
