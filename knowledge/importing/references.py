"""Wagtail's reference index (the admin's "usage" of a document or page) for what an import writes,
brought up to date once per object at the end of its batch instead of on every save.

Wagtail updates an object's references on each of its saves (``update_reference_index_on_save``, a
task per save), and an imported item is saved three times (placed in the tree, its revision, its
publish). Wagtail's own bulk path, ``manage.py rebuild_references_index``, turns the updates off
with ``disable_reference_index_auto_update`` and calls ``ReferenceIndex.create_or_update_for_object``
once per object; the import does the same for the objects of its batch only (rebuilding the whole
index would cost the whole site on every import). The index is written in the batch's transaction,
so a batch that fails leaves none of it behind.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

_written = ContextVar("import_references_written", default=None)


@contextmanager
def deferred():
    """Save without updating Wagtail's reference index; at the end, without an error, index each
    object passed to ``written`` as it is in the database then. A block opened inside another
    joins it (Wagtail's switch cannot be nested)."""
    if _written.get() is not None:
        yield
        return
    written = defaultdict(set)
    token = _written.set(written)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _written.reset(token)
    with transaction.atomic():
        for model, pks in written.items():
            # Read again, as Wagtail's task does: what was saved, not what is in memory.
            for instance in model.objects.filter(pk__in=pks):
                ReferenceIndex.create_or_update_for_object(instance)


def written(instance):
    """Index ``instance`` (a page as its specific type, a document) at the end of the open
    ``deferred`` block. Outside one, Wagtail's signal handlers have indexed it on saving."""
    pending = _written.get()
    if pending is not None:
        pending[type(instance)].add(instance.pk)
