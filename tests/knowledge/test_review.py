"""The "Country review" workflow as a team lives it: submit, request changes, approve, schedule.

Every step goes through the admin views a person would use; emails land in Django's locmem outbox.
"""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from knowledge.models import PracticeBriefPage
from tests.factories import section_page
from tests.helpers import soup
from tests.knowledge.test_admin import brief_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(team_member):
    return {
        "editor": team_member("Mali editors", "awa"),
        "moderator": team_member("Mali moderators", "moussa"),
        "reviewer": team_member("Programme reviewers", "rita"),
        "other_moderator": team_member("Niger moderators", "nassim"),
    }


def act_as(user):
    """A fresh browser session logged in as ``user`` (flash messages stay with their session)."""
    client = Client()
    client.force_login(user)
    return client


def submit_new_brief(client, title="Savings groups in Gao"):
    """Create a brief in Mali's English section and submit it to review, as the logged-in user."""
    section = section_page("en", "ML")
    url = reverse("wagtailadmin_pages:add", args=["knowledge", "practicebriefpage", section.pk])
    data = brief_data(title) | {"slug": slugify(title), "action-submit": "Submit"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PracticeBriefPage.objects.get(title=title)


def workflow_action(client, page, action, comment=""):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment} if comment else {})


def assert_permission_denied(response):
    """The admin's refusal: back to the dashboard with "Sorry, you do not have permission…"."""
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert "Sorry, you do not have permission to access this area." in messages


def recipients(subject_part):
    return {address for m in mail.outbox if subject_part in m.subject for address in m.to}


def test_submission_goes_to_the_sections_moderators_and_programme_reviewers(client, team):
    page = submit_new_brief(act_as(team["editor"]))
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task_state.task.name == "Country review: Mali"
    notified = {address for m in mail.outbox for address in m.to}
    assert {"moussa@example.org", "rita@example.org"} <= notified
    assert "nassim@example.org" not in notified
    assert "awa@example.org" not in notified
    public = client.get(page.url)
    assert public.status_code == 404


def test_the_moderator_sees_the_brief_awaiting_review_on_the_dashboard(team):
    page = submit_new_brief(act_as(team["editor"]))
    dashboard = act_as(team["moderator"]).get(reverse("wagtailadmin_home"))
    assert page.title in dashboard.content.decode()
    other = act_as(team["other_moderator"]).get(reverse("wagtailadmin_home"))
    assert page.title not in other.content.decode()


