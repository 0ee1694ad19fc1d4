"""The lesson records follow publishing: at once, or once at the end of a batch of changes
(``knowledge.changes``: an import publishes thousands of pages)."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from knowledge import changes
from knowledge.models import KnowledgePage
from lessons.records import record_lessons


@receiver(page_published)
@receiver(page_unpublished)
def on_publish_or_unpublish(instance, **kwargs):
    if isinstance(instance, KnowledgePage):
        changes.now_or_at_batch_end(record_lessons, [instance.pk])


@receiver(changes.pages_changed)
def on_pages_changed(page_ids, **kwargs):
    record_lessons(page_ids)
