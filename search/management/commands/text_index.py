from django.core.management.base import BaseCommand

from search import text_index
from search.models import TextIndexEntry


class Command(BaseCommand):
    help = (
        "The database's full-text index (the search of the embedded default and of the engine's "
        "fallback): rebuild (write every live, public page again, reading attachment text not "
        "read yet) or status (entries)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args, action, verbosity, **options):
        if action == "rebuild":
            count = text_index.rebuild(verbosity)
            self.stdout.write(self.style.SUCCESS(f"Text index rebuilt: {count} pages."))
        else:
            self.stdout.write(f"Text index: {TextIndexEntry.objects.count()} pages.")
