from django.core.management.base import BaseCommand

from vocabulary.objectives import record_every_page_objectives
from vocabulary.setup import set_up_vocabulary


class Command(BaseCommand):
    help = (
        "Create the vocabulary's seed concepts that are missing, and work out every page's GCM "
        "objectives again (idempotent)."
    )

    def handle(self, *args, **options):
        created = set_up_vocabulary()
        changed = record_every_page_objectives()
        self.stdout.write(
            self.style.SUCCESS(
                f"Vocabulary ready: {created} concepts created; "
                f"GCM objectives changed on {changed} pages."
            )
        )