def test_request_changes_sends_the_comment_to_the_author_and_keeps_the_page_private(team):
    page = submit_new_brief(act_as(team["editor"]))
    mail.outbox.clear()
    response = workflow_action(
        act_as(team["moderator"]), page, "reject", comment="Add the savings figures."
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert not page.workflow_in_progress
    to_author = [m for m in mail.outbox if m.to == ["awa@example.org"]]
    assert len(to_author) == 1
    assert 'The following comment was left: "Add the savings figures."' in to_author[0].body
    assert f"/admin/pages/{page.pk}/edit/" in to_author[0].body


def test_approval_publishes_the_brief_and_tells_the_author(client, team):
    page = submit_new_brief(act_as(team["editor"]))
    mail.outbox.clear()
    workflow_action(act_as(team["moderator"]), page, "approve")
    page.refresh_from_db()
    assert page.live
    assert "awa@example.org" in recipients("approved")
    assert client.get(page.url).status_code == 200


def test_resubmitting_after_changes_starts_a_new_review(team):
    page = submit_new_brief(act_as(team["editor"]))
    workflow_action(act_as(team["moderator"]), page, "reject", comment="Shorter title.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = brief_data("Savings in Gao") | {"slug": page.slug, "action-submit": "Submit"}
    act_as(team["editor"]).post(edit, data)
    page.refresh_from_db()
    assert page.workflow_in_progress
    workflow_action(act_as(team["reviewer"]), page, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.title == "Savings in Gao"


@pytest.mark.parametrize("who", ["other_moderator", "editor"])
def test_only_the_sections_reviewers_can_approve(team, who):
    page = submit_new_brief(act_as(team["editor"]))
    response = workflow_action(act_as(team[who]), page, "approve")
    assert_permission_denied(response)
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress


def schedule(client, page, **dates):
    """Publish ``page`` through the edit view with go-live/expiry ``dates`` (aware datetimes)."""
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    fields = {name: value.strftime("%Y-%m-%d %H:%M") for name, value in dates.items()}
    data = brief_data(page.title) | {"slug": page.slug, "action-publish": "Publish"}
    response = client.post(edit, data | fields)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_scheduled_publishing_waits_for_the_go_live_date(team):
    page = submit_new_brief(act_as(team["editor"]))
    moderator = act_as(team["moderator"])
    now = timezone.now().replace(second=0, microsecond=0)
    go_live = now + datetime.timedelta(days=2)
    schedule(moderator, page, go_live_at=go_live)
    page.refresh_from_db()
    assert not page.live
    explorer = moderator.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    row = next(r for r in soup(explorer).select("tr") if page.title in r.get_text())
    assert "scheduled" in row.get_text().lower()

    with time_machine.travel(go_live - datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live

    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_an_expiry_date_takes_the_brief_down(team):
    page = submit_new_brief(act_as(team["editor"]))
    moderator = act_as(team["moderator"])
    expiry = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=30)
    schedule(moderator, page, expire_at=expiry)
    page.refresh_from_db()
    assert page.live
    with time_machine.travel(expiry + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_moderators_read_history_compare_revisions_and_the_audit_log(team):
    page = submit_new_brief(act_as(team["editor"]))
    workflow_action(act_as(team["moderator"]), page, "reject", comment="Shorter title.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    act_as(team["editor"]).post(edit, brief_data("Savings in Gao") | {"slug": page.slug})
    moderator = act_as(team["moderator"])

    history = moderator.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    entries = text_of_history(history)
    assert "'Country review: Mali' started" in entries
    assert "Changes requested Comment: Shorter title." in entries

    first, latest = page.revisions.order_by("created_at")[:2]
    compare = moderator.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, latest.pk])
    )
    assert compare.status_code == 200
    assert "Savings in Gao" in compare.content.decode()

    audit = moderator.get(reverse("wagtailadmin_reports:site_history"))
    assert audit.status_code == 200
    assert "Savings in Gao" in audit.content.decode()


def test_the_audit_log_hides_other_sections_from_a_moderator(team):
    page = submit_new_brief(act_as(team["editor"]))
    other = act_as(team["other_moderator"])
    assert (
        page.title not in other.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    )
    assert_permission_denied(other.get(reverse("wagtailadmin_pages:history", args=[page.pk])))


def text_of_history(response):
    return " ".join(soup(response).get_text(" ").split())


def test_every_section_in_every_locale_uses_its_country_review():
    for section in Page.objects.type(section_page().__class__).specific():
        workflow = section.get_workflow()
        team = section.country.code if section.country_id else None
        expected = section_page("en", team).title if team else "Regional and global"
        assert workflow.name == f"Country review: {expected}"


@pytest.mark.parametrize("when", ["0001-01-01 00:00", "9999-12-31 23:59"])
def test_a_schedule_date_out_of_range_is_a_form_error(team, when):
    page = submit_new_brief(act_as(team["editor"]))
    workflow_action(act_as(team["moderator"]), page, "reject", comment="Later.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = brief_data(page.title) | {"slug": page.slug, "go_live_at": when}
    response = act_as(team["editor"]).post(edit, data)
    assert response.status_code == 200
    assert "Choose a date between the years 2000 and 2100." in response.content.decode()
    assert page.get_latest_revision().approved_go_live_at is None
    assert (
        PracticeBriefPage.objects.get(pk=page.pk).get_latest_revision_as_object().go_live_at is None
    )


def messages_shown(response):
    """The admin's messages on the page ``response`` renders or redirects to."""
    if response.status_code == 302:
        return [" ".join(str(m).split()) for m in get_messages(response.wsgi_request)]
    return [" ".join(li.stripped_strings) for li in soup(response).select(".messages li")]


def test_a_failed_submit_of_a_new_brief_says_nothing_is_saved_yet(team):
    section = section_page("en", "ML")
    url = reverse("wagtailadmin_pages:add", args=["knowledge", "practicebriefpage", section.pk])
    data = brief_data("Savings") | {"slug": "savings", "action-submit": "Submit", "community": ""}
    response = act_as(team["editor"]).post(url, data)
    assert messages_shown(response) == [
        "Not submitted for review: correct the errors below. Nothing is saved yet; saving a "
        "draft needs only a title. Go to the first error"
    ]
    assert not PracticeBriefPage.objects.filter(title="Savings").exists()


def test_a_failed_submit_of_a_saved_draft_says_the_draft_is_kept(team):
    editor = act_as(team["editor"])
    page = submit_new_brief(editor)
    workflow_action(act_as(team["moderator"]), page, "reject", comment="Name the community.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = brief_data(page.title) | {"slug": page.slug, "action-submit": "1", "community": ""}
    response = editor.post(edit, data)
    assert messages_shown(response)[-1] == (
        "Not submitted for review: correct the errors below. Your last saved draft is kept. "
        "Go to the first error"
    )
    page.refresh_from_db()
    assert page.community == "Women's savings groups"


def test_approving_from_the_dashboard_says_the_brief_is_published(team):
    page = submit_new_brief(act_as(team["editor"]))
    response = workflow_action(act_as(team["moderator"]), page, "approve")
    assert messages_shown(response) == [
        "Approved and published: “Savings groups in Gao” is on the site."
    ]


def test_approving_a_scheduled_brief_says_when_it_will_be_published(team):
    editor = act_as(team["editor"])
    section = section_page("en", "ML")
    url = reverse("wagtailadmin_pages:add", args=["knowledge", "practicebriefpage", section.pk])
    go_live = timezone.localtime() + datetime.timedelta(days=3)
    data = brief_data("Later") | {
        "slug": "later",
        "action-submit": "Submit",
        "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
    }
    editor.post(url, data)
    page = PracticeBriefPage.objects.get(title="Later")
    response = workflow_action(act_as(team["moderator"]), page, "approve")
    when = go_live.strftime("%Y-%m-%d %H:%M")
    assert messages_shown(response) == [f"Approved: “Later” will be published on {when}."]


def test_requesting_changes_says_the_author_is_told(team):
    page = submit_new_brief(act_as(team["editor"]))
    response = workflow_action(act_as(team["moderator"]), page, "reject", comment="Shorter.")
    assert messages_shown(response) == [
        "Changes requested: “Savings groups in Gao” goes back to its author, who is told by email."
    ]


def test_approving_in_the_editor_says_the_brief_is_published(team):
    page = submit_new_brief(act_as(team["editor"]))
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = brief_data(page.title) | {
        "slug": page.slug,
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
    }
    response = act_as(team["moderator"]).post(edit, data)
    assert messages_shown(response) == [
        "Approved and published: “Savings groups in Gao” is on the site."
    ]
