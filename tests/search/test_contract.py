"""The search contract: the same behaviour from the engine and from the database fallback."""

import datetime

import pytest
from wagtail.models import Locale, PageViewRestriction

from knowledge.models import KnowledgePage
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import facet, soup, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    report = LessonsLearnedReportPageFactory(
        title="Reintegration of returnees in Mopti",
        summary="Community committees helped returnees find work near Mopti.",
        themes=["return-and-reintegration"],
        tags=["livelihoods"],
        publication_date=datetime.date(2022, 1, 1),
    )
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Réintégration des personnes de retour à Mopti"
    french.summary = "Des comités communautaires ont aidé les personnes de retour."
    french.save_revision().publish()
    PracticeBriefPageFactory(
        title="Savings groups in Gao",
        summary="Women pool savings so returnees can start small businesses.",
        section_country="NE",
        themes=["community-engagement"],
        tags=["livelihoods"],
        publication_date=datetime.date(2024, 1, 1),
    )
    PolicyNotePageFactory(
        title="Border management and protection",
        summary="Border officials need referral pathways for victims of trafficking.",
        themes=["counter-trafficking"],
        publication_date=datetime.date(2025, 1, 1),
    )
    PolicyNotePageFactory(title="Draft note about returnees", live=False)
    private = PolicyNotePageFactory(title="Private note about returnees")
    PageViewRestriction.objects.create(page=private, restriction_type="login")


@pytest.fixture(params=["database", "engine"])
def backend(request, corpus):
    """Runs a test once on Wagtail's database search and once on the real engine."""
    if request.param == "engine":
        request.getfixturevalue("reindex")()
    return request.param


def search(client, query="", language="en"):
    response = client.get(f"/{language}/search/?{query}")
    assert response.status_code == 200, response.content[:500]
    return response


def test_every_word_of_two_must_match(client, backend):
    assert titles(search(client, "q=returnees+Mopti")) == ["Reintegration of returnees in Mopti"]
    assert titles(search(client, "q=returnees+Tombouctou")) == []


def test_a_longer_query_finds_items_missing_one_word_after_those_holding_all(
    client, backend, request
):
    """Three words: an item holding all three first, then those holding two; one word is not
    enough. A relevant report often lacks one of a reader's words (judged set: "words" kind)."""
    PolicyNotePageFactory(
        title="Women returnees in Mopti", summary="Committees of women who came back."
    )
    if backend == "engine":
        request.getfixturevalue("reindex")()
    first, *others = titles(search(client, "q=women+returnees+Mopti"))
    assert first == "Women returnees in Mopti"
    assert sorted(others) == ["Reintegration of returnees in Mopti", "Savings groups in Gao"]
    assert titles(search(client, "q=women+Tombouctou+Kidal")) == []
    assert "Savings groups in Gao" not in titles(search(client, "q=women+returnees+Mopti+-Gao"))


def test_a_result_missing_a_word_of_the_query_says_which(client, backend, request):
    PolicyNotePageFactory(
        title="Women returnees in Mopti", summary="Committees of women who came back."
    )
    if backend == "engine":
        request.getfixturevalue("reindex")()
    page = soup(search(client, "q=women+returnees+Mopti"))
    missing = {
        card.select_one(".card__title").get_text(strip=True): card.select_one(".card__missing")
        for card in page.select(".card")
    }
    assert missing["Women returnees in Mopti"] is None
    assert missing["Savings groups in Gao"].get_text(" ", strip=True) == "Missing: Mopti"
    assert missing["Reintegration of returnees in Mopti"].get_text(" ", strip=True) == (
        "Missing: women"
    )
    results = client.get("/en/search/json/?q=women+returnees+Mopti").json()["results"]
    assert {r["title"]: r["missing_terms"] for r in results} == {
        "Women returnees in Mopti": [],
        "Savings groups in Gao": ["Mopti"],
        "Reintegration of returnees in Mopti": ["women"],
    }
    results = client.get("/en/search/json/?q=women+retunrees+Mopti").json()["results"]
    assert {r["title"]: r["missing_terms"] for r in results} == {  # a typo matches
        "Women returnees in Mopti": [],
        "Savings groups in Gao": ["Mopti"],
        "Reintegration of returnees in Mopti": ["women"],
    }
    results = client.get('/en/search/json/?q=returnees+"find+work"+women').json()["results"]
    assert {r["title"]: r["missing_terms"] for r in results} == {
        "Reintegration of returnees in Mopti": ["women"],
        "Savings groups in Gao": ['"find work"'],
        "Women returnees in Mopti": ['"find work"'],
    }


