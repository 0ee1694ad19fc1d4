"""Passage vectors in the engine (search.engine_vectors): each document holds its page's vectors,
centred with means fixed per index version, and the engine finds the items near a query by them,
with k-NN when the cluster offers it and exactly by script when it does not. Real engine, real
model, real passage vectors."""

import io
import logging
import signal
from contextlib import contextmanager

import pytest
from django.core.management import call_command

from search import semantic
from search.client import alias_name, get_engine
from search.documents import index_body
from search.engine_vectors import BINARY_VECTOR, KNN, KNN_VECTOR, vectors_of, with_vectors
from search.indexing import check_index, index_pages, new_index_name, rebuild_index
from search.models import PassageVector, SearchOutboxEntry
from search.outbox import drain_outbox
from search.passage_index import update_pages
from search.retrievers import EngineRetriever
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory
from tests.helpers import titles
from tests.search.semantic_corpus import (
    FRENCH_QUERY,
    REGULARISATION,
    forget_query_vectors,
    make_corpus,
)
from tests.sockets import Reply

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def fresh_query_vectors():
    forget_query_vectors()


@pytest.fixture
def corpus():
    return make_corpus()


class StillWaiting(BaseException):
    """Raised in a reader still waiting: a ``BaseException``, which no fallback catches."""


@contextmanager
def alarm_after(seconds):
    """Interrupt the block with ``StillWaiting`` after ``seconds`` (SIGALRM, main thread)."""

    def interrupt(signum, frame):
        raise StillWaiting(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def status():
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    return out.getvalue()


def live_version(engine):
    (name,) = engine.indices_behind(alias_name())
    return name


def scored(items):
    """``{translation key: [(page id, cosine to 3 places)]}`` of ``nearest_items``' answer."""
    return {
        key: [(near.page_id, round(near.score, 3)) for near in found]
        for key, found in items.items()
    }


def test_each_document_holds_its_passages_centred_with_the_means_its_version_keeps(
    search_engine, corpus, reindex
):
    reindex()
    stored = PassageVector.objects.count()
    name = live_version(search_engine)
    vector = search_engine.mapping(name)["properties"]["passages"]["properties"]["vector"]
    if search_engine.offers_knn():
        assert vector["type"] == KNN_VECTOR["type"] and vector["method"]["engine"] == "lucene"
        assert "passage vectors: in the engine, searched by k-NN" in status()
        assert f"centred on the {stored} passages stored when it was built" in status()
    else:
        assert vector["type"] == BINARY_VECTOR["type"]
        assert "passage vectors: in the engine, scored by script" in status()
    vectors = vectors_of(search_engine, name)
    assert sorted(vectors.means) == ["ar", "en", "es", "fr"]
    search = {"query": {"nested": {"path": "passages", "query": {"match_all": {}}}}}
    assert search_engine.client.count(index=name, body=search)["count"] == len(corpus)
    assert stored >= len(corpus)


def test_the_engine_finds_by_its_own_vectors_what_the_database_finds_by_its_own(
    search_engine, corpus, reindex, client
):
    """The same items, with the same centred cosines: the means of the version are those the
    database computes from the same passages."""
    reindex()
    from_engine = EngineRetriever(search_engine).nearest_to(FRENCH_QUERY)
    assert scored(from_engine) == scored(semantic.nearest_items(FRENCH_QUERY))
    PassageVector.objects.all().delete()  # the database's vectors are not read
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))[0] == REGULARISATION


def test_a_cluster_without_k_nn_is_searched_exactly_by_script(corpus, engine_proxy, client):
    """The proxy answers the plugins request as a cluster without OpenSearch's k-NN plugin."""
    engine_proxy.script("/_nodes/plugins", [Reply({"nodes": {"node": {"plugins": []}}})])
    engine = get_engine()
    rebuild_index(engine)
    vectors = vectors_of(engine, live_version(engine))
    assert vectors.kind == "script"
    from_engine = EngineRetriever(engine).nearest_to(FRENCH_QUERY)
    assert scored(from_engine) == scored(semantic.nearest_items(FRENCH_QUERY))
    PassageVector.objects.all().delete()
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))[0] == REGULARISATION


