"""The search benchmark's raw side sends the engine what the portal's page sends for the same
query: the same bodies to the same endpoints, so "portal against raw engine" compares like with
like."""

import pytest

from bench.recording import RecordingEngine, recording
from bench.search import PoolQuery, engine_cases
from tests.factories import LessonsLearnedReportPageFactory, locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated_item():
    english = LessonsLearnedReportPageFactory(
        title="Reintegration of returnees in Mopti",
        summary="Community committees helped returnees find work.",
    )
    french = english.copy_for_translation(locale("fr"))
    french.title, french.summary = "Réintégration à Mopti", "Les comités villageois ont aidé."
    french.save_revision().publish()
    return english


@pytest.mark.parametrize(("page", "path"), [("html", "search/"), ("json", "search/json/")])
def test_the_raw_side_replays_the_search_pages_own_requests(
    client, translated_item, reindex, search_engine, page, path
):
    reindex()
    # Only the English version matches, read on the French site: the page asks for the items
    # near its meaning, then for its results and facets, then the versions of the items shown,
    # then their highlights.
    with recording(search_engine) as portal:
        assert client.get(f"/fr/{path}?q=returnees").status_code == 200
    raw = RecordingEngine(search_engine)
    query = PoolQuery("one_term", "fr", {"q": "returnees"}, "returnees")
    case = engine_cases(raw, {"one_term": [query]}, client)[f"{page}:one_term"]
    raw.requests.clear()  # those sent while the case was prepared
    case.raw[0]()
    endpoints = [request.endpoint for request in portal.requests]
    assert endpoints == ["search", "search", "search", "msearch"]
    assert raw.requests == portal.requests
