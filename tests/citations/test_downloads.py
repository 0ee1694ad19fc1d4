"""RIS, BibTeX and CSL-JSON downloads: read back with the libraries that parse them, and only for
live, public knowledge pages."""

import datetime
import json

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    home_page,
    section_page,
)

pytestmark = pytest.mark.django_db

TITLE = 'Lessons {from} Mopti: R&D at 100% for $5, #1 in "host_communities" ~ ^ \\ l\'été'
AUTHORS = ["Aïssata Traoré", "محمد الحسيني", "COMPASS Mali team", "José Ñúñez"]


def author_blocks(names):
    return [{"type": "author", "value": name} for name in names]


@pytest.fixture
def report():
    return LessonsLearnedReportPageFactory(
        title=TITLE,
        slug="lessons-from-mopti",
        summary="What worked.\n\nWhat did not & why.",
        publication_date=datetime.date(2023, 11, 7),
        organisation="COMPASS Mali",
        authors=author_blocks(AUTHORS),
        countries=["ML", "NE"],
        themes=["return-and-reintegration"],
        tags=["livelihoods"],
    )


def download(client, page, extension, language="en"):
    with_language = f"/{language}/cite/{page.pk}.{extension}"
    assert reverse("citations:download", args=[page.pk, extension]).endswith(
        f"/cite/{page.pk}.{extension}"
    )
    return client.get(with_language)


def test_ris_reads_back_with_rispy(client, report):
    response = download(client, report, "ris")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="compass-{report.pk}-lessons-from-mopti.ris"'
    )
    text = response.content.decode()
    assert text.startswith("TY  - RPRT")
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == [
        "Traoré, Aïssata",
        "الحسيني, محمد",
        "COMPASS Mali team",
        "Ñúñez, José",
    ]
    assert entry["title"] == TITLE
    assert entry["year"] == "2023"
    assert entry["date"] == "2023/11/07"
    assert entry["publisher"] == "COMPASS Mali"
    assert entry["type_of_work"] == "Lessons-learned report"
    assert entry["urls"] == [f"http://testserver{report.url}"]
    assert entry["urls"][0].startswith("http")
    assert entry["language"] == "en"
    assert entry["abstract"] == "What worked. What did not & why."
    assert entry["keywords"] == ["livelihoods", "Return and reintegration", "Mali", "Niger"]


def test_bibtex_reads_back_with_bibtexparser(client, report):
    response = download(client, report, "bib")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'compass-{report.pk}-lessons-from-mopti.bib"')
    text = response.content.decode()
    assert "\tmonth = nov," in text

    raw = bibtexparser.parse_string(text)
    assert not raw.failed_blocks
    [raw_entry] = raw.entries
    assert raw_entry.entry_type == "techreport"
    assert raw_entry.key == f"traore2023-{report.pk}"

    library = bibtexparser.parse_string(
        text,
        append_middleware=[middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()],
    )
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert fields["author"] == [
        "Traoré, Aïssata",
        "الحسيني, محمد",
        "COMPASS Mali team",
        "Ñúñez, José",
    ]
    # pylatexenc reads \textasciicircum{} back as U+02C6, the character LaTeX prints for it.
    assert fields["title"].replace("\u02c6", "^") == TITLE
    assert fields["institution"] == "COMPASS Mali"
    assert fields["type"] == "Lessons-learned report"
    assert fields["year"] == "2023"
    assert fields["month"] == "nov"
    assert fields["url"] == f"http://testserver{report.url}"
    assert fields["language"] == "english"
    assert fields["abstract"] == "What worked. What did not & why."
    assert fields["keywords"] == "livelihoods, Return and reintegration, Mali, Niger"


def test_bibtex_keeps_organisations_whole_for_bibtex_name_splitting(client, report):
    text = download(client, report, "bib").content.decode()
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    authors = dict(library.entries[0].fields_dict)["author"].value
    assert [(name.last, name.first) for name in authors] == [
        (["Traoré"], ["Aïssata"]),
        (["الحسيني"], ["محمد"]),
        (["{COMPASS Mali team}"], []),
        (["Ñúñez"], ["José"]),
    ]


