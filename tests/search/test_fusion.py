"""Words and meaning in one ranking (search.fusion), on the database backend and on the real engine:
a reader finds an item written in another language, exact matches keep their place, and filters,
facets, collapsing and paging stay exact. Real model, real passage vectors."""

import pytest
from wagtail.models import Locale

from knowledge.filters import KnowledgeFilters
from search import embeddings
from search.fusion import WORD_DEPTH, fused_slice, reciprocal_rank_fusion, words_to_read
from search.passage_index import update_pages
from search.query import KnowledgeQuery
from search.results import search_knowledge
from tests.factories import PolicyNotePageFactory
from tests.helpers import facet, soup, titles
from tests.search.semantic_corpus import (
    CHILDREN,
    FRENCH_QUERY,
    RADIO,
    REGULARISATION,
    forget_query_vectors,
    make_corpus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_query_vectors():
    forget_query_vectors()


@pytest.fixture
def corpus():
    return make_corpus()


def french_version(report, index):
    """Publish and index a French version of ``report`` saying what its summary says."""
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Campagnes de régularisation au Maroc"
    french.summary = "Des milliers de migrants ont reçu un titre de séjour en 2014 et en 2017."
    french.save_revision().publish()
    index([french])
    return french


@pytest.fixture
def index(request, backend):
    """Call with pages made or changed after the corpus: their passages embedded (unless not
    ``embed``) and, on the engine, the index built again, as the task and outbox workers would."""

    def bring_up_to_date(pages, embed=True):
        if embed:
            update_pages([page.pk for page in pages])
        if backend == "engine":
            request.getfixturevalue("reindex")()

    return bring_up_to_date


def test_fusion_adds_the_scores_of_each_ranking_and_breaks_ties_by_the_first():
    assert reciprocal_rank_fusion({"a": 1, "b": 2, "c": 3}, {"c": 1, "d": 2}) == [
        "c",
        "a",
        "b",
        "d",
    ]
    assert reciprocal_rank_fusion({"a": 1}, {"b": 1}) == ["a", "b"]
    # A ranking may tell a deep rank of one result without the ranks above it.
    assert reciprocal_rank_fusion({"a": 1, "x": 40}, {"x": 1, "b": 2}) == ["x", "a", "b"]


def test_below_the_fused_depth_the_words_keep_their_order_and_slices_add_up():
    words = [f"w{rank}" for rank in range(1, WORD_DEPTH + 31)]
    meaning = {"m1": 1, f"w{WORD_DEPTH + 20}": 2, "w3": 3}
    whole = fused_slice(words, meaning, 0, len(words) + 1)
    assert whole[:3] == ["w3", "w1", "m1"]  # in both rankings, then first of each
    assert whole.index(f"w{WORD_DEPTH + 20}") < whole.index(f"w{WORD_DEPTH}")  # meaning lifts it
    deeper = range(WORD_DEPTH + 1, WORD_DEPTH + 31)
    assert whole[-29:] == [f"w{rank}" for rank in deeper if rank != WORD_DEPTH + 20]
    for stop in (5, WORD_DEPTH, WORD_DEPTH + 7, len(whole)):
        read = words[: words_to_read(stop)]
        assert fused_slice(read, meaning, stop - 5, stop) == whole[stop - 5 : stop], stop


def test_a_french_reader_finds_the_english_report_no_french_word_matches(client, corpus, backend):
    response = client.get("/fr/search/", {"q": FRENCH_QUERY})
    assert titles(response)[0] == REGULARISATION


def test_an_arabic_reader_finds_the_spanish_note(client, corpus, backend):
    response = client.get("/ar/search/", {"q": "الأطفال المهاجرون غير المصحوبين"})
    assert titles(response)[0] == CHILDREN


def test_a_query_about_nothing_held_finds_nothing(client, corpus, backend):
    response = client.get("/en/search/", {"q": "quantum chromodynamics lattice"})
    assert titles(response) == []


def test_an_exact_match_by_words_stays_first(client, corpus, backend):
    """ "radio" names one note; the meaning side's neighbours come after it."""
    assert titles(client.get("/en/search/", {"q": "radio"}))[0] == RADIO


def test_filters_and_facets_count_what_meaning_found(client, corpus, backend):
    query = {"q": FRENCH_QUERY}
    response = client.get("/fr/search/", query)
    assert REGULARISATION in titles(response)
    assert facet(response, "language")["en"] == 1
    assert REGULARISATION in titles(client.get("/fr/search/", {**query, "country": "MA"}))
    assert REGULARISATION not in titles(client.get("/fr/search/", {**query, "country": "ML"}))
    # A language selected: versions, not items.
    assert titles(client.get("/fr/search/", {**query, "language": "en"})) == [REGULARISATION]


def test_an_excluded_word_leaves_out_what_meaning_found(client, corpus, backend):
    query = f"{FRENCH_QUERY} -residence"
    assert REGULARISATION not in titles(client.get("/fr/search/", {"q": query}))


def test_a_list_by_date_keeps_the_items_holding_the_words(client, corpus, backend):
    """Feeds and digests list by date: what they send must hold the words."""
    query = {"q": FRENCH_QUERY, "sort": "-publication_date"}
    assert REGULARISATION not in titles(client.get("/fr/search/", query))


def test_an_unpublished_version_s_meaning_does_not_bring_its_item_s_other_versions(
    client, corpus, index
):
    """Its vectors stay until the task worker drops them."""
    report = corpus[0]
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Rapport annuel"
    french.save_revision().publish()
    report.unpublish()
    index([], embed=False)
    found = titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))
    assert "Rapport annuel" not in found and REGULARISATION not in found


