from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.timing import timing_table, write_figures
from bench.vectors import run
from search.client import engine_configured


class Command(BaseCommand):
    help = (
        "What searching by meaning costs the engine: k-NN (knn_vector) against the exact script "
        "over binary doc values on the same synthetic passages, with k-NN's recall of the exact "
        "first ten. Prints a table and writes var/bench/vectors-PAGES.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=2_500, help="synthetic pages")
        parser.add_argument("--passages", type=int, default=40, help="passages per page")
        parser.add_argument("--queries", type=int, default=20, help="query vectors in the pool")
        parser.add_argument("--repeats", type=int, default=60, help="timed samples per side")

    def handle(self, *args, pages, passages, queries, repeats, **options):
        if not engine_configured():
            raise CommandError("SEARCH_URL is not set; the benchmark needs an engine.")
        try:
            figures = run(pages, passages, queries, repeats)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        write_figures(settings.VAR_DIR / "bench" / f"vectors-{pages}.json", figures)
        self.stdout.write(
            f"{figures['passages']} passages of {pages} pages; indexed in "
            f"{figures['indexing_seconds']['knn']} s (k-NN), "
            f"{figures['indexing_seconds']['script']} s (script); "
            f"k-NN recall of the exact first ten: {figures['recall_at_10']}"
        )
        table = timing_table("k-NN (portal) against the exact script (raw)", figures["timing"])
        self.stdout.write("\n".join(table))