def test_vectors_embedded_after_the_page_was_indexed_reach_its_document(
    search_engine, reindex, client
):
    reindex()  # an empty site: the version's means are the reference sentences'
    report = LessonsLearnedReportPageFactory(
        title=REGULARISATION,
        summary="Thousands of migrants received a residence permit in 2014 and 2017.",
    )
    drain_outbox(refresh=True)
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY})) == []
    update_pages([report.pk])  # the task worker embeds it, after the outbox worker indexed it
    assert SearchOutboxEntry.objects.filter(page_id=report.pk).exists()
    drain_outbox(refresh=True)
    PassageVector.objects.all().delete()
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY})) == [REGULARISATION]


def test_an_index_built_before_vectors_is_searched_by_meaning_from_the_database_until_rebuilt(
    search_engine, corpus, client
):
    older = index_body()
    del older["mappings"]["properties"]["passages"], older["mappings"]["_source"]
    name = new_index_name()
    search_engine.create_index(name, older)
    search_engine.update_aliases([{"add": {"index": name, "alias": alias_name()}}])
    index_pages([page.pk for page in corpus], refresh=True)
    assert vectors_of(search_engine, name) is None
    assert "passage vectors: not in this index" in status()
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))[0] == REGULARISATION
    drift = check_index(search_engine, repair=True)
    assert drift.fields_added == ["passages"]
    assert check_index(search_engine).mapping == []


def test_related_items_by_meaning_come_from_the_engine_s_vectors(
    search_engine, corpus, reindex, client
):
    note = PolicyNotePageFactory(
        language="fr",
        title="Régulariser les sans-papiers au Maroc",
        summary="Des milliers d'étrangers ont reçu un titre de séjour lors des deux campagnes.",
    )
    update_pages([note.pk])
    reindex()
    report = corpus[0]
    PassageVector.objects.exclude(page_id=report.pk).delete()  # only the page's own are read
    related = [page.title for page in client.get(report.url).context["related_pages"]]
    assert related[0] == note.title


def test_related_items_by_meaning_do_not_wait_on_a_hung_engine_for_its_alias(
    corpus, engine_proxy, client, settings
):
    """Related items by meaning read the alias and the version's vectors before searching: within
    related items' second too, not the search timeout (10 minutes here)."""
    settings.SEARCH_TIMEOUT = 600  # before the process's engine client is made
    rebuild_index(get_engine())
    engine_proxy.hang()
    with alarm_after(120):  # seconds of a hung reader, not a measure of speed
        assert client.get(corpus[0].url).status_code == 200


def test_a_process_follows_a_rebuild_to_another_kind_of_index(corpus, engine_proxy, client, caplog):
    """The version a process last searched is deleted by the rebuild that replaced it; the new
    one holds its vectors differently (the cluster lost its k-NN plugin in between)."""
    engine = get_engine()
    rebuild_index(engine)
    assert titles(client.get("/fr/search/", {"q": FRENCH_QUERY}))[0] == REGULARISATION
    engine_proxy.script("/_nodes/plugins", [Reply({"nodes": {"node": {"plugins": []}}})])
    rebuild_index(engine)
    assert vectors_of(engine, live_version(engine)).kind == "script"
    assert titles(client.get("/fr/search/", {"q": "des permis de séjour"}))[0] == REGULARISATION
    # The portal's own log: the client logs the 404 of the version that was deleted.
    failures = [r for r in caplog.records if r.name.startswith("search")]
    assert not [r.getMessage() for r in failures if r.levelno >= logging.WARNING]


def test_building_a_k_nn_index_body_leaves_the_portal_s_own_untouched():
    with_vectors(index_body(), KNN)
    assert "knn" not in index_body()["settings"]
    assert index_body()["mappings"]["properties"]["passages"]["properties"]["vector"] == {
        "type": "binary",
        "doc_values": True,
    }