def test_csl_json_reads_back_and_renders_with_citeproc(client, report):
    response = download(client, report, "json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'compass-{report.pk}-lessons-from-mopti.json"')
    [item] = json.loads(response.content)
    assert item == {
        "id": f"compass-{report.pk}",
        "type": "report",
        "genre": "Lessons-learned report",
        "title": TITLE,
        "author": [
            {"family": "Traoré", "given": "Aïssata"},
            {"family": "الحسيني", "given": "محمد"},
            {"literal": "COMPASS Mali team"},
            {"family": "Ñúñez", "given": "José"},
        ],
        "issued": {"date-parts": [[2023, 11, 7]]},
        "publisher": "COMPASS Mali",
        "URL": f"http://testserver{report.url}",
        "language": "en",
        "abstract": "What worked. What did not & why.",
        "keyword": "livelihoods, Return and reintegration, Mali, Niger",
    }

    style = CitationStylesStyle("apa", locale="en-US", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), citeproc_formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [rendered] = [str(entry) for entry in bibliography.bibliography()]
    assert "Traoré, A." in rendered
    assert "COMPASS Mali team" in rendered
    assert "(2023)" in rendered
    assert TITLE in rendered
    assert f"http://testserver{report.url}" in rendered


@pytest.mark.parametrize(
    ("factory", "genre"),
    [
        (PracticeBriefPageFactory, "Community-led practice brief"),
        (PolicyNotePageFactory, "Policy note"),
    ],
)
def test_every_knowledge_type_is_cited_as_a_report_of_its_kind(client, factory, genre):
    page = factory()
    [entry] = rispy.loads(download(client, page, "ris").content.decode())
    assert (entry["type_of_reference"], entry["type_of_work"]) == ("RPRT", genre)
    assert json.loads(download(client, page, "json").content)[0]["type"] == "report"


def test_a_page_in_arabic_is_cited_in_arabic(client):
    page = PolicyNotePageFactory(
        language="ar",
        title="مذكرة سياسات",
        slug="policy-note-ar",
        organisation="COMPASS",
        authors=author_blocks(["فريق البرنامج في ليبيا"]),
    )
    [item] = json.loads(download(client, page, "json", language="ar").content)
    assert item["language"] == "ar"
    assert item["author"] == [{"literal": "فريق البرنامج في ليبيا"}]
    assert item["publisher"] == "COMPASS"
    assert item["genre"] == "مذكرة سياسات" or item["genre"]
    assert item["URL"].startswith("http")
    [entry] = rispy.loads(download(client, page, "ris").content.decode())
    assert entry["language"] == "ar"
    assert entry["title"] == "مذكرة سياسات"


def test_a_page_without_authors_cites_its_organisation_as_publisher(client):
    page = PolicyNotePageFactory(authors=[], organisation="COMPASS Niger")
    [item] = json.loads(download(client, page, "json").content)
    assert "author" not in item
    assert item["publisher"] == "COMPASS Niger"
    library = bibtexparser.parse_string(download(client, page, "bib").content.decode())
    assert "author" not in library.entries[0].fields_dict
    assert library.entries[0].key == f"compass2024-{page.pk}"


def test_unknown_format_is_404(client, report):
    assert client.get(f"/en/cite/{report.pk}.pdf").status_code == 404
    assert client.get(f"/en/cite/{report.pk}.RIS").status_code == 404
    assert client.get(f"/en/cite/{report.pk}", follow=True).status_code == 404


def test_unknown_ids_and_pages_of_other_types_are_404(client):
    assert client.get("/en/cite/999999.ris").status_code == 404
    assert client.get(f"/en/cite/{home_page().pk}.ris").status_code == 404
    assert client.get(f"/en/cite/{section_page().pk}.bib").status_code == 404


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
def test_drafts_private_pages_and_pages_under_private_sections_are_404(client, extension):
    draft = PolicyNotePageFactory(live=False)
    private = PolicyNotePageFactory()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    under_private = PolicyNotePageFactory(section_country="NE")
    PageViewRestriction.objects.create(page=section_page("en", "NE"), restriction_type="login")
    public = PolicyNotePageFactory(section_country="TN")

    for page in (draft, private, under_private):
        assert client.get(f"/en/cite/{page.pk}.{extension}").status_code == 404
    assert client.get(f"/en/cite/{public.pk}.{extension}").status_code == 200


def test_downloads_answer_get_and_head_only(client, report):
    assert client.head(f"/en/cite/{report.pk}.ris").status_code == 200
    assert client.post(f"/en/cite/{report.pk}.ris").status_code == 405


def test_an_id_too_large_for_the_database_is_not_found(client):
    assert client.get("/en/cite/99999999999999999999.ris").status_code == 404