@pytest.mark.parametrize(
    "query",
    [
        "returnees-Tombouctou Mopti",  # a hyphenated word is one word: both its parts must match
        "Mopti Mopti Tombouctou",  # a word typed twice is one word
        '"of the" Mopti Tombouctou',  # a phrase of stop words is no word
    ],
)
def test_a_query_of_two_words_still_needs_both(client, backend, query):
    assert titles(search(client, f"q={query}")) == []


def test_a_misspelt_word_is_found_in_another_field_than_the_other_words(client, backend):
    """ "Reintegration" is in the title, "committees" (typed with one m) only in the summary."""
    assert titles(search(client, "q=reintegration+comittees")) == [
        "Reintegration of returnees in Mopti"
    ]


def test_quoted_phrases_and_exclusions(client, backend):
    assert titles(search(client, 'q="referral pathways"')) == ["Border management and protection"]
    assert titles(search(client, "q=returnees+-Mopti")) == ["Savings groups in Gao"]


def test_filters_and_facet_counts_agree_with_clicks(client, backend):
    response = search(client, "q=returnees&theme=community-engagement")
    assert titles(response) == ["Savings groups in Gao"]
    assert facet(response, "theme") == {"return-and-reintegration": 1, "community-engagement": 1}
    for dimension, buckets in response.context["facets"].items():
        for bucket in buckets:
            if not bucket.selected:
                clicked = search(client, bucket.url.lstrip("?"))
                assert clicked.context["total"] == bucket.count, (dimension, bucket.value)


def test_gcm_objectives_filter_and_count_like_themes(client, backend, request):
    """Publishing works out the objectives each item serves through its themes and keywords:
    the report (theme return and reintegration: 21; keyword livelihoods: 2), the brief
    (community engagement: 16; livelihoods: 2), the note (counter-trafficking: 10)."""
    for page in KnowledgePage.objects.filter(live=True).specific():
        page.save_revision().publish()
    if backend == "engine":
        request.getfixturevalue("reindex")()
    response = search(client, "")
    assert facet(response, "objective") == {"2": 2, "10": 1, "16": 1, "21": 1}
    headings = [h3.get_text(strip=True) for h3 in soup(response).select(".facet__heading")]
    assert "GCM objective" in headings
    labels = [bucket.label for bucket in response.context["facets"]["objective"]]
    assert labels[0] == (
        "2. Minimize the adverse drivers and structural factors that compel people to leave "
        "their country of origin"
    )
    assert titles(search(client, "objective=2")) == [
        "Savings groups in Gao",
        "Reintegration of returnees in Mopti",
    ]
    both = search(client, "q=returnees&objective=2&objective=10")
    assert titles(both) == ["Reintegration of returnees in Mopti", "Savings groups in Gao"]
    assert facet(both, "objective") == {"2": 2, "10": 0, "16": 1, "21": 1}
    french = search(client, "objective=21", language="fr")
    assert titles(french) == ["Réintégration des personnes de retour à Mopti"]
    assert [bucket.label for bucket in french.context["facets"]["objective"]][-1].startswith(
        "21. Coopérer en vue de faciliter le retour"
    )


def test_facet_counts_agree_with_clicks_when_translations_differ(client, backend, request):
    """A translation dated another year (or tagged otherwise) counts under its own values too:
    a click on its year finds it, so the count says so (the database counted only the version
    shown in the reader's language)."""
    french = KnowledgePage.objects.get(title__startswith="Réintégration").specific
    french.publication_date = datetime.date(2023, 5, 1)
    french.save_revision().publish()
    if backend == "engine":
        request.getfixturevalue("reindex")()
    for url in ("/en/search/?", "/en/search/?q=Mopti", "/en/lessons/?"):
        response = client.get(url)
        assert facet(response, "year")["2023"] == 1
        for dimension, buckets in _facets(response).items():
            for bucket in buckets:
                clicked = client.get(url.split("?")[0] + bucket.url)
                assert _total(clicked) == bucket.count, (url, dimension, bucket.value)


