from django.core.management.base import BaseCommand

from operations.page_cache import drop_cached_pages


class Command(BaseCommand):
    help = (
        "Drop every public page the page cache keeps (after a command that rewrites rows in "
        "bulk, such as record_lessons on an upgrade)."
    )

    def handle(self, *args, **options):
        drop_cached_pages()
        self.stdout.write("Cached pages dropped.")
