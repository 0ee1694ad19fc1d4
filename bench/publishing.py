"""Publishing and import benchmark: what one publish costs, and whether it grows with the site.

``run_publishing_benchmark(count)`` works on the database it is given (run it on a copy of a
corpus: it adds pages and revisions) and measures, with the background tasks a publish queues run
at once (so the work a worker would do later, such as Wagtail's index updates, is counted):

- ``publish_new``: ``count`` new knowledge pages created under their section and published, as an
  editor's *Publish* of a new page does (``add_child``, ``save_revision().publish()``);
- ``publish_edit``: ``count`` live pages edited and published again;
- ``import``: an import file of ``import_count`` generated items run through ``import_knowledge``.

Each publish runs in its own transaction (committed, as a request's is). Figures: milliseconds per
publish (``bench.timing.summary``), SQL queries per publish (min, median, max) and how many
statements scanned Wagtail's whole search index (``AVG(LENGTH(`` over its title column); the
import's items per second and the 10,000- and 100,000-item times this rate gives, its CPU time and
SQL statements per item (``count`` 0: the import alone); the load average before and after.
Comparing two corpus sizes (10,000 and 100,000 pages) shows whether the cost is constant.
"""

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from knowledge.models import KNOWLEDGE_TYPES, Country, CountrySectionPage, KnowledgePage, Theme
from knowledge.vocabulary import PARTNER_COUNTRIES, THEMES

from .timing import load_during, summary

#: Background tasks (Wagtail's index updates, text extraction) run inside the publish, so their
#: cost is measured rather than left to a worker.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
#: A statement reading every row of Wagtail's search index (django-modelsearch's title norms).
WHOLE_INDEX_SCAN = "AVG(LENGTH("
LANGUAGES = ("en", "en", "en", "fr", "fr", "ar", "es")
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
    "partners",
    "training",
    "cash",
    "transfers",
    "housing",
    "employment",
    "vocational",
    "savings",
    "mediation",
    "counselling",
    "legal",
    "documentation",
    "outreach",
    "volunteers",
    "villages",
    "districts",
    "transit",
    "detention",
    "resettlement",
    "return",
]


