import json

from django.core.management.base import BaseCommand

from bench.listings import run_listing_benchmark
from bench.timing import timing_table


class Command(BaseCommand):
    help = (
        "Benchmark listing, country, theme and home pages (rendered as HTML through the test "
        "client) against hand-written SQL returning the same page, on the knowledge pages the "
        "database holds. Prints a table of medians, p95s and ratios (--json: every figure)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=None, help="a label for the corpus's size (not generated)"
        )
        parser.add_argument("--repeats", type=int, default=10, help="timed runs per page kind")
        parser.add_argument(
            "--kind", action="append", default=[], help="time only this page kind (may repeat)"
        )
        parser.add_argument(
            "--no-check",
            action="store_true",
            help="skip checking that the hand-written SQL returns what the page shows",
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print every figure as JSON"
        )

    def handle(self, *args, size, repeats, kind, no_check, as_json, **options):
        figures = run_listing_benchmark(repeats, kinds=kind or None, check=not no_check)
        figures = {"size": size, **figures}
        if as_json:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self.stdout.write(_table(figures))


def _table(figures):
    """The figures as lines a reader compares at a glance: the corpus, then the timings."""
    head = " ".join(f"{k}={v}" for k, v in figures.items() if not isinstance(v, dict))
    return "\n".join([head, *timing_table("listings", figures)])
