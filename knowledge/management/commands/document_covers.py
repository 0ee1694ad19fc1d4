from django.core.management.base import BaseCommand

from knowledge.covers import draw_missing_covers


class Command(BaseCommand):
    help = (
        "Queue a cover for every readable PDF that has none yet (documents uploaded before "
        "covers existed); the task worker draws them."
    )

    def handle(self, *args, **options):
        queued = draw_missing_covers()
        self.stdout.write(f"{queued} cover(s) queued.")
