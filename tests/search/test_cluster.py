"""A cluster named by several node URLs: with a replica of every shard, a node killed while
readers search and editors publish loses no update, fails no search and sends no reader to the
database fallback.

Runs in ``make test-cluster`` on the nodes of scripts/search-cluster, which SEARCH_CLUSTER_URL
names (comma-separated, as SEARCH_URL may); the portal's client knows all three and moves on to
the next when one does not answer.
"""

import datetime
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from search.client import get_engine
from search.indexing import check_index, rebuild_index
from search.models import SearchOutboxEntry
from search.outbox import drain_outbox
from tests.factories import PolicyNotePageFactory, published
from tests.sockets import refused_port

CLUSTER = Path(__file__).resolve().parents[2] / "scripts" / "search-cluster"
pytestmark = pytest.mark.django_db


def cluster_command(*arguments):
    return subprocess.run([CLUSTER, *arguments], check=True, capture_output=True, text=True)  # noqa: S603


@pytest.fixture
def cluster(settings):
    urls = os.environ.get("SEARCH_CLUSTER_URL", "")
    if not urls:
        pytest.skip("runs in make test-cluster, on the three nodes of scripts/search-cluster")
    settings.SEARCH_URL = urls
    settings.SEARCH_INDEX_PREFIX = f"test-cluster-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_INDEX_SHARDS = 3
    settings.SEARCH_INDEX_REPLICAS = 1
    engine = get_engine()
    yield engine
    cluster_command("revive", "1")
    for index in engine.indices_matching(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(index)


def wait_for_green(engine):
    """Until every shard and its replica is assigned (60 s at most)."""
    for _ in range(120):
        if engine.cluster_health(5)["status"] == "green":
            return
        time.sleep(0.5)
    pytest.fail("the cluster did not turn green within 60 s")


def search(client):
    reply = client.get("/en/search/json/", {"q": "herding"})
    return reply.status_code, reply.json()


@pytest.mark.cluster
def test_a_node_killed_during_reads_and_writes_loses_nothing(client, cluster, committed):
    notes = [
        published(PolicyNotePageFactory, title=f"Herding note {n}", summary="Herding.")
        for n in range(6)
    ]
    rebuild_index(cluster)
    wait_for_green(cluster)
    SearchOutboxEntry.objects.all().delete()

    answers = []
    for step in range(24):
        note = notes[step % len(notes)]
        with committed():
            note.title = f"Herding note {step % len(notes)}, revision {step}"
            note.save_revision().publish()
        drain_outbox(refresh=True)
        answers.append(search(client))
        if step == 8:
            # The first node of the client's list: every request there must move on.
            cluster_command("kill", "1")

    assert [status for status, _reply in answers] == [200] * 24
    assert [reply["backend"] for _status, reply in answers] == ["engine"] * 24
    assert [reply["degraded"] for _status, reply in answers] == [False] * 24
    assert {reply["total"] for _status, reply in answers} == {6}

    # Updates the dying node refused are retried by the worker later: let that time pass.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=False):
        while SearchOutboxEntry.objects.exists():
            assert drain_outbox(refresh=True)[0] > 0
    drift = check_index(cluster)
    assert (drift.missing, drift.stale, drift.extra) == ([], [], [])
    titles = {hit["title"] for hit in search(client)[1]["results"]}
    assert titles == {note.title for note in notes}


def test_a_node_that_refuses_is_passed_over_for_the_next(client, search_engine, settings):
    """SEARCH_URL naming a node that is down first: the client finds the cluster through the
    next one and every search is answered by the engine (the one-node run of make test)."""
    PolicyNotePageFactory(title="Herding note", summary="Herding.")
    rebuild_index(search_engine)
    settings.SEARCH_URL = f"http://127.0.0.1:{refused_port()},{settings.SEARCH_URL}"
    replies = [search(client)[1] for _ in range(4)]
    assert [(r["backend"], r["degraded"], r["total"]) for r in replies] == [
        ("engine", False, 1)
    ] * 4
