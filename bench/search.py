"""Search benchmark: the portal against the raw engine, and the database backend against a
hand-written full-text query, on a realistic corpus (``bench.corpus``).

``run_benchmark(size)``:

1. generates ``size`` knowledge pages (``generate_corpus``, timed: it is the cost of an import);
2. indexes them through the portal's own code (``rebuild_index``) and the same documents through
   the engine's raw bulk API, then writes the database's full-text index (``text_index.rebuild``);
3. builds query pools (``query_pools``): per kind (one term, several terms, a phrase, filtered, a
   deep page, a typo), queries in each of the four languages from the corpus's own vocabulary at
   common, middle and rare Zipf ranks, read on the site of their language;
4. times, through the shared harness (``bench.timing.compare``: pool rotated per sample, portal and
   raw in random order, min/median/p95, the machine's load), the JSON endpoint and the HTML search
   page against the raw engine answering the same requests (those each page sends, recorded once
   by ``bench.recording`` and sent again to the same endpoints through the client, without the
   portal's view, database reads, templates or JSON); then the database backend (the search service's read, and the whole JSON
   page) against the hand-written ranked full-text query of the same match (FTS5 ``bm25()`` on
   SQLite, ``ts_rank`` on PostgreSQL), without filters, visibility or collapsing.

Pages are requested in process through Django's test ``Client`` (the whole middleware stack, no
HTTP server), so the figures are the portal's own cost, not a web server's.
"""

import random
import re
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test import Client, override_settings

from bench.corpus import (  # noqa: F401  (generate_corpus: re-exported for older imports)
    LANGUAGES,
    generate_corpus,
    vocabulary,
    words_of,
)
from bench.recording import portal_requests
from bench.timing import Case, compare, timed, timing_table, write_figures
from knowledge.models import KnowledgeAttachment, KnowledgePage
from knowledge.vocabulary import PARTNER_COUNTRIES, THEMES
from portal.batching import batched
from portal.progress import progress, stage
from search import text_index
from search.analysis import tokens
from search.client import alias_name, get_engine, search_url
from search.documents import index_body
from search.engines import connect
from search.forms import KnowledgeQueryForm
from search.indexing import indexable_pages, pages_with_relations, rebuild_index
from search.models import TextIndexEntry
from search.query import split_query
from search.retrievers import DatabaseRetriever
from search.serialize import serialize_pages
from search.text_query import text_query

KINDS = ("one_term", "several_terms", "phrase", "filtered", "deep_page", "typo")
#: Zipf rank bands (0-based, of a language's vocabulary) a query word is drawn from.
BANDS = {"common": (20, 300), "mid": (1_500, 4_000), "rare": (15_000, 39_000)}
#: The page a deep-page query asks for (fewer when the answer has fewer pages).
DEEP_PAGE = 40
#: Runs of each callable before timing (caches warm on both sides).
WARMUP = 1
#: Length of a smoke run's pages against a real corpus's.
SMOKE_SCALE = 0.1
#: Seconds a bulk request may take while the corpus is indexed (both ways): the portal's search
#: timeout (5 s) is for readers, and one slow bulk of long documents on a busy machine passes it.
INDEXING_TIMEOUT = 120


def indexing_engine():
    """An adapter for the configured engine with ``INDEXING_TIMEOUT`` per request."""
    return connect(
        search_url(),
        timeout=INDEXING_TIMEOUT,
        verify_certs=settings.SEARCH_VERIFY_CERTS,
        ca_certs=settings.SEARCH_CA_CERTS,
    )


@dataclass
class PoolQuery:
    """One query of a pool: its ``kind``, the reader's ``language``, the search form's
    ``params`` and what it is (``label``, e.g. ``"rare: pesienas"``); ``total`` is the number of
    results the portal found (filled when the pool is checked)."""

    kind: str
    language: str
    params: dict
    label: str
    total: int | None = None
    extra: dict = field(default_factory=dict)

    def path(self, page="search"):
        """The reader's URL of this query on ``/search/`` or ``/search/json/``."""
        suffix = "json/" if page == "json" else ""
        return f"/{self.language}/search/{suffix}?{urlencode(self.params)}"


# --- Query pools ---------------------------------------------------------------------------------


def _content_words(language, band, rng, count):
    """``count`` distinct words of ``language`` at Zipf ranks in ``band`` that the analysers keep
    (no stop words), of at least four letters."""
    words = vocabulary(language).words
    low, high = BANDS[band]
    found = []
    while len(found) < count:
        word = words[rng.randrange(low, min(high, len(words)))]
        if len(word) >= 4 and word.isalpha() and tokens(word, language) and word not in found:
            found.append(word)
    return found


