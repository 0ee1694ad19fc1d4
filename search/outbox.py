"""Write to and drain the search outbox (``SearchOutboxEntry``).

``enqueue_pages`` is called from signal handlers; ``drain_outbox`` from the worker
(``manage.py process_search_outbox``). Failed batches are retried with exponential back-off.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from search.client import engine_configured
from search.engines import EngineUnavailable
from search.indexing import index_pages
from search.models import SearchOutboxEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
#: Back-off after the n-th failed attempt: 5 s, 10 s, 20 s ... at most 10 minutes.
FIRST_DELAY_SECONDS, MAX_DELAY_SECONDS = 5, 600


def enqueue_pages(page_ids):
    """Record that ``page_ids`` must be re-indexed; nothing to do when no engine is configured."""
    page_ids = {int(pk) for pk in page_ids}
    if not page_ids or not engine_configured():
        return
    SearchOutboxEntry.objects.bulk_create(SearchOutboxEntry(page_id=pk) for pk in page_ids)


def retry_delay(attempts):
    """Seconds to wait after ``attempts`` failed attempts (exponential, capped)."""
    return min(FIRST_DELAY_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)


def drain_outbox(batch_size=BATCH_SIZE, refresh=False):
    """Send due entries to the engine, one batch; returns ``(pages synced, entries failed)``.

    A page whose document the engine refuses waits for its retry with the reason in
    ``last_error``; the other pages of the batch are done."""
    entries = list(
        SearchOutboxEntry.objects.filter(next_attempt_at__lte=timezone.now()).order_by(
            "next_attempt_at", "pk"
        )[:batch_size]
    )
    if not entries:
        return 0, 0
    page_ids = {entry.page_id for entry in entries}
    try:
        update = index_pages(page_ids, refresh=refresh)
    except EngineUnavailable as error:
        _postpone(entries, error)
        return 0, len(entries)
    # Anything else (a database error, a bug) must not stop later updates: the batch waits for
    # its retry, behind entries that are due sooner.
    except Exception as error:  # noqa: BLE001
        logger.exception("Search index update failed for pages %s", sorted(page_ids))
        _postpone(entries, error)
        return 0, len(entries)
    return _settle(entries, update)


def _settle(entries, update):
    """Delete the entries of pages brought up to date; postpone those of refused pages."""
    refused = {}
    for failure in update.failures:
        refused.setdefault(failure.page_id, []).append(failure.reason)
    failed = [entry for entry in entries if entry.page_id in refused]
    for entry in failed:
        _postpone([entry], "; ".join(refused[entry.page_id]))
    done = [entry.pk for entry in entries if entry.page_id not in refused]
    SearchOutboxEntry.objects.filter(pk__in=done).delete()
    return len({entry.page_id for entry in entries} - set(refused)), len(failed)


def _postpone(entries, error):
    logger.warning("Search index update postponed for %d pages: %s", len(entries), error)
    now = timezone.now()
    with transaction.atomic():
        for entry in entries:
            entry.attempts += 1
            entry.next_attempt_at = now + timedelta(seconds=retry_delay(entry.attempts))
            entry.last_error = str(error)[:2000]
        SearchOutboxEntry.objects.bulk_update(
            entries, ["attempts", "next_attempt_at", "last_error"]
        )


def pending_count():
    return SearchOutboxEntry.objects.count()
