"""Type listings, country sections and theme pages: filters, counts, pagination, bad parameters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from tests.conftest import rows_for_the_module
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    ThemeFactory,
)
from tests.helpers import facet, soup, titles
from vocabulary.names import vocabulary_names

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def item_ids(django_db_setup, django_db_blocker):
    """``{name: page id}`` of the pages of ``items``, made once for the module."""
    with rows_for_the_module(django_db_blocker):
        yield {name: page.pk for name, page in _make_items().items()}


@pytest.fixture
def items(item_ids):
    return {name: Page.objects.get(pk=pk).specific for name, pk in item_ids.items()}


def _make_items():
    return {
        "mali_report": LessonsLearnedReportPageFactory(
            title="Reintegration in Mopti",
            themes=["return-and-reintegration"],
            tags=["Livelihoods"],
            publication_date=datetime.date(2023, 6, 1),
        ),
        "niger_report": LessonsLearnedReportPageFactory(
            title="Shelters in Agadez",
            section_country="NE",
            themes=["protection"],
            publication_date=datetime.date(2022, 3, 1),
        ),
        "mali_brief": PracticeBriefPageFactory(
            title="Savings groups in Gao",
            themes=["community-engagement"],
            tags=["livelihoods"],
            publication_date=datetime.date(2024, 1, 10),
        ),
        "regional_note": PolicyNotePageFactory(
            title="Sahel protection note",
            section_country=None,
            countries=["ML", "NE"],
            themes=["protection"],
            publication_date=datetime.date(2025, 2, 1),
        ),
        "french_note": PolicyNotePageFactory(
            title="Note sur la protection",
            language="fr",
            countries=["ML"],
            themes=["protection"],
            publication_date=datetime.date(2025, 5, 1),
        ),
    }


def test_type_listing_shows_only_its_type_newest_first(client, items):
    response = client.get("/en/lessons/")
    assert response.status_code == 200
    assert titles(response) == ["Reintegration in Mopti", "Shelters in Agadez"]


def test_listing_counts_and_filters_by_country(client, items):
    response = client.get("/en/policy-notes/")
    assert facet(response, "country") == {"ML": 2, "NE": 1}
    filtered = client.get("/en/policy-notes/?country=NE")
    assert titles(filtered) == ["Sahel protection note"]


@pytest.mark.parametrize(
    "query", ["", "theme=protection", "country=ML&type=policy_note", "country=ML&country=NE"]
)
def test_a_facet_count_is_what_a_click_on_it_gives(client, items, query):
    response = client.get(f"/en/search/?{query}")
    for dimension, buckets in response.context["facets"].items():
        for bucket in buckets:
            if bucket.selected:
                continue
            clicked = client.get(f"/en/search/{bucket.url}")
            assert clicked.context["total"] == bucket.count, (dimension, bucket.value)


def test_a_selected_facet_links_to_the_listing_without_it(client, items):
    response = client.get("/en/lessons/?country=ml")
    mali = next(b for b in response.context["listing"].facets["country"] if b.value == "ML")
    assert mali.selected
    assert "country" not in mali.url


def test_each_dimension_counts_without_its_own_filter(client, items):
    response = client.get("/en/search/?type=lessons_report")
    assert facet(response, "type") == {"lessons_report": 2, "practice_brief": 1, "policy_note": 2}
    assert facet(response, "theme") == {"return-and-reintegration": 1, "protection": 1}


def test_filters_by_year_language_theme_and_tag(client, items):
    assert titles(client.get("/en/search/?year=2024")) == ["Savings groups in Gao"]
    assert titles(client.get("/en/search/?language=fr")) == ["Note sur la protection"]
    assert titles(client.get("/en/search/?theme=community-engagement")) == ["Savings groups in Gao"]
    assert set(titles(client.get("/en/search/?tag=livelihoods"))) == {
        "Reintegration in Mopti",
        "Savings groups in Gao",
    }


def test_several_values_of_one_dimension_are_ored(client, items):
    response = client.get("/en/lessons/?country=ML&country=NE")
    assert set(titles(response)) == {"Reintegration in Mopti", "Shelters in Agadez"}


def test_tags_differing_only_in_case_are_one_tag(client, items):
    assert items["mali_report"].tags.get().pk == items["mali_brief"].tags.get().pk
    assert facet(client.get("/en/search/"), "tag") == {"livelihoods": 2}


def test_items_in_other_languages_are_listed_and_marked(client, items):
    response = client.get("/en/policy-notes/")
    assert "Note sur la protection" in titles(response)
    assert 'lang="fr"' in response.content.decode()


def test_translations_collapse_to_the_readers_language(client, items):
    english = items["regional_note"]
    french = english.copy_for_translation(items["french_note"].locale)
    french.title = "Note sahélienne de protection"
    french.save_revision().publish()
    assert "Sahel protection note" in titles(client.get("/en/policy-notes/"))
    assert "Note sahélienne de protection" not in titles(client.get("/en/policy-notes/"))
    assert "Note sahélienne de protection" in titles(client.get("/fr/policy-notes/"))
    assert "Sahel protection note" not in titles(client.get("/fr/policy-notes/"))


def test_country_section_lists_everything_about_its_country(client, items):
    response = client.get("/en/mali/")
    assert set(titles(response)) == {
        "Reintegration in Mopti",
        "Savings groups in Gao",
        "Sahel protection note",
        "Note sur la protection",
    }
    assert "country" not in response.context["listing"].facets


def test_regional_section_lists_items_about_several_countries(client, items):
    assert titles(client.get("/en/regional-and-global/")) == ["Sahel protection note"]


def test_theme_page_lists_items_of_its_theme_and_unknown_theme_is_404(client, items):
    response = client.get("/en/themes/protection/")
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Shelters in Agadez",
        "Sahel protection note",
        "Note sur la protection",
    }
    assert client.get("/en/themes/no-such-theme/").status_code == 404


def test_theme_index_shows_counts(client, items):
    response = client.get("/en/themes/")
    counts = {theme.slug: theme.item_count for theme in response.context["themes"]}
    assert counts["protection"] == 3
    assert counts["data-and-research"] == 0


def test_drafts_and_private_pages_are_never_listed(client, items):
    draft = PolicyNotePageFactory(title="Unpublished draft", live=False)
    private = PolicyNotePageFactory(title="Private note")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    section = items["niger_report"].get_parent()
    under_private_section = PolicyNotePageFactory(
        title="Note in a private section", section_country="NE"
    )
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    hidden = {draft.title, private.title, under_private_section.title}
    for url in ("/en/policy-notes/", "/en/mali/", "/en/search/", "/en/search/?q=note", "/en/"):
        content = client.get(url).content.decode()
        for title in hidden:
            assert title not in content, (url, title)


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "theme=nothing",
        "type=essay",
        "year=abc",
        "year=1066",
        "language=de",
        "tag=%00",
    ],
)
def test_bad_filter_values_answer_400_with_a_message(client, items, query):
    response = client.get(f"/en/lessons/?{query}")
    assert response.status_code == 400
    assert response.context["listing"].errors
    assert "could not be understood" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1000000000", "2.5", ""])
def test_odd_page_numbers_give_a_page_not_an_error(client, items, page):
    response = client.get(f"/en/lessons/?page={page}")
    assert response.status_code == 200
    assert titles(response)


def test_listing_pages_follow_one_another_newest_first(client, items, settings):
    settings.KNOWLEDGE_PAGE_SIZE = 2
    for n in range(2):
        PolicyNotePageFactory(
            title=f"Policy note {n}", publication_date=datetime.date(2020 + n, 1, 1)
        )
    pages = [titles(client.get(f"/en/policy-notes/?page={n}")) for n in (1, 2, 3)]
    assert pages[0] == ["Note sur la protection", "Sahel protection note"]
    assert pages[1] == ["Policy note 1", "Policy note 0"]
    assert pages[2] == pages[1]  # past the last page: the last page


def test_tag_filter_ignores_case(client, items):
    assert len(titles(client.get("/en/search/?tag=LIVELIHOODS"))) == 2


def test_rejected_values_are_not_echoed_raw(client, items):
    content = client.get("/en/lessons/?country=%00").content.decode()
    assert "\x00" not in content and "\ufffd" in content


def test_too_many_query_parameters_answer_400_not_500(client, items):
    query = "&".join(["country=ML"] * 1001)
    assert client.get(f"/en/lessons/?{query}").status_code == 400
    assert client.get(f"/en/search/?{query}").status_code == 400


def test_unknown_tag_gives_an_empty_list(client, items):
    response = client.get("/en/lessons/?tag=never-used")
    assert response.status_code == 200
    assert titles(response) == []


def test_pagination_splits_long_listings(client, items, settings):
    settings.KNOWLEDGE_PAGE_SIZE = 2
    first = client.get("/en/search/?sort=date")
    second = client.get("/en/search/?sort=date&page=2")
    assert len(titles(first)) == 2
    assert not set(titles(first)) & set(titles(second))
    assert 'rel="next"' in first.content.decode()


def test_unknown_page_is_404(client, items):
    assert client.get("/en/mali/no-such-report/").status_code == 404
    assert client.get("/en/no-such-section/").status_code == 404


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/lessons/",
        "/en/mali/",
        "/en/regional-and-global/",
        "/en/themes/",
        "/en/themes/protection/",
        "/en/search/",
        "/en/search/?q=brief&country=ML",
        "/en/mali/reintegration-in-mopti/",
    ],
)
def test_pages_run_a_bounded_number_of_queries_whatever_the_number_of_items(
    client, items, url, settings, django_assert_max_num_queries
):
    settings.KNOWLEDGE_PAGE_SIZE = 50
    for n in range(5):
        PracticeBriefPageFactory(title=f"Brief {n}", tags=[f"tag {n}"], countries=["ML", "NE"])
    # The vocabulary that names keywords is read once, then cached until it changes.
    vocabulary_names()
    baseline = _queries_for(client, url)
    for n in range(5, 20):
        PracticeBriefPageFactory(title=f"Brief {n}", tags=[f"tag {n}"], countries=["ML", "NE"])
    with django_assert_max_num_queries(baseline):
        client.get(url)
    # 15 to 34 statements; an item page most, with its related items by words and by meaning
    # (one more to read the passage vectors' state: search.semantic.passage_matrix), its GCM
    # objectives, its breadcrumbs and the pages its country and theme chips link to.
    assert baseline <= 34


@pytest.mark.parametrize("url", ["/", "/en/", "/en/lessons/", "/en/mali/", "/en/themes/"])
def test_a_page_reads_the_view_restrictions_in_its_queries_not_again_each_time(client, items, url):
    """Visible pages are public ones, asked in the query of the pages (knowledge.visibility);
    Wagtail's ``public()`` read every restriction row first, a statement per call, 8 to 12 per
    page. Serving a page reads its own restrictions once (Wagtail's ``check_view_restrictions``)."""
    PageViewRestriction.objects.create(page=PolicyNotePageFactory(), restriction_type="login")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, follow=True).status_code == 200
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].split(" FROM ", 1)[-1].startswith('"wagtailcore_pageviewrestriction"')
    ]
    assert len(reads) <= 1, reads


