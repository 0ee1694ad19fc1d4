"""Outbox benchmark: how fast the sync worker drains changes, and how soon a publish is searchable.

``measure_drain(changes, rounds)`` enqueues ``changes`` pages of an existing corpus (already
indexed behind the alias) and times the worker draining them (``process_search_outbox --once``,
the worker's own code path, then a refresh) against the raw client's ``streaming_bulk`` helper
sending the same documents, serialised beforehand, to the same index (then a refresh). Each round
runs both sides in a random order; figures are pages/s from the median round and their ratio.

``measure_freshness(publishes)`` starts the worker as a separate process
(``manage.py process_search_outbox``), publishes pages one at a time with a new word in their
title and times each from the publish's commit until a search for that word finds the page:
p50, p95 and max, in milliseconds.
"""

import io
import random
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.core.management import call_command
from elasticsearch.dsl import Search

from bench.timing import load_during, ratio, summary, timed
from knowledge.models import KnowledgePage
from portal.batching import batched
from search.client import alias_name, get_engine
from search.indexing import indexable_pages, pages_with_relations
from search.models import SearchOutboxEntry
from search.outbox import enqueue_pages
from search.serialize import serialize_pages

SERIALISE_BATCH = 500


def changed_pages(changes):
    """The ids of the first ``changes`` indexable pages; raises ``ValueError`` when the corpus is
    smaller (generate one first: ``bench.search.generate_corpus``)."""
    ids = list(indexable_pages().order_by("pk").values_list("pk", flat=True)[:changes])
    if len(ids) < changes:
        raise ValueError(f"only {len(ids)} indexable pages; generate a corpus of {changes} first")
    return ids


def raw_actions(index, page_ids):
    """Bulk-helper actions for ``page_ids``' documents, serialised now (not timed)."""
    actions = []
    for batch in batched(page_ids, SERIALISE_BATCH):
        pages = pages_with_relations(indexable_pages().filter(pk__in=batch))
        actions += [
            {"_op_type": "index", "_index": index, "_id": d.meta.id, "_source": d.to_dict()}
            for d in serialize_pages(pages)
        ]
    return actions


def _raw_bulk(engine, index, actions):
    client = getattr(engine, "write_client", engine.client)  # the client with the write timeout
    for ok, item in engine.streaming_bulk(client, actions, raise_on_error=False):
        if not ok:
            raise RuntimeError(f"the engine refused a raw document: {item}")
    engine.refresh(index)


def _drain(engine, index):
    call_command("process_search_outbox", once=True, stdout=io.StringIO())
    if SearchOutboxEntry.objects.exists():
        raise RuntimeError("the worker left entries in the outbox")
    engine.refresh(index)


def measure_drain(changes, rounds=3, seed=1):
    """``{changes, rounds, outbox, raw, outbox_pages_per_s, raw_pages_per_s, ratio, load}``."""
    engine = get_engine()
    (index,) = engine.indices_behind(alias_name())
    page_ids = changed_pages(changes)
    actions = raw_actions(index, page_ids)
    SearchOutboxEntry.objects.all().delete()
    rng = random.Random(seed)  # noqa: S311  (a reproducible order, not a secret)
    samples = {"outbox": [], "raw": []}
    with load_during() as load:
        for _round in range(rounds):
            sides = ["outbox", "raw"]
            rng.shuffle(sides)
            for side in sides:
                if side == "outbox":
                    enqueue_pages(page_ids)
                    samples[side].append(timed(lambda: _drain(engine, index)))
                else:
                    samples[side].append(timed(lambda: _raw_bulk(engine, index, actions)))
    outbox, raw = summary(samples["outbox"]), summary(samples["raw"])
    outbox_rate = changes / (outbox["median_ms"] / 1000)
    raw_rate = changes / (raw["median_ms"] / 1000)
    return {
        "changes": changes,
        "rounds": rounds,
        "outbox": outbox,
        "raw": raw,
        "outbox_pages_per_s": round(outbox_rate, 1),
        "raw_pages_per_s": round(raw_rate, 1),
        "ratio": ratio(outbox_rate, raw_rate),
        "load": load,
    }


def start_worker():
    """``manage.py process_search_outbox`` as a separate process, with this one's environment
    and settings module."""
    return subprocess.Popen(  # noqa: S603  (our own manage.py, no shell)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "process_search_outbox"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _searchable(engine, word, timeout=30.0):
    """Seconds until a search for ``word`` finds a document (polled every 10 ms)."""
    started = time.perf_counter()
    search = Search().query("match", title=word).extra(size=0)
    while time.perf_counter() - started < timeout:
        if engine.search(search, alias_name()).hits.total.value:
            return time.perf_counter() - started
        time.sleep(0.01)
    raise TimeoutError(f"{word} was not searchable after {timeout} s")


def measure_freshness(publishes=50, seed=1):
    """``{publishes, freshness: {min_ms, median_ms, p95_ms, samples, max_ms}, load}``: from the
    commit of each publish until the page is found by a search, with the worker running as a
    separate process; publishes are 0.5–1.5 s apart (random), so they fall anywhere in the
    worker's cycle."""
    engine = get_engine()
    rng = random.Random(seed)  # noqa: S311  (a reproducible spacing, not a secret)
    pages = list(KnowledgePage.objects.live().order_by("-pk")[:publishes])
    SearchOutboxEntry.objects.all().delete()
    worker = start_worker()
    samples = []
    with load_during() as load:
        try:
            time.sleep(2)  # the worker's start-up (Django, the engine connection)
            for page in pages:
                page = page.specific
                word = f"fresh{uuid.uuid4().hex[:10]}"
                page.title = f"{page.title.split(' fresh')[0]} {word}"
                page.save_revision().publish()
                samples.append(_searchable(engine, word))
                time.sleep(rng.uniform(0.5, 1.5))
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    figures = summary(samples)
    figures["max_ms"] = round(max(samples) * 1000, 2)
    return {
        "publishes": publishes,
        "freshness": figures,
        "load": load,
    }
