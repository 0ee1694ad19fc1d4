"""Canonical and hreflang links, Open Graph and Twitter card tags in each page's <head>."""

import pytest
import wagtail_factories
from wagtail.models import PageViewRestriction

from tests.factories import LessonsLearnedReportPageFactory, PracticeBriefPageFactory
from tests.helpers import soup

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def head(response):
    """``(canonical, {hreflang: href}, {og property: [content]}, {twitter name: content})``."""
    document = soup(response).head
    canonical = [link["href"] for link in document.select('link[rel="canonical"]')]
    assert len(canonical) <= 1
    hreflang = {
        link["hreflang"]: link["href"]
        for link in document.select('link[rel="alternate"][hreflang]')
    }
    og = {}
    for meta in document.select("meta[property]"):
        og.setdefault(meta["property"], []).append(meta["content"])
    twitter = {meta["name"]: meta["content"] for meta in document.select('meta[name^="twitter:"]')}
    return (canonical[0] if canonical else None), hreflang, og, twitter


def test_a_knowledge_page_has_canonical_hreflang_open_graph_and_twitter_tags(
    client, report, french_report
):
    canonical, hreflang, og, twitter = head(client.get(report.url))
    assert canonical == BASE + report.url
    assert hreflang == {
        "en": BASE + report.url,
        "fr": BASE + french_report.url,
        "x-default": BASE + report.url,
    }
    assert og["og:title"] == ["Return to rural Mali"]
    assert og["og:description"] == ["What returnees need in the first year."]
    assert og["og:url"] == [BASE + report.url]
    assert og["og:type"] == ["article"]
    assert og["og:site_name"] == ["COMPASS Knowledge Portal"]
    assert og["og:locale"] == ["en_GB"]
    assert og["og:locale:alternate"] == ["fr_FR"]
    assert og["article:published_time"] == ["2024-05-01"]
    assert sorted(og["article:tag"]) == ["land", "returnees"]
    assert "og:image" not in og  # no cover image
    assert twitter == {
        "twitter:card": "summary",
        "twitter:title": "Return to rural Mali",
        "twitter:description": "What returnees need in the first year.",
    }


def test_the_french_version_describes_itself_in_french(client, report, french_report):
    canonical, hreflang, og, _twitter = head(client.get(french_report.url))
    assert canonical == BASE + french_report.url
    assert hreflang["x-default"] == BASE + report.url
    assert og["og:locale"] == ["fr_FR"] and og["og:locale:alternate"] == ["en_GB"]
    assert og["og:site_name"] == ["Portail de connaissances COMPASS"]


def test_the_summary_is_the_description_unless_the_editor_wrote_one(client, report):
    description = soup(client.get(report.url)).head.select('meta[name="description"]')
    assert [meta["content"] for meta in description] == ["What returnees need in the first year."]
    report.search_description = "For search engines."
    report.save_revision().publish()
    response = client.get(report.url)
    description = soup(response).head.select('meta[name="description"]')
    assert [meta["content"] for meta in description] == ["For search engines."]
    assert head(response)[2]["og:description"] == ["For search engines."]


def test_a_private_translation_is_not_an_alternate(client, report, french_report):
    PageViewRestriction.objects.create(page=french_report, restriction_type="login")
    _canonical, hreflang, og, _twitter = head(client.get(report.url))
    assert hreflang == {"en": BASE + report.url, "x-default": BASE + report.url}
    assert "og:locale:alternate" not in og


def test_a_cover_image_is_shared(client):
    image = wagtail_factories.ImageFactory(title="Cover", description="Farmers at a well")
    page = LessonsLearnedReportPageFactory(cover_image=image)
    _canonical, _hreflang, og, twitter = head(client.get(page.url))
    assert og["og:image"][0].startswith(f"{BASE}/media/images/")
    # A fill rendition never upscales: the factory's small image stays small.
    assert og["og:image:width"][0].isdigit() and og["og:image:height"][0].isdigit()
    assert og["og:image:alt"] == ["Farmers at a well"]
    assert twitter["twitter:image"] == og["og:image"][0]


@pytest.mark.parametrize(
    ("path", "title"),
    [("/en/", None), ("/fr/mali/", "Mali"), ("/es/lessons/", None), ("/ar/themes/", None)],
)
def test_site_pages_are_websites_in_every_language(client, path, title):
    canonical, hreflang, og, twitter = head(client.get(path))
    assert canonical == BASE + path
    language = path.split("/")[1]
    assert hreflang[language] == BASE + path
    assert set(hreflang) == {"en", "fr", "ar", "es", "x-default"}
    assert hreflang["x-default"] == BASE + "/en/" + path.split("/", 2)[2]
    assert og["og:type"] == ["website"]
    assert og["og:url"] == [canonical]
    assert twitter["twitter:card"] == "summary"
    if title:
        assert og["og:title"] == [title]


def test_a_theme_listing_is_described_as_that_theme(client):
    response = client.get("/fr/themes/protection/?country=ML")
    canonical, hreflang, og, _twitter = head(response)
    theme = response.context["theme"]
    assert canonical == f"{BASE}/fr/themes/protection/"
    assert hreflang["ar"] == f"{BASE}/ar/themes/protection/"
    assert hreflang["x-default"] == f"{BASE}/en/themes/protection/"
    assert og["og:title"] == [theme.name]
    assert og["og:description"] == [theme.description]


def test_a_listing_keeps_its_page_number_and_drops_filters_in_the_canonical(client):
    for number in range(14):
        PracticeBriefPageFactory(title=f"Brief {number}")
    canonical, *_rest = head(client.get("/en/mali/?page=2&theme=protection"))
    assert canonical == f"{BASE}/en/mali/?page=2"
    assert head(client.get("/en/mali/?page=1"))[0] == f"{BASE}/en/mali/"


def test_search_results_are_followed_not_indexed(client):
    document = soup(client.get("/en/search/?q=water")).head
    assert document.select_one('meta[name="robots"]')["content"] == "noindex, follow"
    assert document.select_one('link[rel="canonical"]') is None
    page = soup(client.get("/en/")).head
    assert page.select_one('meta[name="robots"]') is None


@pytest.mark.parametrize(
    "path, starts",
    [
        ("/en/mali/", "Lessons, practice briefs and policy notes about Mali"),
        ("/fr/regional-and-global/", "Connaissances portant sur plusieurs pays"),
        ("/en/countries/", "The programme's partner countries"),
        ("/ar/register/", "كل درس"),
    ],
)
def test_sections_and_the_pages_that_are_not_pages_describe_themselves(client, path, starts):
    """Lighthouse's SEO audit asks every indexable page for a meta description: the one its
    lead paragraph gives, in its language."""
    page = soup(client.get(path))
    description = page.select_one('meta[name="description"]')["content"]
    assert description.startswith(starts)
    assert description == " ".join(page.select_one("p.lead").stripped_strings)