def _typo(word, rng, known):
    """``word`` with two neighbouring inner letters swapped (not another word of the vocabulary)."""
    for _ in range(20):
        i = rng.randrange(1, len(word) - 2)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if typo != word and typo not in known:
            return typo
    return word[:-1]


def _phrases(language, rng, count):
    """``count`` two-word phrases read from the summaries of pages in ``language``: neighbouring
    words that the analysers keep, so the phrase exists in the corpus."""
    summaries = list(
        KnowledgePage.objects.filter(locale__language_code=language)
        .order_by("pk")
        .values_list("summary", flat=True)[:200]
    )
    found = []
    while len(found) < count and summaries:
        words = [w for w in re.split(r"[\s.,]+", rng.choice(summaries)) if w]
        start = rng.randrange(0, max(1, len(words) - 1))
        pair = words[start : start + 2]
        if len(pair) == 2 and all(w.isalpha() and tokens(w, language) for w in pair):
            found.append(" ".join(w.lower() for w in pair))
    return found


def _collocations(language, rng):
    """``[("common", phrase), ("mid", phrase)]``: two of the vocabulary's two-word entries (the
    project's own collocations, ``bench.corpus.seed_counts``), from the first and the second half
    of their ranks; both words kept by the analysers."""
    phrases = [
        word
        for word in vocabulary(language).words
        if " " in word and len(tokens(word, language)) == 2
    ]
    half = len(phrases) // 2
    return [("common", rng.choice(phrases[:half])), ("mid", rng.choice(phrases[half:]))]


def query_pools(seed=1):
    """``{kind: [PoolQuery]}``: three queries per kind in each language, drawn reproducibly."""
    rng = random.Random(seed)  # noqa: S311  (a reproducible choice, not a secret)
    pools = {kind: [] for kind in KINDS}
    countries, themes = PARTNER_COUNTRIES[:3], list(THEMES)[:3]
    for language in LANGUAGES:
        common = _content_words(language, "common", rng, 8)
        mid = _content_words(language, "mid", rng, 6)
        rare = _content_words(language, "rare", rng, 2)
        known = set(vocabulary(language).words)

        def add(kind, label, language=language, **params):
            pools[kind].append(PoolQuery(kind, language, params, label))

        for band, word in (("common", common[0]), ("mid", mid[0]), ("rare", rare[0])):
            add("one_term", f"{band}: {word}", q=word)
        for bands, words in (
            ("common+common", common[1:3]),
            ("common+mid+mid", [common[3], *mid[1:3]]),
            ("mid+rare", [mid[3], rare[1]]),
        ):
            add("several_terms", f"{bands}: {' '.join(words)}", q=" ".join(words))
        for band, text in (*_collocations(language, rng), ("rare", _phrases(language, rng, 1)[0])):
            add("phrase", f"{band} phrase: {text}", q=f'"{text}"')
        for n, word in enumerate(common[4:7]):
            add("filtered", f"common + {countries[n]} + {themes[n]}", q=word,
                country=countries[n], theme=themes[n])  # fmt: skip
        for word in common[5:8]:
            add("deep_page", f"common, page {DEEP_PAGE}: {word}", q=word, page=str(DEEP_PAGE))
        for word in (mid[4], mid[5], common[7]):
            typo = _typo(word, rng, known)
            add("typo", f"typo of {word}: {typo}", q=typo)
    return pools


def check_pools(pools, client):
    """Ask the portal each query once (JSON): it must answer from the engine; records each
    query's ``total`` and, for a deep page beyond the last, asks for the last page instead."""
    for pool in pools.values():
        for query in pool:
            reply = _portal_json(client, query)
            if query.kind == "deep_page" and reply["pages"] < int(query.params["page"]):
                query.params["page"] = str(max(reply["pages"], 1))
                query.label = re.sub(r"page \d+", f"page {query.params['page']}", query.label)
                reply = _portal_json(client, query)
            query.total = reply["total"]


def _portal_json(client, query):
    response = client.get(query.path("json"))
    if response.status_code != 200:
        raise RuntimeError(
            f"{query.label}: status {response.status_code}: {response.content[:300]}"
        )
    reply = response.json()
    if reply["degraded"] or reply["backend"] != "engine":
        raise RuntimeError(f"{query.label}: the portal did not answer from the engine")
    return reply


# --- Engine: the portal against the raw engine ----------------------------------------------------


