import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.register_relevance import (
    REGISTER_BACKENDS,
    evaluate_register,
    format_register,
    load_lesson_queries,
    register_summary,
)
from bench.relevance import (
    BACKENDS,
    SEARCHES,
    SEMANTIC,
    embed_queries,
    evaluate,
    format_report,
    load_corpus,
    load_queries,
    report,
)
from portal.progress import stage
from search.client import engine_configured, get_engine
from search.indexing import rebuild_index


class Command(BaseCommand):
    help = (
        "Measure search quality on the judged evaluation set (make eval-search): import its "
        "corpus into a scratch database (and a scratch index when SEARCH_URL is set), run every "
        "judged query through the search service on each backend, print nDCG@10, MRR and "
        "zero-result rates per language and query kind with the worst queries, and write JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="var/eval/search.json", help="where to write the JSON report"
        )
        parser.add_argument(
            "--backends",
            default=",".join(BACKENDS),
            help=(
                "comma-separated: engine, engine-no-vocabulary, engine-words (the engine needs "
                "SEARCH_URL), database, database-no-vocabulary, database-words (-words: by the "
                "words typed alone; -no-vocabulary: words and meaning, no query expansion), "
                "semantic (meaning alone); all but the -words ones embed the corpus first"
            ),
        )

    def handle(self, *args, output, backends, verbosity, **options):
        backends = [name.strip() for name in backends.split(",") if name.strip()]
        if unknown := set(backends) - {*BACKENDS, SEMANTIC}:
            raise CommandError(f"Unknown backends: {', '.join(sorted(unknown))}")
        on_engine = any(SEARCHES.get(name, (False,))[0] for name in backends)
        if on_engine and not engine_configured():
            raise CommandError("SEARCH_URL is not set: evaluate with --backends database.")
        queries = load_queries()
        lesson_queries = load_lesson_queries()
        register_backends = [name for name in REGISTER_BACKENDS if name in backends]
        with scratch_database(), scratch_index_prefix():
            stage(f"Importing the corpus into {connection.settings_dict['NAME']}", verbosity)
            # Semantic search reads the passage vectors (``search.semantic``).
            semantic = any(SEARCHES.get(name, (False, True))[1] for name in backends)
            load_corpus(semantic=semantic)
            if on_engine:
                stage("Indexing the corpus in the engine", verbosity)
                rebuild_index()
            embedding = embed_queries(queries) if semantic else ()
            outcomes = evaluate(queries, backends, verbosity)
            data = report(outcomes, connection.vendor, embedding)
            register = evaluate_register(lesson_queries, register_backends, verbosity)
            data["register"] = {"summary": register_summary(register), "outcomes": register}
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(format_report(data))
        self.stdout.write(format_register(data["register"]["summary"], connection.vendor))
        self.stdout.write(
            f"\n{len(queries)} queries, {len(lesson_queries)} lesson queries; JSON written to {path}"
        )


class scratch_database:  # noqa: N801  (used as a context manager, like Django's own helpers)
    """A fresh database for the evaluation, made and dropped the way Django's test runner does
    (an in-memory SQLite database, or ``compass_eval`` on PostgreSQL), so the corpus never
    mixes with the configured database's content."""

    def __enter__(self):
        self.name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            None if connection.vendor == "sqlite" else "compass_eval"
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def __exit__(self, *exc_info):
        connection.creation.destroy_test_db(self.name, verbosity=0)


class scratch_index_prefix:  # noqa: N801
    """An index prefix of the evaluation's own; its indices are deleted on the way out."""

    def __enter__(self):
        self.prefix = settings.SEARCH_INDEX_PREFIX
        settings.SEARCH_INDEX_PREFIX = f"eval-{self.prefix}"

    def __exit__(self, *exc_info):
        if engine_configured():
            engine = get_engine()
            for index in engine.indices_matching(f"{settings.SEARCH_INDEX_PREFIX}-*"):
                engine.delete_index(index)
        settings.SEARCH_INDEX_PREFIX = self.prefix
