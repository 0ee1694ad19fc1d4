"""Knowledge pages in Wagtail's own database search index, by title, for the admin's search boxes.

The admin's page search, page chooser and explorer search match page titles (Wagtail's
``autocomplete``), drafts and private pages included, and so does the database fallback of the
public title suggestions (``search.autocomplete``, which keeps the visible pages). Readers' search
has its own index of the whole text (``search.text_index``). So knowledge pages are in Wagtail's
index by title only (their ``search_fields``), written here from the search app's handlers
(``search.signal_handlers``) rather than by Wagtail's own (``search_auto_update = False``).

Why not serve the admin from the text index: it holds what readers may see (live, public pages),
and editors look for their drafts. Why not Wagtail's handlers: they re-indexed a page on each of a
publish's saves, and each time Wagtail's backend re-read the whole index table (fixed in
``search.fulltext``), so publishing slowed down as the site grew.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from knowledge.models import KNOWLEDGE_TYPES, KnowledgePage
from portal.batching import batched

#: Pages written together.
BATCH_SIZE = 500


def update_pages(pages):
    """Write the entries of ``pages``: knowledge page instances, or ids (pages that no longer
    exist are skipped)."""
    pages = list(pages)
    if pages and not isinstance(pages[0], KnowledgePage):
        ids = sorted({int(pk) for pk in pages})
        pages = []
        for batch in batched(ids, BATCH_SIZE):
            # Deferred: the specific fields are not needed for a title, only the specific class.
            pages.extend(KnowledgePage.objects.filter(pk__in=batch).specific(defer=True))
    backend = get_search_backend()
    for model in {type(page) for page in pages}:
        group = [page for page in pages if type(page) is model]
        for batch in batched(group, BATCH_SIZE):
            backend.add_bulk(model, batch)


def delete_pages(page_ids):
    """Remove the entries of ``page_ids`` (pages being deleted)."""
    object_ids = [str(pk) for pk in page_ids]
    if object_ids:
        content_types = ContentType.objects.get_for_models(*KNOWLEDGE_TYPES.values()).values()
        IndexEntry.objects.filter(
            content_type__in=[content_type.pk for content_type in content_types],
            object_id__in=object_ids,
        ).delete()