class PortalPage:
    """A callable requesting ``path`` through ``client``; counts in ``failures`` the answers that
    were not a 200 or that carry ``marker`` (the engine did not answer: the circuit breaker sent
    the search to the database), so no database answer passes for an engine figure unseen."""

    def __init__(self, client, path, marker=None):
        self.client, self.path, self.marker, self.failures = client, path, marker, 0

    def __call__(self):
        response = self.client.get(self.path)
        if response.status_code != 200 or (self.marker and self.marker in response.content):
            self.failures += 1


#: What a page says when the database answered instead of the engine.
DEGRADED = {"json": b'"degraded": true', "html": b"notice--warning"}


def failures(cases):
    """``{case: failed requests}`` of the cases whose ``PortalPage``s failed (see there)."""
    counts = {
        name: sum(getattr(function, "failures", 0) for function in case.portal)
        for name, case in cases.items()
    }
    return {name: count for name, count in counts.items() if count}


def _knowledge_query(query):
    """The ``KnowledgeQuery`` the search page builds from ``query``'s parameters."""
    form = KnowledgeQueryForm(QueryDict(urlencode(query.params)))
    if not form.is_valid():
        raise RuntimeError(f"{query.label}: {form.error_messages()}")
    return form.knowledge_query(query.language)


def raw_engine_call(engine, client, path, degraded=None):
    """A callable sending the requests the portal sends the engine for the page ``path``
    (``bench.recording.portal_requests``: recorded here, once, through ``client``), the same
    bodies to the same endpoints, straight through the engine's client (no elasticsearch-dsl
    response, no portal code): today the collapsed search of the page's slice with its facets,
    the highlight ``_msearch`` of the versions shown and, when a version shown is not in the
    reader's language, the versions request."""
    requests = portal_requests(engine, client, path, degraded)

    def call():
        for request in requests:
            request.send(engine)

    return call


def engine_cases(engine, pools, client):
    """``{"json:<kind>" and "html:<kind>": Case}``: each page against the raw engine replaying
    that page's own requests (``raw_engine_call``)."""
    cases = {}
    for page in ("json", "html"):
        for kind, pool in pools.items():
            paths = [q.path("json" if page == "json" else "search") for q in pool]
            cases[f"{page}:{kind}"] = Case(
                portal=[PortalPage(client, path, DEGRADED[page]) for path in paths],
                raw=[raw_engine_call(engine, client, path, DEGRADED[page]) for path in paths],
            )
    return cases


# --- Database: the search service against a hand-written full-text query ---------------------------


def raw_database_call(query):
    """The hand-written full-text query doing the portal's match for ``query``: the best page ids
    by the same ranking down to the requested page, without filters, visibility or collapsing of
    translations (the match is prepared here, once)."""
    size = settings.KNOWLEDGE_PAGE_SIZE
    limit = int(query.params.get("page", 1)) * size
    sql, params = text_index.storage().matched(
        text_query(split_query(query.params["q"])), query.language
    )

    def call():
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY score LIMIT %s", [*params, limit])  # noqa: S608
            return cursor.fetchall()

    return call


def _database_read(query):
    request = _knowledge_query(query)
    size = settings.KNOWLEDGE_PAGE_SIZE
    start = (int(query.params.get("page", 1)) - 1) * size

    def call():
        return DatabaseRetriever().read(request, start, start + size)

    return call


def database_cases(pools, client):
    """``{"read:<kind>" and "json:<kind>": Case}`` against ``raw_database_call``: the search
    service's read of the page's results and total (``DatabaseRetriever``), and the whole JSON
    page (facets, highlights, rendering). Run under ``SEARCH_URL=""``."""
    cases = {}
    for kind, pool in pools.items():
        raw = [raw_database_call(q) for q in pool]
        cases[f"read:{kind}"] = Case(portal=[_database_read(q) for q in pool], raw=raw)
        cases[f"json:{kind}"] = Case(
            portal=[PortalPage(client, q.path("json")) for q in pool], raw=raw
        )
    return cases


# --- Indexing and the corpus's shape ---------------------------------------------------------------


def _raw_bulk_rate(engine):
    """Documents/s of the engine's raw bulk API for the portal's own documents (pre-serialized)."""
    documents = []
    ids = list(indexable_pages().values_list("pk", flat=True))
    for batch in batched(ids, 200):
        pages = pages_with_relations(indexable_pages().filter(pk__in=batch))
        documents.extend(doc.to_dict() | {"_id": doc.meta.id} for doc in serialize_pages(pages))
    name = f"{settings.SEARCH_INDEX_PREFIX}-raw-bulk"
    engine.delete_index(name)
    engine.create_index(name, index_body())
    started = time.perf_counter()
    for batch in batched(documents, 200):
        engine.bulk(
            [
                {"_op_type": "index", "_index": name, "_id": doc.pop("_id"), "_source": doc}
                for doc in map(dict, batch)
            ]
        )
    engine.refresh(name)
    elapsed = time.perf_counter() - started
    engine.delete_index(name)
    return len(documents) / elapsed


