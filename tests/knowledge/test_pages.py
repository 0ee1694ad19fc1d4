"""What readers see on the home page and on each knowledge page."""

import datetime
import io

import pytest
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from wagtail.models import Locale, PageViewRestriction

from tests.factories import (
    REPORT_PDF,
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    statements,
)
from tests.helpers import facts, soup, text_of, titles

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
        lessons=statements(
            "lesson",
            ("Start with host communities", "<p>They stay.</p>"),
            ("Pay for transport", ""),
        ),
        recommendations=statements("recommendation", ("Fund committees", "")),
    )
    KnowledgeAttachmentFactory(page=page)
    return page


def test_a_report_shows_its_facts_sections_and_attachment(client, report):
    response = client.get(report.url)
    assert response.status_code == 200
    assert facts(response) == {
        "Type": "Lessons-learned report",
        "Published": "May 1, 2024",
        "Language": "English",
        "Countries": "Mali Niger",
        "Themes": "Return and reintegration",
        "Keywords": "livelihoods",
        "Organisation": "COMPASS Mali",
        "Authors": "Awa Traoré",
    }
    lessons = [
        li.select_one(".statement").text for li in soup(response).select("#lessons ~ ol > li")
    ]
    assert lessons == ["Start with host communities", "Pay for transport"]
    size = filesizeformat(len(REPORT_PDF))
    assert text_of(response, ".attachments li") == f"Full report (PDF, {size})"


