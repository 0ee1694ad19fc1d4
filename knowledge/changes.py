"""Batches of page changes: whatever follows the pages (the search indexes) catches up once per
batch instead of once per save.

Publishing a page saves it twice and then sends ``page_published``; an import publishes thousands
of pages. Inside ``batch()``, handlers that would bring something up to date for a page call
``record(page_ids)`` instead; when the outermost batch ends without an error, ``pages_changed`` is
sent once with every page recorded, still inside the batch's transaction, so the work is done in
bulk and committed with the changes (or not at all). Outside a batch ``record`` returns False and
the handlers do their work at once.

The content model depends on nothing above it, so the signal is declared here and the search app
listens to it (``search.signal_handlers``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

#: Sent when the outermost ``batch()`` ends, with ``page_ids``: the set of pages recorded in it.
pages_changed = Signal()

_recorded = ContextVar("knowledge_changes_recorded", default=None)


@contextmanager
def batch():
    """One transaction whose page changes are followed up once, at its end (``pages_changed``).

    A batch opened inside another joins it. An error inside rolls the transaction back and
    sends nothing.
    """
    if _recorded.get() is not None:
        yield
        return
    recorded = set()
    token = _recorded.set(recorded)
    with transaction.atomic():
        try:
            yield
        finally:
            _recorded.reset(token)
        if recorded:
            pages_changed.send(sender=None, page_ids=recorded)


def now_or_at_batch_end(work, page_ids):
    """``work(page_ids)`` now, or leave ``page_ids`` to the open batch, whose end sends
    ``pages_changed`` (the handler of which does the work in bulk)."""
    if not record(page_ids):
        work(page_ids)


def record(page_ids):
    """Add ``page_ids`` to the open batch; True when a batch is open (the caller leaves the work
    to its end), False when none is (the caller does it now)."""
    recorded = _recorded.get()
    if recorded is None:
        return False
    recorded.update(int(pk) for pk in page_ids)
    return True
