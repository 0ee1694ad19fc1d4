"""Search benchmark: the portal against the raw engine doing the same work.

``run_benchmark(size)`` (1) generates a synthetic corpus of ``size`` real knowledge pages with
realistic text lengths and taxonomy spread (timed separately: it is the cost of an import),
(2) indexes it through the portal's own indexing code and the same documents through the engine's
raw bulk API, and (3) runs a fixed query mix through the portal's JSON endpoint and the same
request bodies (the collapsed search, then its versions request) straight to the engine through
the client, without the portal's view, database reads or JSON; then (4) writes the database's own
full-text index and runs the same mix on the database backend against a hand-written full-text
query doing the same match. Figures: indexing documents/s (portal / raw ratio), p50/p95 latency per
query kind (portal / raw ratio, on each backend) and the peak memory of this process.
"""

import json
import random
import resource
import statistics
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from wagtail.models import Locale

from knowledge.filters import KnowledgeFilters
from knowledge.models import (
    KNOWLEDGE_TYPES,
    Country,
    CountrySectionPage,
    KnowledgePage,
    Theme,
)
from knowledge.vocabulary import PARTNER_COUNTRIES, THEMES
from search import text_index
from search.client import get_engine
from search.documents import index_body
from search.dsl import knowledge_search, translation_key_of, versions_search
from search.indexing import indexable_pages, pages_with_relations, rebuild_index
from search.models import TextIndexEntry
from search.query import KnowledgeQuery, split_query
from search.retrievers import DatabaseRetriever
from search.serialize import serialize_pages
from search.text_query import text_query

#: Word pool drawn from the programme's own vocabulary so stemming and phrases behave as in reality.
WORDS = [
    "migrants",
    "returnees",
    "reintegration",
    "community",
    "committees",
    "protection",
    "trafficking",
    "smuggling",
    "survivors",
    "shelters",
    "border",
    "referral",
    "pathways",
    "livelihoods",
    "women",
    "youth",
    "children",
    "psychosocial",
    "support",
    "health",
    "services",
    "data",
    "research",
    "awareness",
    "governance",
    "municipal",
    "authorities",
    "donors",
    "civil",
    "society",
    "partners",
    "training",
    "cash",
    "transfers",
    "housing",
    "employment",
    "vocational",
    "market",
    "gardens",
    "savings",
    "groups",
    "mediation",
    "counselling",
    "case",
    "management",
    "legal",
    "aid",
    "documentation",
    "registration",
    "outreach",
    "radio",
    "volunteers",
    "leaders",
    "elders",
    "villages",
    "districts",
    "regions",
    "transit",
    "route",
    "desert",
    "coast",
    "boats",
    "detention",
    "centres",
    "evacuation",
    "resettlement",
    "return",
    "voluntary",
    "assisted",
    "programme",
    "phase",
    "evaluation",
    "monitoring",
    "lessons",
    "recommendations",
    "evidence",
    "survey",
    "interviews",
    "findings",
]
QUERIES = {
    "one_term": {"q": "reintegration"},
    "several_terms": {"q": "community protection referral"},
    "phrase": {"q": '"referral pathways"'},
    "filtered_facets_highlight": {"q": "returnees support", "country": "ML", "theme": "protection"},
    "deep_page": {"q": "migrants", "page": "40"},
}
LANGUAGES = ("en", "en", "en", "fr", "fr", "ar", "es")
#: Pages created per transaction while generating (one commit per page is what makes SQLite slow).
GENERATION_BATCH = 500


def _text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraphs(rng, count, words):
    return "".join(f"<p>{_text(rng, words)}</p>" for _ in range(count))


def generate_corpus(size, seed=1):
    """Create knowledge pages until ``size`` exist; returns seconds spent (0 when none needed)."""
    existing = KnowledgePage.objects.count()
    if existing >= size:
        return 0.0
    rng = random.Random(seed + existing)  # noqa: S311  (reproducible test data, not secrets)
    sections = {
        (s.locale.language_code, s.country.code if s.country else None): s
        for s in CountrySectionPage.objects.select_related("locale", "country")
    }
    countries = {
        (c.locale.language_code, c.code): c for c in Country.objects.select_related("locale")
    }
    themes = {(t.locale.language_code, t.slug): t for t in Theme.objects.select_related("locale")}
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    # Zipf-like spread: a few countries and themes carry most of the knowledge.
    country_weights = [1 / (rank + 1) for rank in range(len(PARTNER_COUNTRIES))]
    theme_slugs = list(THEMES)
    theme_weights = [1 / (rank + 1) for rank in range(len(theme_slugs))]
    weights = (country_weights, theme_slugs, theme_weights)
    # The benchmark measures the engine, so Wagtail's database search index is not kept up to date
    # while the corpus is generated.
    no_database_index = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }
    started = time.perf_counter()
    # The database's own full-text index is written once at the end (run_benchmark), in batches.
    with override_settings(
        WAGTAILSEARCH_BACKENDS=no_database_index, SEARCH_TEXT_INDEX_AUTO_UPDATE=False
    ):
        for first in range(existing, size, GENERATION_BATCH):
            with transaction.atomic():
                for n in range(first, min(first + GENERATION_BATCH, size)):
                    _create_page(n, rng, sections, countries, themes, locales, weights)
    return time.perf_counter() - started