def test_an_item_found_by_meaning_is_shown_in_the_reader_s_language(client, corpus, index):
    report = corpus[0]
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Campagnes de régularisation au Maroc"
    french.save_revision().publish()
    index([french])
    found = titles(client.get("/fr/search/", {"q": "titres de séjour pour les migrants"}))
    assert "Campagnes de régularisation au Maroc" in found
    assert REGULARISATION not in found


def test_slices_of_a_fused_answer_add_up_to_the_whole_when_a_near_item_ranks_deep_by_words(
    corpus, index
):
    """The report holds "migrants" once, in its summary; a dozen notes hold it in their titles,
    so its words' rank is below the first slices while its meaning ranks it near the top."""
    notes = [
        PolicyNotePageFactory(title=f"Migrants at the market of Gao, week {week}")
        for week in range(12)
    ]
    index(notes)
    query = KnowledgeQuery(text="migrants", language="en")
    whole = [page.pk for page in search_knowledge(query)[:20]]
    assert corpus[0].pk in whole
    for size in (1, 2, 3, 5):
        pieces = [
            page.pk
            for start in range(0, len(whole), size)
            for page in search_knowledge(query)[start : start + size]
        ]
        assert pieces == whole, size
    assert search_knowledge(query).count() == len(whole)


def test_a_busy_model_leaves_the_search_to_words_alone(client, corpus, backend, settings):
    settings.SEMANTIC_QUERY_WAIT = 0.05
    embeddings._lock.acquire()  # another thread embedding pages
    try:
        response = client.get("/fr/search/", {"q": FRENCH_QUERY})
    finally:
        embeddings._lock.release()
    assert response.status_code == 200
    assert REGULARISATION not in titles(response)
    assert REGULARISATION in titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))


def test_the_page_says_when_no_result_contains_the_reader_s_words(client, corpus, backend):
    page = soup(client.get("/fr/search/", {"q": FRENCH_QUERY}))
    notice = page.select_one(".listing__results .notice").get_text()
    assert "Aucun de ces résultats ne contient vos mots" in notice
    assert not page.select(".card__meaning")  # said once, not on every card


def test_a_result_found_by_meaning_among_word_matches_says_so(client, corpus, index):
    note = PolicyNotePageFactory(
        language="fr", title="Titres de séjour des sans-papiers à Gao", summary="Un recensement."
    )
    index([note], embed=False)  # its meaning, near too, would leave the report out (MARGIN)
    query = {"q": "sans-papiers titres de séjour"}
    page = soup(client.get("/fr/search/", query))
    cards = {
        card.select_one(".card__title").get_text(strip=True): card for card in page.select(".card")
    }
    assert cards[REGULARISATION].select_one(".card__meaning").get_text() == (
        "Proche par le sens ; ne contient pas vos mots."
    )
    assert not cards[REGULARISATION].select(".card__missing")  # it lacks them all
    assert not cards["Titres de séjour des sans-papiers à Gao"].select(".card__meaning")
    assert not page.select(".listing__results > .notice")
    found = {
        result["title"]: result["found_by_meaning"]
        for result in client.get("/fr/search/json/", query).json()["results"]
    }
    assert found[REGULARISATION] and not found["Titres de séjour des sans-papiers à Gao"]


def test_a_result_found_by_meaning_shows_its_passage_nearest_the_query(client, corpus, backend):
    """In the language it is written in, without the title every passage starts with."""
    page = soup(client.get("/fr/search/", {"q": FRENCH_QUERY}))
    card = next(c for c in page.select(".card") if REGULARISATION in c.get_text())
    passage = card.select_one(".card__passage")
    assert passage["lang"] == "en"
    assert passage.get_text(strip=True) == (
        "Thousands of migrants received a residence permit in 2014 and 2017."
    )
    result = client.get("/fr/search/json/", {"q": FRENCH_QUERY})
    nearest = next(r for r in result.json()["results"] if r["title"] == REGULARISATION)
    assert nearest["nearest_passage"]["language"] == "en"


