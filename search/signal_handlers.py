"""Keep the search index in step with the live site by writing outbox entries.

Every change that alters what a knowledge page's document holds, or whether it may be seen, enqueues
the pages concerned: publishing (also scheduled), unpublishing (also on expiry), deleting a page or a
section, moving or renaming a page or section (its URL changes), view restrictions on the page or an ancestor, renaming or deleting a country, theme
or keyword, replacing or deleting an attached document, and view restrictions on a document's
collection or a collection above it.

The portal's own indexing is the one path into every search index: the database's full-text index
(``search.text_index``) and passage vectors (``search.passage_index``, by the task worker), the engine's outbox (``search.outbox``) and Wagtail's title index of
knowledge pages for the admin (``search.title_index``). Inside a batch of changes (a publish, an
import: ``knowledge.changes``) the pages concerned are only recorded, and every index follows
once, in bulk, when the batch ends (``on_pages_changed``).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from knowledge import changes
from knowledge.models import Country, KnowledgeAttachment, KnowledgePage, KnowledgeTag, Theme
from knowledge.models.documents import saved_with_file
from search import text_index, title_index
from search.outbox import enqueue_pages as enqueue_for_engine
from search.tasks import embed_pages, extract_document_text


def enqueue_pages(page_ids):
    """Pages whose searchable state changed: the database's full-text index is brought up to date
    now, in the same transaction; the engine's through the outbox, by the worker. Inside a batch
    of changes, at its end."""
    page_ids = list(page_ids)
    if not changes.record(page_ids):
        _follow(page_ids)


def on_pages_changed(sender, page_ids, **kwargs):
    """The end of a batch of changes: every index follows the pages recorded in it, in bulk."""
    title_index.update_pages(page_ids)
    _follow(page_ids)


def _follow(page_ids):
    if settings.SEARCH_TEXT_INDEX_AUTO_UPDATE:
        text_index.update_pages(page_ids)
    if settings.SEARCH_PASSAGE_VECTORS_AUTO_UPDATE:
        embed_pages.enqueue(list(page_ids))
    enqueue_for_engine(page_ids)


def _ids(queryset):
    return queryset.values_list("pk", flat=True)


def enqueue_tree(page):
    """Every knowledge page at or under ``page``."""
    enqueue_pages(_ids(KnowledgePage.objects.descendant_of(page, inclusive=True)))


def on_publish_or_unpublish(sender, instance, **kwargs):
    if isinstance(instance, KnowledgePage):
        enqueue_pages([instance.pk])


#: What Wagtail's ``save_revision`` saves of a page (and its locking): the page's live content,
#: title included, is unchanged, so no index is.
_REVISION_BOOKKEEPING = {
    COMMENTS_RELATION_NAME,
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


def on_knowledge_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Any save of a knowledge page (an import, a script) updates the database's full-text index
    and the page's title in Wagtail's index; the engine follows publishing only. Saves of
    revision bookkeeping change nothing searched."""
    if update_fields is not None and set(update_fields) <= _REVISION_BOOKKEEPING:
        return
    if changes.record([instance.pk]):
        return
    if not raw:
        title_index.update_pages([instance])
    if settings.SEARCH_TEXT_INDEX_AUTO_UPDATE:
        text_index.update_pages([instance.pk])


def on_move(sender, instance, **kwargs):
    enqueue_tree(instance)


#: Pages being deleted (from their ``pre_delete`` to their ``post_delete``): a view restriction
#: Django deletes with its page must not index the page again on its way out (the new index
#: row would then name a deleted page, and the deletion fail on its foreign key).
_deleting = set()


def on_page_delete(sender, instance, **kwargs):
    _deleting.add(instance.pk)
    # Deleting a section deletes its knowledge pages with one signal for the section only.
    if instance.depth <= 3 or isinstance(instance, KnowledgePage):
        page_ids = list(_ids(KnowledgePage.objects.descendant_of(instance, inclusive=True)))
        title_index.delete_pages(page_ids)
        if settings.SEARCH_TEXT_INDEX_AUTO_UPDATE:
            text_index.delete_entries(page_ids)  # the pages still exist: remove, not update
        enqueue_for_engine(page_ids)


