"""The lesson register's feeds: lessons newly validated and newly applied, public ones only."""

import datetime

import feedparser
import pytest

from knowledge.models import Country, KnowledgePage
from lessons.lifecycle import move
from lessons.models import Action, ActionStatus, Lesson, Status
from tests.factories import LessonsLearnedReportPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(team_member):
    report = LessonsLearnedReportPageFactory(live=False, title="Committees in Mopti")
    report.save_revision().publish()
    lesson = Lesson.objects.get(item_key=report.translation_key)
    move(lesson, Status.VALIDATED, team_member("Mali moderators", "mariam"), "Seen twice.")
    return lesson


def entries(client, path):
    response = client.get(path)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return [(entry.title, entry.summary, entry.link) for entry in parsed.entries]


def test_a_validated_lesson_is_in_the_validated_feed(client, lesson):
    ((title, summary, link),) = entries(client, "/en/feeds/lessons/validated/atom/")
    assert title == "Involve host communities early"
    assert summary == "From: Committees in Mopti"
    assert link == f"http://testserver/en/register/{lesson.pk}/"
    rss = client.get("/fr/feeds/lessons/validated/rss/")
    assert b"<dc:language>en</dc:language>" in rss.content


def test_only_public_actions_done_are_in_the_applied_feed(client, lesson):
    niger = Country.objects.get(code="NE", locale__language_code="en")
    common = {"lesson": lesson, "owner": "Office", "due_date": datetime.date(2025, 1, 1)}
    done = {"status": ActionStatus.DONE, "done_on": datetime.date(2025, 3, 1), "country": niger}
    Action.objects.create(description="Trained the committees", public=True, **done, **common)
    Action.objects.create(description="Paid the informants", **done, **common)
    Action.objects.create(description="Plan the next round", public=True, **common)
    found = entries(client, "/en/feeds/lessons/applied/atom/")
    assert [(title, summary) for title, summary, _link in found] == [
        ("Involve host communities early", "Trained the committees")
    ]


def test_a_lesson_of_an_unpublished_item_leaves_the_feeds(client, lesson):
    KnowledgePage.objects.get(translation_key=lesson.item_key).unpublish()
    assert entries(client, "/en/feeds/lessons/validated/atom/") == []


def test_a_lesson_sent_back_leaves_the_validated_feed(client, lesson, team_member):
    from lessons.lifecycle import move

    move(lesson, Status.NOT_ACCEPTED, team_member("Mali moderators", "moussa"), "Not confirmed.")
    assert entries(client, "/en/feeds/lessons/validated/atom/") == []


def test_an_actions_text_is_escaped_in_the_feeds(client, lesson):
    Action.objects.create(
        lesson=lesson,
        description='<img src=x onerror="alert(1)">',
        owner="Office",
        due_date=datetime.date(2025, 1, 1),
        public=True,
        status=ActionStatus.DONE,
        done_on=datetime.date(2025, 2, 1),
    )
    body = client.get("/en/feeds/lessons/applied/rss/").content.decode()
    assert "&lt;img" not in body.replace("&amp;lt;img", "")  # escaped twice: text in HTML in XML
    assert "&amp;lt;img src=x" in body
