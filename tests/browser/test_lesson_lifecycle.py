"""A lesson walks from identified to learned in the real admin, in Chromium, and readers see
where it stands: the Mali moderator validates it, the Mali editor plans an action and records
that it was done (with the country it changed practice in), the moderator declares it learned;
the lesson's public page then says "Lesson learned · 1 action · applied in Mali"."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_publish_flow import log_in

pytestmark = pytest.mark.browser

STATEMENT = "Quarrymen's cooperatives need a written land agreement"
ACTION = "Sign land agreements with the Kayes quarry cooperatives"

#: Publishes, in the server's database, a report of the Mali section holding one lesson; prints
#: the lesson's id.
PUBLISH_REPORT = f"""
from knowledge.models import CountrySectionPage, Country, LessonsLearnedReportPage, Theme
from lessons.models import Lesson
mali = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
report = LessonsLearnedReportPage(
    title="Quarries of Kayes", summary="What the quarry cooperatives taught us.",
    publication_date="2025-02-01", organisation="COMPASS Mali", live=False,
    lessons=[{{"type": "lesson", "value": {{"statement": "{STATEMENT}",
              "explanation": "<p>Without one, the land was taken back.</p>"}}}}],
)
mali.add_child(instance=report)
report.countries.set(Country.objects.filter(locale=report.locale, code="ML"))
report.themes.set(Theme.objects.filter(locale=report.locale, slug="return-and-reintegration"))
report.save_revision().publish()
print(Lesson.objects.get(item_key=report.translation_key).pk)
"""


def move(page, status, comment=""):
    page.get_by_role("radio", name=status, exact=True).check()
    if comment:
        page.get_by_role("textbox", name="Comment").fill(comment)
    page.get_by_role("button", name="Move the lesson").click()
    expect(page.get_by_text(f"The lesson is now “{status}”.")).to_be_visible()


def test_a_lesson_walks_from_identified_to_learned(new_context, screenshot, portal_server):
    server = portal_server
    lesson_id = int(server.shell(PUBLISH_REPORT).split()[-1])
    lesson_admin = server.url(f"/admin/lessons/{lesson_id}/")

    moderator = log_in(new_context(), server, server.moderator)
    moderator.goto(server.url("/admin/lessons/?status=identified"))
    moderator.get_by_role("link", name=STATEMENT).click()
    expect(moderator.get_by_role("heading", name=STATEMENT)).to_be_visible()
    screenshot(moderator, "identified")
    move(moderator, "Validated", "Seen in Kayes and in Gao.")

    editor = log_in(new_context(), server, server.editor)
    editor.goto(lesson_admin)
    expect(editor.get_by_role("radio", name="Not accepted")).to_have_count(0)  # reviewers judge
    move(editor, "Action planned")
    editor.get_by_role("link", name="Add an action").click()
    editor.get_by_role("textbox", name="Action*").fill(ACTION)
    editor.get_by_role("textbox", name="Owner*").fill("Kayes field office")
    editor.get_by_role("textbox", name="Owner's email").fill("kayes@example.org")
    editor.get_by_label("Due date").fill("2026-03-31")
    editor.get_by_role("checkbox", name="Public").check()
    screenshot(editor, "action")
    editor.get_by_role("button", name="Create").click()
    expect(editor.get_by_role("link", name=ACTION)).to_be_visible()

    editor.get_by_role("link", name=ACTION).click()
    editor.get_by_role("combobox", name="Status*").select_option(label="Done")
    editor.locator("#id_country").select_option(label="Mali")
    editor.get_by_role("button", name="Save").click()
    editor.goto(lesson_admin)
    move(editor, "Implemented")
    screenshot(editor, "implemented")

    moderator.goto(lesson_admin)
    move(moderator, "Lesson learned", "The cooperatives keep their land since the agreements.")
    history = moderator.locator(".lesson-history li")
    expect(history).to_have_count(4)
    expect(history.first).to_contain_text("Moved from Implemented to Lesson learned")
    screenshot(moderator, "learned")

    reader = new_context().new_page()
    reader.goto(server.url(f"/en/register/{lesson_id}/"))
    year = datetime.date.today().year
    expect(reader.locator(".lesson__status")).to_have_text(
        f"Status: Lesson learned · {year} · 1 action · applied in Mali {year}"
    )
    expect(reader.locator(".action__description")).to_have_text(ACTION)
    screenshot(reader, "public-lesson")
    assert new_context.csp_violations == [], "the admin and the site work under their policies"