def test_pagination_links_keep_the_filters(client, items, settings):
    settings.KNOWLEDGE_PAGE_SIZE = 1
    response = client.get("/en/search/?theme=protection&sort=date")
    next_link = soup(response).select_one('a[rel="next"]')["href"]
    assert next_link == "?theme=protection&sort=date&page=2"
    assert len(titles(client.get(f"/en/search/{next_link}"))) == 1


def test_theme_pages_answer_400_for_bad_filters(client, items):
    assert client.get("/en/themes/protection/?year=abc").status_code == 400


def test_drafts_and_private_pages_are_not_counted(client, items):
    before_facets = facet(client.get("/en/search/"), "theme")
    before_themes = {t.slug: t.item_count for t in client.get("/en/themes/").context["themes"]}
    PolicyNotePageFactory(title="Draft", live=False, themes=["protection"])
    private = PolicyNotePageFactory(title="Private", themes=["protection"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert facet(client.get("/en/search/"), "theme") == before_facets
    assert {
        t.slug: t.item_count for t in client.get("/en/themes/").context["themes"]
    } == before_themes


def test_theme_list_runs_the_same_queries_whatever_the_number_of_themes(
    client, items, django_assert_max_num_queries
):
    baseline = _queries_for(client, "/en/themes/")
    english = Locale.objects.get(language_code="en")
    for n in range(5):
        theme = ThemeFactory(slug=f"extra-theme-{n}", name=f"Extra theme {n}", locale=english)
        PracticeBriefPageFactory(title=f"Brief on theme {n}", themes=[theme.slug])
    with django_assert_max_num_queries(baseline):
        response = client.get("/en/themes/")
    counts = {theme.slug: theme.item_count for theme in response.context["themes"]}
    assert counts["extra-theme-0"] == 1
    assert counts["protection"] == 3
