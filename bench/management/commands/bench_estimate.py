from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.estimate import estimate, estimate_table


class Command(BaseCommand):
    help = (
        "Estimate search costs at a larger size (default 1,000,000 documents) from two "
        "bench_search runs on the same corpus (default var/bench/search-10000.json and "
        "search-100000.json): each case's power-law exponent through the two sizes (of its p95, "
        "median or minimum), the estimate, "
        "a full rebuild's hours and what passes the search timeout first."
    )

    def add_arguments(self, parser):
        bench = settings.VAR_DIR / "bench"
        parser.add_argument("--small", default=bench / "search-10000.json")
        parser.add_argument("--large", default=bench / "search-100000.json")
        parser.add_argument("--target", type=int, default=1_000_000)
        parser.add_argument(
            "--statistic",
            choices=["p95_ms", "median_ms", "min_ms"],
            default="p95_ms",
            help="which figure of each case to fit (a p95 of few samples is noisy; the median "
            "is steadier)",
        )
        parser.add_argument(
            "--budget-ms",
            type=float,
            default=settings.SEARCH_TIMEOUT * 1000,
            help="report the costs estimated past this (default: SEARCH_TIMEOUT)",
        )

    def handle(self, *args, small, large, target, budget_ms, statistic, **options):
        """Print the estimate's table; a missing or unreadable figures file is a CommandError."""
        try:
            result = estimate(Path(small), Path(large), target, budget_ms, statistic)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot estimate from {small} and {large}: {error}") from error
        self.stdout.write("\n".join(estimate_table(result)))
