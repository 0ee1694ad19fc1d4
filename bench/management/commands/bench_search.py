import json

from django.core.management.base import BaseCommand, CommandError

from bench.search import run_benchmark, run_database_benchmark, table
from bench.timing import timing_table
from search.client import engine_configured


class Command(BaseCommand):
    help = (
        "Benchmark search (make bench-search): generate SIZE realistic pages (bench.corpus), "
        "index them through the portal and the raw bulk API, time pools of queries through the "
        "JSON endpoint and the HTML page against the raw engine, and the database backend "
        "against a hand-written full-text query. Prints a table; writes var/bench/search-SIZE.json "
        "(--json prints it too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=10_000, help="number of knowledge pages")
        parser.add_argument(
            "--repeats", type=int, default=60, help="timed samples per case (queries rotate)"
        )
        parser.add_argument("--json", action="store_true", help="print the JSON figures too")
        parser.add_argument(
            "--smoke",
            action="store_true",
            help="CI's quick check that the benchmark runs: pages a tenth of the length, no raw "
            "bulk comparison, no warm-up (make bench-smoke); its figures mean little",
        )
        parser.add_argument(
            "--no-raw-bulk",
            action="store_false",
            dest="raw_bulk",
            help="leave out indexing the corpus a second time through the raw bulk API",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep the engine's index and the database's full-text index when they already "
            "hold every page (timing again without indexing again)",
        )
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="only time the database backend (no engine needed), reusing the corpus and "
            "full-text index of an earlier run on the same DATABASE_URL",
        )

        parser.add_argument(
            "--engine-only",
            action="store_false",
            dest="database",
            help="leave out the database backend (no full-text index written, no database timings)",
        )

    def handle(
        self, *args, size, repeats, database_only, database, smoke, raw_bulk, reuse, **options
    ):
        verbosity = options["verbosity"]
        # The bar draws on the real stream: Django's wrapper would end each redraw with a newline.
        stream = getattr(self.stderr, "_out", self.stderr)
        if database_only:
            figures = run_database_benchmark(size, repeats, verbosity, stream)
            lines = timing_table("database", figures["timings"])
            if figures["failed_requests"]:
                lines.append(f"FAILED requests: {figures['failed_requests']}")
        else:
            if not engine_configured():
                raise CommandError("SEARCH_URL is not set; the benchmark needs an engine.")
            figures = run_benchmark(
                size,
                repeats,
                verbosity=verbosity,
                stream=stream,
                smoke=smoke,
                raw_bulk=raw_bulk,
                reuse=reuse,
                database=database,
            )
            lines = table(figures)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
        if verbosity >= 1:
            self.stdout.write("\n".join(lines))
