"""Title suggestions under the header search box (static/js/autocomplete.js), in Chromium.

The box is a WAI-ARIA combobox with a listbox popup: typing the first letters of a knowledge page's
title lists it, ArrowDown and Enter open it, Escape closes the list, and Enter with no suggestion
highlighted still runs the full search. Without JavaScript the box is the plain search form it was.
"""

import json
import re
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: A made-up word, so the page is the only suggestion for its first letters.
TITLE = "Vellumbrook seed fairs in Ségou"
TYPED = "vellu"
#: How long the search index may take to pick up the page, in seconds.
INDEX_DELAY = 20


#: Publishes a practice brief in the Mali section of the server's database; prints its URL.
def suggestions(server, text, language="en"):
    """Titles the autocomplete endpoint suggests for ``text``."""
    query = urllib.parse.urlencode({"q": text})
    url = server.url(f"/{language}/search/autocomplete/?{query}")
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http://127.0.0.1 only)
        return [suggestion["title"] for suggestion in json.load(response)["suggestions"]]


@pytest.fixture(scope="module")
def knowledge_page(portal_server):
    """The URL of a published knowledge page titled TITLE, once the endpoint suggests it.

    It is written straight into the server's database; the server's workers index it: the task
    worker for the database's index, the outbox worker for the engine's.
    """
    [url] = portal_server.publish_briefs(
        {
            "title": TITLE,
            "summary": "Farmers of the Ségou region swap seed at village fairs each spring.",
            "community": "Seed savers of Ségou",
            "practice": "<p>Each family brings seed of its best plants and takes home seed of "
            "others.</p>",
        }
    )

    deadline = time.monotonic() + INDEX_DELAY
    while TITLE not in suggestions(portal_server, TYPED):
        if time.monotonic() > deadline:
            pytest.fail(f"{TITLE!r} not suggested for {TYPED!r} after {INDEX_DELAY} s")
        time.sleep(0.5)
    return url


def search_box(page):
    return page.get_by_role("combobox", name="Search the portal")


def test_a_suggestion_opens_its_page_from_the_keyboard(
    new_context, portal_server, knowledge_page, screenshot
):
    page = new_context().new_page()
    page.goto(portal_server.url("/en/"))
    box = search_box(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("autocomplete", "off")
    listbox = page.get_by_role("listbox", name="Search the portal", include_hidden=True)
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))

    box.press_sequentially(TYPED, delay=30)
    option = page.get_by_role("listbox").get_by_role("option", name=TITLE)
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".header-search [role=status]")).to_have_text("1 suggestion")
    expect(option).to_have_attribute("aria-selected", "false")  # no automatic selection
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    screenshot(page, "suggestions")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(TYPED)

    box.press("ArrowDown")  # reopens the list on its first option
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(box).to_be_focused()
    screenshot(page, "highlighted")

    box.press("Enter")
    expect(page).to_have_url(portal_server.url(knowledge_page))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert new_context.csp_violations == []


def test_a_click_on_a_suggestion_opens_its_page(new_context, portal_server, knowledge_page):
    page = new_context().new_page()
    page.goto(portal_server.url("/ar/"))
    box = page.get_by_role("combobox")
    box.press_sequentially(TYPED, delay=30)
    page.get_by_role("option", name=TITLE).click()
    expect(page).to_have_url(portal_server.url(knowledge_page))
    assert new_context.csp_violations == []


def test_enter_without_a_highlighted_suggestion_searches(
    new_context, portal_server, knowledge_page
):
    page = new_context().new_page()
    page.goto(portal_server.url("/en/"))
    box = search_box(page)
    box.press_sequentially(TYPED, delay=30)
    expect(page.get_by_role("option", name=TITLE)).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(portal_server.url(f"/en/search/?q={TYPED}"))
    box = search_box(page)
    expect(box).to_have_value(TYPED)
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press("ArrowDown")  # nothing fetched on this page yet: nothing to open
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("v")  # one letter is too few to ask
    box.press_sequentially("e", delay=30)
    expect(page.get_by_role("option", name=TITLE)).to_be_visible()
    box.press("Backspace")
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    assert new_context.csp_violations == []


def test_without_javascript_the_header_form_searches(browser, portal_server, knowledge_page):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(portal_server.url("/en/"))
        expect(page.get_by_role("combobox")).to_have_count(0)
        box = page.get_by_role("searchbox", name="Search the portal")
        expect(box).not_to_have_attribute("autocomplete", re.compile(".*"))
        box.fill("Vellumbrook")
        box.press("Enter")
        expect(page).to_have_url(portal_server.url("/en/search/?q=Vellumbrook"))
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    finally:
        context.close()
