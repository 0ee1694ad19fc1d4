"""How search and listing pages lay out their filters: a disclosure that names how many are selected,
the selected ones as chips that each remove one, and search forms each with a landmark name."""

import pytest

from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory, home_page
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    return [
        LessonsLearnedReportPageFactory(title="Returnees in Mopti", summary="Work for returnees."),
        PolicyNotePageFactory(title="Returnees at the border", summary="Referral for returnees."),
    ]


def chips(response):
    """``[(text, href)]`` of the selected-filter chips above the results."""
    return [
        (" ".join(chip.stripped_strings), chip["href"])
        for chip in soup(response).select(".selected-filters a.chip")
    ]


def test_the_filters_are_a_disclosure_that_counts_the_selected_ones(client, items):
    page = soup(client.get("/en/search/?q=returnees&country=ML&type=lessons_report"))
    disclosure = page.select_one("aside.facets details")
    assert disclosure is not None and not disclosure.has_attr("open")
    assert " ".join(disclosure.summary.stripped_strings) == "Filters (2)"
    assert disclosure.select(".facet__link")
    # The disclosure comes before the results, so a closed one is a line above them on a phone.
    assert page.select_one(".listing").find_all(recursive=False)[0].name == "aside"


def test_no_filter_no_count(client, items):
    page = soup(client.get("/en/search/?q=returnees"))
    assert " ".join(page.select_one("aside.facets summary").stripped_strings) == "Filters"
    assert page.select(".selected-filters") == []


def test_each_chip_removes_its_own_filter(client, items):
    response = client.get("/en/search/?q=returnees&country=ML&type=lessons_report")
    assert chips(response) == [
        ("Remove filter Type: Lessons-learned reports ×", "?q=returnees&country=ML"),
        ("Remove filter Country: Mali ×", "?q=returnees&type=lessons_report"),
    ]
    clear = soup(response).select(".selected-filters li > a:not(.chip)")
    assert [(a.get_text(strip=True), a["href"]) for a in clear] == [
        ("Clear all filters", "?q=returnees")
    ]


def test_two_values_of_one_dimension_are_removed_one_at_a_time(client, items):
    """A shared address may select two countries: each chip (and each ticked filter) removes
    its own country and keeps the other."""
    response = client.get("/en/search/?q=returnees&country=ML&country=NE")
    assert chips(response) == [
        ("Remove filter Country: Mali ×", "?q=returnees&country=NE"),
        ("Remove filter Country: Niger ×", "?q=returnees&country=ML"),
    ]
    ticked = soup(response).select(".facet--country .facet__link.is-selected")
    assert sorted(link["href"] for link in ticked) == [
        "?q=returnees&country=ML",
        "?q=returnees&country=NE",
    ]


def test_a_listing_shows_its_chips_in_the_readers_language(client, items):
    response = client.get("/fr/policy-notes/?country=ML")
    assert [text for text, _ in chips(response)] == ["Supprimer le filtre Pays\u00a0: Mali ×"]


def test_every_search_landmark_has_a_name_of_its_own(client, items):
    for url in ("/en/", "/en/search/?q=returnees", "/en/register/"):
        names = [
            form.get("aria-label") or soup_text(form, form.get("aria-labelledby"))
            for form in soup(client.get(url)).select('[role="search"]')
        ]
        assert all(names) and len(set(names)) == len(names), (url, names)


def soup_text(form, element_id):
    """The text of the element ``element_id`` in ``form``'s document, or ``None``."""
    element = form.find_parent("html").find(id=element_id) if element_id else None
    return element.get_text(strip=True) if element else None


@pytest.mark.parametrize(
    ("language", "start"),
    [("en", "Lessons learned, community-led practices"), ("fr", "Enseignements tirés")],
)
def test_the_home_page_has_a_description_in_its_language(client, language, start):
    home = home_page(language)
    description = soup(client.get(home.url)).select('head meta[name="description"]')
    assert [meta["content"][: len(start)] for meta in description] == [start]
