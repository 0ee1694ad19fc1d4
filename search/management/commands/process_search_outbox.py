import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from search.client import engine_configured
from search.outbox import drain_due, pending_count

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send pending page changes from the search outbox to the engine, retrying with back-off "
        "while it is down. Runs until stopped; --once drains what is due and exits. Several "
        "workers may run at once on PostgreSQL (each claims its own entries); on SQLite run one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is due, then exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=0.5,
            help="seconds between polls when nothing is due (default 0.5: a publish waits for "
            "the next poll, then for the index's refresh interval)",
        )

    def handle(self, *args, once, interval, **options):
        if not engine_configured():
            self.stdout.write("SEARCH_URL is not set: search uses the database; nothing to do.")
            return
        while True:
            try:
                drain_due()
            # A database that is busy or restarting must not stop the worker: nothing restarts
            # it, and index updates would wait for a person to notice.
            except DatabaseError:
                logger.exception("The search outbox could not be read; trying again")
                close_old_connections()
            if once:
                self.stdout.write(f"{pending_count()} entries pending.")
                return
            time.sleep(interval)
