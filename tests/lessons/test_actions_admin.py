"""Actions in the admin: each user adds and follows the actions of the lessons of the items they
may edit, and the list is the follow-up report of open, due and overdue actions, with its CSV
and XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine

from lessons.models import Action, ActionStatus
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def action(lesson, description, due, **fields):
    return Action.objects.create(
        lesson=lesson, description=description, owner="Country office", due_date=due, **fields
    )


@pytest.fixture
def actions(lessons):
    return {
        "overdue": action(lessons["mali"], "Train the committees", datetime.date(2026, 2, 1)),
        "due": action(lessons["mali"], "Hire two mediators", datetime.date(2026, 3, 10)),
        "later": action(lessons["mali"], "Review the rota", datetime.date(2026, 9, 1)),
        "done": action(
            lessons["mali"],
            "Open the desk",
            datetime.date(2026, 1, 1),
            status=ActionStatus.DONE,
            done_on=datetime.date(2026, 1, 5),
        ),
        "niger": action(lessons["niger"], "Repair the shelters", datetime.date(2026, 2, 1)),
    }


def listed(client, query=""):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9), tick=False):
        page = soup(client.get(f"/admin/actions/{query}"))
    return sorted(a.get_text(strip=True) for a in page.select("tbody tr td:first-child a"))


def test_an_editor_adds_an_action_to_a_lesson_of_their_section(client, team_member, lessons):
    client.force_login(team_member("Mali editors", "mali_editor"))
    form = soup(client.get(f"/admin/actions/new/?lesson={lessons['mali'].pk}"))
    options = [o["value"] for o in form.select("select[name=lesson] option") if o["value"]]
    assert options == [str(lessons["mali"].pk)]
    assert form.select_one(f"select[name=lesson] option[value='{lessons['mali'].pk}']").has_attr(
        "selected"
    )
    data = {
        "lesson": lessons["mali"].pk,
        "description": "Train the committees",
        "owner": "Mopti regional office",
        "owner_email": "mopti@example.org",
        "owner_language": "fr",
        "due_date": "2026-04-30",
        "status": "planned",
    }
    created = client.post("/admin/actions/new/", data)
    assert created.status_code == 302
    saved = Action.objects.get()
    assert (saved.owner, saved.public) == ("Mopti regional office", False)

    refused = client.post("/admin/actions/new/", {**data, "lesson": lessons["niger"].pk})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert Action.objects.count() == 1


def test_another_sections_actions_are_neither_listed_nor_opened(client, team_member, actions):
    client.force_login(team_member("Niger moderators", "niger_moderator"))
    assert listed(client) == ["Repair the shelters"]
    mali = actions["overdue"].pk
    assert client.get(f"/admin/actions/edit/{mali}/", follow=True).status_code == 404
    assert client.post(f"/admin/actions/delete/{mali}/", follow=True).status_code == 404
    assert Action.objects.filter(pk=mali).exists()


def test_the_report_filters_open_due_and_overdue_actions(client, team_member, actions):
    client.force_login(team_member("Programme reviewers", "reviewer"))
    assert listed(client, "?state=overdue") == ["Repair the shelters", "Train the committees"]
    assert listed(client, "?state=due") == ["Hire two mediators"]
    assert listed(client, "?state=open&country=NE") == ["Repair the shelters"]
    assert listed(client, "?status=done") == ["Open the desk"]


def test_the_report_exports_to_csv_and_xlsx_with_each_actions_lesson(client, team_member, actions):
    client.force_login(team_member("Mali moderators", "mali_moderator"))
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9), tick=False):
        exported = client.get("/admin/actions/?state=overdue&export=csv")
        workbook = client.get("/admin/actions/?state=open&export=xlsx")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(r["Action"], r["Lesson"], r["Countries"], r["Status"]) for r in rows] == [
        ("Train the committees", "Involve host communities early", "Mali", "Planned")
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    values = list(sheet.values)
    header = values[0]
    due = header.index("Due date")
    assert sorted((row[header.index("Action")], row[due]) for row in values[1:]) == [
        ("Hire two mediators", datetime.date(2026, 3, 10)),
        ("Review the rota", datetime.date(2026, 9, 1)),
        ("Train the committees", datetime.date(2026, 2, 1)),
    ]


def test_the_dashboard_counts_what_to_follow_up_in_the_users_sections(client, team_member, actions):
    client.force_login(team_member("Mali moderators", "mali_moderator"))
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9), tick=False):
        panel = soup(client.get("/admin/")).select_one(".lesson-follow-up")
    links = [(a.get_text(strip=True), a["href"]) for a in panel.select("a")]
    assert links == [
        ("1 lesson awaiting validation", "/admin/lessons/?status=identified"),
        ("3 open actions", "/admin/actions/?state=open"),
        ("1 due soon", "/admin/actions/?state=due"),
        ("1 overdue", "/admin/actions/?state=overdue"),
    ]


def test_another_sections_action_history_and_usage_are_not_found(client, team_member, actions):
    client.force_login(team_member("Mali editors", "mali_editor"))
    niger = actions["niger"].pk
    for view in ("history", "usage"):
        assert client.get(f"/admin/actions/{view}/{niger}/", follow=True).status_code == 404
    assert client.get(f"/admin/actions/history/{actions['due'].pk}/").status_code == 200


def test_the_csv_export_cannot_carry_a_formula(client, team_member, actions):
    Action.objects.filter(pk=actions["due"].pk).update(description='=HYPERLINK("http://x.example")')
    client.force_login(team_member("Mali moderators", "mali_moderator"))
    exported = client.get("/admin/actions/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert '\'=HYPERLINK("http://x.example")' in [row["Action"] for row in rows]


def test_bad_values_are_refused_in_the_form_not_with_an_error_page(client, team_member, lessons):
    client.force_login(team_member("Mali editors", "mali_editor"))
    data = {
        "lesson": lessons["mali"].pk,
        "description": "Train\u202e the committees",
        "owner": "Office",
        "owner_language": "en",
        "due_date": "2026-04-30",
        "status": "done",
        "done_on": "2099-01-01",
        "evidence_page": "abc",
    }
    refused = client.post("/admin/actions/new/", data)
    assert refused.status_code == 200
    text = soup(refused).get_text(" ", strip=True)
    assert "Remove the control or text-direction characters" in text
    assert "An action cannot be done later than today." in text
    assert "Choose it with the chooser." in text
    assert not Action.objects.exists()
