"""A lesson moves from identified to learned through its item's editors and reviewers, each
move allowed or refused by the lifecycle and their rights, and logged in the admin's history."""

import datetime

import pytest
import time_machine
from wagtail.models import ModelLogEntry

from lessons.lifecycle import MoveRefused, move, moves_for
from lessons.models import Lesson, Status
from tests.factories import LessonsLearnedReportPageFactory
from tests.helpers import soup

pytestmark = pytest.mark.django_db

ROLES = {
    "editor": "Mali editors",
    "moderator": "Mali moderators",
    "reviewer": "Programme reviewers",
    "niger moderator": "Niger moderators",
}


@pytest.fixture
def lesson():
    report = LessonsLearnedReportPageFactory(live=False)
    report.save_revision().publish()
    return Lesson.objects.get(item_key=report.translation_key)


@pytest.fixture
def people(team_member):
    return {role: team_member(group, role.replace(" ", "_")) for role, group in ROLES.items()}


def at(lesson, status):
    Lesson.objects.filter(pk=lesson.pk).update(status=status)
    lesson.refresh_from_db()
    return lesson


@pytest.mark.parametrize(
    ("status", "role", "allowed"),
    [
        (Status.IDENTIFIED, "editor", [Status.OBSERVATION]),
        (
            Status.IDENTIFIED,
            "moderator",
            [Status.VALIDATED, Status.OBSERVATION, Status.NOT_ACCEPTED],
        ),
        (
            Status.IDENTIFIED,
            "reviewer",
            [Status.VALIDATED, Status.OBSERVATION, Status.NOT_ACCEPTED],
        ),
        (Status.IDENTIFIED, "niger moderator", []),
        (Status.VALIDATED, "editor", [Status.ACTION_PLANNED]),
        (Status.ACTION_PLANNED, "editor", [Status.IMPLEMENTED]),
        (Status.IMPLEMENTED, "editor", [Status.ACTION_PLANNED]),
        (Status.IMPLEMENTED, "moderator", [Status.LEARNED, Status.ACTION_PLANNED]),
        (Status.LEARNED, "editor", []),
        (Status.NOT_ACCEPTED, "editor", []),
        (Status.NOT_ACCEPTED, "reviewer", [Status.IDENTIFIED]),
    ],
)
def test_who_may_move_a_lesson_where(lesson, people, status, role, allowed):
    assert moves_for(people[role], at(lesson, status)) == allowed


def test_a_lesson_walks_from_identified_to_learned_and_each_move_is_logged(lesson, people):
    move(lesson, Status.VALIDATED, people["moderator"], "Seen in three reports.")
    move(lesson, Status.ACTION_PLANNED, people["editor"])
    move(lesson, Status.IMPLEMENTED, people["editor"], "Committees set up in Gao.")
    move(lesson, Status.LEARNED, people["reviewer"], "The 2025 brief shows the change.")
    assert Lesson.objects.get(pk=lesson.pk).status == Status.LEARNED
    entries = ModelLogEntry.objects.for_instance(lesson).order_by("timestamp", "pk")
    assert [(e.user.username, e.message, e.comment) for e in entries] == [
        ("moderator", "Moved from Lesson identified to Validated", "Seen in three reports."),
        ("editor", "Moved from Validated to Action planned", ""),
        ("editor", "Moved from Action planned to Implemented", "Committees set up in Gao."),
        (
            "reviewer",
            "Moved from Implemented to Lesson learned",
            "The 2025 brief shows the change.",
        ),
    ]


@pytest.mark.parametrize(
    ("role", "status", "comment", "message"),
    [
        ("editor", Status.VALIDATED, "Fine.", "You may not move this lesson to “Validated”."),
        (
            "niger moderator",
            Status.VALIDATED,
            "Fine.",
            "You may not move this lesson to “Validated”.",
        ),
        (
            "moderator",
            Status.VALIDATED,
            "  ",
            "Say why in a comment: others will read it with the lesson.",
        ),
        (
            "moderator",
            Status.NOT_ACCEPTED,
            "",
            "Say why in a comment: others will read it with the lesson.",
        ),
        (
            "moderator",
            Status.LEARNED,
            "Done.",
            "A lesson cannot go from “Lesson identified” to “Lesson learned”.",
        ),
    ],
)
def test_a_refused_move_says_why_and_changes_nothing(
    lesson, people, role, status, comment, message
):
    with pytest.raises(MoveRefused, match=message):
        move(lesson, status, people[role], comment)
    assert Lesson.objects.get(pk=lesson.pk).status == Status.IDENTIFIED
    assert not ModelLogEntry.objects.for_instance(lesson).exists()


def test_a_move_on_a_lesson_someone_else_moved_meanwhile_is_refused(lesson, people):
    stale = Lesson.objects.get(pk=lesson.pk)
    move(lesson, Status.VALIDATED, people["moderator"], "Seen in three reports.")
    with pytest.raises(MoveRefused, match="Someone moved this lesson meanwhile"):
        move(stale, Status.NOT_ACCEPTED, people["reviewer"], "Not general enough.")


def test_readers_see_where_a_lesson_stands_and_since_when(client, lesson, people):
    def status_text(url):
        return soup(client.get(url)).select_one(".lesson__status").get_text(" ", strip=True)

    assert status_text(f"/en/register/{lesson.pk}/") == "Status: Lesson identified"
    with time_machine.travel(datetime.datetime(2025, 3, 4, tzinfo=datetime.UTC)):
        move(lesson, Status.VALIDATED, people["moderator"], "Seen in three reports.")
    assert status_text(f"/en/register/{lesson.pk}/") == "Status: Validated · 2025"
    assert status_text("/fr/register/") == "Étape : Validé · 2025"
