"""A hung engine costs one request, not every request: the circuit breaker in front of the engine.

The engine sits behind a real local TCP proxy that forwards to the test engine until it is told
to hang (accept connections, never answer), the way an engine stuck in a long garbage collection
behaves.
"""

import datetime
import threading

import pytest
import time_machine
from django.utils import timezone
from elasticsearch.dsl import Search

from search import circuit
from search.client import alias_name
from search.dsl import searched_fields
from search.indexing import rebuild_index
from search.query import KnowledgeQuery
from search.results import search_knowledge
from search.retrievers import DatabaseRetriever, EngineRetriever
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxied_engine(search_engine, engine_proxy, settings):
    """The real engine, indexed, reached through the proxy with a short timeout."""
    LessonsLearnedReportPageFactory(title="Reintegration of returnees in Mopti")
    PolicyNotePageFactory(title="Mopti border note")
    rebuild_index(search_engine)
    settings.SEARCH_TIMEOUT = 0.5
    return engine_proxy


@pytest.fixture
def readings_take_no_time(monkeypatch):
    """The circuit times every reading as instant, however loaded the machine: only running out
    of a wait (a real socket timeout) is a strike, never a legitimate search that a busy machine
    slowed past half of the 0.5 s timeout."""
    monkeypatch.setattr(circuit, "monotonic", lambda: 0.0)


def search(client):
    return client.get("/en/search/json/", {"q": "Mopti"}).json()


def wait_for_the_probe():
    for thread in threading.enumerate():
        if thread.name == "search-circuit-probe":
            thread.join(timeout=10)


def test_after_one_timeout_readers_are_answered_from_the_database_at_once(client, proxied_engine):
    assert search(client)["degraded"] is False
    proxied_engine.hang()
    first = search(client)  # waits for the timeout, then opens the circuit
    assert first["degraded"] is True and first["total"] == 2
    contacted = proxied_engine.connections
    for _ in range(3):
        assert search(client)["degraded"] is True
        client.get("/en/search/autocomplete/", {"q": "Mop"})
        assert client.get("/en/mali/reintegration-of-returnees-in-mopti/").status_code == 200
    assert proxied_engine.connections == contacted, "nobody waited on the hung engine again"


def test_a_background_probe_closes_the_circuit_when_the_engine_answers(client, proxied_engine):
    proxied_engine.hang()
    search(client)
    proxied_engine.forward()
    later = timezone.now() + datetime.timedelta(seconds=circuit.OPEN_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert search(client)["degraded"] is True, "the reader who starts the probe never waits"
        wait_for_the_probe()
        assert search(client)["degraded"] is False


def test_a_probe_that_fails_keeps_readers_on_the_database(client, proxied_engine):
    proxied_engine.hang()
    search(client)
    later = timezone.now() + datetime.timedelta(seconds=circuit.OPEN_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        search(client)
        wait_for_the_probe()
        assert circuit.is_open()
        proxied_engine.forward()
        assert search(client)["degraded"] is True


def test_related_items_wait_at_most_a_second_for_a_hung_engine(
    client, proxied_engine, settings, caplog
):
    settings.SEARCH_TIMEOUT = 30
    proxied_engine.hang()
    response = client.get("/en/mali/reintegration-of-returnees-in-mopti/")
    assert response.status_code == 200
    assert [page.title for page in response.context["related_pages"]] == ["Mopti border note"]
    assert "Related items from the database" in caplog.text


def test_related_items_ask_a_connected_engine_for_a_second_at_most(
    client, proxied_engine, settings, caplog
):
    assert search(client)["degraded"] is False  # this process has reached the engine
    settings.SEARCH_TIMEOUT = 30
    proxied_engine.hang()
    assert client.get("/en/mali/reintegration-of-returnees-in-mopti/").status_code == 200
    assert "Related items from the database" in caplog.text
    assert "timeout=1.0" in caplog.text


def test_one_answer_never_mixes_engine_pages_and_database_pages(
    client, proxied_engine, search_engine, settings
):
    """An answer read in two slices, when the engine stops answering after the first, comes
    wholly from the database (it once mixed both rankings, repeating some items and skipping
    others, with two different totals)."""
    for n in range(10):
        PolicyNotePageFactory(title=f"Mopti note {n}", summary="A note from the Sahel.")
        PolicyNotePageFactory(title=f"Sahel note {n}", summary="Mopti, Mopti and Mopti again.")
    PolicyNotePageFactory(title="Mopty note with a typo", summary="Only the engine finds it.")
    rebuild_index(search_engine)
    settings.SEARCH_TIMEOUT = 3  # a first search of a new index may take longer than 0.5 s
    request = KnowledgeQuery(text="Mopti")
    from_database = DatabaseRetriever().read(request, 5, 15)
    from_engine = EngineRetriever(search_engine).read(request, 0, 15)
    assert from_engine.ids[5:] != from_database.ids, (
        "the two rankings must differ to tell them apart"
    )
    results = search_knowledge(request)
    assert [page.pk for page in results[0:5]] == from_engine.ids[:5]
    proxied_engine.hang_after(0)
    assert [page.pk for page in results[5:15]] == from_database.ids
    assert results.count() == DatabaseRetriever().read(request, 0, 0).total
    assert results.degraded and proxied_engine.hanging


def test_related_items_running_out_of_their_second_open_the_circuit_only_after_three_times(
    client, proxied_engine, readings_take_no_time
):
    assert search(client)["degraded"] is False
    proxied_engine.hang()
    page = "/en/mali/reintegration-of-returnees-in-mopti/"
    for _ in range(2):
        assert client.get(page).status_code == 200
        assert not circuit.is_open(), "one slow aside does not send every search away"
    client.get(page)
    assert circuit.is_open()


def test_an_engine_answering_just_in_time_opens_the_circuit_after_three_slow_searches(
    client, proxied_engine, settings
):
    """Answers that take most of the timeout hold every request nearly as long as a hung engine;
    three within a short while send readers to the database too."""
    settings.SEARCH_TIMEOUT = 3
    assert search(client)["degraded"] is False
    proxied_engine.delay = 0.8  # two engine requests per search: over half of the 3 s each time
    for _ in range(3):
        assert search(client)["degraded"] is False
    assert circuit.is_open()
    assert search(client)["degraded"] is True


def test_a_query_the_engine_refuses_does_not_send_every_reader_to_the_database(
    search_engine, caplog
):
    """The engine answers 500 to a query of too many clauses: that query is answered from the
    database, and the next reader's search still from the engine (the circuit stays closed)."""
    LessonsLearnedReportPageFactory(title="Reintegration of returnees in Mopti")
    rebuild_index(search_engine)
    words = " ".join(f"w{n}" for n in range(40))  # 40 words in 31 fields: 1,240 clauses
    too_many = Search().query("simple_query_string", query=words, fields=searched_fields())
    answer = circuit.engine_or_database(
        lambda engine: engine.search(too_many, alias_name()), lambda: "database", "Search"
    )
    assert answer == "database"
    assert "maxClauseCount" in caplog.text
    assert not circuit.is_open()
    results = search_knowledge(KnowledgeQuery(text="Mopti"))
    assert results.count() == 1 and results.backend == "engine" and not results.degraded
