from django.core.management.base import BaseCommand

from vocabulary.setup import set_up_vocabulary


class Command(BaseCommand):
    help = "Create the vocabulary's seed concepts that are missing (idempotent)."

    def handle(self, *args, **options):
        created = set_up_vocabulary()
        self.stdout.write(self.style.SUCCESS(f"Vocabulary ready: {created} concepts created."))
