"""User text reaches the database's full-text search (SQLite FTS5, PostgreSQL tsquery) as words only.

Quotes, NUL bytes and operators typed into any search box, public or admin, must never reach the
database as syntax: every such request answers normally (issue: a lone double quote in the search
box's autocomplete raised "unterminated string" on SQLite).
"""

import pytest

from tests.factories import LessonsLearnedReportPageFactory

pytestmark = pytest.mark.django_db

#: Query syntax of FTS5 and tsquery, and the quote and NUL bytes that break their string literals.
HOSTILE_QUERIES = [
    '"abc',
    'ab"c',
    '"',
    '-"x',
    'a -"',
    '"a" "',
    "Mop\x00ti",
    "a'b",
    "a\\b",
    "NEAR(a b)",
    "mop*",
    "a & !b",
    "a:*",
]


@pytest.fixture
def report():
    return LessonsLearnedReportPageFactory(title="Reintegration in Mopti")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize(
    "url", ["/en/search/autocomplete/", "/en/search/json/", "/api/v1/items/", "/en/feeds/rss/"]
)
def test_public_search_boxes_answer_any_text(client, report, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/search/",
        "/admin/documents/",
        "/admin/snippets/knowledge/country/",
        "/admin/snippets/knowledge/theme/",
    ],
)
def test_admin_search_boxes_answer_any_text(admin_client, report, url, query):
    assert admin_client.get(url, {"q": query}).status_code == 200


def test_autocomplete_reads_quoted_text_as_its_words(client, report):
    data = client.get("/en/search/autocomplete/", {"q": '"Mop'}).json()
    assert [s["title"] for s in data["suggestions"]] == ["Reintegration in Mopti"]
    data = client.get("/en/search/autocomplete/", {"q": "Mop\x00ti"}).json()
    assert [s["title"] for s in data["suggestions"]] == ["Reintegration in Mopti"]


def test_taxonomy_snippets_are_found_by_name_and_code(admin_client):
    """The country and theme listings of the admin search their names, codes and slugs (they
    answered 500 to every search on SQLite when their listings named fields to search)."""
    response = admin_client.get("/admin/snippets/knowledge/country/", {"q": "ML"})
    assert "Mali" in {str(country) for country in response.context["object_list"]}
    response = admin_client.get("/admin/snippets/knowledge/theme/", {"q": "protection"})
    assert "protection" in {theme.slug for theme in response.context["object_list"]}
