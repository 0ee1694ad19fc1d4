"""The write path for big rebuilds: bulk writes with their own timeout and retries, refused
documents reported one by one, rebuilds that resume or clean up what a killed one left, index
settings (shards, replicas, refresh) from settings and kept across rebuilds.

A struggling engine is the real engine behind a local proxy that answers some requests itself
(429, 503) or never answers them (``tests.sockets.ScriptedProxy``).
"""

import threading

import pytest
from django.core.management import CommandError, call_command

from search.client import alias_name
from search.engine_vectors import IndexVectors, kind_for
from search.indexing import index_pages, rebuild_index, version_body
from search.models import SearchOutboxEntry
from search.outbox import drain_outbox
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory
from tests.helpers import titles
from tests.sockets import Hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return [
        LessonsLearnedReportPageFactory(title="Reintegration of returnees in Mopti"),
        PolicyNotePageFactory(title="Mopti border note"),
        PolicyNotePageFactory(title="Gao water note"),
    ]


@pytest.fixture
def struggling_engine(engine_proxy, settings):
    """The real engine behind the scripted proxy, with short write timeouts and back-off."""
    settings.SEARCH_BULK_TIMEOUT, settings.SEARCH_BULK_RETRIES = 1, 3
    settings.SEARCH_BULK_BACKOFF = 0.01
    return engine_proxy


def found(client, query="Mopti"):
    return sorted(titles(client.get("/en/search/", {"q": query})))


def test_bulk_writes_refused_or_timed_out_are_retried_until_the_engine_takes_them(
    client, pages, struggling_engine, capsys
):
    struggling_engine.script("/_bulk", [429, 503, "hang"])
    call_command("search_index", "rebuild")
    assert "3 documents" in capsys.readouterr().out
    assert struggling_engine.answered == [("/_bulk", 429), ("/_bulk", 503), ("/_bulk", "hang")]
    assert found(client) == ["Mopti border note", "Reintegration of returnees in Mopti"]


def test_a_rebuild_gives_up_after_its_retries_and_says_why(pages, struggling_engine):
    struggling_engine.script("/_bulk", [503] * 4)
    with pytest.raises(CommandError, match="503"):
        call_command("search_index", "rebuild")


def test_bulk_writes_wait_longer_than_searches(pages, struggling_engine, search_engine, settings):
    """A bulk slower than the search timeout is not cut short (nor sent twice): writes have
    their own timeout, SEARCH_BULK_TIMEOUT."""
    settings.SEARCH_TIMEOUT, settings.SEARCH_BULK_TIMEOUT = 0.5, 60
    bulk = Hold()
    struggling_engine.script("/_bulk", [bulk])
    release_while_the_client_still_waits(bulk, seconds=2 * settings.SEARCH_TIMEOUT)
    rebuild_index()
    assert struggling_engine.answered == [("/_bulk", bulk)] and not bulk.client_gave_up
    assert search_engine.count(alias_name()) == 3


def release_while_the_client_still_waits(held, seconds):
    """Release ``held`` once it has been held ``seconds``, unless its client gave up by then
    (``held.client_gave_up`` then says so)."""

    def release():
        held.holding.wait()
        if not held.applied.wait(seconds):
            held.release()

    threading.Thread(target=release, daemon=True).start()


def test_an_index_created_by_a_request_that_timed_out_is_not_created_twice(
    pages, struggling_engine, search_engine
):
    """The engine creates the index only after the client gave up on the request; the retry
    (held until then) finds it made, which is done, not an error."""
    timed_out = Hold()
    retry = Hold(until=timed_out.applied)
    struggling_engine.script("PUT /", [timed_out, retry])
    name, count = rebuild_index()
    assert struggling_engine.answered == [("PUT /", timed_out), ("PUT /", retry)]
    assert timed_out.client_gave_up
    assert search_engine.indices_behind(alias_name()) == [name] and count == 3


