"""Every public page type passes axe-core's WCAG 2.2 A and AA rules in all four languages, on a
phone and a desktop; the admin pages an editor uses have no serious or critical violation.

axe-core (Deque, https://github.com/dequelabs/axe-core) runs inside Chromium on the rendered page,
colours and layout included, as the browser extension does.
"""

import json

import pytest

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "ar", "es"]
#: The WCAG levels checked (axe-core's rule tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE, DESKTOP = (390, 844), (1366, 900)

#: Publishes one item of each type in the Mali section (English), on a theme; prints their URLs.
PUBLISH_ITEMS = """
import json
from knowledge.models import (Country, CountrySectionPage, LessonsLearnedReportPage,
    PolicyNotePage, PracticeBriefPage, Theme)
mali = CountrySectionPage.objects.get(locale__language_code="en", country__code="ML")
theme = Theme.objects.filter(locale=mali.locale).first()
common = {"summary": "Returnees of Kayes and what helped them.", "organisation": "COMPASS Mali",
    "live": False}
items = [
    LessonsLearnedReportPage(title="Axe report on Kayes returnees", context="<p>Context.</p>",
        lessons=[("lesson", {"statement": "Listen first", "explanation": "<p>It works.</p>"})],
        **common),
    PracticeBriefPage(title="Axe brief on Kayes grain banks", community="Villages of Kayes",
        practice="<p>Shared grain banks.</p>", **common),
    PolicyNotePage(title="Axe note on Kayes borders",
        key_messages=[("message", "Borders need referral pathways.")], **common),
]
urls = {}
for page in items:
    mali.add_child(instance=page)
    page.countries = list(Country.objects.filter(locale=page.locale, code="ML"))
    page.themes = [theme]
    page.save_revision().publish()
    urls[page.specific_class.knowledge_type] = page.get_url()
urls["theme"] = theme.slug
urls["report_id"] = items[0].pk
print(json.dumps(urls))
"""


@pytest.fixture(scope="module")
def items(portal_server):
    return json.loads(portal_server.shell(PUBLISH_ITEMS).splitlines()[-1])


def public_pages(language, items):
    pages = [
        f"/{language}/",
        f"/{language}/mali/",
        f"/{language}/lessons/",
        f"/{language}/lessons/?country=ML",
        f"/{language}/themes/",
        f"/{language}/themes/{items['theme']}/",
        f"/{language}/countries/",
        f"/{language}/search/?q=Kayes",
        f"/{language}/search/?q=Kayes&type=practice_brief",
        f"/{language}/register/",
        f"/{language}/vocabulary/",
        f"/{language}/no-such-page/",
    ]
    if language == "en":
        pages += [items["lessons_report"], items["practice_brief"], items["policy_note"]]
    else:
        pages.append(f"/{language}/untranslated/{items['report_id']}/")
    return pages


def axe_source(path):
    return path.read_text() + "\n;true"


def violations(page, axe_path, tags=WCAG_TAGS):
    """axe-core's violations on ``page`` as ``["rule (impact): first element", ...]``."""
    # Evaluated through the browser's debugging protocol: the page's Content Security Policy
    # rightly refuses a script tag of inline code.
    page.evaluate(axe_source(axe_path))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.map(n => n.target.join(' '))}))",
        tags,
    )
    return found


def described(found):
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in found]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_type_passes_axe(
    new_context, portal_server, axe_path, items, language, size
):
    page = new_context(*size).new_page()
    failures = {}
    for path in public_pages(language, items):
        page.goto(portal_server.url(path))
        found = violations(page, axe_path)
        if found:
            failures[path] = described(found)
    assert failures == {}


ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/{mali_id}/",
    "/admin/pages/{report_id}/edit/",
    "/admin/pages/add/knowledge/practicebriefpage/{mali_id}/",
    "/admin/actions/",
    "/admin/lessons/",
]


#: Sets the admin language of the user USERNAME to LANGUAGE.
SET_ADMIN_LANGUAGE = """
from django.contrib.auth.models import User
from wagtail.users.models import UserProfile
profile = UserProfile.get_for_user(User.objects.get(username=USERNAME))
profile.preferred_language = LANGUAGE
profile.save()
"""


def set_admin_language(server, language):
    code = SET_ADMIN_LANGUAGE.replace("USERNAME", repr(server.editor.username))
    server.shell(code.replace("LANGUAGE", repr(language)))


@pytest.fixture
def editor_language(portal_server):
    """Sets the editor's admin language for a test; back to English afterwards (the other
    browser tests read the admin in English)."""
    yield lambda language: set_admin_language(portal_server, language)
    set_admin_language(portal_server, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_pages_an_editor_uses_have_no_serious_violation(
    new_context, portal_server, axe_path, items, editor_language, language
):
    editor_language(language)
    page = new_context().new_page()
    page.goto(portal_server.url("/admin/login/"))
    page.fill("#id_username", portal_server.editor.username)
    page.fill("#id_password", portal_server.editor.password)
    page.click("button[type=submit]")
    assert page.locator("html").get_attribute("lang") == language
    failures = {}
    for path in ADMIN_PAGES:
        url = path.format(mali_id=portal_server.mali_id, report_id=items["report_id"])
        page.goto(portal_server.url(url))
        serious = [v for v in violations(page, axe_path) if v["impact"] in ("serious", "critical")]
        if serious:
            failures[path] = described(serious)
    assert failures == {}, json.dumps(failures, indent=1)


def test_the_check_sees_a_violation_when_there_is_one(new_context, portal_server, axe_path):
    """The guard of the tests above: an image without a text alternative added to a page is
    reported, so an empty list there means axe ran and found nothing."""
    page = new_context().new_page()
    page.goto(portal_server.url("/en/"))
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [v["id"] for v in violations(page, axe_path)]
