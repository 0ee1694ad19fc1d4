from django.core.management.base import BaseCommand
from django.utils import timezone

from packs.building import refresh_all_packs, refresh_offline_packs


class Command(BaseCommand):
    help = (
        "Bring every offline pack up to date (built again only where its contents changed) and "
        "print what was done; with --queue, leave it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="queue it for the task worker")

    def handle(self, *args, queue=False, **options):
        if queue:
            refresh_offline_packs.enqueue(timezone.now().isoformat())
            self.stdout.write("Offline packs: queued for the task worker.")
            return
        outcomes = refresh_all_packs()
        self.stdout.write(
            "Offline packs: {built} built, {unchanged} unchanged, {removed} removed, "
            "{failed} failed.".format(**outcomes)
        )
