from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.engine_cost import KINDS, format_table, run
from bench.timing import write_figures
from search.client import engine_configured


class Command(BaseCommand):
    help = (
        "What a search costs the engine (issue 12): today's request bodies against the old ones "
        "on the same index, per query kind: the engine's took, the index's query and fetch "
        "time and the node's CPU per search. Generates and indexes the corpus when missing. "
        "Prints a table and writes var/bench/engine-cost-SIZE.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=10_000, help="knowledge pages generated")
        parser.add_argument(
            "--translations", type=int, default=2_000, help="items given a second version"
        )
        parser.add_argument("--per-kind", type=int, default=12, help="queries in each kind's pool")
        parser.add_argument("--rounds", type=int, default=5, help="blocks per kind and side")
        parser.add_argument(
            "--warm", action="store_true", help="keep the shard request cache between blocks"
        )

        parser.add_argument(
            "--existing-index",
            action="store_true",
            help="measure the index behind SEARCH_INDEX_PREFIX's alias as it is (no corpus made)",
        )

        parser.add_argument(
            "--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}"
        )

    def handle(
        self, *args, size, translations, per_kind, rounds, warm, existing_index, kinds, **options
    ):
        if not engine_configured():
            raise CommandError("SEARCH_URL is not set; the benchmark needs an engine.")
        kinds = [kind.strip() for kind in kinds.split(",") if kind.strip()]
        if unknown := set(kinds) - set(KINDS):
            raise CommandError(f"Unknown kinds: {', '.join(sorted(unknown))}")
        figures = run(size, translations, per_kind, rounds, warm, existing_index, kinds)
        write_figures(
            settings.VAR_DIR / "bench" / f"engine-cost-{figures['documents']}.json", figures
        )
        self.stdout.write(format_table(figures))
