"""manage.py import_knowledge: idempotent create/update by external id, bad lines reported."""

import json
import logging
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.signals import page_published

from knowledge.importing import import_knowledge_file
from knowledge.models import (
    CountrySectionPage,
    KnowledgePage,
    LessonsLearnedReportPage,
    PolicyNotePage,
)
from search import text_index
from search.models import TextIndexEntry
from tests.helpers import encrypted_pdf_bytes, facts, pdf_bytes, soup, text_of

pytestmark = pytest.mark.django_db


def report_line(**overrides):
    line = {
        "external_id": "ml-lr-2023-01",
        "type": "lessons_report",
        "language": "en",
        "title": "Lessons from reintegration support in Mopti",
        "summary": "What three years of community-based reintegration taught us.",
        "publication_date": "2023-06-15",
        "countries": ["ML"],
        "themes": ["return-and-reintegration"],
        "tags": ["Livelihoods", "youth"],
        "organisation": "COMPASS Mali",
        "authors": ["Awa Traoré"],
        "lessons": [
            {"statement": "Involve host communities", "explanation": "They stay involved."}
        ],
        "period_start": "2020-01-01",
        "period_end": "2022-12-31",
    }
    line.update(overrides)
    return line


def note_line(**overrides):
    line = {
        "external_id": "reg-pn-2024-01",
        "type": "policy_note",
        "language": "en",
        "title": "Protection along the Central Mediterranean route",
        "summary": "Five things governments can do.",
        "publication_date": "2024-02-01",
        "countries": ["ML", "NE", "LY"],
        "themes": ["protection"],
        "organisation": "COMPASS",
        "key_messages": ["Protection saves lives."],
        "recommendations": [{"statement": "Fund shelters", "audience": "donors"}],
    }
    line.update(overrides)
    return line


def write_jsonl(path, *lines):
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    return path


