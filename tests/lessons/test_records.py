"""Every lesson, recommendation and key message is a record of its own: one id and URL that
survive edits, reordering and translation, shown only while its item is public."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Locale, PageViewRestriction

from lessons.models import Lesson
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory, statements
from tests.helpers import soup

pytestmark = pytest.mark.django_db

LESSONS = statements(
    "lesson",
    ("Involve host communities early", "<p>They stay.</p>"),
    ("Pay volunteers' transport", ""),
)


def published_report(**fields):
    report = LessonsLearnedReportPageFactory(
        live=False,
        lessons=LESSONS,
        recommendations=[{"type": "recommendation", "value": {"statement": "Fund committees"}}],
        **fields,
    )
    report.save_revision().publish()
    return report


def record_of(page, statement):
    """The record of the entry of ``page`` whose statement is ``statement``."""
    page = page.specific
    streams = [*page.lessons, *page.recommendations]
    (block,) = [block for block in streams if block.value["statement"] == statement]
    return Lesson.objects.get(item_key=page.translation_key, block_id=block.id)


def edit(page, change):
    page = page.specific.__class__.objects.get(pk=page.pk)
    change(page)
    page.save_revision().publish()
    return page


def shown(client, record, language="en"):
    return client.get(f"/{language}/register/{record.pk}/")


def test_publishing_gives_each_lesson_and_recommendation_a_record(client):
    report = published_report(title="Committees in Mopti")
    assert Lesson.objects.filter(item_key=report.translation_key).count() == 3
    record = record_of(report, "Involve host communities early")
    assert record.kind == "lesson"
    page = soup(shown(client, record))
    assert page.h1.get_text(strip=True) == "Involve host communities early"
    assert page.select_one(".explanation").get_text(strip=True) == "They stay."
    link = page.select_one("dl.facts dd a")
    assert link.get_text(strip=True) == "Committees in Mopti"
    block_id = record.block_id
    assert link["href"] == f"{report.url}#entry-{block_id}"
    anchor = soup(client.get(report.url)).select_one(f"#entry-{block_id}")
    assert "Involve host communities early" in anchor.get_text()


def test_a_record_survives_rewording_and_reordering():
    report = published_report()
    record = record_of(report, "Pay volunteers' transport")

    def reword_and_reorder(page):
        first, second = list(page.lessons.raw_data)
        second["value"]["statement"] = "Pay volunteers' transport and meals"
        page.lessons = [second, first]

    report = edit(report, reword_and_reorder)
    assert record_of(report, "Pay volunteers' transport and meals") == record
    assert Lesson.objects.filter(item_key=report.translation_key).count() == 3


def test_a_translation_is_the_same_lesson_shown_in_the_readers_language(client):
    report = published_report()
    record = record_of(report, "Involve host communities early")
    french = report.copy_for_translation(Locale.objects.get(language_code="fr"))

    def translate(page):
        raw = list(page.lessons.raw_data)
        raw[0]["value"]["statement"] = "Associer tôt les communautés d'accueil"
        page.lessons = raw

    french = edit(french, translate)
    assert record_of(french, "Associer tôt les communautés d'accueil") == record
    assert Lesson.objects.filter(item_key=report.translation_key).count() == 3
    assert soup(shown(client, record, "fr")).h1.get_text(strip=True) == (
        "Associer tôt les communautés d'accueil"
    )
    assert soup(shown(client, record, "es")).h1.get_text(strip=True) == (
        "Involve host communities early"
    )


def test_a_lesson_removed_from_its_report_is_withdrawn_and_comes_back_with_it(client):
    report = published_report()
    record = record_of(report, "Pay volunteers' transport")
    edit(report, lambda page: setattr(page, "lessons", list(page.lessons.raw_data)[:1]))
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    gone = shown(client, record)
    assert gone.status_code == 410
    assert "This lesson was withdrawn" in soup(gone).h1.get_text()
    assert soup(gone).select_one(f"main a[href='{report.url}']") is not None
    assert "Pay volunteers" not in client.get("/en/register/").content.decode()
    report.revisions.order_by("created_at").first().publish()
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert shown(client, record).status_code == 200


def test_lessons_of_drafts_and_private_items_are_never_shown(client):
    draft = LessonsLearnedReportPageFactory(live=False, lessons=LESSONS)
    draft.save_revision()
    private = published_report(title="Private report")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    record = record_of(private, "Involve host communities early")
    assert not Lesson.objects.filter(item_key=draft.translation_key).exists()
    assert shown(client, record).status_code == 404
    assert "Involve host communities early" not in client.get("/en/register/").content.decode()


def test_the_register_lists_key_messages_and_recommendations_newest_item_first(client):
    published_report(title="Older report")
    note = PolicyNotePageFactory(
        live=False,
        title="Newer note",
        publication_date="2025-06-01",
        recommendations=[
            {
                "type": "recommendation",
                "value": {"statement": "Fund shelters", "audience": "donors"},
            }
        ],
    )
    note.save_revision().publish()
    page = soup(client.get("/en/register/"))
    entries = [
        (entry.select_one(".badge").get_text(strip=True), entry.h3.get_text(strip=True))
        for entry in page.select(".register__entry")
    ]
    assert entries == [
        ("Key message", "Fund community-led protection."),
        ("Recommendation", "Fund shelters"),
        ("Lesson", "Involve host communities early"),
        ("Lesson", "Pay volunteers' transport"),
        ("Recommendation", "Fund committees"),
    ]
    recommendation = Lesson.objects.get(kind="recommendation", item_key=note.translation_key)
    assert "Donors" in soup(shown(client, recommendation)).select_one(".audience").get_text()


def test_record_lessons_gives_live_items_their_records_once():
    report = LessonsLearnedReportPageFactory(lessons=LESSONS)  # live, never published by Wagtail
    out = io.StringIO()
    call_command("record_lessons", stdout=out)
    assert "2 records created" in out.getvalue()
    call_command("record_lessons", stdout=out)
    assert "0 records created" in out.getvalue()
    assert Lesson.objects.filter(item_key=report.translation_key).count() == 2
