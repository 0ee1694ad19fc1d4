"""/search/ on the embedded default (Wagtail's database search backend)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from search.query import KnowledgeQuery
from search.results import search_knowledge
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import soup, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    return [
        LessonsLearnedReportPageFactory(
            title="Reintegration of returnees in Mopti",
            summary="Community committees helped returnees find work.",
            publication_date=datetime.date(2022, 1, 1),
        ),
        PracticeBriefPageFactory(
            title="Savings groups in Gao",
            summary="Women pool savings so returnees can start small businesses.",
            section_country="NE",
            themes=["community-engagement"],
            publication_date=datetime.date(2024, 1, 1),
        ),
        PolicyNotePageFactory(
            title="Border management and protection",
            summary="Border officials need referral pathways for victims of trafficking.",
            themes=["counter-trafficking"],
            publication_date=datetime.date(2025, 1, 1),
        ),
    ]


def test_free_text_finds_matching_items(client, items):
    response = client.get("/en/search/?q=returnees")
    assert response.status_code == 200
    assert set(titles(response)) == {"Reintegration of returnees in Mopti", "Savings groups in Gao"}


def test_all_terms_must_match(client, items):
    assert titles(client.get("/en/search/?q=returnees+Mopti")) == [
        "Reintegration of returnees in Mopti"
    ]


def test_quoted_phrases_match_as_phrases(client, items):
    assert titles(client.get('/en/search/?q="referral pathways"')) == [
        "Border management and protection"
    ]
    assert titles(client.get('/en/search/?q="pathways referral"')) == []


def test_search_text_combines_with_filters_and_counts(client, items):
    response = client.get("/en/search/?q=returnees&country=NE")
    assert titles(response) == ["Savings groups in Gao"]
    counts = {b.value: b.count for b in response.context["facets"]["country"]}
    assert counts == {"ML": 1, "NE": 1}


def test_a_selected_filter_that_matches_nothing_can_still_be_cleared(client, items):
    response = client.get("/en/search/?q=Mopti&country=ML&country=EG")
    egypt = next(b for b in response.context["facets"]["country"] if b.value == "EG")
    assert egypt.selected and egypt.count == 0
    assert "Clear all filters" in response.content.decode()


def test_sort_by_date_puts_newest_first(client, items):
    response = client.get("/en/search/?q=returnees&sort=date")
    assert titles(response) == ["Savings groups in Gao", "Reintegration of returnees in Mopti"]


def test_empty_search_lists_everything_newest_first(client, items):
    assert titles(client.get("/en/search/")) == [
        "Border management and protection",
        "Savings groups in Gao",
        "Reintegration of returnees in Mopti",
    ]


def test_drafts_and_private_pages_are_not_found(client, items):
    draft = PolicyNotePageFactory(title="Draft about returnees", live=False)
    private = PolicyNotePageFactory(title="Private returnees note")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    found = titles(client.get("/en/search/?q=returnees"))
    assert draft.title not in found and private.title not in found


def test_search_works_under_every_language_prefix(client, items):
    for language in ("fr", "ar", "es"):
        response = client.get(f"/{language}/search/?q=returnees")
        assert response.status_code == 200
        assert len(titles(response)) == 2


def test_results_show_type_language_and_link(client, items):
    content = client.get("/en/search/?q=Gao").content.decode()
    assert "Community-led practice brief" in content
    assert 'href="/en/niger/savings-groups-in-gao/"' in content


def test_engine_syntax_the_database_cannot_honour_is_read_as_spaces(client, items):
    assert titles(client.get("/en/search/?q=Mopti:returnees")) == [
        "Reintegration of returnees in Mopti"
    ]
    assert titles(client.get("/en/search/?q=Mopti+*")) == ["Reintegration of returnees in Mopti"]
    assert titles(client.get("/en/search/?q=(Mopti)")) == ["Reintegration of returnees in Mopti"]


def test_search_answers_get_and_head_only(client, items):
    assert client.head("/en/search/?q=Mopti").status_code == 200
    assert client.post("/en/search/", {"q": "Mopti"}).status_code == 405


ODD_QUERIES = [
    '"unbalanced quote',
    "title:(",
    "AND OR NOT",
    "🙂 migration 🌍",
    "الهجرة",
    "x" * 500,
    "returnees -Mopti",
    "' OR 1=1 --",
    "NEAR(returnees Mopti)",
    "^returnees",
    "returnees*",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_answer_200(client, items, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["*", "&", "-", '"', "(((", "*:*", "🙂", "« »"])
def test_text_without_words_asks_for_words(client, items, query):
    """Text that holds no word lists nothing, and the page says why (it listed every item)."""
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 400
    assert "Type at least one word or number to search for." in response.content.decode()
    assert "results_page" not in response.context
    json = client.get("/en/search/json/", {"q": query})
    assert json.status_code == 400
    assert json.json()["errors"] == ["Search: Type at least one word or number to search for."]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "a\x00b"},
        {"country": "ZZ"},
        {"sort": "sideways"},
        {"year": "20000"},
    ],
)
def test_bad_input_answers_400_with_a_message(client, items, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "abc", "1000000000", "1e9"])
def test_odd_page_numbers_answer_200(client, items, page):
    assert client.get("/en/search/", {"q": "returnees", "page": page}).status_code == 200


def test_the_search_box_sorts_by_relevance_unless_asked_otherwise(client, items):
    """An empty search lists the newest first, but its form must not then send "newest first"
    with the words typed next (it pre-selected it, so typed searches came back by date)."""
    selected = soup(client.get("/en/search/")).select_one("#search-sort option[selected]")
    assert selected["value"] == "relevance"
    asked = soup(client.get("/en/search/?q=note&sort=date")).select_one(
        "#search-sort option[selected]"
    )
    assert asked["value"] == "-publication_date"


def test_a_second_slice_of_a_database_answer_counts_no_facets_again(items):
    """Facets are counted once per answer (each later slice recounted them: six queries more)."""
    results = search_knowledge(KnowledgeQuery(text="note"), facets=True)
    list(results[0:1])
    with CaptureQueriesContext(connection) as queries:
        list(results[1:2])
    assert len(queries) <= 5


def _translate(page, language, title):
    version = page.copy_for_translation(Locale.objects.get(language_code=language))
    version.title = title
    version.save_revision().publish()
    return version


def test_each_result_names_and_links_its_other_languages(client, items):
    """Search results and listings say in which other languages an item can be read, each a
    link to that version; a draft translation is never named."""
    french = _translate(items[0], "fr", "Réintégration à Mopti")
    arabic = _translate(items[0], "ar", "إعادة الإدماج في موبتي")
    items[1].copy_for_translation(Locale.objects.get(language_code="es"))  # a draft
    for url in ("/en/search/?q=returnees", "/en/lessons/", "/en/practice-briefs/"):
        cards = {
            card.select_one(".card__title").get_text(strip=True): card
            for card in soup(client.get(url)).select(".card")
        }
        if "Reintegration of returnees in Mopti" in cards:
            versions = cards["Reintegration of returnees in Mopti"].select_one(".card__versions")
            assert versions.get_text(" ", strip=True).startswith("Also in:")
            assert [(a.get_text(), a["href"], a["hreflang"]) for a in versions.select("a")] == [
                ("العربيّة", arabic.url, "ar"),
                ("Français", french.url, "fr"),
            ]
        if "Savings groups in Gao" in cards:
            assert not cards["Savings groups in Gao"].select(".card__versions")


@pytest.mark.parametrize("url", ["/en/search/?q=Kayes", "/en/policy-notes/"])
def test_other_languages_of_results_cost_no_query_per_result(client, url, settings):
    for n in range(4):
        note = PolicyNotePageFactory(title=f"Kayes note {n}", summary="Referral near Kayes.")
        _translate(note, "fr", f"Note de Kayes {n}")
    client.get(url)  # fills Wagtail's caches
    counts = []
    for size in (1, 4):
        settings.KNOWLEDGE_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(soup(response).select(".card__versions a")) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
