"""What makes the offline packs follow the content: a batch of page changes (publishing,
importing), unpublishing, moving, renaming or deleting a page, a page's or a collection's privacy
changing, and a lesson's record changing status. Each queues one refresh after the commit
(``packs.building.refresh_after_commit``)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

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
    page_slug_changed.connect(_refresh, dispatch_uid="packs_slug_changed")
    # Django sends post_delete for the concrete class deleted and each parent: Page covers all.
    post_delete.connect(_refresh, sender=Page, dispatch_uid="packs_page_deleted")
    for model in (PageViewRestriction, CollectionViewRestriction, Lesson):
        for signal in (post_save, post_delete):
            signal.connect(_refresh, sender=model, dispatch_uid=f"packs_{model.__name__}_{signal}")
    post_delete.connect(_delete_file, sender=OfflinePack, dispatch_uid="packs_file")
