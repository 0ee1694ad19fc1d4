"""A query that names a concept of the vocabulary also finds what is written with the concept's
labels in other languages, on the database backend and on the real engine; the result says which
concept found it, and the words typed still come first."""

import pytest

from search.expansion import MAX_EXCLUDED_LABELS, excluded_concepts, expansion_of
from search.query import split_query
from tests.factories import PracticeBriefPageFactory
from tests.helpers import soup, titles

pytestmark = pytest.mark.django_db

GRANTS = "Cash grants in Kayes"
KAFALA = "إصلاح نظام الكفالة في لبنان"
SPONSOR = "Leaving a kafala sponsor"
TRAFFICKING = "Along the Eastern Route"
RETOUR = "Accueillir les personnes retournées à Gao"


@pytest.fixture
def corpus():
    return [
        PracticeBriefPageFactory(
            title=GRANTS,
            summary="Returnees who received a grant in Kayes started a business within a year.",
        ),
        PracticeBriefPageFactory(
            language="ar",
            section_country="LB",
            title=KAFALA,
            summary="تقيّد الكفالة العاملات المنزليات بصاحب العمل وتمنعهن من تغيير العمل.",
        ),
        PracticeBriefPageFactory(
            title=SPONSOR,
            section_country="LB",
            summary="Domestic workers under kafala could not change employer without consent.",
        ),
        PracticeBriefPageFactory(
            title=TRAFFICKING,
            summary="Victims of trafficking were sold as debts passed between exploiters.",
        ),
        PracticeBriefPageFactory(
            language="fr",
            title=RETOUR,
            summary="Les personnes retournées à Gao ont trouvé un logement en trois mois.",
        ),
    ]


def search(client, language, text):
    return client.get(f"/{language}/search/", {"q": text})


def test_a_french_query_finds_the_english_item_through_the_concept_it_names(client, backend):
    response = search(client, "fr", "personnes retournées")
    assert titles(response)[0] == RETOUR  # the words typed first
    assert GRANTS in titles(response)
    card = next(card for card in soup(response).select("article.card") if GRANTS in card.get_text())
    why = card.select_one(".card__concepts")
    assert why.get_text(" ", strip=True) == "Trouvé grâce au concept : personnes retournées"
    assert why.select_one("a")["href"] == "/fr/vocabulary/returnees/"
    assert card.select_one(".badge--language").get_text(strip=True) == "Anglais"


def test_an_english_query_finds_the_arabic_item_and_a_french_one_the_english(client, backend):
    assert titles(search(client, "en", "kafala")) == [SPONSOR, KAFALA]  # the words typed first
    assert titles(search(client, "fr", "victimes de la traite")) == [TRAFFICKING]


def test_a_theme_is_not_expanded_its_items_are_found_by_its_name(client, backend):
    # "traite des êtres humains" is a label of the counter-trafficking theme: the items tagged
    # with the theme are found by its French name ("Lutte contre la traite"), not by its labels.
    assert titles(search(client, "fr", "traite des êtres humains")) == []


def test_the_rest_of_the_query_must_still_match(client, backend):
    # "rapatriés", another label of the concept, is in neither French nor English item.
    assert titles(search(client, "fr", "rapatriés Kayes")) == [GRANTS]
    assert titles(search(client, "fr", "rapatriés -Kayes")) == [RETOUR]


def test_excluding_a_concept_leaves_out_the_items_holding_any_of_its_labels(client, backend):
    # No item holds "rapatriés"; the English one says "returnees", the French one "personnes
    # retournées": labels of the same concept.
    assert set(titles(search(client, "en", "-rapatriés"))) == {KAFALA, SPONSOR, TRAFFICKING}
    assert titles(search(client, "fr", 'Gao -"returnees"')) == []


def test_stop_words_around_a_concept_do_not_count(client, backend):
    assert sorted(titles(search(client, "en", "the returnees"))) == sorted([GRANTS, RETOUR])


def test_every_other_word_is_required_beside_a_concept_however_long_the_query(client, backend):
    # Of the words typed, two of three would do; beside a concept's labels, all others must match.
    assert titles(search(client, "fr", "rapatriés Kayes Gao")) == []


def test_an_item_holding_the_words_typed_says_nothing_of_a_concept(client, backend):
    response = search(client, "en", "kafala")
    cards = {
        card.select_one("h3").get_text(strip=True): card
        for card in soup(response).select("article.card")
    }
    assert cards[SPONSOR].select_one(".card__concepts") is None
    why = cards[KAFALA].select_one(".card__concepts").get_text(" ", strip=True)
    assert why == "Found through the concept: kafala system"


def test_the_json_names_the_concept(client, backend):
    body = client.get("/fr/search/json/", {"q": "personnes retournées"}).json()
    found = {result["title"]: result["matched_concepts"] for result in body["results"]}
    assert found[RETOUR] == []
    assert found[GRANTS] == [
        {
            "name": "personnes retournées",
            "language": "fr",
            "url": "http://testserver/fr/vocabulary/returnees/",
        }
    ]


def test_without_a_vocabulary_the_query_finds_its_own_words_only(client, backend, settings):
    settings.SEARCH_QUERY_EXPANSION = ""
    assert titles(search(client, "fr", "personnes retournées")) == [RETOUR]


def test_a_concept_is_found_by_its_content_words_whatever_the_stop_words_and_accents():
    expansion = expansion_of(split_query("Victimes de la TRAITE au Niger"), "es")
    (concept,) = expansion.concepts
    assert (concept.start, concept.stop, concept.name) == (0, 4, "víctimas de trata")
    assert ("victims of trafficking", "en") in concept.labels
    assert expansion.rest.words == ("au", "Niger")


def test_the_concepts_exclusions_name_share_one_budget_of_labels():
    excluded = excluded_concepts(
        split_query('-returnees -kafala -"victims of trafficking" -jungle'), "en"
    )
    assert [concept.identifier for concept in excluded] == [
        "returnees",
        "kafala",
        "victims-of-trafficking",
    ]
    assert sum(len(concept.labels) for concept in excluded) <= MAX_EXCLUDED_LABELS
