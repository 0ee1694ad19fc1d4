"""One rule for absolute links: the host the reader asked, on every channel (pages, API, OAI-PMH,
feeds, sitemap, citations); the configured public address where there is no request (emails)."""

import re

import pytest
from django.test import Client

from portal.addresses import absolute, page_address
from tests.factories import LessonsLearnedReportPageFactory, published
from tests.helpers import soup

pytestmark = pytest.mark.django_db
HOST = "knowledge.example.org"


@pytest.fixture
def report(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return published(LessonsLearnedReportPageFactory, title="Reintegration in Mopti")


@pytest.fixture
def reader():
    return Client(HTTP_HOST=HOST)


def absolute_urls(text):
    """Every http(s) URL in ``text`` that names a host, as ``{host}``."""
    return set(re.findall(r"https?://([a-z0-9.\-]+)[/:]", text))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/items/",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        "/en/feeds/atom/",
        "/sitemap.xml",
    ],
)
def test_every_channel_links_to_the_host_the_reader_asked(report, reader, path):
    response = reader.get(path)
    assert response.status_code == 200, path
    hosts = absolute_urls(response.content.decode()) - {
        "www.openarchives.org",
        "www.w3.org",
        "purl.org",
        "www.sitemaps.org",
        "www.google.com",
    }
    assert hosts == {HOST}, path


def test_an_items_page_and_its_citation_link_to_the_readers_host(report, reader):
    response = reader.get(report.url)
    canonical = soup(response).select_one('link[rel="canonical"]')["href"]
    assert canonical == f"http://{HOST}{report.url}"
    assert "localhost" not in response.content.decode()


def test_without_a_request_links_use_the_configured_address(report, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://compass.example.net"
    assert page_address(report) == f"https://compass.example.net{report.url}"
    assert absolute("/en/search/") == "https://compass.example.net/en/search/"
