from django.core.management.base import BaseCommand

from knowledge.models import KnowledgePage
from lessons.records import record_lessons

#: Pages whose items are recorded together.
BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Give every lesson, recommendation and key message of the live items a record in the "
        "lesson register (idempotent; publishing does it for each page)."
    )

    def handle(self, *args, **options):
        ids = list(
            KnowledgePage.objects.filter(live=True).order_by("pk").values_list("pk", flat=True)
        )
        created = sum(
            record_lessons(ids[start : start + BATCH_SIZE])
            for start in range(0, len(ids), BATCH_SIZE)
        )
        self.stdout.write(self.style.SUCCESS(f"Lesson register ready: {created} records created."))
