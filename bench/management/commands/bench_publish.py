import json

from django.core.management.base import BaseCommand

from bench.publishing import run_publishing_benchmark


class Command(BaseCommand):
    help = (
        "Benchmark publishing and importing on the database given (DATABASE_URL): COUNT new and "
        "COUNT edited pages published one by one (ms and SQL queries per publish) and an import "
        "of IMPORT generated items. Adds pages: run it on a copy of a corpus. Prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=100, help="publishes of each kind (0: none)"
        )
        parser.add_argument(
            "--import", dest="import_count", type=int, default=0, help="items to import (0: none)"
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, import_count, seed, verbosity, **options):
        figures = run_publishing_benchmark(count, import_count, seed=seed, verbosity=verbosity)
        self.stdout.write(json.dumps(figures, indent=2))
