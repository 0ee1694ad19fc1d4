"""Offline packs as a team with a poor connection gets them: one PDF per country and per theme in
each language, with a table of contents, holding what is validated and public, rebuilt after a
change."""

import io
import logging

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from knowledge.models import PracticeBriefPage
from lessons.models import Lesson, Status
from packs.models import OfflinePack
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PracticeBriefPageFactory,
    published,
    statements,
)
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def mali():
    """A Mali report with a validated lesson and recommendation and one lesson only identified,
    and a Mali brief; a Niger report whose lesson is validated."""
    report = published(
        LessonsLearnedReportPageFactory,
        title="Reintegration in Mopti",
        organisation="COMPASS Mali",
        lessons=statements(
            "lesson",
            ("Start with host communities", "<p>They stay.</p>"),
            ("Pay for transport", ""),
        ),
        recommendations=statements("recommendation", ("Fund committees", "")),
    )
    published(
        PracticeBriefPageFactory,
        title="Savings groups in Gao",
        organisation="COMPASS Mali",
        practice="<p>Women pool their savings every week.</p>",
    )
    niger = published(
        LessonsLearnedReportPageFactory, section_country="NE", title="Shelters in Agadez"
    )
    records = Lesson.objects.filter(item_key=report.translation_key).order_by("pk")
    validated = [records[0], records[2]]  # the first lesson and the recommendation
    Lesson.objects.filter(pk__in=[r.pk for r in validated]).update(status=Status.VALIDATED)
    Lesson.objects.filter(item_key=niger.translation_key).update(status=Status.VALIDATED)
    return report


def pack_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_a_country_pack_holds_its_validated_lessons_recommendations_and_briefs(client, mali):
    call_command("offline_packs", stdout=io.StringIO())
    reader, text = pack_text(client, "/en/offline/country/ML.pdf")
    assert "Start with host communities" in text
    assert "They stay." in text
    assert "Fund committees" in text
    assert "Savings groups in Gao" in text and "Women pool their savings every week." in text
    assert "Pay for transport" not in text  # identified, not validated
    assert "Shelters in Agadez" not in text  # Niger's
    assert "From: Reintegration in Mopti (COMPASS Mali, 2024)" in text
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Lessons",
        "Recommendations",
        "Community-led practice briefs",
    ]
    contents = reader.pages[0].extract_text()
    assert "Contents" in contents and "Savings groups in Gao" in contents


def test_the_country_page_offers_the_pack_with_its_size_and_entries(client, mali):
    call_command("offline_packs", stdout=io.StringIO())
    pack = OfflinePack.objects.get(scope="country", key="ML", language="en")
    page = soup(client.get("/en/mali/"))
    link = page.select_one(".offline-pack a")
    assert link["href"] == "/en/offline/country/ML.pdf"
    assert link["download"] == "compass-country-ml-en.pdf"
    text = " ".join(page.select_one(".offline-pack").stripped_strings)
    assert text.startswith("⤓ Offline pack (PDF, ")
    assert "3 entries; updated" in text
    assert pack.item_count == 3


def test_a_theme_pack_and_the_arabic_pack_are_built_too(client, mali):
    call_command("offline_packs", stdout=io.StringIO())
    reader, text = pack_text(client, "/en/offline/theme/protection.pdf")
    assert "Start with host communities" in text
    assert "From: Shelters in Agadez" in text  # Niger's lesson is about protection too
    arabic, _text = pack_text(client, "/ar/offline/country/ML.pdf")
    titles = [item.title for item in arabic.outline if not isinstance(item, list)]
    assert titles == ["الدروس", "التوصيات", "موجزات الممارسات المجتمعية"]


def test_a_change_rebuilds_the_pack_and_nothing_else_does(
    client, mali, settings, django_capture_on_commit_callbacks
):
    settings.OFFLINE_PACKS_AUTO_REFRESH = True
    out = io.StringIO()
    call_command("offline_packs", stdout=out)
    again = io.StringIO()
    call_command("offline_packs", stdout=again)
    assert again.getvalue().startswith("Offline packs: 0 built,")
    with django_capture_on_commit_callbacks(execute=True):
        published(
            PracticeBriefPageFactory, title="Radio for returnees", organisation="COMPASS Mali"
        )
    _reader, text = pack_text(client, "/en/offline/country/ML.pdf")
    assert "Radio for returnees" in text


def test_a_draft_or_private_item_never_reaches_a_pack(client, mali):
    PracticeBriefPageFactory(title="Draft brief", live=False)
    call_command("offline_packs", stdout=io.StringIO())
    _reader, text = pack_text(client, "/en/offline/country/ML.pdf")
    assert "Draft brief" not in text


def test_no_pack_where_nothing_is_validated_or_published(client, mali):
    call_command("offline_packs", stdout=io.StringIO())
    response = client.get("/en/offline/country/TD.pdf", follow=True)
    assert response.status_code == 404
    chad = client.get("/en/chad/")
    assert chad.status_code == 200
    assert not soup(chad).select(".offline-pack")
    assert soup(client.get("/en/mali/")).select(".offline-pack")


def test_without_its_fonts_the_worker_logs_why_and_builds_nothing(mali, settings, tmp_path, caplog):
    from packs.building import refresh_offline_packs

    settings.OFFLINE_PACK_FONT_DIR = str(tmp_path)
    with caplog.at_level(logging.ERROR, logger="packs.building"):
        refresh_offline_packs.enqueue("2000-01-01T00:00:00+00:00")
    assert f"Offline packs not built: DejaVu Sans not found in {tmp_path}" in caplog.text
    assert not OfflinePack.objects.exists()


@pytest.mark.parametrize("path", ["/en/offline/country/ml.pdf", "/en/offline/country/ML.pdf"])
def test_a_country_code_is_read_whatever_its_case(client, mali, path):
    call_command("offline_packs", stdout=io.StringIO())
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/en/offline/planet/ML.pdf", "/en/offline/country/%00.pdf", "/en/offline/theme/x y.pdf"],
)
def test_a_bad_pack_address_is_not_found(client, mali, path):
    assert client.get(path, follow=True).status_code == 404


def test_making_the_brief_private_takes_it_out_of_the_pack(
    client, mali, settings, django_capture_on_commit_callbacks
):
    settings.OFFLINE_PACKS_AUTO_REFRESH = True
    call_command("offline_packs", stdout=io.StringIO())
    brief = PracticeBriefPage.objects.get(title="Savings groups in Gao")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=brief, restriction_type="login")
    _reader, text = pack_text(client, "/en/offline/country/ML.pdf")
    assert "Savings groups in Gao" not in text
    assert "Start with host communities" in text


def test_a_long_table_of_contents_takes_the_pages_it_needs(mali):
    from packs.contents import pack_contents, pack_scopes
    from packs.rendering import render_pack

    scope = next(s for s in pack_scopes() if (s.key, s.language) == ("ML", "en"))
    contents = pack_contents(scope)
    for count in (27, 31, 60):
        contents.briefs = contents.briefs * count
        reader = PdfReader(io.BytesIO(render_pack(contents)))
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text()
            assert f"Mali · {number}" in text
            assert len(text) > 40  # more than the footer: no blank page
        sections = [item for item in reader.outline if not isinstance(item, list)]
        briefs = reader.get_destination_page_number(sections[-1])
        assert briefs > 1 + count // 40  # after the table of contents' own pages
        contents.briefs = contents.briefs[:1]