def test_a_damaged_attachment_is_listed_as_unreadable_without_a_download_link(
    client, report, django_assert_max_num_queries
):
    """However it was attached (here as in the admin), a PDF that cannot be read is not offered
    as a download; reading whether each attachment is readable costs no query per attachment."""
    for number in range(3):
        KnowledgeAttachmentFactory(
            page=report,
            title=f"Annex {number}",
            document__title=f"Annex {number}",
            document__file__data=REPORT_PDF[: len(REPORT_PDF) // 2],
        )
    with django_assert_max_num_queries(60) as queries:
        response = client.get(report.url)
    items = [" ".join(li.stripped_strings) for li in soup(response).select(".attachments li")]
    assert items[1:] == [
        f"Annex {number} (PDF: this file could not be read, so it is not offered for download)"
        for number in range(3)
    ]
    assert [a.text for a in soup(response).select(".attachments a[download]")] == ["Full report"]
    check_reads = [
        query
        for query in queries.captured_queries
        if 'FROM "knowledge_documentcheck"' in query["sql"]
    ]
    assert not check_reads


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
    response = client.get(report.url)
    links = soup(response).select(".translations a")
    assert [(a["hreflang"], a["href"], a.text) for a in links] == [
        ("fr", french.url, "Français: Réintégration à Mopti")
    ]


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


def switcher(response):
    return {a["hreflang"]: a["href"] for a in soup(response).select(".language-switcher a")}


def test_the_language_switcher_keeps_the_readers_place(client):
    assert switcher(client.get("/en/lessons/?country=ML"))["fr"] == "/fr/lessons/?country=ML"
    assert switcher(client.get("/en/themes/protection/"))["ar"] == "/ar/themes/protection/"
    assert switcher(client.get("/en/search/?q=x"))["es"] == "/es/search/?q=x"


def test_the_language_switcher_never_links_to_a_private_translation(client, report):
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.save_revision().publish()
    PageViewRestriction.objects.create(page=french, restriction_type="login")
    assert switcher(client.get(report.url))["fr"] == f"/fr/untranslated/{report.pk}/"
    assert french.url not in client.get(report.url).content.decode()
    untranslated = client.get(f"/fr/untranslated/{report.pk}/")
    assert untranslated.status_code == 200
    assert french.url not in untranslated.content.decode()


def other_languages(response):
    box = soup(response).select_one(".translations")
    return [" ".join(li.stripped_strings) for li in box.select("li")]


def test_an_item_says_which_languages_it_is_in_and_which_not(client, report):
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Réintégration à Mopti"
    french.save_revision().publish()
    assert other_languages(client.get(report.url)) == [
        "Français: Réintégration à Mopti",
        "العربيّة : not translated yet",
        "Español : not translated yet",
    ]
    arabic = client.get(switcher(client.get(report.url))["ar"])
    assert arabic.status_code == 200
    assert soup(arabic).html["lang"] == "ar"
    assert [a["href"] for a in soup(arabic).select("main li a")] == [report.url, french.url]
    assert soup(arabic).select_one('meta[name="robots"]')["content"] == "noindex, follow"


def test_the_untranslated_page_leads_to_a_translation_once_there_is_one(client, report):
    assert client.get(f"/fr/untranslated/{report.pk}/").status_code == 200
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.save_revision().publish()
    response = client.get(f"/fr/untranslated/{report.pk}/")
    assert (response.status_code, response["Location"]) == (302, french.url)


def test_the_untranslated_page_of_a_draft_is_not_found(client):
    draft = PracticeBriefPageFactory(title="Draft brief", live=False)
    assert client.get(f"/fr/untranslated/{draft.pk}/").status_code == 404
    assert client.get("/fr/untranslated/999999/").status_code == 404


def test_related_items_leave_out_drafts_and_private_pages(client, report):
    PracticeBriefPageFactory(title="Draft brief", live=False)
    private = PracticeBriefPageFactory(title="Private brief")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert client.get(report.url).context["related_pages"] == []


def test_root_url_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_an_item_without_a_version_in_the_readers_language_is_shown_in_its_own(client, report):
    response = client.get("/ar/lessons/")
    assert titles(response) == ["Reintegration in Mopti"]
    card = soup(response).select_one("article.card")
    assert card["lang"] == "en" and card["dir"] == "ltr"
    assert (
        " ".join(card.select_one(".card__taxonomy").stripped_strings)
        == "مالي النيجر العودة وإعادة الإدماج"
    )


def test_interface_is_translated(client, report):
    assert "Enseignements tirés" in client.get("/fr/").content.decode()
    assert "الدروس المستفادة" in client.get("/ar/search/").content.decode()
    assert "Buscar" in client.get("/es/search/").content.decode()


def document_block(response):
    block = soup(response).select_one("header .document-block")
    return " ".join(block.stripped_strings) if block else None


def test_the_document_is_offered_at_the_top_with_its_format_size_and_pages(client, report):
    response = client.get(report.url)
    pages = len(PdfReader(io.BytesIO(REPORT_PDF)).pages)
    size = filesizeformat(len(REPORT_PDF))
    assert document_block(response) == f"⤓ Download: Full report (PDF, {size}, {pages} pages)"
    link = soup(response).select_one("header .document-block a[download]")
    assert client.get(link["href"]).status_code == 200


def test_the_first_readable_document_is_offered_and_the_others_counted(client, report):
    report.attachments.all().delete()
    KnowledgeAttachmentFactory(
        page=report, title="Damaged", document__file__data=REPORT_PDF[: len(REPORT_PDF) // 2]
    )
    KnowledgeAttachmentFactory(page=report, title="Annex")
    response = client.get(report.url)
    assert document_block(response).startswith("⤓ Download: Annex (PDF,")
    assert document_block(response).endswith("All 2 documents")


def test_an_item_without_documents_has_no_document_block(client):
    assert document_block(client.get(PolicyNotePageFactory(title="No files").url)) is None


def test_read_online_links_lead_to_each_part_of_the_text(client, report):
    report.context = "<p>Floods in 2022.</p>"
    report.body = [("heading", "Annex: who we met"), ("paragraph", "<p>Forty families.</p>")]
    report.save()
    page = soup(client.get(report.url))
    links = page.select("header .read-online a")
    assert [a.text for a in links] == ["Context", "Lessons", "Recommendations", "Annex: who we met"]
    for link in links:
        assert page.select_one(link["href"]).name == "h2"
    assert page.select_one(links[1]["href"]).text == "Lessons"


def test_a_page_with_one_part_has_no_read_online_links(client):
    note = PolicyNotePageFactory(title="Short", recommendations=[])
    assert soup(client.get(note.url)).select_one(".read-online") is None
