import json

from django.core.management.base import BaseCommand, CommandError

from bench.search import run_benchmark, run_database_benchmark
from search.client import engine_configured


class Command(BaseCommand):
    help = (
        "Benchmark search against the raw engine (make bench-search): generate SIZE pages, index "
        "them through the portal and the raw bulk API, time a query mix both ways. Prints JSON and "
        "writes var/bench/search-SIZE.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=10_000, help="number of knowledge pages")
        parser.add_argument("--repeats", type=int, default=50, help="timed runs per query kind")
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="only time the database backend's query mix (no engine needed), reusing the "
            "corpus and full-text index of an earlier run on the same DATABASE_URL",
        )

    def handle(self, *args, size, repeats, database_only, **options):
        if database_only:
            figures = run_database_benchmark(size, repeats)
            self.stdout.write(json.dumps(figures, indent=2))
            return
        if not engine_configured():
            raise CommandError("SEARCH_URL is not set; the benchmark needs an engine.")
        figures = run_benchmark(size, repeats=repeats)
        self.stdout.write(json.dumps(figures, indent=2))
