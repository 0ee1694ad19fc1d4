"""What a search costs the engine: today's request bodies against the old ones, on the same index.

``run(size, ...)`` makes sure the corpus exists (``bench.search.generate_corpus``, plus translations
of some items so that collapsing and item counts have work to do) and is indexed, draws a pool of
queries per kind from the indexed titles, then runs every query the way the search page does (facets
and highlights, the page's slice; ``api_list``: as the API and feeds do, neither) both with
``EngineRetriever.read`` (today's bodies) and with the frozen bodies of ``bench.legacy_bodies``
(before issue 12), in alternating blocks. Per kind and side
it reports, per search:

- ``took``: the engine's own ``took`` summed over the requests of one search (those of an
  ``_msearch`` each counted: they may run side by side) (min/median/p95);
- ``engine_ms``: the index's query and fetch time (``_stats/search`` deltas of this index alone,
  so other work on a shared node does not count);
- ``cpu_ms``: the node's process CPU time (``_nodes/stats/process`` deltas: every thread, merges
  and other indices included, so noisy on a shared node: read it with the load figures);
- ``wall``: the client's wall time (Python and HTTP included);

and the new/old ratios of the medians. The shard request cache is cleared before every block, so
no figure comes from a cached answer (``--warm`` keeps it: what a repeated query costs).
"""

import random
import re
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from wagtail.models import Locale

from bench import legacy_bodies
from bench.recording import RecordingEngine
from bench.search import generate_corpus
from bench.timing import load_during, ratio, summary
from knowledge.filters import KnowledgeFilters
from knowledge.models import KnowledgePage
from portal.batching import batched
from search.client import alias_name, get_engine
from search.documents import LANGUAGE_CODES
from search.indexing import indexable_pages, rebuild_index
from search.query import KnowledgeQuery
from search.retrievers import EngineRetriever

PAGE_SIZE = 12
DEEP_PAGE = 40
KINDS = (
    "one_term",
    "several_terms",
    "phrase",
    "typo",
    "filtered",
    "language",
    "deep_page",
    "api_list",
)
#: Kinds read as a plain list (the API's, a feed's: no facets, no highlights), 20 to a page.
LISTS = {"api_list": 20}
_WORD = re.compile(r"^[^\W\d_]{4,}$")


#: Seconds a search may take here: the old bodies take several at 100,000 documents.
TIMEOUT = 120


