"""schema.org JSON-LD of knowledge pages: types, required properties, safe escaping."""

import datetime
import json

import pytest

from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import soup

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def json_ld(response):
    """The JSON-LD objects of a page's ``<script type="application/ld+json">`` elements."""
    scripts = soup(response).select('script[type="application/ld+json"]')
    return [json.loads(script.string) for script in scripts]


def test_a_report_is_described_with_every_property(client, report, french_report):
    [data] = json_ld(client.get(report.url))
    url = BASE + report.url
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["@id"] == data["url"] == data["mainEntityOfPage"] == url
    assert data["name"] == data["headline"] == "Return to rural Mali"
    assert data["description"] == "What returnees need in the first year."
    assert data["genre"] == "Lessons-learned report"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2024-05-01"
    assert data["dateModified"].startswith(report.last_published_at.date().isoformat())
    assert data["author"] == [
        {"@type": "Person", "name": "Awa Traoré"},
        {"@type": "Person", "name": "Moussa Keita"},
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "COMPASS Mali"}
    assert sorted(data["about"], key=lambda term: term["termCode"]) == [
        {
            "@type": "DefinedTerm",
            "name": "Protection",
            "termCode": "protection",
        },
        {
            "@type": "DefinedTerm",
            "name": "Return and reintegration",
            "termCode": "return-and-reintegration",
        },
    ]
    assert sorted(data["spatialCoverage"], key=lambda place: place["identifier"]) == [
        {"@type": "Country", "name": "Mali", "identifier": "ML"},
        {"@type": "Country", "name": "Niger", "identifier": "NE"},
    ]
    assert sorted(data["keywords"]) == ["land", "returnees"]
    assert data["isPartOf"] == {
        "@type": "WebSite",
        "name": "COMPASS Knowledge Portal",
        "url": f"{BASE}/en/",
        "inLanguage": "en",
    }
    [media] = data["encoding"]
    assert media["@type"] == "MediaObject"
    assert media["name"] == "Full report"
    assert media["contentUrl"].startswith(f"{BASE}/documents/")
    assert media["contentUrl"].endswith(".pdf")
    assert media["encodingFormat"] == "application/pdf"
    assert client.get(media["contentUrl"].removeprefix(BASE)).status_code == 200


def test_the_french_version_speaks_french(client, french_report):
    [data] = json_ld(client.get(french_report.url))
    assert data["inLanguage"] == "fr"
    assert data["url"] == BASE + french_report.url
    assert {term["termCode"] for term in data["about"]} == {
        "protection",
        "return-and-reintegration",
    }
    assert data["isPartOf"]["url"] == f"{BASE}/fr/"


@pytest.mark.parametrize(
    ("factory", "schema_type"),
    [
        (LessonsLearnedReportPageFactory, "Report"),
        (PolicyNotePageFactory, "Report"),
        (PracticeBriefPageFactory, "Article"),
    ],
)
def test_each_type_has_its_schema_org_type(client, factory, schema_type):
    page = factory(authors=[], organisation="COMPASS")
    # Published before the organisation was required to publish: none named.
    type(page).objects.filter(pk=page.pk).update(organisation="")
    [data] = json_ld(client.get(page.url))
    assert data["@type"] == schema_type
    programme = {"@type": "Organization", "name": "COMPASS", "url": f"{BASE}/en/"}
    assert data["publisher"] == programme
    assert data["author"] == [programme]
    assert "encoding" not in data and "keywords" not in data


def test_a_report_period_is_its_temporal_coverage(client):
    page = LessonsLearnedReportPageFactory(
        period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2023, 6, 30)
    )
    [data] = json_ld(client.get(page.url))
    assert data["temporalCoverage"] == "2022-01-01/2023-06-30"


def test_a_title_cannot_break_out_of_the_script(client):
    title = 'Borders </script><script>alert("x")</script> & <b>more</b>'
    page = PolicyNotePageFactory(title=title, summary="</SCRIPT><!-- a summary")
    response = client.get(page.url)
    html = response.content.decode()
    assert "<script>alert" not in html
    document = soup(response)
    assert document.select("script:not([type]):not([src])") == []
    [data] = json_ld(response)
    assert data["name"] == title
    assert data["description"] == "</SCRIPT><!-- a summary"


def test_other_pages_have_no_json_ld(client):
    for path in ("/en/", "/en/mali/", "/en/themes/protection/", "/en/search/?q=x"):
        assert json_ld(client.get(path)) == []