def on_page_deleted(sender, instance, **kwargs):
    _deleting.discard(instance.pk)


def on_view_restriction_change(sender, instance, **kwargs):
    if instance.page_id not in _deleting:
        enqueue_tree(instance.page)


def on_collection_restriction_change(sender, instance, **kwargs):
    """Pages showing documents of the collection or of a collection under it: whether the
    documents' text may be searched has changed."""
    collections = Collection.objects.filter(path__startswith=instance.collection.path)
    pages = KnowledgeAttachment.objects.filter(document__collection__in=collections)
    enqueue_pages(pages.values_list("page_id", flat=True))


def on_country_change(sender, instance, **kwargs):
    enqueue_pages(_ids(KnowledgePage.objects.filter(countries__code=instance.code)))


def on_theme_change(sender, instance, **kwargs):
    enqueue_pages(_ids(KnowledgePage.objects.filter(themes__slug=instance.slug)))


def on_tag_change(sender, instance, **kwargs):
    enqueue_pages(instance.tagged_pages.values_list("content_object_id", flat=True))


#: What Wagtail saves of a document as a reader opens a page (its size or hash, read from the
#: file): nothing searched changes, and a page view must not rewrite the pages' index entries.
_BOOKKEEPING = {"file_size", "file_hash"}


def on_document_change(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _BOOKKEEPING:
        return
    pages = KnowledgeAttachment.objects.filter(document=instance).values_list("page_id", flat=True)
    enqueue_pages(pages)


def on_document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new or replaced file: its text is read in the background (``extract_document_text``).
    Wagtail's own saves of a file's size or hash change nothing to read."""
    if saved_with_file(instance, raw, update_fields):
        extract_document_text.enqueue(instance.pk)


def connect():
    """Connect the handlers (called from ``SearchConfig.ready``)."""
    changes.pages_changed.connect(on_pages_changed, dispatch_uid="search_pages_changed")
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search_publish")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search_unpublish")
    post_page_move.connect(on_move, dispatch_uid="search_move")
    page_slug_changed.connect(on_move, dispatch_uid="search_slug_changed")
    pre_delete.connect(on_page_delete, sender=Page, dispatch_uid="search_page_delete")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    for model in KnowledgePage.__subclasses__():
        pre_delete.connect(
            on_page_delete, sender=model, dispatch_uid=f"search_delete_{model.__name__}"
        )
        post_delete.connect(
            on_page_deleted, sender=model, dispatch_uid=f"search_deleted_{model.__name__}"
        )
        post_save.connect(
            on_knowledge_page_save, sender=model, dispatch_uid=f"text_save_{model.__name__}"
        )

    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(
            on_view_restriction_change,
            sender=PageViewRestriction,
            dispatch_uid=f"search_pvr_{name}",
        )
        signal.connect(
            on_collection_restriction_change,
            sender=CollectionViewRestriction,
            dispatch_uid=f"search_cvr_{name}",
        )
    # Terms and documents: before deletion, while their pages are still linked to them.
    for signal, name in ((post_save, "save"), (pre_delete, "delete")):
        signal.connect(on_country_change, sender=Country, dispatch_uid=f"search_country_{name}")
        signal.connect(on_theme_change, sender=Theme, dispatch_uid=f"search_theme_{name}")
        signal.connect(on_tag_change, sender=KnowledgeTag, dispatch_uid=f"search_tag_{name}")
        signal.connect(
            on_document_change, sender=get_document_model(), dispatch_uid=f"search_doc_{name}"
        )
    post_save.connect(
        on_document_saved, sender=get_document_model(), dispatch_uid="search_doc_text"
    )
