"""Search and listing pages on a phone (390×844) and a desktop (1366×900), in Chromium.

On a phone the filters are a closed disclosure above the results, so the first result of a filtered
search is in the first screen; on a desktop they are a column beside the results, always shown.
"""

import time
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1366, 900)
#: How long the search index may take to pick up the pages, in seconds.
INDEX_DELAY = 20

#: Publishes three practice briefs in the Mali section, on two themes; prints nothing.
FILTERED_SEARCH = "/{language}/search/?q=quarnwell&country=ML&type=practice_brief"


@pytest.fixture(scope="module")
def briefs(portal_server):
    """Publishes the briefs; returns once the filtered search lists them (the index has them)."""
    portal_server.publish_briefs(
        *(
            {
                "title": f"Quarnwell grain banks of Kayes, part {number + 1}",
                "summary": "Villages of the Kayes region keep grain in shared banks for the lean "
                "season.",
                "community": "Grain bank committees of Kayes",
                "practice": "<p>Each household lends grain after the harvest and borrows it back "
                "in July.</p>",
                "theme": number % 2,
            }
            for number in range(3)
        )
    )
    url = portal_server.url(FILTERED_SEARCH.format(language="en"))
    deadline = time.monotonic() + INDEX_DELAY
    while "Quarnwell grain banks" not in _read(url):
        if time.monotonic() > deadline:
            pytest.fail(f"the briefs are not found at {url} after {INDEX_DELAY} s")
        time.sleep(0.5)


def _read(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http://127.0.0.1 only)
        return response.read().decode()


def open_page(new_context, portal_server, path, size):
    page = new_context(*size).new_page()
    page.goto(portal_server.url(path))
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_first_result_of_a_filtered_search_is_in_the_first_screen(
    new_context, portal_server, briefs, screenshot, language
):
    page = open_page(new_context, portal_server, FILTERED_SEARCH.format(language=language), PHONE)
    screenshot(page, f"phone-search-{language}")
    first_title = page.locator(".card__title").first
    expect(first_title).to_be_visible()
    assert first_title.bounding_box()["y"] + first_title.bounding_box()["height"] <= PHONE[1]
    expect(page.locator(".facet__link").first).to_be_hidden()
    chips = page.locator(".selected-filters .chip")
    expect(chips).to_have_count(2)

    page.locator(".facets summary").click()
    expect(page.locator(".facet__link").first).to_be_visible()


def test_a_chip_removes_its_filter(new_context, portal_server, briefs):
    page = open_page(new_context, portal_server, FILTERED_SEARCH.format(language="en"), PHONE)
    page.get_by_role("link", name="Remove filter Country: Mali").click()
    expect(page.locator(".selected-filters .chip")).to_have_count(1)
    assert "country=" not in page.url
    expect(page.locator(".facets summary")).to_have_text("Filters (1)")


def test_on_a_desktop_the_filters_are_shown_beside_the_results(
    new_context, portal_server, briefs, screenshot
):
    page = open_page(new_context, portal_server, FILTERED_SEARCH.format(language="en"), DESKTOP)
    screenshot(page, "desktop-search")
    expect(page.locator(".facets summary")).to_be_hidden()
    expect(page.get_by_role("heading", name="Filters")).to_be_visible()
    facet = page.locator(".facet__link").first.bounding_box()
    result = page.locator(".card").first.bounding_box()
    assert facet["x"] + facet["width"] < result["x"]
    assert result["y"] < DESKTOP[1]


def test_a_country_listing_on_a_phone_shows_its_first_item_in_the_first_screen(
    new_context, portal_server, briefs
):
    page = open_page(
        new_context, portal_server, portal_server.mali_url + "?type=practice_brief", PHONE
    )
    first_title = page.locator(".card__title").first
    expect(first_title).to_be_visible()
    assert first_title.bounding_box()["y"] + first_title.bounding_box()["height"] <= PHONE[1]


def test_an_item_opened_from_the_results_leads_back_to_them(new_context, portal_server, briefs):
    search = FILTERED_SEARCH.format(language="en")
    page = open_page(new_context, portal_server, search, PHONE)
    page.locator(".card__title a").first.click()
    back = page.get_by_role("link", name="Back to results")
    expect(back).to_be_visible()
    back.click()
    assert page.url == portal_server.url(search)
    expect(page.locator(".selected-filters .chip")).to_have_count(2)


def test_an_item_opened_from_elsewhere_has_no_back_link(new_context, portal_server, briefs):
    page = open_page(new_context, portal_server, portal_server.mali_url, PHONE)
    page.locator(".card__title a").first.click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name="Back to results")).to_be_hidden()