def refuse_page(monkeypatch, refused):
    """Serialise page ``refused`` with a year the index refuses (a document the engine rejects)."""
    from search import serialize

    original = serialize._document

    def document(page, *args):
        result = original(page, *args)
        if page.pk == refused.pk:
            result.year = "not a year"
        return result

    monkeypatch.setattr(serialize, "_document", document)


def test_a_refused_document_is_reported_with_its_page_and_reason_and_the_others_are_indexed(
    client, pages, search_engine, monkeypatch
):
    rebuild_index(search_engine)
    for page in pages:
        page.title = page.title.replace("Mopti", "Timbuktu").replace("Gao", "Timbuktu")
        page.save_revision().publish()
    refuse_page(monkeypatch, pages[1])
    assert drain_outbox(refresh=True) == (2, 1)
    entry = SearchOutboxEntry.objects.get()
    assert entry.page_id == pages[1].pk and entry.attempts == 1
    assert "year" in entry.last_error and "not a year" in entry.last_error
    assert found(client, "Timbuktu") == [
        "Reintegration of returnees in Timbuktu",
        "Timbuktu water note",
    ]


def test_a_rebuild_names_the_pages_the_engine_refused(pages, search_engine, monkeypatch):
    refuse_page(monkeypatch, pages[2])
    with pytest.raises(CommandError, match=rf"page {pages[2].pk}: .*year"):
        call_command("search_index", "rebuild")
    assert search_engine.indices_behind(alias_name()) == []


def test_index_pages_reports_refused_documents(pages, search_engine, monkeypatch):
    rebuild_index(search_engine)
    refuse_page(monkeypatch, pages[0])
    failures = index_pages([page.pk for page in pages], engine=search_engine).failures
    assert [failure.page_id for failure in failures] == [pages[0].pk]
    assert "year" in failures[0].reason


def abandoned_rebuild(engine, pages_indexed):
    """What a rebuild killed mid-way leaves: a new index version, partly filled, behind no alias,
    and a lock whose heartbeat stopped."""
    import datetime

    from django.utils import timezone

    from search.indexing import indexable_pages, start_index_version
    from search.models import SearchIndexLock

    name = start_index_version(engine)
    index_pages_into(engine, name, list(indexable_pages().order_by("pk"))[:pages_indexed])
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    SearchIndexLock.objects.create(
        name="rebuild", holder="killed:1", index=name, acquired_at=long_ago, heartbeat_at=long_ago
    )
    return name


def index_pages_into(engine, name, pages):
    from search.indexing import _index_actions, pages_with_relations
    from search.serialize import serialize_pages

    engine.bulk(_index_actions(name, serialize_pages(pages_with_relations(pages)), {}))


def test_a_killed_rebuild_is_resumed_filling_only_the_pages_missing(
    client, pages, search_engine, capsys
):
    abandoned = abandoned_rebuild(search_engine, pages_indexed=2)
    call_command("search_index", "rebuild", "--resume")
    out = capsys.readouterr().out
    assert f"Resuming {abandoned}: 2 documents there" in out
    assert f"Rebuilt {abandoned} with 3 documents" in out
    assert search_engine.indices_behind(alias_name()) == [abandoned]
    assert found(client) == ["Mopti border note", "Reintegration of returnees in Mopti"]


def test_a_resumed_rebuild_rewrites_documents_changed_since_they_were_filled(
    client, pages, search_engine
):
    abandoned = abandoned_rebuild(search_engine, pages_indexed=3)
    pages[2].title = "Gao water note, revised in Mopti"
    pages[2].save_revision().publish()
    call_command("search_index", "rebuild", "--resume")
    assert search_engine.indices_behind(alias_name()) == [abandoned]
    assert "Gao water note, revised in Mopti" in found(client)


def test_a_new_rebuild_deletes_what_a_killed_one_left(pages, search_engine, capsys):
    first, _count = rebuild_index(search_engine)
    abandoned = abandoned_rebuild(search_engine, pages_indexed=1)
    call_command("search_index", "rebuild")
    assert f"Deleted {abandoned}, left by an unfinished rebuild" in capsys.readouterr().out
    (current,) = search_engine.indices_behind(alias_name())
    assert search_engine.indices_matching(f"{alias_name()}-*") == [current]
    assert current not in (first, abandoned)


