"""What makes the offline packs follow the content: a batch of page changes (publishing,
importing), unpublishing, moving or deleting a page, and a lesson's record changing status."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_unpublished, post_page_move

from knowledge import changes
from lessons.models import Lesson
from packs.building import refresh_after_commit


def _refresh(sender, **kwargs):
    refresh_after_commit()


def _delete_file(sender, instance, **kwargs):
    instance.file.delete(save=False)


def connect():
    """Connect the receivers (called from ``PacksConfig.ready``)."""
    from packs.models import OfflinePack

    changes.pages_changed.connect(_refresh, dispatch_uid="packs_pages_changed")
    page_unpublished.connect(_refresh, dispatch_uid="packs_unpublished")
    post_page_move.connect(_refresh, dispatch_uid="packs_moved")
    post_save.connect(_refresh, sender=Lesson, dispatch_uid="packs_lesson_saved")
    post_delete.connect(_delete_file, sender=OfflinePack, dispatch_uid="packs_file")
