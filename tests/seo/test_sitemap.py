"""/sitemap.xml: every public page of every language with its alternates; nothing hidden."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from tests.factories import PolicyNotePageFactory

from .conftest import translate

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
BASE = "http://testserver"


def read_sitemap(client):
    """``{loc: {"lastmod": str, "alternates": {hreflang: href}}}`` of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own response)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    return entries


def test_every_public_page_of_every_language_is_listed(client, report, french_report):
    entries = read_sitemap(client)
    public = Page.objects.filter(depth__gt=1).live().public()
    expected = {BASE + page.url for page in public}
    assert expected <= set(entries)
    for language in ("en", "fr", "ar", "es"):
        assert f"{BASE}/{language}/" in entries
        assert f"{BASE}/{language}/mali/" in entries
        assert f"{BASE}/{language}/lessons/" in entries
        assert f"{BASE}/{language}/themes/" in entries
    assert BASE + report.url in entries and BASE + french_report.url in entries


def test_theme_listings_are_listed_in_every_language(client):
    entries = read_sitemap(client)
    protection = entries[f"{BASE}/en/themes/protection/"]
    assert protection["alternates"] == {
        "en": f"{BASE}/en/themes/protection/",
        "fr": f"{BASE}/fr/themes/protection/",
        "ar": f"{BASE}/ar/themes/protection/",
        "es": f"{BASE}/es/themes/protection/",
        "x-default": f"{BASE}/en/themes/protection/",
    }
    assert f"{BASE}/ar/themes/return-and-reintegration/" in entries


def test_each_url_names_every_translation_itself_included_and_an_x_default(
    client, report, french_report
):
    entries = read_sitemap(client)
    expected = {
        "en": BASE + report.url,
        "fr": BASE + french_report.url,
        "x-default": BASE + report.url,
    }
    assert entries[BASE + report.url]["alternates"] == expected
    assert entries[BASE + french_report.url]["alternates"] == expected
    assert entries[f"{BASE}/fr/mali/"]["alternates"]["es"] == f"{BASE}/es/mali/"


def test_an_item_only_in_french_is_its_own_x_default(client):
    french_only = PolicyNotePageFactory(title="Note en français", language="fr")
    alternates = read_sitemap(client)[BASE + french_only.url]["alternates"]
    assert alternates == {"fr": BASE + french_only.url, "x-default": BASE + french_only.url}


def test_drafts_private_pages_and_pages_under_private_sections_are_left_out(
    client, report, hidden_pages
):
    entries = read_sitemap(client)
    listed = set(entries) | {
        href for entry in entries.values() for href in entry["alternates"].values()
    }
    draft, private, section, under_private = hidden_pages
    for page in hidden_pages:
        assert BASE + page.url not in listed, page.title
    assert BASE + report.url in listed


def test_a_private_translation_is_not_an_alternate(client, report, french_report):
    PageViewRestriction.objects.create(page=french_report, restriction_type="login")
    entries = read_sitemap(client)
    assert BASE + french_report.url not in entries
    assert "fr" not in entries[BASE + report.url]["alternates"]


def test_lastmod_is_the_publication_or_for_a_listing_its_newest_item(client, report):
    entries = read_sitemap(client)
    item = datetime.datetime.fromisoformat(entries[BASE + report.url]["lastmod"])
    assert item == report.last_published_at
    for listing in ("/en/", "/en/mali/", "/fr/niger/", "/en/lessons/", "/es/themes/protection/"):
        assert datetime.datetime.fromisoformat(entries[BASE + listing]["lastmod"]) >= item
    # A listing the report is not in keeps an earlier date.
    assert datetime.datetime.fromisoformat(entries[f"{BASE}/en/chad/"]["lastmod"]) < item


def test_the_number_of_queries_does_not_grow_with_the_pages(
    client, report, django_assert_max_num_queries
):
    client.get("/sitemap.xml")  # warm Wagtail's cached site root paths
    with CaptureQueriesContext(connection) as before:
        client.get("/sitemap.xml")
    for number in range(10):
        note = PolicyNotePageFactory(title=f"Note {number}", themes=["protection"])
        translate(note, "ar")
    with django_assert_max_num_queries(len(before)):
        entries = read_sitemap(client)
    assert len([loc for loc in entries if "/note-" in loc]) == 20
    assert len(before) <= 25


def test_robots_txt_lets_crawlers_in_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    for path in ("/admin/", "/django-admin/", "/en/search/json/", "/ar/search/autocomplete/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert "Disallow: /en/search/" not in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