def run_import(path, attachments=None):
    out, err = StringIO(), StringIO()
    args = [str(path)] + (["--attachments", str(attachments)] if attachments else [])
    try:
        call_command("import_knowledge", *args, stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def make_pdf(path, text):
    path.write_bytes(pdf_bytes(text))


def test_import_creates_published_pages_in_their_country_section(tmp_path):
    ok, out, _ = run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    assert ok, out
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    assert page.live and page.revisions.count() == 1
    assert page.get_parent().specific.country.code == "ML"
    assert page.url == "/en/mali/lessons-from-reintegration-support-in-mopti/"
    assert set(page.tags.names()) == {"Livelihoods", "youth"}
    assert page.lessons[0].value["statement"] == "Involve host communities"
    assert [block.value for block in page.authors] == ["Awa Traoré"]
    assert "1 created" in out


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", report_line(), note_line())
    run_import(path)
    ok, out, _ = run_import(path)
    assert ok
    assert "0 created, 0 updated, 2 unchanged, 0 failed" in out
    assert all(page.revisions.count() == 1 for page in KnowledgePage.objects.all())


def test_an_edited_line_makes_one_new_revision(tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    ok, out, _ = run_import(
        write_jsonl(tmp_path / "items.jsonl", report_line(title="Lessons from Mopti, revised"))
    )
    assert ok and "1 updated" in out
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    assert page.title == "Lessons from Mopti, revised"
    assert page.revisions.count() == 2
    assert page.slug == "lessons-from-reintegration-support-in-mopti"


def test_items_about_several_countries_go_to_the_regional_section_unless_an_owner_is_named(
    tmp_path,
):
    run_import(
        write_jsonl(
            tmp_path / "items.jsonl",
            note_line(),
            note_line(external_id="ne-pn-2024-02", title="Owned by Niger", owner_country="NE"),
        )
    )
    regional = PolicyNotePage.objects.get(external_id="reg-pn-2024-01")
    owned = PolicyNotePage.objects.get(external_id="ne-pn-2024-02")
    assert regional.get_parent().specific.country is None
    assert owned.get_parent().specific.country.code == "NE"


def test_a_changed_country_moves_the_page_to_its_new_section(tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line(countries=["NE"])))
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    assert page.get_parent().specific.country.code == "NE"
    assert page.url.startswith("/en/niger/")


def test_translations_share_the_translation_key_of_their_original(tmp_path):
    french = report_line(
        external_id="ml-lr-2023-01-fr",
        language="fr",
        translation_of="ml-lr-2023-01",
        title="Enseignements de Mopti",
    )
    ok, out, err = run_import(write_jsonl(tmp_path / "items.jsonl", report_line(), french))
    assert ok, err
    english = KnowledgePage.objects.get(external_id="ml-lr-2023-01")
    translated = KnowledgePage.objects.get(external_id="ml-lr-2023-01-fr")
    assert translated.translation_key == english.translation_key
    assert translated.url.startswith("/fr/mali/")
    assert {c.locale.language_code for c in translated.countries.all()} == {"fr"}


def test_attachments_become_documents_and_are_reused(tmp_path):
    make_pdf(tmp_path / "report.pdf", "Lessons from Mopti: full report")
    lines = [
        report_line(attachments=[{"file": "report.pdf", "title": "Full report"}]),
        note_line(attachments=[{"file": "report.pdf"}]),
    ]
    ok, out, err = run_import(write_jsonl(tmp_path / "items.jsonl", *lines))
    assert ok, err
    report_attachment = KnowledgePage.objects.get(external_id="ml-lr-2023-01").attachments.get()
    note_attachment = KnowledgePage.objects.get(external_id="reg-pn-2024-01").attachments.get()
    assert report_attachment.label == "Full report"
    assert report_attachment.document.file_extension == "pdf"
    assert report_attachment.document.pk == note_attachment.document.pk


def test_a_changed_attachment_file_updates_the_page(tmp_path):
    make_pdf(tmp_path / "report.pdf", "First version")
    path = write_jsonl(tmp_path / "items.jsonl", report_line(attachments=[{"file": "report.pdf"}]))
    run_import(path)
    make_pdf(tmp_path / "report.pdf", "Second version with more text")
    ok, out, _ = run_import(path)
    assert ok and "1 updated" in out


BAD_LINES = [
    ("not json at all", "not valid JSON"),
    ('["a", "list"]', "must be a JSON object"),
    ({"type": "essay"}, "'type' must be one of"),
    (
        report_line(external_id="x-1", countries=["FR"]),
        "unknown partner country code(s) in 'countries': FR",
    ),
    (
        report_line(external_id="x-2", themes=["gardening"]),
        "unknown theme(s) in 'themes': gardening",
    ),
    (report_line(external_id="x-3", countries=[]), "'countries' must list at least one entry"),
    (
        report_line(external_id="x-4", publication_date="15/06/2023"),
        "'publication_date' must be a date",
    ),
    (report_line(external_id="x-5", language="de"), "'language' must be one of"),
    (
        report_line(external_id="x-6", key_messages=["A"]),
        "unknown field(s) for a lessons_report: key_messages",
    ),
    (report_line(external_id="x-7", lessons=[]), "'lessons' must list at least one entry"),
    (
        report_line(external_id="x-8", attachments=[{"file": "missing.pdf"}]),
        "attachment file 'missing.pdf' not found",
    ),
    (
        report_line(external_id="x-9", attachments=[{"file": "../etc/passwd"}]),
        "must be a plain file name",
    ),
    (report_line(external_id="x 10"), "'external_id' may only hold"),
    (report_line(external_id="x-11", translation_of="nope"), "'translation_of' names 'nope'"),
    (
        note_line(external_id="x-12", recommendations=[{"statement": "A", "audience": "aliens"}]),
        "audience' must be one of",
    ),
    (
        report_line(external_id="x-13", period_end="2019-01-01"),
        "'period_end' is before 'period_start'",
    ),
    (
        {k: v for k, v in report_line(external_id="x-14").items() if k != "summary"},
        "missing required field 'summary'",
    ),
]


def test_bad_lines_are_reported_with_line_numbers_and_the_rest_is_imported(tmp_path):
    lines = [report_line()] + [line for line, _reason in BAD_LINES] + [note_line()]
    ok, out, err = run_import(write_jsonl(tmp_path / "items.jsonl", *lines))
    assert not ok
    for offset, (_line, reason) in enumerate(BAD_LINES):
        assert f"line {offset + 2}: " in err
        assert reason in err.split(f"line {offset + 2}: ")[1].splitlines()[0]
    assert f"2 created, 0 updated, 0 unchanged, {len(BAD_LINES)} failed" in err
    assert set(KnowledgePage.objects.values_list("external_id", flat=True)) == {
        "ml-lr-2023-01",
        "reg-pn-2024-01",
    }


def test_an_external_id_repeated_in_one_file_is_reported_and_the_first_line_kept(tmp_path):
    lines = [report_line(), note_line(), report_line(title="A second report with the same id")]
    ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", *lines))
    assert not ok
    assert "line 3: external_id 'ml-lr-2023-01' is already used on line 1 of this file" in err
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in err
    page = KnowledgePage.objects.get(external_id="ml-lr-2023-01")
    assert page.title == "Lessons from reintegration support in Mopti"


def test_moving_into_a_section_where_the_slug_is_taken_picks_a_free_slug(tmp_path):
    run_import(
        write_jsonl(
            tmp_path / "a.jsonl", report_line(), report_line(external_id="ne-1", countries=["NE"])
        )
    )
    ok, _out, err = run_import(write_jsonl(tmp_path / "b.jsonl", report_line(countries=["NE"])))
    assert ok, err
    moved = KnowledgePage.objects.get(external_id="ml-lr-2023-01")
    assert moved.url == "/en/niger/lessons-from-reintegration-support-in-mopti-1/"


def test_editors_unpublished_changes_are_never_overwritten(tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    page.title = "Edited by the country team"
    page.save_revision()
    ok, _out, err = run_import(
        write_jsonl(tmp_path / "items.jsonl", report_line(summary="Changed upstream."))
    )
    assert not ok
    assert "has unpublished changes in the admin" in err
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Edited by the country team"


def test_a_page_unpublished_in_the_admin_is_not_republished_by_the_import(tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    page.unpublish()
    ok, _out, err = run_import(
        write_jsonl(tmp_path / "items.jsonl", report_line(summary="Changed upstream."))
    )
    assert not ok and "was unpublished in the admin" in err
    page.refresh_from_db()
    assert not page.live


def test_markup_in_imported_text_is_shown_as_text(tmp_path, client):
    line = report_line(summary="<script>alert(1)</script>", context="<b>bold</b> claims")
    run_import(write_jsonl(tmp_path / "items.jsonl", line))
    content = client.get(KnowledgePage.objects.get().url).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt; claims" in content


def test_attachments_must_be_allowed_documents_inside_the_folder(tmp_path):
    folder = tmp_path / "attachments"
    folder.mkdir()
    (folder / "page.html").write_text("<html></html>")
    (folder / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    secret = tmp_path / "secret.pdf"
    make_pdf(secret, "not for publication")
    (folder / "link.pdf").symlink_to(secret)
    lines = [
        report_line(attachments=[{"file": "page.html"}]),
        report_line(external_id="x-2", attachments=[{"file": "link.pdf"}]),
        report_line(external_id="x-3", attachments=[{"file": "photo.pdf"}]),
    ]
    ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", *lines), attachments=folder)
    assert not ok
    assert "line 1: attachment 'page.html': Files ending in “.html” are not accepted." in err
    assert "line 2: attachment file 'link.pdf' not found" in err
    assert "line 3: attachment 'photo.pdf': This file is a PNG image, not a PDF." in err
    assert not KnowledgePage.objects.exists()


def test_an_item_cannot_change_type_or_language(tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))
    _ok, _out, err = run_import(
        write_jsonl(tmp_path / "items.jsonl", note_line(external_id="ml-lr-2023-01"))
    )
    assert "an item cannot change type" in err
    _ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", report_line(language="fr")))
    assert "an item cannot change language" in err


def test_a_line_that_is_not_utf8_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_bytes(
        "\ufeff".encode()
        + json.dumps(report_line()).encode()
        + b"\n"
        + b'{"title": "caf\xe9"}\n'
        + json.dumps(note_line()).encode()
        + b"\n"
    )
    ok, _out, err = run_import(path)
    assert not ok
    assert "line 2: not UTF-8 text" in err
    assert "2 created" in err


def test_blank_and_comment_lines_are_skipped(tmp_path):
    ok, out, _ = run_import(write_jsonl(tmp_path / "items.jsonl", "# demo", "", report_line()))
    assert ok and "1 created" in out


def test_a_missing_file_is_a_clear_error(tmp_path):
    ok, _out, err = run_import(tmp_path / "nope.jsonl")
    assert not ok and "Cannot read" in err


def test_the_demo_content_imports_cleanly_and_meets_its_brief():
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    pages = KnowledgePage.objects.live()
    languages = [page.locale.language_code for page in pages]
    assert pages.count() >= 36
    assert languages.count("fr") >= 6 and languages.count("ar") >= 6 and languages.count("es") >= 3
    assert {page.specific_class.knowledge_type for page in pages} == {
        "lessons_report",
        "practice_brief",
        "policy_note",
    }
    countries = set(KnowledgePage.countries.through.objects.values_list("country__code", flat=True))
    assert len(countries) == 12
    with_pdfs = pages.filter(attachments__document__file__endswith=".pdf").distinct()
    assert with_pdfs.count() >= 8
    for page in with_pdfs:
        with page.attachments.first().document.open_file() as handle:
            text = " ".join(p.extract_text() for p in PdfReader(handle).pages)
        assert len(text.split()) > 100, page.title
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    assert "not loaded" in out.getvalue()


def test_a_translation_of_a_line_that_failed_names_that_line(tmp_path):
    """It was told its source "is not imported yet (put it earlier)", though it was earlier."""
    broken = report_line(countries=["XX"])
    french = report_line(
        external_id="ml-lr-2023-01-fr", language="fr", translation_of="ml-lr-2023-01"
    )
    ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", broken, french))
    assert not ok
    assert "line 2: 'translation_of' names 'ml-lr-2023-01', whose line 1 failed" in err
    assert "put it earlier" not in err


def test_a_field_too_long_for_the_portal_is_refused_with_its_limit(tmp_path):
    """The limits are in the format document; the import names the field and the limit (on
    PostgreSQL it said only "the database refused the item: value too long")."""
    ok, _out, err = run_import(
        write_jsonl(tmp_path / "items.jsonl", report_line(programme_phase="Phase " * 20))
    )
    assert not ok
    assert "line 1: 'programme_phase' may have at most 100 characters (it has 119)" in err


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_json_errors_give_the_column_where_the_line_goes_wrong(tmp_path, ending):
    """A truncated line was reported at column 1 (of the line after it: the line ending was
    parsed as part of the JSON, so the end of the text fell on a second line)."""
    lines = [
        '{"external_id": "x", "title": "abc',
        '{"external_id": "x", "title": "abc"',
        '{"external_id": "x",, "title": "abc"}',
        '{"external_id": "x", "title": "abc",}',
        '{"external_id": "x", "title": "abc"',
    ]
    path = tmp_path / "items.jsonl"
    path.write_bytes(ending.join(lines).encode())  # the last line has no line ending
    ok, _out, err = run_import(path)
    assert not ok
    assert "line 1: not valid JSON: Unterminated string starting at column 31" in err
    assert "line 2: not valid JSON: Expecting ',' delimiter at column 36" in err
    assert (
        "line 3: not valid JSON: Expecting property name enclosed in double quotes at column 21"
        in err
    )
    assert (
        "line 4: not valid JSON: Expecting property name enclosed in double quotes at column 37"
        in err
    )
    assert "line 5: not valid JSON: Expecting ',' delimiter at column 36" in err
    assert "column 1\n" not in err


def brief_line(**overrides):
    line = {
        "external_id": "ne-pb-2021-01",
        "type": "practice_brief",
        "language": "en",
        "title": "Community reception in Agadez",
        "summary": "How neighbourhoods received people on the move.",
        "publication_date": "2021-03-01",
        "countries": ["NE"],
        "themes": ["community-engagement"],
        "organisation": "COMPASS Niger",
        "community": "Residents of Dagmanet",
        "practice": "Neighbourhood committees meet new arrivals.",
    }
    line.update(overrides)
    return line


#: A brief's community as country teams write it: who they are, where and since when (430 chars).
REAL_COMMUNITY = (
    "Residents of the Dagmanet and Sabon Gari neighbourhoods of Agadez, with representatives of "
    "the Senegalese, Guinean, Malian and Nigerian communities settled there, the neighbourhood "
    "chiefs and imams who chair the reception committees, and the women's savings groups that "
    "host new arrivals in their first weeks; about 1,200 households in all, organised in eleven "
    "committees since the 2017 floods displaced many families into these two neighbourhoods"
)


def test_a_practice_brief_takes_a_community_as_long_as_real_briefs_write_it(tmp_path, client):
    ok, _out, err = run_import(
        write_jsonl(tmp_path / "items.jsonl", brief_line(community=REAL_COMMUNITY))
    )
    assert ok, err
    page = KnowledgePage.objects.get(external_id="ne-pb-2021-01")
    assert facts(client.get(page.url))["Community"] == REAL_COMMUNITY


def test_the_admin_edits_a_brief_s_community_in_a_text_area_with_its_limit(admin_client):
    section = CountrySectionPage.objects.get(locale__language_code="en", country__code="NE")
    response = admin_client.get(f"/admin/pages/add/knowledge/practicebriefpage/{section.pk}/")
    field = soup(response).select_one("[name=community]")
    assert field.name == "textarea"
    assert field["maxlength"] == "600"


TOO_LONG = [
    (brief_line(community="c" * 601), "'community' may have at most 600 characters (it has 601)"),
    (report_line(summary="s" * 1201), "'summary' may have at most 1200 characters (it has 1201)"),
    (report_line(title="t" * 256), "'title' may have at most 255 characters (it has 256)"),
    (report_line(slug="s" * 256), "'slug' may have at most 255 characters (it has 256)"),
    (
        report_line(organisation="o" * 256),
        "'organisation' may have at most 255 characters (it has 256)",
    ),
    (report_line(authors=["a" * 201]), "'authors[0]' may have at most 200 characters (it has 201)"),
    (
        report_line(lessons=[{"statement": "l" * 301}]),
        "'lessons[0].statement' may have at most 300 characters (it has 301)",
    ),
    (
        report_line(recommendations=[{"statement": "ok"}, {"statement": "r" * 301}]),
        "'recommendations[1].statement' may have at most 300 characters (it has 301)",
    ),
    (
        note_line(key_messages=["k" * 401]),
        "'key_messages[0]' may have at most 400 characters (it has 401)",
    ),
    (
        note_line(recommendations=[{"statement": "r" * 301, "audience": "donors"}]),
        "'recommendations[0].statement' may have at most 300 characters (it has 301)",
    ),
    (
        report_line(attachments=[{"file": "report.pdf", "title": "a" * 256}]),
        "'attachments[0].title' may have at most 255 characters (it has 256)",
    ),
    (report_line(tags=["t" * 101]), "'tags[0]' may have at most 100 characters (it has 101)"),
]


@pytest.mark.parametrize(("line", "reason"), TOO_LONG)
def test_text_longer_than_its_field_is_refused_naming_the_field_and_its_limit(
    tmp_path, line, reason
):
    """Headlines and names have limits (the format document lists them); before, an author, a
    statement, a key message or a link text over its limit was imported and the page could then
    not be saved in the admin, or PostgreSQL refused the line without naming the field."""
    make_pdf(tmp_path / "report.pdf", "Full report")
    ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", line))
    assert not ok
    assert f"line 1: {reason}" in err
    assert not KnowledgePage.objects.exists()


def test_the_format_document_states_every_limit_the_import_enforces():
    text = (Path(__file__).parents[2] / "docs" / "import-format.md").read_text()
    for _line, reason in TOO_LONG:
        field = reason.split("'")[1].split("[")[0].split(".")[0]
        limit = reason.split("at most ")[1].split(" ")[0]
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field}`"))
        assert f"at most {limit} characters" in row, field


def encrypted_pdf(path, user_password):
    path.write_bytes(encrypted_pdf_bytes(user_password, "Confidential report"))


def test_an_unreadable_pdf_is_reported_with_its_line_and_page_and_not_offered(tmp_path, client):
    """A damaged or password-protected PDF was imported silently and offered for download."""
    good = pdf_bytes("Lessons from Mopti: full report")
    (tmp_path / "good.pdf").write_bytes(good)
    (tmp_path / "truncated.pdf").write_bytes(good[: len(good) // 2])
    encrypted_pdf(tmp_path / "locked.pdf", user_password="secret")
    encrypted_pdf(tmp_path / "owner-only.pdf", user_password="")
    lines = [
        report_line(attachments=[{"file": "good.pdf"}, {"file": "owner-only.pdf"}]),
        note_line(attachments=[{"file": "truncated.pdf", "title": "Full note"}]),
        report_line(
            external_id="ml-lr-2023-02", title="Locked", attachments=[{"file": "locked.pdf"}]
        ),
    ]
    path = write_jsonl(tmp_path / "items.jsonl", *lines)
    ok, _out, err = run_import(path)
    assert not ok
    assert "line 1:" not in err
    assert (
        "line 2: warning: 'reg-pn-2024-01' (Protection along the Central Mediterranean route): "
        "attachment 'truncated.pdf' could not be read (damaged)"
    ) in err
    assert (
        "line 3: warning: 'ml-lr-2023-02' (Locked): attachment 'locked.pdf' could not be read "
        "(encrypted with a password)"
    ) in err
    assert "3 created, 0 updated, 0 unchanged, 0 failed, 2 unreadable attachment(s)" in err

    note = KnowledgePage.objects.get(external_id="reg-pn-2024-01")
    response = client.get(note.url)
    assert text_of(response, ".attachments li") == (
        "Full note (PDF: this file could not be read, so it is not offered for download)"
    )
    assert not soup(response).select(".attachments a")
    report = client.get(KnowledgePage.objects.get(external_id="ml-lr-2023-01").url)
    assert len(soup(report).select(".attachments a[download]")) == 2

    _ok, _out, err = run_import(path)  # until the file is replaced, every run says so
    assert "line 2: warning: 'reg-pn-2024-01'" in err
    (tmp_path / "truncated.pdf").write_bytes(good + b"\n")
    ok, _out, err = run_import(write_jsonl(tmp_path / "items.jsonl", *lines[:2]))
    assert ok, err
    assert len(soup(client.get(note.url)).select(".attachments a[download]")) == 1


def test_lines_over_several_batches_keep_their_numbers_and_what_earlier_batches_saw(tmp_path):
    """Lines are imported in batches (one transaction each); a bad line, a repeated id and a
    translation of a failed line are reported on their own line whatever batch they fall in."""
    lines = [
        report_line(),
        report_line(external_id="x-2", countries=["XX"]),
        note_line(),
        report_line(external_id="x-2-fr", language="fr", translation_of="x-2"),
        report_line(title="A second report with the same id"),
        note_line(external_id="reg-pn-2024-02"),
    ]
    report = import_knowledge_file(write_jsonl(tmp_path / "items.jsonl", *lines), batch_size=2)
    assert [number for number, _reason in report.failures] == [2, 4, 5]
    assert "whose line 2 failed" in report.failures[1][1]
    assert "is already used on line 1 of this file" in report.failures[2][1]
    assert set(KnowledgePage.objects.values_list("external_id", flat=True)) == {
        "ml-lr-2023-01",
        "reg-pn-2024-01",
        "reg-pn-2024-02",
    }


def test_a_batch_the_database_refuses_at_its_end_is_imported_line_by_line(tmp_path, monkeypatch):
    """Should the database refuse a page's index entry when the batch's pages are indexed, the
    batch is imported again one line at a time: the refusal is reported on its own line, as
    when each line was its own transaction, and the other lines are imported and searchable."""
    write_entries = text_index.write_entries

    def refusing(documents):
        documents = list(documents)
        if any("Refused" in document.title for document in documents):
            raise DatabaseError("string is too long for tsvector")
        write_entries(documents)

    monkeypatch.setattr(text_index, "write_entries", refusing)
    lines = [report_line(), note_line(title="Refused note"), note_line(external_id="pn-3")]
    report = import_knowledge_file(write_jsonl(tmp_path / "items.jsonl", *lines))
    assert report.failures == [
        (2, "the database refused the item: string is too long for tsvector")
    ]
    assert (report.created, report.updated) == (2, 0)
    assert set(KnowledgePage.objects.values_list("external_id", flat=True)) == {
        "ml-lr-2023-01",
        "pn-3",
    }
    assert TextIndexEntry.objects.count() == 2


def test_imported_pages_are_found_by_readers_and_by_editors(tmp_path, client, admin_client):
    """The batch's pages reach readers' search and the admin's title search at its end."""
    path = write_jsonl(tmp_path / "items.jsonl", report_line(), note_line())
    assert run_import(path)[0]
    found = client.get("/en/search/json/", {"q": "Mediterranean"}).json()
    assert [result["title"] for result in found["results"]] == [note_line()["title"]]
    response = admin_client.get("/admin/pages/search/", {"q": "Mopti"})
    assert report_line()["title"] in response.content.decode()


def test_the_import_says_nothing_under_verbosity_0(tmp_path, caplog):
    """Quiet in cron: no bar, no log line, no summary when all went well."""
    path = write_jsonl(tmp_path / "items.jsonl", report_line(), note_line())
    out, err = StringIO(), StringIO()
    with caplog.at_level(logging.INFO):
        call_command("import_knowledge", str(path), verbosity=0, stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    assert [r for r in caplog.records if r.name == "portal.progress"] == []
    assert KnowledgePage.objects.count() == 2


def test_the_import_logs_where_it_is_when_not_on_a_terminal(tmp_path, caplog):
    path = write_jsonl(tmp_path / "items.jsonl", report_line(), "", note_line())
    with caplog.at_level(logging.INFO, "portal.progress"):
        ok, out, _err = run_import(path)
    assert ok and "2 created" in out
    assert [r.getMessage() for r in caplog.records if r.name == "portal.progress"] == [
        "Import: started (3 lines)",
        "Import: 3 lines done",
    ]


def statements_of_import(tmp_path, lines, name):
    with CaptureQueriesContext(connection) as captured:
        report = import_knowledge_file(write_jsonl(tmp_path / name, *lines))
    assert not report.failures, report.failures
    return len(captured.captured_queries)


def test_an_imported_item_costs_a_bounded_number_of_sql_statements(tmp_path):
    """Fast at 100,000 items (issue 12): each further item of a file adds the same, bounded
    number of statements, whatever the file's length. Wagtail's reference index is brought up to
    date once per page at the end of its batch, not on each of the page's saves."""
    reports = [report_line(external_id=f"r-{n}", title=f"Report number {n}") for n in range(12)]
    two = statements_of_import(tmp_path, reports[:2], "two.jsonl")
    ten = statements_of_import(tmp_path, reports[2:], "ten.jsonl")
    per_item = (ten - two) / 8
    assert per_item <= 80, per_item


def reference_index_statements(captured):
    return [q for q in captured.captured_queries if "referenceindex" in q["sql"].lower()]


def test_each_imported_page_is_indexed_in_wagtail_s_references_once(tmp_path):
    """An imported item is saved three times (placed, its revision, its publish); Wagtail's
    reference index is written for it once, at the end of its batch: the statements an import of
    four items sends to that index are four times what indexing one page costs."""
    reports = [report_line(external_id=f"r-{n}", title=f"Report number {n}") for n in range(4)]
    with CaptureQueriesContext(connection) as imported:
        assert not import_knowledge_file(write_jsonl(tmp_path / "four.jsonl", *reports)).failures
    page = LessonsLearnedReportPage.objects.get(external_id="r-0")
    ReferenceIndex.get_references_for_object(page).delete()
    with CaptureQueriesContext(connection) as once:
        ReferenceIndex.create_or_update_for_object(page)
    assert len(reference_index_statements(imported)) == 4 * len(reference_index_statements(once))


def test_imported_pages_and_documents_are_in_wagtail_s_reference_index(tmp_path):
    """The admin's 'usage' of a document lists the imported pages showing it, and the document's
    own references (its collection) are indexed too."""
    make_pdf(tmp_path / "report.pdf", "Lessons from Mopti: full report")
    lines = [report_line(attachments=[{"file": "report.pdf", "title": "Full report"}])]
    assert not import_knowledge_file(write_jsonl(tmp_path / "items.jsonl", *lines)).failures
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    document = page.attachments.get().document
    users = ReferenceIndex.get_references_to(document).group_by_source_object()
    assert [source.pk for source, _references in users] == [page.pk]
    assert ReferenceIndex.get_references_for_object(document).exists()


def test_a_new_imported_page_is_left_as_wagtail_s_publish_leaves_it(tmp_path, admin_client):
    """Live with one revision that is both its latest and its live one, no unpublished changes,
    its publication dates, "created" and "published" in its history, ``page_published`` sent
    once; the admin edits it from that revision."""
    published = []

    def on_published(sender, instance, revision, **kwargs):
        published.append((instance.pk, revision.pk))

    page_published.connect(on_published, dispatch_uid="test_import_published")
    try:
        assert run_import(write_jsonl(tmp_path / "items.jsonl", report_line()))[0]
    finally:
        page_published.disconnect(dispatch_uid="test_import_published")
    page = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    revision = page.revisions.get()
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id == revision.pk
    assert page.first_published_at == page.last_published_at
    assert page.latest_revision_created_at == revision.created_at
    assert page.draft_title == page.title
    assert published == [(page.pk, revision.pk)]
    history = PageLogEntry.objects.filter(page=page).order_by("pk")
    assert [(entry.action, entry.revision_id) for entry in history] == [
        ("wagtail.create", None),
        ("wagtail.publish", revision.pk),
    ]
    from_revision = revision.as_object()
    assert (from_revision.title, set(from_revision.tags.names())) == (
        page.title,
        {"Livelihoods", "youth"},
    )
    edit = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    assert "Lessons from reintegration support in Mopti" in edit.content.decode()


def test_an_entry_keeps_its_block_id_through_reimports_and_in_its_translations(tmp_path):
    """Entries are identified by their position: a lesson keeps its record through an edit of
    its line, and an imported translation's lessons are the original's."""
    two = [
        {"statement": "Involve host communities", "explanation": "They stay involved."},
        {"statement": "Pay in instalments", "explanation": "Plans get corrected."},
    ]
    french = report_line(
        external_id="ml-lr-2023-01-fr",
        language="fr",
        translation_of="ml-lr-2023-01",
        title="Enseignements de Mopti",
        lessons=[{"statement": "Impliquer les communautés", "explanation": "Elles restent."}],
    )
    assert run_import(write_jsonl(tmp_path / "a.jsonl", report_line(lessons=two), french))[0]
    english = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    ids = [block.id for block in english.lessons]
    translated = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01-fr")
    assert [block.id for block in translated.lessons] == ids[:1]

    edited = report_line(lessons=[{**two[0], "explanation": "Edited."}, two[1]])
    assert run_import(write_jsonl(tmp_path / "b.jsonl", edited))[0]
    english = LessonsLearnedReportPage.objects.get(external_id="ml-lr-2023-01")
    assert [block.id for block in english.lessons] == ids
    assert english.lessons[0].value["explanation"].source == "<p>Edited.</p>"
