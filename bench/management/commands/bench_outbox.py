from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.outbox import measure_drain, measure_freshness
from bench.timing import write_figures
from search.client import engine_configured


class Command(BaseCommand):
    help = (
        "Benchmark the search outbox on an existing, indexed corpus: time the worker draining "
        "CHANGES page changes against the raw bulk helper sending the same documents, then the "
        "freshness of PUBLISHES publishes (publish to searchable) with the worker running as a "
        "separate process. Prints JSON and writes var/bench/outbox-CHANGES.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--changes", type=int, nargs="+", default=[1000, 5000])
        parser.add_argument("--rounds", type=int, default=3, help="timed rounds per side")
        parser.add_argument("--publishes", type=int, default=50, help="0: no freshness run")

    def handle(self, *args, changes, rounds, publishes, **options):
        if not engine_configured():
            raise CommandError("SEARCH_URL is not set; the benchmark needs an engine.")
        try:
            figures = {"drain": [measure_drain(n, rounds) for n in changes]}
        except ValueError as error:
            raise CommandError(str(error)) from error
        if publishes:
            figures["freshness"] = measure_freshness(publishes)
        path = settings.VAR_DIR / "bench" / f"outbox-{max(changes)}.json"
        self.stdout.write(write_figures(path, figures))