def _create_page(n, rng, sections, countries, themes, locales, weights):
    """One knowledge page with random, realistic fields under the section of its country."""
    country_weights, theme_slugs, theme_weights = weights
    language = rng.choice(LANGUAGES)
    codes = list(
        dict.fromkeys(rng.choices(PARTNER_COUNTRIES, country_weights, k=rng.choice((1, 1, 1, 2))))
    )
    slugs = list(dict.fromkeys(rng.choices(theme_slugs, theme_weights, k=rng.choice((1, 2, 2, 3)))))
    model = rng.choice(list(KNOWLEDGE_TYPES.values()))
    page = model(
        title=_text(rng, rng.randint(6, 12))[:-1],
        slug=f"bench-{n}",
        locale=locales[language],
        summary=_text(rng, rng.randint(30, 60)),
        publication_date=f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        organisation="COMPASS",
        body=[{"type": "paragraph", "value": _paragraphs(rng, rng.randint(2, 6), 80)}],
        **_type_fields(model, rng),
    )
    page.countries = [countries[(language, code)] for code in codes]
    page.themes = [themes[(language, slug)] for slug in slugs]
    section = sections[(language, codes[0] if len(codes) == 1 else None)]
    section.add_child(instance=page)


def _type_fields(model, rng):
    statements = [
        {"statement": _text(rng, 10), "explanation": _paragraphs(rng, 1, 50)} for _ in range(4)
    ]
    if model.knowledge_type == "lessons_report":
        return {
            "context": _paragraphs(rng, 2, 70),
            "what_worked": _paragraphs(rng, 2, 70),
            "lessons": [{"type": "lesson", "value": s} for s in statements],
        }
    if model.knowledge_type == "practice_brief":
        return {"community": _text(rng, 4), "practice": _paragraphs(rng, 3, 70)}
    return {"key_messages": [{"type": "message", "value": _text(rng, 20)} for _ in range(4)]}


def _raw_bulk_rate(engine, size):
    """Documents/s of the engine's raw bulk API for the portal's own documents (pre-serialized)."""
    documents = []
    ids = list(indexable_pages().values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        batch = pages_with_relations(indexable_pages().filter(pk__in=ids[start : start + 500]))
        documents.extend(doc.to_dict() | {"_id": doc.meta.id} for doc in serialize_pages(batch))
    name = f"{settings.SEARCH_INDEX_PREFIX}-raw-bulk"
    engine.delete_index(name)
    engine.create_index(name, index_body())
    started = time.perf_counter()
    for start in range(0, len(documents), 500):
        engine.bulk(
            [
                {"_op_type": "index", "_index": name, "_id": doc.pop("_id"), "_source": doc}
                for doc in map(dict, documents[start : start + 500])
            ]
        )
    engine.refresh(name)
    elapsed = time.perf_counter() - started
    engine.delete_index(name)
    return len(documents) / elapsed


def _percentiles(samples):
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
    }


def _filters(params):
    return KnowledgeFilters(
        country=tuple(params.get("country", "").split()) or (),
        theme=tuple(params.get("theme", "").split()) or (),
    )


def _raw_search(engine, alias, search, request):
    """The same requests the portal sends: the collapsed search, then its versions request."""
    response = engine.search(search, alias)
    keys = [translation_key_of(hit) for hit in response.hits]
    if keys:
        engine.search(versions_search(request, keys), alias)


