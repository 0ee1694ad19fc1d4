"""/api/v1/items/: filters, sorting, paging, field selection, visibility, item shape, queries."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    section_page,
)

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/items/"


def get(client, path=ITEMS, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json")
    return response


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def items():
    """Three items of different types, countries, themes, keywords and dates."""
    return {
        "report": LessonsLearnedReportPageFactory(
            title="Mali report",
            publication_date=datetime.date(2022, 3, 1),
            countries=["ML"],
            themes=["protection"],
            tags=["border"],
        ),
        "brief": PracticeBriefPageFactory(
            title="Niger brief",
            section_country="NE",
            publication_date=datetime.date(2023, 6, 15),
            countries=["NE"],
            themes=["community-engagement"],
            tags=["youth"],
        ),
        "note": PolicyNotePageFactory(
            title="Chad note",
            section_country="TD",
            publication_date=datetime.date(2024, 9, 30),
            countries=["TD", "NE"],
            themes=["protection", "community-engagement"],
        ),
    }


def test_lists_published_items_newest_first(client, items):
    assert titles(get(client)) == ["Chad note", "Niger brief", "Mali report"]


def test_item_shape(client, items):
    attachment = KnowledgeAttachmentFactory(page=items["note"], title="Full note")
    attachment.document.get_file_size()  # stored on upload in the admin; the factory skips it
    french = items["note"].copy_for_translation(
        section_page("fr", "TD").get_parent().specific.locale, copy_parents=False
    )
    del french  # the copy is a draft: it must not be listed as a translation
    items["note"].save_revision().publish()  # publishing works out its GCM objectives
    item = get(client, ITEMS, type="policy_note").json()["results"][0]
    assert set(item) == {
        "id",
        "title",
        "url",
        "type",
        "language",
        "summary",
        "publication_date",
        "countries",
        "themes",
        "objectives",
        "tags",
        "organisation",
        "authors",
        "attachments",
        "translations",
        "last_published_at",
        "found_by_meaning",
    }
    assert item["id"] == items["note"].pk
    assert item["found_by_meaning"] is False  # no q: nothing is found by meaning
    assert item["url"].startswith("http")
    assert item["url"].endswith("/en/chad/chad-note/")
    assert item["type"] == "policy_note"
    assert item["language"] == "en"
    assert item["publication_date"] == "2024-09-30"
    assert item["countries"] == [{"code": "NE", "name": "Niger"}, {"code": "TD", "name": "Chad"}]
    assert [theme["slug"] for theme in item["themes"]] == ["community-engagement", "protection"]
    assert item["objectives"] == [  # through its themes
        {"number": 7, "title": "Address and reduce vulnerabilities in migration"},
        {
            "number": 16,
            "title": "Empower migrants and societies to realize full inclusion and social cohesion",
        },
    ]
    assert item["organisation"] == "COMPASS"
    attachment = item["attachments"][0]
    assert attachment["title"] == "Full note"
    assert attachment["url"].startswith("http://testserver/documents/")
    assert attachment["type"] == "application/pdf"
    assert attachment["size"] > 2000
    assert item["translations"] == []


def test_translations_link_the_other_published_versions(client, items):
    english = items["report"]
    french = LessonsLearnedReportPageFactory(
        title="Rapport Mali", language="fr", translation_key=english.translation_key
    )
    results = get(client, ITEMS, language=["en", "fr"], type="lessons_report").json()["results"]
    by_language = {item["language"]: item for item in results}
    assert by_language["en"]["translations"] == [
        {"language": "fr", "url": by_language["fr"]["url"]}
    ]
    assert by_language["fr"]["translations"][0]["language"] == "en"
    assert french.pk == by_language["fr"]["id"]


def test_translations_collapse_into_the_preferred_language(client, items):
    LessonsLearnedReportPageFactory(
        title="Rapport Mali", language="fr", translation_key=items["report"].translation_key
    )
    assert "Rapport Mali" not in titles(get(client))
    assert "Mali report" in titles(get(client))
    preferred = titles(get(client, ITEMS, prefer_language="fr"))
    assert "Rapport Mali" in preferred and "Mali report" not in preferred


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "practice_brief"}, ["Niger brief"]),
        ({"type": ["practice_brief", "policy_note"]}, ["Chad note", "Niger brief"]),
        ({"country": "NE"}, ["Chad note", "Niger brief"]),
        ({"country": "ml"}, ["Mali report"]),
        ({"theme": "protection"}, ["Chad note", "Mali report"]),
        ({"theme": "protection", "country": "NE"}, ["Chad note"]),
        ({"tag": "youth"}, ["Niger brief"]),
        ({"tag": "unknown-keyword"}, []),
        ({"year": "2023"}, ["Niger brief"]),
        ({"language": "en"}, ["Chad note", "Niger brief", "Mali report"]),
        ({"language": "fr"}, []),
        ({"published_after": "2023-06-15"}, ["Chad note", "Niger brief"]),
        ({"published_before": "2023-06-14"}, ["Mali report"]),
        (
            {"published_after": "2023-01-01", "published_before": "2023-12-31"},
            ["Niger brief"],
        ),
    ],
)
def test_filters(client, items, params, expected):
    response = get(client, ITEMS, **params)
    assert titles(response) == expected
    assert response.json()["count"] == len(expected)


def test_free_text_uses_the_search_service(client, items):
    PolicyNotePageFactory(title="Border protection for herders", summary="Pastoralists cross.")
    response = get(client, ITEMS, q="herders")
    assert titles(response) == ["Border protection for herders"]
    assert titles(get(client, ITEMS, q="herders", country="TD")) == []
    assert titles(get(client, ITEMS, q="note", sort="-publication_date")) == ["Chad note"]


def test_free_text_pages_across_the_search_services_pages(client, settings):
    settings.KNOWLEDGE_PAGE_SIZE = 3
    for day in range(1, 9):
        PolicyNotePageFactory(
            title=f"Herders note {day}", publication_date=datetime.date(2024, 1, day)
        )
    first = get(client, ITEMS, q="herders", sort="-publication_date", page_size=5).json()
    second = get(client, ITEMS, q="herders", sort="-publication_date", page_size=5, page=2).json()
    assert (first["count"], first["pages"], second["page"]) == (8, 2, 2)
    names = [item["title"] for item in first["results"] + second["results"]]
    assert names == [f"Herders note {day}" for day in range(8, 0, -1)]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-publication_date", ["Chad note", "Niger brief", "Mali report"]),
        ("publication_date", ["Mali report", "Niger brief", "Chad note"]),
        ("title", ["Chad note", "Mali report", "Niger brief"]),
        ("-title", ["Niger brief", "Mali report", "Chad note"]),
    ],
)
def test_sorting(client, items, sort, expected):
    assert titles(get(client, ITEMS, sort=sort)) == expected


def test_pagination_links(client, items):
    first = get(client, ITEMS, page_size=2, country="NE", sort="title").json()
    assert (first["count"], first["page"], first["pages"], first["page_size"]) == (2, 1, 1, 2)
    first = get(client, ITEMS, page_size=2, sort="title").json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    assert first["next"].startswith("http://testserver/api/v1/items/?")
    assert "page=2" in first["next"] and "sort=title" in first["next"]
    second = client.get(first["next"]).json()
    assert [item["title"] for item in second["results"]] == ["Niger brief"]
    assert second["next"] is None
    assert "page=1" in second["previous"]


def test_a_page_past_the_last_is_a_404_naming_the_page(client, items):
    response = get(client, ITEMS, page=3, page_size=2)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["parameter"] == "page"


def test_page_one_of_nothing_is_an_empty_list(client):
    body = get(client, ITEMS, country="ML").json()
    assert (body["count"], body["pages"], body["results"]) == (0, 1, [])


def test_field_selection(client, items):
    results = get(client, ITEMS, fields="title,url,countries", sort="title").json()["results"]
    assert list(results[0]) == ["title", "url", "countries"]
    assert results[0]["countries"] == [
        {"code": "NE", "name": "Niger"},
        {"code": "TD", "name": "Chad"},
    ]


def test_drafts_and_private_pages_never_appear(client, items):
    PolicyNotePageFactory(title="Draft note", live=False)
    private = PolicyNotePageFactory(title="Private note")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    in_private_section = PolicyNotePageFactory(title="Hidden section note", section_country="ML")
    PageViewRestriction.objects.create(page=section_page("en", "ML"), restriction_type="login")
    listed = titles(get(client, ITEMS, page_size=100))
    assert listed == ["Chad note", "Niger brief"]
    assert titles(get(client, ITEMS, q="note")) == ["Chad note"]
    for page in (private, in_private_section, items["report"]):
        assert get(client, f"{ITEMS}{page.pk}/").status_code == 404


def test_detail(client, items):
    response = get(client, f"{ITEMS}{items['brief'].pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Niger brief"
    assert response.json()["type"] == "practice_brief"
    selected = get(client, f"{ITEMS}{items['brief'].pk}/", fields="id,tags").json()
    assert selected == {"id": items["brief"].pk, "tags": [{"slug": "youth", "name": "youth"}]}


def test_detail_of_an_unknown_id_is_a_404(client):
    for path in (f"{ITEMS}999999/", f"{ITEMS}{10**30}/"):
        response = get(client, path)
        assert response.status_code == 404
        assert response.json() == {
            "error": {"code": "not_found", "message": "No published item has this id."}
        }


def test_list_queries_do_not_grow_with_the_page(client, items, django_assert_max_num_queries):
    for number in range(3):
        KnowledgeAttachmentFactory(page=items["note"], title=f"Annex {number}")
    with django_assert_max_num_queries(20) as few:
        get(client, ITEMS, page_size=3)
    for number in range(12):
        LessonsLearnedReportPageFactory(title=f"Report {number}", tags=["border", "youth"])
        KnowledgeAttachmentFactory(page=PolicyNotePageFactory(title=f"Note {number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = get(client, ITEMS, page_size=30)
    assert len(response.json()["results"]) == 27
