from django.core.management.base import BaseCommand, CommandError

from search.client import engine_configured
from search.engines import EngineUnavailable
from search.indexing import (
    IndexVerificationFailed,
    RebuildStopped,
    check_index,
    create_index,
    index_status,
    rebuild_index,
)
from search.locks import LockLost, RebuildInProgress


class Command(BaseCommand):
    help = (
        "Manage the search index: create (empty index behind the alias), rebuild (fill a new "
        "index version and swap the alias; --resume continues one a stopped rebuild left), "
        "status (counts), check [--repair] (drift)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rebuild", "status", "check"])
        parser.add_argument("--repair", action="store_true", help="with check: fix the drift")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="with rebuild: continue the index version a stopped rebuild left, writing only "
            "the pages missing or changed there (without it, such a version is deleted)",
        )

    def handle(self, *args, action, repair, resume, **options):
        self.verbosity, self.resume = options["verbosity"], resume
        if not engine_configured():
            raise CommandError("SEARCH_URL is not set: search uses the database; nothing to index.")
        try:
            getattr(self, f"do_{action}")(repair)
        except EngineUnavailable as error:
            raise CommandError(f"The search engine is unavailable: {error}") from error
        except (RebuildInProgress, LockLost, IndexVerificationFailed, RebuildStopped) as error:
            raise CommandError(f"Not rebuilt: {error}. The alias was left as it was.") from error

    def do_create(self, repair):
        self.stdout.write(f"Index behind the alias: {create_index()}")

    def do_rebuild(self, repair):
        rebuild_index(
            resume=self.resume, verbosity=self.verbosity, stream=self.stderr._out, say=self.say
        )

    def say(self, message):
        """A line for the operator on stdout (none under --verbosity 0)."""
        if self.verbosity >= 1:
            self.stdout.write(message)

    def do_status(self, repair):
        status = index_status()
        self.stdout.write(
            f"{status['engine']}; alias {status['alias']} -> {', '.join(status['indices']) or 'none'}\n"
            f"{status['indexed']} documents indexed, {status['indexable']} live public pages "
            f"({status['knowledge_pages']} knowledge pages in all)\n"
            f"passage vectors: {status['vectors']}"
        )

    def do_check(self, repair):
        drift = check_index(repair=repair)
        if drift.fields_added:
            self.stdout.write(f"fields added to the mapping: {', '.join(drift.fields_added)}")
        for kind in ("missing", "stale", "extra"):
            ids = getattr(drift, kind)
            self.stdout.write(f"{kind}: {len(ids)}" + (f" (page ids {ids[:20]})" if ids else ""))
        if drift.mapping:
            self.stdout.write(f"mapping: {'; '.join(drift.mapping)}")
            raise CommandError(f"The index has an older mapping; {_mapping_advice(drift, repair)}")
        if drift.is_empty():
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
        elif repair:
            self.stdout.write(self.style.SUCCESS("Repaired."))
        else:
            raise CommandError("The index differs from the database; run with --repair to fix it.")


def _mapping_advice(drift, repaired):
    """What fixes ``drift.mapping``: a repair when it only lacks new top-level fields (a repair
    adds them), else a rebuild."""
    only_new_fields = all(
        difference.endswith(": missing") and "." not in difference for difference in drift.mapping
    )
    if only_new_fields and not repaired:
        return "run 'search_index check --repair' to add its new fields."
    return "run 'search_index rebuild'."