def measure_queries(engine, alias, repeats):
    """``{kind: {portal, raw, ratio}}`` latencies for the fixed query mix."""
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for kind, params in QUERIES.items():
        request = KnowledgeQuery(text=params["q"], filters=_filters(params), language="en")
        page = int(params.get("page", 1))
        size = settings.KNOWLEDGE_PAGE_SIZE
        search = knowledge_search(request, facets=True, highlights=True)
        search = search[(page - 1) * size : page * size]
        portal, raw = [], []
        for round_ in range(repeats + 3):
            started = time.perf_counter()
            response = client.get("/en/search/json/", params)
            portal_time = time.perf_counter() - started
            if response.status_code != 200 or response.json()["degraded"]:
                raise RuntimeError(
                    f"{kind}: the portal did not answer from the engine: {response.content[:300]}"
                )
            started = time.perf_counter()
            _raw_search(engine, alias, search, request)
            raw_time = time.perf_counter() - started
            if round_ >= 3:  # the first rounds warm caches on both sides
                portal.append(portal_time)
                raw.append(raw_time)
        results[kind] = {"portal": _percentiles(portal), "raw": _percentiles(raw)}
        results[kind]["p95_ratio"] = round(
            results[kind]["portal"]["p95_ms"] / max(results[kind]["raw"]["p95_ms"], 0.001), 2
        )
    return results


def _raw_database_search(query, limit):
    """The hand-written full-text query doing the portal's match: the best ``limit`` page ids by
    the same ranking, with no filters, visibility or collapsing of translations."""
    sql, params = text_index.storage().matched(query, "en")
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY score LIMIT %s", [*params, limit])  # noqa: S608
        return cursor.fetchall()


def _database_read(request, start, stop):
    return DatabaseRetriever().read(request, start, stop)


def measure_database_queries(repeats):
    """``{kind: {search, raw, page, p95_ratio}}`` latencies of the database backend for the query
    mix: the search service's read of the page's results and total (``DatabaseRetriever``: the
    vocabulary lookup and the one ranked query), ``_raw_database_search`` of the same match, and
    the whole JSON page (facet counts, highlights and rendering included) for reference."""
    client = Client(HTTP_HOST="127.0.0.1")
    size = settings.KNOWLEDGE_PAGE_SIZE
    results = {}
    with override_settings(SEARCH_URL=""):
        for kind, params in QUERIES.items():
            request = KnowledgeQuery(text=params["q"], filters=_filters(params), language="en")
            start = (int(params.get("page", 1)) - 1) * size
            query = text_query(split_query(params["q"]))
            runs = {
                "search": partial(_database_read, request, start, start + size),
                "raw": partial(_raw_database_search, query, start + size),
                "page": partial(client.get, "/en/search/json/", params),
            }
            timings = {name: [] for name in runs}
            for round_ in range(repeats + 3):
                for name, run in runs.items():
                    started = time.perf_counter()
                    run()
                    if round_ >= 3:
                        timings[name].append(time.perf_counter() - started)
            results[kind] = {name: _percentiles(samples) for name, samples in timings.items()}
            results[kind]["p95_ratio"] = round(
                results[kind]["search"]["p95_ms"] / max(results[kind]["raw"]["p95_ms"], 0.001), 2
            )
    return results


def run_database_benchmark(size, repeats=50):
    """The database backend's figures alone (``measure_database_queries``), without an engine:
    generates the corpus and writes the full-text index only when the database lacks them, so a
    database built once (by ``run_benchmark`` or an earlier run) is measured again in a minute."""
    generate_corpus(size)
    if TextIndexEntry.objects.count() != indexable_pages().count():
        text_index.rebuild()
    return {"vendor": connection.vendor, "queries": measure_database_queries(repeats)}


def run_benchmark(size, repeats=50, output_dir=None):
    """Run the whole benchmark and return its figures (also written as JSON under var/bench/)."""
    from search.client import alias_name

    engine = get_engine()
    generation_seconds = generate_corpus(size)
    documents = indexable_pages().count()
    started = time.perf_counter()
    _name, indexed = rebuild_index(engine)
    portal_rate = indexed / (time.perf_counter() - started)
    raw_rate = _raw_bulk_rate(engine, documents)
    started = time.perf_counter()
    text_index.rebuild()
    text_index_rate = documents / (time.perf_counter() - started)
    figures = {
        "engine": str(engine),
        "documents": documents,
        "corpus_generation_seconds": round(generation_seconds, 1),
        "indexing": {
            "portal_docs_per_s": round(portal_rate, 1),
            "raw_bulk_docs_per_s": round(raw_rate, 1),
            "portal_to_raw_ratio": round(portal_rate / raw_rate, 3),
        },
        "queries": measure_queries(engine, alias_name(), repeats),
        "database": {
            "vendor": connection.vendor,
            "text_index_docs_per_s": round(text_index_rate, 1),
            "queries": measure_database_queries(repeats),
        },
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    output_dir = Path(output_dir or settings.VAR_DIR / "bench")
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / f"search-{size}.json").write_text(json.dumps(figures, indent=2))
    return figures