def _facets(response):
    if "listing" in response.context:
        return response.context["listing"].facets
    return response.context["facets"]


def _total(response):
    if "listing" in response.context:
        return response.context["listing"].total
    return response.context["total"]


def test_drafts_and_private_pages_are_never_found(client, backend):
    found = titles(search(client, "q=note"))
    assert "Draft note about returnees" not in found
    assert "Private note about returnees" not in found


def test_translations_collapse_to_the_readers_language(client, backend):
    assert titles(search(client, "q=Mopti", language="en")) == [
        "Reintegration of returnees in Mopti"
    ]
    assert titles(search(client, "q=Mopti", language="fr")) == [
        "Réintégration des personnes de retour à Mopti"
    ]
    both = titles(search(client, "q=Mopti&language=en&language=fr"))
    assert len(both) == 2


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Reintegration of returnees in Mopti"),
        ("fr", "Réintégration des personnes de retour à Mopti"),
    ],
)
def test_lists_without_facets_show_one_version_per_item_in_the_readers_language(
    client, backend, language, title
):
    """The API's list (as a feed's) reads no facets nor highlights: its versions too are the
    reader's where they match."""
    data = client.get("/api/v1/items/", {"q": "Mopti", "prefer_language": language}).json()
    assert ([item["title"] for item in data["results"]], data["count"]) == ([title], 1)


def test_sort_by_date_and_empty_query(client, backend):
    assert titles(search(client, "sort=date")) == [
        "Border management and protection",
        "Savings groups in Gao",
        "Reintegration of returnees in Mopti",
    ]


def test_facet_counts_without_text_are_the_same_on_both_backends(client, backend):
    response = search(client, "")
    assert facet(response, "language") == {"en": 3, "fr": 1}
    assert facet(response, "type") == {"lessons_report": 1, "practice_brief": 1, "policy_note": 1}
    assert facet(response, "tag") == {"livelihoods": 2}


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "title:(", "🙂 returnees", "العائدين", "x" * 500, "' OR 1=1 --"],
)
def test_odd_queries_answer_200(client, backend, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["-1", "abc", "1000000000"])
def test_odd_page_numbers_answer_200(client, backend, page):
    response = client.get("/en/search/", {"q": "returnees", "page": page})
    assert response.status_code == 200
    assert titles(response)


@pytest.mark.parametrize("reader", ["fr", "ar"])
def test_language_counts_are_what_a_click_gives_whatever_the_readers_language(
    client, backend, reader
):
    """An item in English and French counts under both languages, as a click on either finds
    it: like a theme, a language is a value an item may have several of, so the language counts
    may add up to more than the items listed."""
    for query in ("q=Mopti", "q=returnees", "language=en"):
        response = search(client, query, language=reader)
        for bucket in response.context["facets"]["language"]:
            if not bucket.selected:
                clicked = client.get(f"/{reader}/search/{bucket.url}")
                assert clicked.context["total"] == bucket.count, (query, bucket.value)
    assert facet(search(client, "q=Mopti", language=reader), "language") == {"en": 1, "fr": 1}


def test_items_in_the_readers_language_come_before_matches_in_another(client, backend, request):
    """A Spanish brief naming Oujda in its title and summary, an English note in its title only:
    each reader gets the item in their own language first (a match counts twice there)."""
    PolicyNotePageFactory(title="Referral desk in Oujda", summary="A desk opened at the border.")
    PracticeBriefPageFactory(
        language="es",
        section_country="MA",
        title="Mesa de derivación en Oujda",
        summary="La mesa de Oujda atiende a quienes cruzan la frontera.",
    )
    if backend == "engine":
        request.getfixturevalue("reindex")()
    english, spanish = "Referral desk in Oujda", "Mesa de derivación en Oujda"
    assert titles(search(client, "q=Oujda", language="en")) == [english, spanish]
    assert titles(search(client, "q=Oujda", language="es")) == [spanish, english]