def corpus_shape(sample=300):
    """What the corpus holds: pages, items (translation keys), the share of items in several
    languages and of pages with attachments, keywords per page, pages per language, and words per
    page in the indexed text of a sample (own text; with attachments)."""
    pages = KnowledgePage.objects.all()
    count = pages.count()
    versions = list(
        pages.order_by()
        .values("translation_key")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    attached = KnowledgeAttachment.objects.values("page").distinct().count()
    ids = list(pages.order_by("pk").values_list("pk", flat=True)[:: max(1, count // sample)])
    documents = serialize_pages(
        pages_with_relations(indexable_pages().filter(pk__in=ids)), extract=False
    )
    own = [_words(d.title, d.summary, d.lessons, d.sections) for d in documents]
    whole = [n + _words(d.attachments) for n, d in zip(own, documents, strict=True)]
    return {
        "pages": count,
        "items": len(versions),
        "items_translated_share": round(sum(n > 1 for n in versions) / max(len(versions), 1), 3),
        "pages_with_attachments_share": round(attached / max(count, 1), 3),
        "tags_per_page": round(KnowledgePage.tags.through.objects.count() / max(count, 1), 2),
        "pages_per_language": dict(
            pages.values_list("locale__language_code").annotate(n=Count("pk")).order_by()
        ),
        "words_per_page": _spread(own),
        "words_per_page_with_attachments": _spread(whole),
        "vocabulary_per_language": {
            code: {"words": len(vocabulary(code).words), "real": vocabulary(code).real}
            for code in LANGUAGES
        },
    }


def _words(*texts):
    return sum(len(text.split()) for text in texts if text)


def _spread(values):
    if not values:
        return {}
    ordered = sorted(values)
    return {"min": ordered[0], "median": round(statistics.median(ordered)), "max": ordered[-1]}


# --- Running it ---------------------------------------------------------------------------------------


def run_database_benchmark(size, repeats=60, verbosity=0, stream=None):
    """The database backend's figures alone (no engine needed): generates the corpus and writes
    the full-text index only when the database lacks them, so a database built once is measured
    again in minutes. Query pools are checked on the database (no totals from the engine)."""
    generate_corpus(size, verbosity=verbosity, stream=stream)
    if TextIndexEntry.objects.count() != indexable_pages().count():
        stage("Writing the database's full-text index", verbosity)
        text_index.rebuild()
    pools = query_pools()
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(SEARCH_URL=""):
        for pool in pools.values():
            for query in pool:
                query.total = client.get(query.path("json")).json()["total"]
        cases = database_cases(pools, client)
        figures = compare(cases, repeats, warmup=WARMUP)
    return {
        "vendor": connection.vendor,
        "queries": _pool_figures(pools),
        "timings": figures,
        "failed_requests": failures(cases),
    }


def run_benchmark(
    size,
    repeats=60,
    output_dir=None,
    verbosity=0,
    stream=None,
    smoke=False,
    raw_bulk=True,
    reuse=False,
    database=True,
):
    """Run the whole benchmark; returns its figures, also written to
    ``var/bench/search-SIZE.json`` (or ``output_dir``) after each step, so a run stopped half way
    keeps the engine's figures.

    ``smoke``: CI's run that checks the benchmark works end to end in a couple of minutes: pages
    a tenth of the length (``SMOKE_SCALE``), no raw bulk comparison, no warm-up runs; its
    figures mean little and go to ``search-SIZE-smoke.json``. ``raw_bulk=False`` leaves out the
    raw bulk comparison. ``reuse`` keeps the engine's index and the database's full-text index
    when they already hold every page (no indexing figures then): timing again takes minutes.
    ``database=False`` leaves out the database backend (its full-text index of 100,000 realistic
    pages takes over an hour to write).
    """
    engine = get_engine()
    warmup = 0 if smoke else WARMUP
    output = Path(output_dir or settings.VAR_DIR / "bench")
    output /= f"search-{size}{'-smoke' if smoke else ''}.json"
    stage(f"Corpus: {size} pages", verbosity)
    generation_seconds = generate_corpus(
        size, verbosity=verbosity, stream=stream, scale=SMOKE_SCALE if smoke else 1.0
    )
    documents = indexable_pages().count()
    figures = {
        "size": size,
        "smoke": smoke,
        "engine": str(engine),
        "database_vendor": connection.vendor,
        "documents": documents,
        "corpus": corpus_shape(),
        "generation": {
            "seconds": round(generation_seconds, 1),
            "pages_per_s": round(documents / generation_seconds, 1) if generation_seconds else None,
            "note": "" if generation_seconds else "the corpus was already there",
        },
        "indexing": {},
        "repeats": repeats,
    }
    if not (reuse and _engine_holds(engine, documents)):
        stage("Indexing through the portal", verbosity)
        figures["indexing"]["portal_docs_per_s"] = round(
            documents / timed(lambda: rebuild_index(indexing_engine())), 1
        )
    if raw_bulk and not smoke:
        stage("Indexing through the raw bulk API", verbosity)
        figures["indexing"]["raw_bulk_docs_per_s"] = round(_raw_bulk_rate(indexing_engine()), 1)
    figures["index_bytes_per_document"] = index_bytes_per_document(engine, documents)
    client = Client(HTTP_HOST="127.0.0.1")
    pools = query_pools()
    check_pools(pools, client)
    figures["queries"] = _pool_figures(pools)
    cases = engine_cases(engine, pools, client)
    with progress("Timing the engine", len(cases), verbosity, stream, unit="case") as shown:
        figures["engine_timings"] = compare(cases, repeats, warmup=warmup, progress=shown)
    figures["failed_requests"] = failures(cases)
    write_figures(output, figures)
    if not database:
        return figures
    if not (reuse and TextIndexEntry.objects.count() == documents):
        stage("Writing the database's full-text index", verbosity)
        figures["indexing"]["text_index_docs_per_s"] = round(
            documents / timed(text_index.rebuild), 1
        )
    with override_settings(SEARCH_URL=""):
        cases = database_cases(pools, client)
        with progress("Timing the database", len(cases), verbosity, stream, unit="case") as shown:
            figures["database_timings"] = compare(cases, repeats, warmup=warmup, progress=shown)
    figures["failed_requests"] |= {f"database {k}": n for k, n in failures(cases).items()}
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    write_figures(output, figures)
    return figures


def _engine_holds(engine, documents):
    """Whether the index behind the alias holds ``documents`` documents."""
    return bool(engine.indices_behind(alias_name())) and engine.count(alias_name()) == documents


def index_bytes_per_document(engine, documents):
    """Bytes of the primary shards' store behind the alias per document (an index's disk size
    grows with the corpus; the 1M estimate multiplies this)."""
    stats = engine.client.indices.stats(index=alias_name(), metric="store")
    return (
        round(stats["_all"]["primaries"]["store"]["size_in_bytes"] / documents) if documents else 0
    )


def _pool_figures(pools):
    return {
        kind: [{"language": q.language, "query": q.label, "results": q.total} for q in pool]
        for kind, pool in pools.items()
    }


# --- The table on stdout ------------------------------------------------------------------------------


def table(figures):
    """A short human-readable summary of ``run_benchmark``'s figures (a list of lines)."""
    shape, lines = figures["corpus"], []
    words = shape["words_per_page"]
    lines.append(
        f"{figures['documents']} pages ({shape['items']} items, "
        f"{shape['items_translated_share']:.0%} translated, "
        f"{shape['pages_with_attachments_share']:.0%} with attachments), words/page "
        f"{words.get('min')}-{words.get('max')} (median {words.get('median')}); "
        f"{figures['engine']}, {figures['database_vendor']}"
    )
    generation, indexing = figures["generation"], figures["indexing"]
    portal, raw = indexing.get("portal_docs_per_s"), indexing.get("raw_bulk_docs_per_s")
    lines.append(
        f"generation {generation['seconds']} s ({generation['pages_per_s'] or '-'} pages/s"
        f"{', ' + generation['note'] if generation['note'] else ''}); indexing "
        f"{portal or '- (reused)'} docs/s vs raw bulk {raw or '-'} "
        f"({round(portal / raw, 2) if portal and raw else '-'}x); database index "
        f"{indexing.get('text_index_docs_per_s') or '- (reused)'} docs/s"
    )
    for title, timings in (
        ("engine", figures["engine_timings"]),
        ("database", figures.get("database_timings")),
    ):
        if timings:
            lines.extend(timing_table(title, timings))
    if figures.get("failed_requests"):
        lines.append(
            f"FAILED or degraded requests (figures not comparable): {figures['failed_requests']}"
        )
    return lines