def translate_some(count, seed=1):
    """Publish a translation (into another of the four languages) of ``count`` items that have
    none, so some items have two versions; returns how many were made."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    single = (
        KnowledgePage.objects.live()
        .values("translation_key")
        .annotate(versions=Count("pk"))
        .filter(versions=1)
        .values_list("translation_key", flat=True)
    )
    keys = sorted(str(key) for key in single)
    chosen = rng.sample(keys, min(count, len(keys)))
    no_database_index = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }
    with override_settings(
        WAGTAILSEARCH_BACKENDS=no_database_index, SEARCH_TEXT_INDEX_AUTO_UPDATE=False
    ):
        for batch in batched(chosen, 200):
            with transaction.atomic():
                for page in KnowledgePage.objects.filter(translation_key__in=batch).specific():
                    own = page.locale.language_code
                    other = rng.choice([code for code in LANGUAGE_CODES if code != own])
                    version = page.copy_for_translation(locales[other])
                    version.title = f"{version.title} ({other})"
                    version.save_revision().publish()
    return len(chosen)


def ensure_corpus(size, translations, engine):
    """Generate ``size`` pages (and ``translations``) unless they exist; index them unless the
    alias already holds every indexable page."""
    generate_corpus(size)
    versions = KnowledgePage.objects.count()
    if versions < size + translations:
        translate_some(size + translations - versions)
    if engine.count(alias_name()) != indexable_pages().count():
        rebuild_index(engine)


def _sampled_documents(engine, count, seed):
    body = {
        "size": count,
        "query": {"function_score": {"random_score": {"seed": seed, "field": "page_id"}}},
        "_source": ["title", "language", "countries", "themes"],
    }
    reply = engine.client.search(index=alias_name(), body=body)
    return [hit["_source"] for hit in reply["hits"]["hits"]]


def _words(title):
    return [word.lower() for word in title.replace("(", " ").replace(")", " ").split()]


def _misspelt(word, rng):
    position = rng.randrange(2, len(word) - 1)
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def query_pools(engine, per_kind, seed=1):
    """``{kind: [(KnowledgeQuery, start, stop, page)]}``, ``per_kind`` queries of each of
    ``KINDS`` made of words of indexed titles (whichever corpus generator made them); ``page``:
    read as the search page does (facets, highlights), else as a plain list."""
    rng = random.Random(seed)  # noqa: S311
    pools = {kind: [] for kind in KINDS}
    for document in _sampled_documents(engine, per_kind * 4, seed):
        words = [word for word in _words(document["title"]) if _WORD.match(word)]
        if len(words) < 3:
            continue
        long_words = [word for word in words if len(word) >= 6] or words
        position = rng.randrange(len(words) - 1)
        filters = KnowledgeFilters(
            country=tuple(document["countries"][:1]), theme=tuple(document["themes"][:1])
        )
        texts = {
            "one_term": (rng.choice(words), KnowledgeFilters(), 1),
            "several_terms": (" ".join(rng.sample(words, 3)), KnowledgeFilters(), 1),
            "phrase": (f'"{words[position]} {words[position + 1]}"', KnowledgeFilters(), 1),
            "typo": (_misspelt(rng.choice(long_words), rng), KnowledgeFilters(), 1),
            "filtered": (" ".join(rng.sample(words, 2)), filters, 1),
            "language": (
                rng.choice(words),
                KnowledgeFilters(language=(document["language"],)),
                1,
            ),
            "deep_page": (rng.choice(words), KnowledgeFilters(), DEEP_PAGE),
            "api_list": (" ".join(rng.sample(words, 2)), KnowledgeFilters(), 1),
        }
        for kind, (text, kind_filters, page) in texts.items():
            if len(pools[kind]) < per_kind:
                request = KnowledgeQuery(text=text, filters=kind_filters, language="en")
                size = LISTS.get(kind, PAGE_SIZE)
                start = (page - 1) * size
                pools[kind].append((request, start, start + size, kind not in LISTS))
    return pools


def _read_new(engine, request, start, stop, page):
    EngineRetriever(engine).read(request, start, stop, facets=page, highlights=page)


def _read_old(engine, request, start, stop, page):
    legacy_bodies.read(engine, request, start, stop, page)


SIDES = {"old": _read_old, "new": _read_new}


#: Seconds the node keeps its process statistics before reading them again
#: (``monitor.process.refresh_interval``, 1 s by default), waited before each reading.
PROCESS_STATS_INTERVAL = 1.1


def _counters(engine):
    """``(index query+fetch ms, node process CPU ms)`` so far."""
    time.sleep(PROCESS_STATS_INTERVAL)
    stats = engine.client.indices.stats(index=alias_name(), metric="search")
    search = stats["_all"]["primaries"]["search"]
    nodes = engine.client.nodes.stats(metric="process")["nodes"].values()
    cpu = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes)
    return search["query_time_in_millis"] + search["fetch_time_in_millis"], cpu


def measure(engine, pools, rounds, warm=False, seed=1):
    """``{kind: {side: figures, "ratios": {...}}}`` (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311
    results = {}
    for kind, pool in pools.items():
        sides = {side: {"took": [], "wall": [], "engine_ms": 0, "cpu_ms": 0} for side in SIDES}
        for read in SIDES.values():  # warm up each side once
            for query in pool:
                read(engine, *query)
        for _round in range(rounds):
            for side in rng.sample(list(SIDES), len(SIDES)):
                _block(engine, pool, SIDES[side], sides[side], warm)
        results[kind] = _figures(sides, len(pool) * rounds)
    return results


def _block(engine, pool, read, totals, warm):
    if not warm:
        engine.client.indices.clear_cache(index=alias_name(), request=True)
    engine_before, cpu_before = _counters(engine)
    for query in pool:
        recorder = RecordingEngine(engine, TIMEOUT)
        started = time.perf_counter()
        read(recorder, *query)
        totals["wall"].append(time.perf_counter() - started)
        totals["took"].append(sum(recorder.tooks) / 1000)
    engine_after, cpu_after = _counters(engine)
    totals["engine_ms"] += engine_after - engine_before
    totals["cpu_ms"] += cpu_after - cpu_before


def _figures(sides, searches):
    figures = {}
    for side, totals in sides.items():
        figures[side] = {
            "took": summary(totals["took"]),
            "engine_ms": round(totals["engine_ms"] / searches, 1),
            "cpu_ms": round(totals["cpu_ms"] / searches, 1),
            "wall": summary(totals["wall"]),
        }
    old, new = figures["old"], figures["new"]
    figures["ratios"] = {
        "took_median": ratio(new["took"]["median_ms"], old["took"]["median_ms"]),
        "took_p95": ratio(new["took"]["p95_ms"], old["took"]["p95_ms"]),
        "engine_ms": ratio(new["engine_ms"], old["engine_ms"]),
        "cpu_ms": ratio(new["cpu_ms"], old["cpu_ms"]),
    }
    return figures


def run(size, translations, per_kind, rounds, warm=False, existing=False, kinds=KINDS):
    """Everything above, once: ``{"engine", "documents", "load", "kinds": {...}}``; on the index
    as it is when ``existing`` (one built by another benchmark under the same prefix); only the
    query ``kinds`` given."""
    engine = get_engine()
    if not existing:
        ensure_corpus(size, translations, engine)
    pools = {kind: pool for kind, pool in query_pools(engine, per_kind).items() if kind in kinds}
    with load_during() as load:
        kinds = measure(engine, pools, rounds, warm)
    return {
        "engine": str(engine),
        "documents": engine.count(alias_name()),
        "searches_per_kind_and_side": per_kind * rounds,
        "request_cache": "kept" if warm else "cleared before every block",
        "load": load,
        "kinds": kinds,
    }


def format_table(figures):
    """The figures as a plain table, one line per kind and side."""
    lines = [
        f"{figures['engine']}, {figures['documents']} documents, "
        f"{figures['searches_per_kind_and_side']} searches per kind and side, request cache "
        f"{figures['request_cache']}, load {figures['load']}",
        f"{'kind':<14}{'side':<5}{'took p50':>9}{'took p95':>9}{'engine':>8}{'cpu':>7}"
        f"{'wall p50':>9}   ratios new/old",
    ]
    for kind, sides in figures["kinds"].items():
        for side in SIDES:
            side_figures = sides[side]
            lines.append(
                f"{kind:<14}{side:<5}{side_figures['took']['median_ms']:>9}"
                f"{side_figures['took']['p95_ms']:>9}{side_figures['engine_ms']:>8}"
                f"{side_figures['cpu_ms']:>7}{side_figures['wall']['median_ms']:>9}"
                + (f"   {sides['ratios']}" if side == "new" else "")
            )
    return "\n".join(lines)
