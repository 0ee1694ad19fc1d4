"""The JSON search endpoint and the autocomplete endpoint, on both backends."""

import pytest

from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    LessonsLearnedReportPageFactory(
        title="Reintegration of returnees in Mopti", tags=["livelihoods"]
    )
    PolicyNotePageFactory(
        title="Mopti protection priorities", section_country="NE", countries=["NE"]
    )
    PolicyNotePageFactory(title="Border management", section_country="NE", countries=["NE"])
    PolicyNotePageFactory(title="Mopti draft", live=False)


@pytest.fixture(params=["database", "engine"])
def backend(request, corpus):
    if request.param == "engine":
        request.getfixturevalue("reindex")()
    return request.param


def test_json_search_answers_what_the_page_shows(client, backend):
    data = client.get("/en/search/json/", {"q": "Mopti", "country": "NE"}).json()
    assert data["backend"] == backend and data["degraded"] is False
    assert data["total"] == 1 and data["pages"] == 1 and data["page"] == 1
    (result,) = data["results"]
    assert result["title"] == "Mopti protection priorities"
    assert result["url"] == "http://testserver/en/niger/mopti-protection-priorities/"
    assert result["type"] == "policy_note" and result["countries"] == ["NE"]
    countries = {b["value"]: (b["count"], b["selected"]) for b in data["facets"]["country"]}
    assert countries == {"ML": (1, False), "NE": (1, True)}


def test_json_search_reports_bad_input_as_400(client, backend):
    response = client.get("/en/search/json/", {"country": "ZZ"})
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("Country:")


def test_autocomplete_suggests_visible_titles_by_prefix(client, backend):
    data = client.get("/en/search/autocomplete/", {"q": "mop"}).json()
    assert {s["title"] for s in data["suggestions"]} == {
        "Reintegration of returnees in Mopti",
        "Mopti protection priorities",
    }
    assert client.get("/en/search/autocomplete/", {"q": "Mopti prot"}).json()["suggestions"] == [
        {"title": "Mopti protection priorities", "url": "/en/niger/mopti-protection-priorities/"}
    ]


@pytest.mark.parametrize("query", ["", "\x00", "(((", "x" * 5000, "🙂"])
def test_autocomplete_never_fails(client, backend, query):
    response = client.get("/en/search/autocomplete/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)