def test_resume_says_why_a_version_from_an_older_mapping_is_not_resumed(
    pages, search_engine, capsys
):
    abandoned = abandoned_rebuild(search_engine, pages_indexed=2)
    search_engine.delete_index(abandoned)
    older = version_body(filling=True, vectors=IndexVectors.new(kind_for(search_engine)))
    del older["mappings"]["properties"]["translated"]
    search_engine.create_index(abandoned, older)
    call_command("search_index", "rebuild", "--resume")
    out = capsys.readouterr().out
    assert (
        f"Deleted {abandoned}, left by an unfinished rebuild: "
        "its mapping is not the portal's (translated: missing)" in out
    )
    assert "Nothing to resume" in out
    assert search_engine.count(alias_name()) == 3


def test_resume_without_an_abandoned_index_rebuilds(pages, search_engine, capsys):
    call_command("search_index", "rebuild", "--resume")
    assert "Nothing to resume" in capsys.readouterr().out
    assert search_engine.count(alias_name()) == 3


def test_a_rebuild_that_fails_leaves_its_index_for_resume(pages, struggling_engine, capsys):
    struggling_engine.script("/_bulk", [503] * 4)
    with pytest.raises(CommandError, match="search_index rebuild --resume"):
        call_command("search_index", "rebuild")
    call_command("search_index", "rebuild", "--resume")
    assert "Resuming" in capsys.readouterr().out


def test_shards_replicas_and_refresh_come_from_settings_and_are_relaxed_while_filling(
    pages, search_engine, settings
):
    settings.SEARCH_INDEX_SHARDS, settings.SEARCH_INDEX_REPLICAS = 2, 1
    settings.SEARCH_INDEX_REFRESH_INTERVAL = "5s"
    abandoned = abandoned_rebuild(search_engine, pages_indexed=1)
    filling = search_engine.index_settings(abandoned)
    assert (filling["number_of_replicas"], filling["refresh_interval"]) == ("0", "-1")
    name, _count = rebuild_index(search_engine)
    live = search_engine.index_settings(name)
    assert (live["number_of_shards"], live["number_of_replicas"]) == ("2", "1")
    assert live["refresh_interval"] == "5s"


def test_a_rebuild_keeps_replicas_and_refresh_an_operator_set_on_the_live_index(
    pages, search_engine, settings
):
    """The live index's replicas and refresh interval carry over to the next version, unless
    their setting changed since that index was built: then the new setting applies."""
    first, _count = rebuild_index(search_engine)
    search_engine.put_settings(first, {"number_of_replicas": 2, "refresh_interval": "30s"})
    second, _count = rebuild_index(search_engine)
    kept = search_engine.index_settings(second)
    assert (kept["number_of_replicas"], kept["refresh_interval"]) == ("2", "30s")
    settings.SEARCH_INDEX_REPLICAS = 1
    third, _count = rebuild_index(search_engine)
    changed = search_engine.index_settings(third)
    assert (changed["number_of_replicas"], changed["refresh_interval"]) == ("1", "30s")


def test_a_rebuild_tells_its_stages_and_is_silent_under_verbosity_zero(
    pages, search_engine, capsys, caplog
):
    import logging

    with caplog.at_level(logging.INFO):
        call_command("search_index", "rebuild", verbosity=0)
    assert capsys.readouterr() == ("", "")
    ours = [r for r in caplog.records if r.name.startswith(("search", "portal"))]
    assert [r.getMessage() for r in ours if r.levelno < logging.WARNING] == []
    with caplog.at_level(logging.INFO, "portal.progress"):
        call_command("search_index", "rebuild")
    out = capsys.readouterr().out
    for stage in ("Created", "Deleted", "Verifying", "Pointing", "Rebuilt"):
        assert stage in out
    (name,) = search_engine.indices_behind(alias_name())
    assert f"Indexing into {name}: 3 pages done" in caplog.text