def test_the_notice_speaks_of_the_whole_answer_not_of_one_page(client, corpus, index, settings):
    """Page 2 held only the item found by meaning, and said none of the results held the words."""
    settings.KNOWLEDGE_PAGE_SIZE = 1
    note = PolicyNotePageFactory(language="fr", title="Titres de séjour des sans-papiers à Gao")
    index([note], embed=False)  # its meaning, near too, would leave the report out (MARGIN)
    query = {"q": "sans-papiers titres de séjour"}
    pages = [soup(client.get("/fr/search/", {**query, "page": n})) for n in (1, 2)]
    first = pages[0].select_one(".card__title").get_text(strip=True)
    assert first == "Titres de séjour des sans-papiers à Gao"
    assert not any(page.select(".listing__results > .notice") for page in pages)
    assert pages[1].select_one(".card__meaning")


def test_a_list_by_date_says_it_holds_the_items_with_the_words(client, corpus, backend):
    query = {"q": FRENCH_QUERY, "sort": "-publication_date"}
    notice = soup(client.get("/fr/search/", query)).select_one(".listing__results > .notice")
    assert "Triés par date ou par titre" in notice.get_text()


def test_the_passage_shown_is_the_version_s_own_when_it_is_near(client, corpus, index):
    french_version(corpus[0], index)
    page = soup(client.get("/fr/search/", {"q": "cartes de résident pour les sans-papiers"}))
    card = next(c for c in page.select(".card") if "Campagnes de régularisation" in c.get_text())
    passage = card.select_one(".card__passage")
    assert passage["lang"] == "fr"
    assert passage.get_text(strip=True).startswith("Des milliers de migrants")


def test_related_items_include_one_in_another_language_on_the_same_subject(
    client, corpus, index, settings
):
    """Three notes and the Spanish one share the report's country and theme, none its subject; the
    French note shares its subject only."""
    subjects = ["Fishing cooperatives in Agadir", "Road safety in Tangier", "Football in Fes"]
    neighbours = [PolicyNotePageFactory(title=title, section_country="MA") for title in subjects]
    note = PolicyNotePageFactory(
        language="fr",
        title="Régulariser les sans-papiers au Maroc",
        summary="Des milliers d'étrangers ont reçu un titre de séjour lors des deux campagnes.",
        themes=["community-engagement"],
    )
    index([*neighbours, note])
    related = [page.title for page in client.get(corpus[0].url).context["related_pages"]]
    assert note.title in related and REGULARISATION not in related
    settings.SEMANTIC_SEARCH = False
    related = [page.title for page in client.get(corpus[0].url).context["related_pages"]]
    assert note.title not in related and len(related) == 4


def test_the_api_says_which_items_it_found_by_meaning(client, corpus, backend):
    answer = client.get("/api/v1/items/", {"q": FRENCH_QUERY}).json()
    found = {item["title"]: item["found_by_meaning"] for item in answer["results"]}
    assert found[REGULARISATION] is True
    answer = client.get("/api/v1/items/", {"q": "regularisation"}).json()
    assert [(item["title"], item["found_by_meaning"]) for item in answer["results"]][0] == (
        REGULARISATION,
        False,
    )


def test_an_excluded_word_in_one_version_leaves_out_the_item_meaning_found(client, corpus, index):
    """The English report holds "residence", its French version does not."""
    french_version(corpus[0], index)
    query = {"q": "cartes de résident pour les sans-papiers -residence"}
    found = titles(client.get("/fr/search/", query))
    assert "Campagnes de régularisation au Maroc" not in found and REGULARISATION not in found


@pytest.mark.parametrize("language", [(), ("en",)])
def test_pages_of_a_fused_answer_past_the_fused_depth_add_up_to_the_whole(corpus, index, language):
    """115 word matches: slices cross WORD_DEPTH, with items, then with versions."""
    notes = [
        PolicyNotePageFactory(title=f"Migrants at the market of Gao, week {week}")
        for week in range(WORD_DEPTH + 15)
    ]
    index(notes, embed=False)
    query = KnowledgeQuery(
        text="migrants", language="en", filters=KnowledgeFilters(language=language)
    )
    whole = [page.pk for page in search_knowledge(query)[:300]]
    assert len(whole) == len(set(whole)) == search_knowledge(query).count()
    assert corpus[0].pk in whole
    for size in (7, 33):
        pieces = [
            page.pk
            for start in range(0, len(whole) + size, size)
            for page in search_knowledge(query)[start : start + size]
        ]
        assert pieces == whole, size


def test_one_answer_keeps_one_ranking_when_the_model_was_busy_for_its_first_slice(
    corpus, index, settings
):
    notes = [
        PolicyNotePageFactory(title=f"Migrants at the market of Gao, week {w}") for w in range(12)
    ]
    index(notes, embed=False)
    settings.SEMANTIC_QUERY_WAIT = 0.05
    answer = search_knowledge(KnowledgeQuery(text="migrants", language="en"))
    embeddings._lock.acquire()
    try:
        first = [page.pk for page in answer[0:5]]
    finally:
        embeddings._lock.release()
    pieces = first + [page.pk for page in answer[5:40]]
    assert len(pieces) == len(set(pieces)) == answer.count()
