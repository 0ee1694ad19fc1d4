"""Sideways navigation: country and theme chips that lead to their listings, breadcrumbs, and the
Countries page, each in the reader's language and alphabetical order."""

import pytest
from wagtail.models import Locale, PageViewRestriction

from knowledge.collation import collated
from knowledge.models import Theme, country_name
from tests.factories import LessonsLearnedReportPageFactory, published, section_page
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return published(
        LessonsLearnedReportPageFactory,
        title="Reintegration in Mopti",
        countries=["ML", "NE"],
        themes=["return-and-reintegration"],
    )


def chip_links(response, selector):
    return [(a.get_text(strip=True), a["href"]) for a in soup(response).select(selector)]


def test_a_pages_country_and_theme_chips_lead_to_their_listings(client, report):
    response = client.get(report.url)
    assert chip_links(response, ".facts a.chip--country") == [
        ("Mali", "/en/mali/"),
        ("Niger", "/en/niger/"),
    ]
    assert chip_links(response, ".facts a.chip--theme") == [
        ("Return and reintegration", "/en/themes/return-and-reintegration/")
    ]
    for _, url in chip_links(response, ".facts a.chip"):
        assert client.get(url).status_code == 200


def test_a_cards_chips_lead_to_the_readers_language_listings(client, report):
    response = client.get("/fr/search/?q=Mopti")
    assert ("Niger", "/fr/niger/") in chip_links(response, ".card a.chip--country")
    assert ("Retour et réintégration", "/fr/themes/return-and-reintegration/") in chip_links(
        response, ".card a.chip--theme"
    )


def test_a_chip_of_a_private_section_is_not_a_link(client, report):
    PageViewRestriction.objects.create(page=section_page("en", "NE"), restriction_type="login")
    page = soup(client.get(report.url))
    assert [a.get_text(strip=True) for a in page.select(".facts a.chip--country")] == ["Mali"]
    assert [s.get_text(strip=True) for s in page.select(".facts span.chip--country")] == ["Niger"]


def crumbs(response):
    trail = soup(response).select_one("nav.breadcrumbs")
    return [(a.get_text(strip=True), a["href"]) for a in trail.select("a")] if trail else []


def test_a_knowledge_page_has_breadcrumbs_to_its_section(client, report):
    assert crumbs(client.get(report.url)) == [("Home", "/en/"), ("Mali", "/en/mali/")]


def test_a_themes_listing_has_breadcrumbs_to_the_themes(client, report):
    response = client.get("/ar/themes/return-and-reintegration/")
    assert [url for _, url in crumbs(response)] == ["/ar/", "/ar/themes/"]
    assert crumbs(response)[0][0] == "الرئيسية"


def test_the_home_page_has_no_breadcrumbs(client, report):
    assert crumbs(client.get("/en/")) == []


def test_the_countries_page_lists_every_section_in_the_readers_order(client, report):
    response = client.get("/es/countries/")
    assert response.status_code == 200
    names = [a.get_text(strip=True) for a in soup(response).select(".country-list a")]
    countries, regional = names[:-1], names[-1]
    assert regional == section_page("es", None).title
    assert countries == collated(countries, "es")
    assert countries.index("Egipto") < countries.index("Etiopía") < countries.index("Irak")
    mali = soup(response).select_one('.country-list a[href="/es/mali/"]').find_parent("li")
    assert "1 publicación" in mali.get_text(" ", strip=True)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_home_page_lists_its_themes_in_the_readers_order(client, report, language):
    locale = Locale.objects.get(language_code=language)
    Theme.objects.create(locale=locale, name="Égalité des genres", slug="gender-equality")
    section = soup(client.get(f"/{language}/")).select_one('section[aria-labelledby="by-theme"]')
    names = [a.get_text(strip=True) for a in section.select("a")]
    assert len(names) > 5
    assert names == collated(names, language)
    if language == "fr":  # not after the Z, where its code point would put it
        assert names.index("Égalité des genres") < names.index("Engagement communautaire")


def test_the_menu_leads_to_the_countries_page(client, report):
    menu = soup(client.get("/fr/")).select_one(".main-nav")
    assert ("Pays", "/fr/countries/") in [(a.get_text(strip=True), a["href"]) for a in menu("a")]


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [("TN", "es", "Túnez"), ("NE", "es", "Níger"), ("EG", "fr", "Égypte"), ("ML", "ar", "مالي")],
)
def test_country_names_are_cldrs(code, language, name):
    assert country_name(code, language) == name


def test_collation_follows_the_language():
    assert collated(["Zambie", "Égypte", "Erythrée"], "fr") == ["Égypte", "Erythrée", "Zambie"]
    assert collated(["Nigeria", "Níger", "Chad"], "es") == ["Chad", "Níger", "Nigeria"]
    assert collated(["مصر", "تونس", "ليبيا"], "ar") == ["تونس", "ليبيا", "مصر"]
