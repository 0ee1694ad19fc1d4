from django.core.management.base import BaseCommand

from search import passage_index
from search.models import PassageVector


class Command(BaseCommand):
    help = (
        "Passage vectors of semantic search: rebuild (embed every live, public page, reusing the "
        "vector of every passage unchanged since it was embedded) or status (pages and passages)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args, action, verbosity, **options):
        if action == "rebuild":
            pages, embedded = passage_index.rebuild(verbosity)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Passage vectors rebuilt: {pages} pages, {embedded} passages embedded."
                )
            )
        else:
            passages = PassageVector.objects.count()
            pages = PassageVector.objects.values("page_id").distinct().count()
            self.stdout.write(f"Passage vectors: {passages} passages of {pages} pages.")
