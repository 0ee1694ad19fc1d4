"""The lesson register in the admin: each user sees the lessons of the items they may edit, and
moves them as the lifecycle and their rights allow, with the history of moves on the page."""

import pytest

from lessons.models import Lesson, Status
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def log_in(client, team_member, group):
    client.force_login(team_member(group, group.split()[0].lower() + "_" + group.split()[1]))


def listed(client, query=""):
    rows = soup(client.get(f"/admin/lessons/{query}")).select("tbody tr")
    return [row.td.a.get_text(strip=True) for row in rows if row.td.a]


def test_an_editor_sees_and_moves_the_lessons_of_their_section_only(client, team_member, lessons):
    log_in(client, team_member, "Mali editors")
    assert listed(client) == ["Involve host communities early"]
    denied = client.get(f"/admin/lessons/{lessons['niger'].pk}/", follow=True)
    assert denied.redirect_chain == [("/admin/", 302)]
    assert "you do not have permission" in denied.content.decode()
    page = soup(client.get(f"/admin/lessons/{lessons['mali'].pk}/"))
    assert [radio["value"] for radio in page.select("input[name=status]")] == ["observation"]
    refused = client.post(
        f"/admin/lessons/{lessons['mali'].pk}/", {"status": "validated", "comment": "Fine."}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert Lesson.objects.get(pk=lessons["mali"].pk).status == Status.IDENTIFIED


def test_a_moderator_validates_with_a_comment_and_the_history_shows_it(
    client, team_member, lessons
):
    log_in(client, team_member, "Mali moderators")
    url = f"/admin/lessons/{lessons['mali'].pk}/"
    without = client.post(url, {"status": "validated", "comment": ""})
    assert without.status_code == 400
    assert "Say why in a comment" in without.content.decode()
    moved = client.post(
        url, {"status": "validated", "comment": "Seen in three reports."}, follow=True
    )
    assert Lesson.objects.get(pk=lessons["mali"].pk).status == Status.VALIDATED
    page = soup(moved)
    assert "The lesson is now “Validated”." in page.get_text()
    (entry,) = page.select(".lesson-history li")
    assert "Moved from Lesson identified to Validated: “Seen in three reports.”" in entry.get_text()
    assert listed(client, "?status=validated") == ["Involve host communities early"]
    assert listed(client, "?status=identified") == []


def test_a_move_from_a_page_out_of_date_is_refused(client, team_member, lessons):
    log_in(client, team_member, "Mali moderators")
    url = f"/admin/lessons/{lessons['mali'].pk}/"
    page = soup(client.get(url))
    assert page.select_one("input[name=was]")["value"] == "identified"
    Lesson.objects.filter(pk=lessons["mali"].pk).update(status=Status.VALIDATED)
    stale = client.post(
        url, {"was": "identified", "status": "not_accepted", "comment": "No."}, follow=True
    )
    assert "Someone moved this lesson meanwhile" in soup(stale).get_text()
    assert Lesson.objects.get(pk=lessons["mali"].pk).status == Status.VALIDATED
