"""``manage.py import_lessons``: an existing register's statuses and actions brought in from
JSON Lines, matched to entries by item and position; each bad line reported with its number."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from lessons.models import Action, ActionStatus, Lesson, Status
from tests.factories import LessonsLearnedReportPageFactory, PracticeBriefPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    page = LessonsLearnedReportPageFactory(live=False, external_id="ml-lr-01")
    page.save_revision().publish()
    PracticeBriefPageFactory(title="Committees at work", external_id="ml-pb-02")
    return page


def run(tmp_path, *lines):
    path = tmp_path / "register.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_lessons", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


LINE = {
    "item": "ml-lr-01",
    "entry": "lessons/0",
    "status": "implemented",
    "comment": "Steering committee, March 2024",
    "actions": [
        {
            "description": "Train the committees",
            "owner": "Mopti office",
            "owner_email": "mopti@example.org",
            "due_date": "2024-12-31",
            "status": "done",
            "done_on": "2024-11-05",
            "country": "ml",
            "evidence_item": "ml-pb-02",
            "public": True,
        }
    ],
}


def test_a_register_line_sets_the_status_and_writes_the_actions_once(tmp_path, report):
    ok, out = run(tmp_path, LINE)
    assert ok, out
    assert "1 lessons updated, 1 actions written, 0 failed" in out
    lesson = Lesson.objects.get(item_key=report.translation_key)
    assert lesson.status == Status.IMPLEMENTED
    (entry,) = ModelLogEntry.objects.for_instance(lesson)
    assert entry.data["comment"] == "Steering committee, March 2024"
    action = Action.objects.get()
    assert (action.status, action.done_on, action.country.code) == (
        ActionStatus.DONE,
        datetime.date(2024, 11, 5),
        "ML",
    )
    assert action.evidence_page.title == "Committees at work"
    edited = {**LINE, "actions": [{**LINE["actions"][0], "owner": "Mopti regional office"}]}
    assert run(tmp_path, edited)[0]
    assert Action.objects.get().owner == "Mopti regional office"
    assert ModelLogEntry.objects.for_instance(lesson).count() == 1


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_imported(tmp_path, report):
    bad_action = {**LINE["actions"][0], "due_date": "31/12/2024"}
    ok, err = run(
        tmp_path,
        "{not json",
        {**LINE, "item": "nobody"},
        {**LINE, "entry": "lessons/7"},
        {**LINE, "status": "done"},
        {**LINE, "actions": [bad_action]},
        {**LINE, "actions": [{**LINE["actions"][0], "owner": ""}]},
        {**LINE, "colour": "red"},
        {"item": "ml-lr-01", "entry": "lessons/0", "status": "validated"},
    )
    assert not ok
    assert "line 1: not valid JSON" in err
    assert "line 2: no item has the external_id 'nobody'" in err
    assert "line 3: 'ml-lr-01' has 1 lessons; positions start at 0" in err
    assert "line 4: unknown status 'done'" in err
    assert "line 5: action 1: due_date is a date written YYYY-MM-DD, not '31/12/2024'" in err
    assert "line 6: action 1: owner: This field cannot be blank." in err
    assert "line 7: unknown key 'colour'" in err
    assert "1 lessons updated, 0 actions written, 7 failed" in err
    assert Lesson.objects.get(item_key=report.translation_key).status == Status.VALIDATED
    assert not Action.objects.exists()


def test_the_demo_register_shows_lessons_at_every_stage(tmp_path):
    call_command("load_demo_content", stdout=StringIO())
    call_command("record_lessons", stdout=StringIO())
    out = StringIO()
    call_command("import_lessons", "lessons/demo/register.jsonl", stdout=out)
    assert "0 failed" in out.getvalue()
    assert set(Lesson.objects.values_list("status", flat=True)) == set(Status.values)
    day = datetime.date(2026, 12, 7)  # the demo's dates were chosen around this day
    assert Action.objects.overdue(day).filter(public=True).exists()
    assert Action.objects.overdue(day).filter(public=False).exists()
    assert Action.objects.due(day).exists()
    applied = Action.objects.filter(status=ActionStatus.DONE, public=True, country__isnull=False)
    assert applied.values("country__code").distinct().count() >= 4
