"""The "Cite this" box on each knowledge page."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    section_page,
)
from tests.helpers import soup, text_of

pytestmark = pytest.mark.django_db


def author_blocks(names):
    return [{"type": "author", "value": name} for name in names]


def test_a_page_shows_its_citation_and_download_links(client):
    page = LessonsLearnedReportPageFactory(
        title='Reintegration <script>alert(1)</script> & "host" {communities}',
        publication_date=datetime.date(2022, 3, 9),
        organisation="COMPASS Mali",
        authors=author_blocks(["Aïssata Traoré", "محمد الحسيني", "COMPASS Mali team"]),
    )
    response = client.get(page.url)

    assert response.status_code == 200
    box = soup(response).select_one("section.cite-this")
    assert box.h2.get_text() == "Cite this"
    citation = box.select_one(".cite-this__citation")
    text = " ".join(citation.stripped_strings)
    assert "Traoré, A." in text
    assert "محمد الحسيني" in text
    assert "COMPASS Mali team" in text
    assert "(2022)" in text
    assert citation.i.get_text() == 'Reintegration <script>alert(1)</script> & "host" {communities}'
    assert "<script>" not in str(citation)
    assert "COMPASS Mali" in text
    assert f"http://testserver{page.url}" in text
    links = {a.get_text(): a["href"] for a in box.select(".cite-this__downloads a")}
    assert links == {
        "RIS": f"/en/cite/{page.pk}.ris",
        "BibTeX": f"/en/cite/{page.pk}.bib",
        "CSL-JSON": f"/en/cite/{page.pk}.json",
    }
    for href in links.values():
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    ("language", "genre"),
    [
        ("fr", "Fiche de pratique communautaire"),
        ("es", "Ficha de práctica comunitaria"),
        ("ar", "موجز الممارسات المجتمعية"),
    ],
)
def test_the_citation_follows_the_page_language(client, language, genre):
    page = PracticeBriefPageFactory(
        language=language,
        title=f"Brief {language}",
        slug=f"brief-{language}",
        authors=author_blocks(["Awa Traoré", "Moussa Diallo"]),
    )
    response = client.get(page.url)

    assert response.status_code == 200
    text = text_of(response, ".cite-this__citation")
    assert text == (
        f"Traoré, A., & Diallo, M. (2024). Brief {language} [{genre}]. COMPASS. "
        f"http://testserver{page.url}"
    )


def test_an_item_without_authors_is_cited_under_its_organisation(client):
    page = PolicyNotePageFactory(
        language="fr", title="Note", slug="note-fr", authors=[], organisation="COMPASS Niger"
    )
    text = text_of(client.get(page.url), ".cite-this__citation")
    assert text == f"COMPASS Niger. (2024). Note [Note de politique]. http://testserver{page.url}"


def test_a_private_page_shows_its_citation_and_its_downloads_stay_private(admin_client):
    page = PolicyNotePageFactory(title="Restricted note")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = admin_client.get(page.url)

    assert response.status_code == 200
    assert "Restricted note" in text_of(response, ".cite-this__citation")
    for link in soup(response).select(".cite-this__downloads a"):
        assert admin_client.get(link["href"]).status_code == 404


def test_the_citation_costs_no_query(client, django_assert_num_queries):
    page = PolicyNotePageFactory(authors=author_blocks(["Awa Traoré", "COMPASS Mali team"]))
    request = RequestFactory().get(page.url)
    page.get_url(
        request
    )  # the site and its root paths, cached on the request (as a page view does)
    template = Template("{% load citation_tags %}{% cite_this page as cite %}{{ cite.citation }}")
    with django_assert_num_queries(0):
        html = template.render(Context({"page": page, "request": request}))
    assert "Traoré, A., &amp; COMPASS Mali team. (2024)" in html


def test_the_page_costs_the_same_queries_whatever_the_authors(client, django_assert_num_queries):
    small = PolicyNotePageFactory(authors=author_blocks(["Awa Traoré"]))
    large = PolicyNotePageFactory(
        authors=author_blocks([f"Author{n} Family{n}" for n in range(12)]),
    )
    client.get(small.url)  # warm caches shared by every page (site, locales)
    with CaptureQueriesContext(connection) as baseline:
        client.get(small.url)
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(large.url)
    assert "Family11" in text_of(response, ".cite-this__citation")


def test_the_preview_of_a_new_page_shows_the_citation_without_downloads(admin_client):
    parent = section_page()
    response = admin_client.post(
        f"/admin/pages/add/knowledge/policynotepage/{parent.pk}/preview/",
        {
            "title": "Unsaved note",
            "slug": "unsaved-note",
            "summary": "Two sentences.",
            "publication_date": "2024-05-01",
            "organisation": "COMPASS",
            "authors-count": "0",
            "key_messages-count": "1",
            "key_messages-0-type": "message",
            "key_messages-0-value": "Fund it.",
            "key_messages-0-order": "0",
            "key_messages-0-deleted": "",
            "recommendations-count": "0",
            "body-count": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert response.json()["is_valid"], response.json()
    response = admin_client.get(f"/admin/pages/add/knowledge/policynotepage/{parent.pk}/preview/")
    assert response.status_code == 200
    assert "Unsaved note" in text_of(response, ".cite-this__citation")
    assert not soup(response).select(".cite-this__downloads a")


def test_an_arabic_citation_joins_arabic_names_in_arabic_and_isolates_its_url(client):
    page = PolicyNotePageFactory(
        language="ar",
        title="من التوعية إلى البدائل",
        slug="note-ar",
        organisation="COMPASS مصر",
        authors=author_blocks(["منى عبد الرحمن", "كريم فتحي", "سلمى حسن"]),
    )
    citation = soup(client.get(page.url)).select_one(".cite-this__citation")
    text = " ".join(citation.stripped_strings)
    assert text.startswith("منى عبد الرحمن وكريم فتحي وسلمى حسن. (2024).")
    assert "&" not in text and ", " not in text.split("(2024)")[0]
    url = citation.select_one("bdi")
    assert (url["dir"], url.get_text()) == ("ltr", f"http://testserver{page.url}")