def run_publishing_benchmark(count, import_count, seed=1, verbosity=1):
    """Figures of ``count`` new and ``count`` edited publishes and an import of ``import_count``
    items (0: none), as a dict ready for JSON (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    figures = {"database": connection.vendor, "knowledge_pages": KnowledgePage.objects.count()}
    with load_during() as figures["load"], override_settings(TASKS=IMMEDIATE_TASKS):
        context = _Context.load()
        edited = _pages_to_edit(count, rng)
        if count:
            figures["publish_new"] = _measure(lambda: _publish_new(context, rng), count)
            figures["publish_edit"] = _measure_each(edited, lambda page: _publish_edit(page, rng))
        if import_count:
            figures["import"] = measure_import(import_count, rng, verbosity)
    return figures


def measure_import(count, rng, verbosity=0):
    """Import ``count`` generated items with ``manage.py import_knowledge``: items per second, the
    estimates for 10,000 and 100,000 items at that rate, the process's CPU time per item (what
    the import costs whatever else the machine runs) and SQL statements per item."""
    tag = f"bench-{int(time.time())}"
    statements = 0

    def counting(execute, *args):
        nonlocal statements
        statements += 1
        return execute(*args)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "items.jsonl"
        with path.open("w") as output:
            for n in range(count):
                output.write(json.dumps(import_item(f"{tag}-{n}", rng)) + "\n")
        with connection.execute_wrapper(counting):
            started, cpu_started = time.perf_counter(), time.process_time()
            call_command("import_knowledge", str(path), verbosity=verbosity)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
    rate = count / seconds
    return {
        "items": count,
        "seconds": round(seconds, 1),
        "items_per_second": round(rate, 1),
        "estimated_minutes_for_10000": round(10_000 / rate / 60, 1),
        "estimated_minutes_for_100000": round(100_000 / rate / 60, 1),
        "cpu_ms_per_item": round(1000 * cpu_seconds / count, 1),
        "statements_per_item": round(statements / count, 1),
    }


def _measure(publish, count):
    return _measure_each(range(count), lambda _n: publish())


def _measure_each(items, publish):
    """Time and count the SQL of ``publish(item)`` for each item, one transaction each."""
    seconds, queries, scans = [], [], 0
    for item in items:
        connection.queries_log.clear()  # a full log (9,000 queries) would count nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            with transaction.atomic():
                publish(item)
            seconds.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        scans += sum(WHOLE_INDEX_SCAN in query["sql"] for query in captured.captured_queries)
    return {
        "publishes": len(seconds),
        "ms": summary(seconds),
        "publishes_per_second": round(len(seconds) / sum(seconds), 1),
        "queries": {
            "min": min(queries),
            "median": statistics.median(queries),
            "max": max(queries),
        },
        "whole_index_scans": scans,
    }


class _Context:
    """Sections, countries, themes and locales by language, read once."""

    @classmethod
    def load(cls):
        context = cls()
        context.sections = {
            (s.locale.language_code, s.country.code if s.country else None): s
            for s in CountrySectionPage.objects.select_related("locale", "country")
        }
        context.countries = {
            (c.locale.language_code, c.code): c for c in Country.objects.select_related("locale")
        }
        context.themes = {
            (t.locale.language_code, t.slug): t for t in Theme.objects.select_related("locale")
        }
        context.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        return context


def _text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraphs(rng, count, words):
    return "\n\n".join(_text(rng, words) for _ in range(count))


def import_item(external_id, rng):
    """One import line (docs/import-format.md) of a random type, with realistic text lengths."""
    knowledge_type = rng.choice(list(KNOWLEDGE_TYPES))
    codes = sorted(set(rng.sample(PARTNER_COUNTRIES, rng.choice((1, 1, 1, 2)))))
    item = {
        "external_id": external_id,
        "type": knowledge_type,
        "language": rng.choice(LANGUAGES),
        "title": _text(rng, rng.randint(6, 12))[:-1],
        "summary": _text(rng, rng.randint(30, 60))[:1200],
        "publication_date": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}",
        "countries": codes,
        "themes": rng.sample(list(THEMES), rng.choice((1, 2, 3))),
        "tags": rng.sample(WORDS, 2),
        "organisation": "COMPASS",
        "body": _paragraphs(rng, rng.randint(2, 6), 80),
    }
    statements = [
        {"statement": _text(rng, 10), "explanation": _paragraphs(rng, 1, 50)} for _ in range(4)
    ]
    if knowledge_type == "lessons_report":
        item.update(
            context=_paragraphs(rng, 2, 70), what_worked=_paragraphs(rng, 2, 70), lessons=statements
        )
    elif knowledge_type == "practice_brief":
        item.update(community=_text(rng, 4), practice=_paragraphs(rng, 3, 70))
    else:
        item.update(key_messages=[_text(rng, 20) for _ in range(4)])
    return item


def _publish_new(context, rng):
    """Create a page under its section and publish it, as an editor's first *Publish* does."""
    item = import_item("", rng)
    language, codes = item["language"], item["countries"]
    model = KNOWLEDGE_TYPES[item["type"]]
    page = model(
        title=item["title"],
        locale=context.locales[language],
        summary=item["summary"],
        publication_date=item["publication_date"],
        organisation=item["organisation"],
        body=[{"type": "paragraph", "value": f"<p>{item['body']}</p>"}],
        live=False,
        **_type_fields(model, rng),
    )
    page.countries = [context.countries[(language, code)] for code in codes]
    page.themes = [context.themes[(language, slug)] for slug in item["themes"]]
    section = context.sections[(language, codes[0] if len(codes) == 1 else None)]
    section.add_child(instance=page)
    page.save_revision().publish()


def _type_fields(model, rng):
    """The fields a page of ``model``'s type requires, as the admin stores them."""
    if model.knowledge_type == "lessons_report":
        statements = [
            {"statement": _text(rng, 10), "explanation": f"<p>{_text(rng, 50)}</p>"}
            for _ in range(4)
        ]
        return {
            "context": f"<p>{_paragraphs(rng, 2, 70)}</p>",
            "lessons": [{"type": "lesson", "value": statement} for statement in statements],
        }
    if model.knowledge_type == "practice_brief":
        return {"community": _text(rng, 4), "practice": f"<p>{_paragraphs(rng, 3, 70)}</p>"}
    return {"key_messages": [{"type": "message", "value": _text(rng, 20)} for _ in range(4)]}


def _pages_to_edit(count, rng):
    ids = list(KnowledgePage.objects.live().values_list("pk", flat=True))
    return rng.sample(ids, min(count, len(ids)))


def _publish_edit(page_id, rng):
    """Change a live page's summary and publish it again, as an editor's edit does."""
    page = KnowledgePage.objects.get(pk=page_id).specific
    page.summary = _text(rng, rng.randint(30, 60))[:1200]
    page.save_revision().publish()
