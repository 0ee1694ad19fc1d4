"""What readers see on the home page and on each knowledge page."""

import datetime

import pytest
from wagtail.models import Locale

from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    page = LessonsLearnedReportPageFactory(
        title="Reintegration in Mopti",
        countries=["ML", "NE"],
        themes=["return-and-reintegration"],
        tags=["livelihoods"],
        organisation="COMPASS Mali",
        authors=[{"type": "author", "value": "Awa Traoré"}],
        lessons=[
            {
                "type": "lesson",
                "value": {
                    "statement": "Start with host communities",
                    "explanation": "<p>They stay.</p>",
                },
            },
            {"type": "lesson", "value": {"statement": "Pay for transport", "explanation": ""}},
        ],
        recommendations=[
            {"type": "recommendation", "value": {"statement": "Fund committees", "explanation": ""}}
        ],
    )
    KnowledgeAttachmentFactory(page=page)
    return page


def test_a_report_shows_its_facts_sections_and_attachment(client, report):
    response = client.get(report.url)
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Lessons-learned report",
        "Mali",
        "Niger",
        "Return and reintegration",
        "livelihoods",
        "COMPASS Mali",
        "Awa Traoré",
        "English",
        "May 1, 2024",
    ):
        assert text in content, text
    assert '<ol class="statements">' in content
    assert content.index("Start with host communities") < content.index("Pay for transport")
    assert "Full report" in content
    assert "(PDF, 2.0\xa0KB)" in content


def test_a_policy_note_shows_messages_and_recommendation_audiences(client):
    note = PolicyNotePageFactory(
        recommendations=[
            {
                "type": "recommendation",
                "value": {"statement": "Fund shelters", "audience": "local-authorities"},
            }
        ]
    )
    content = client.get(note.url).content.decode()
    assert "Fund community-led protection." in content
    assert "Fund shelters" in content and "Local authorities" in content


def test_a_practice_brief_shows_its_community_and_practice(client):
    brief = PracticeBriefPageFactory(location="Gao")
    content = client.get(brief.url).content.decode()
    assert "Women&#x27;s savings group" in content
    assert "Members pool savings" in content and "Gao" in content


def test_translations_are_linked_from_each_other(client, report):
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Réintégration à Mopti"
    french.save_revision().publish()
    content = client.get(report.url).content.decode()
    assert "Also available in" in content and "Réintégration à Mopti" in content
    assert 'hreflang="fr"' in content


def test_related_items_share_countries_or_themes(client, report):
    related = PracticeBriefPageFactory(title="Related brief", themes=["return-and-reintegration"])
    PolicyNotePageFactory(
        title="Unrelated note", section_country="EG", themes=["data-and-research"]
    )
    response = client.get(report.url)
    names = [page.title for page in response.context["related_pages"]]
    assert names == [related.title]


def test_home_page_shows_latest_items_and_entry_points(client, report):
    PolicyNotePageFactory(title="Newest note", publication_date=datetime.date(2026, 1, 1))
    content = client.get("/en/").content.decode()
    assert "Reintegration in Mopti" in content and "Newest note" in content
    assert 'href="/en/mali/"' in content and 'href="/en/themes/protection/"' in content
    assert 'role="search"' in content


def test_arabic_pages_render_right_to_left(client):
    content = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert '<html lang="en" dir="ltr">' in client.get("/en/").content.decode()


def test_pages_have_landmarks_and_a_skip_link(client, report):
    content = client.get(report.url).content.decode()
    assert 'href="#main"' in content and '<main id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content


def test_the_language_switcher_links_to_the_same_page_in_other_languages(client):
    content = client.get("/en/lessons/").content.decode()
    assert 'href="/fr/lessons/"' in content and 'href="/ar/lessons/"' in content


def test_root_url_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_cards_name_countries_and_themes_in_the_readers_language(client, report):
    content = client.get("/ar/lessons/").content.decode()
    assert "Reintegration in Mopti" in content
    assert "مالي" in content and "العودة وإعادة الإدماج" in content


def test_interface_is_translated(client, report):
    assert "Enseignements tirés" in client.get("/fr/").content.decode()
    assert "الدروس المستفادة" in client.get("/ar/search/").content.decode()
    assert "Buscar" in client.get("/es/search/").content.decode()
