"""Write to and drain the search outbox (``SearchOutboxEntry``).

``enqueue_pages`` is called from signal handlers; ``drain_outbox`` (one batch) and ``drain_due``
(everything due) from the worker (``manage.py process_search_outbox``). Failed batches are retried
with exponential back-off; a page whose document the engine refuses waits alone.

Several workers may run at once on PostgreSQL: each claims its entries (``claim_entries``) and
never a page another worker is sending. On SQLite run one worker.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from search.client import engine_configured, get_engine
from search.engines import EngineUnavailable
from search.indexing import ids_with_their_versions, prepare_update, send_update
from search.models import SearchOutboxEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
#: Back-off after the n-th failed attempt: 5 s, 10 s, 20 s ... at most 10 minutes.
FIRST_DELAY_SECONDS, MAX_DELAY_SECONDS = 5, 600
#: How long a claim holds entries for the worker that took them: longer than a batch may take
#: through every write retry (``SEARCH_BULK_TIMEOUT`` 60 s x 6 attempts and the waits between).
CLAIM_SECONDS = 15 * 60
#: First key of the PostgreSQL advisory locks taken on the pages being claimed ("SO").
ADVISORY_NAMESPACE = 0x534F


def enqueue_pages(page_ids):
    """Record that ``page_ids`` must be re-indexed, with the other live versions of their items
    (``ids_with_their_versions``, read now: a deleted page's versions are found only before the
    deletion commits); nothing to do when no engine is configured."""
    page_ids = {int(pk) for pk in page_ids}
    if not page_ids or not engine_configured():
        return
    page_ids = ids_with_their_versions(page_ids)
    SearchOutboxEntry.objects.bulk_create(SearchOutboxEntry(page_id=pk) for pk in page_ids)


def retry_delay(attempts):
    """Seconds to wait after ``attempts`` failed attempts (exponential, capped)."""
    return min(FIRST_DELAY_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)


def claim_entries(batch_size=BATCH_SIZE):
    """Claim up to ``batch_size`` due entries for this worker (oldest first); returns them.

    Claimed entries are held for ``CLAIM_SECONDS`` (until ``settle`` or ``postpone`` lets them
    go). An entry is left out when another entry of its page is claimed: two workers sending
    one page could write its older state last. On PostgreSQL rows locked by another worker's
    claim are skipped (``FOR UPDATE SKIP LOCKED``) and pages by an advisory lock held until the
    claim commits, so concurrent claims never overlap.
    """
    now = timezone.now()
    with transaction.atomic():
        due = SearchOutboxEntry.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now), next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        entries = list(due[:batch_size])
        busy = _busy_pages({entry.page_id for entry in entries}, now)
        entries = [entry for entry in entries if entry.page_id not in busy]
        SearchOutboxEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return entries


def _busy_pages(page_ids, now):
    """Those of ``page_ids`` another claim holds (or, on PostgreSQL, is taking right now)."""
    busy = set(
        SearchOutboxEntry.objects.filter(page_id__in=page_ids, claimed_until__gt=now).values_list(
            "page_id", flat=True
        )
    )
    if connection.vendor == "postgresql" and page_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM unnest(%s::bigint[]) AS id "
                "WHERE NOT pg_try_advisory_xact_lock(%s, id::integer)",
                [sorted(page_ids), ADVISORY_NAMESPACE],
            )
            busy |= {row[0] for row in cursor.fetchall()}
    return busy


def drain_outbox(batch_size=BATCH_SIZE, refresh=False):
    """Send one batch of due entries to the engine; returns ``(pages synced, entries failed)``.

    A page whose document the engine refuses waits for its retry with the reason in
    ``last_error``; the other pages of the batch are done."""
    entries = claim_entries(batch_size)
    if not entries:
        return 0, 0
    engine, update = _prepare(entries)
    if update is None:
        return 0, len(entries)
    return _settle(entries, _bulk(engine, update, refresh))


def drain_due(batch_size=BATCH_SIZE, refresh=False):
    """Send every due entry, in batches; returns ``(pages synced, entries failed)``.

    While the engine indexes one batch the next is claimed, read and serialised (the engine
    and Python each keep a core busy); one bulk request is in flight at a time, and a batch
    is settled before the one after it is sent.
    """
    synced = failed = 0
    in_flight = None
    with ThreadPoolExecutor(max_workers=1) as sender:
        while True:
            entries = claim_entries(batch_size)
            engine, update = _prepare(entries) if entries else (None, None)
            if in_flight is not None:
                future, sent = in_flight
                done, refused = _settle(sent, future.result())
                synced, failed = synced + done, failed + refused
                in_flight = None
            if entries and update is None:
                failed += len(entries)
            elif entries:
                in_flight = (sender.submit(_bulk, engine, update, refresh), entries)
            elif in_flight is None:
                return synced, failed


def _prepare(entries):
    """``(engine, PreparedUpdate)`` for ``entries``; ``(None, None)`` after postponing them
    when the engine or the database failed."""
    page_ids = {entry.page_id for entry in entries}
    try:
        engine = get_engine()
        return engine, prepare_update(page_ids, engine)
    except EngineUnavailable as error:
        postpone(entries, error)
    # Anything else (a database error, a bug) must not stop later updates: the batch waits for
    # its retry, behind entries that are due sooner.
    except Exception as error:  # noqa: BLE001
        logger.exception("Search index update failed for pages %s", sorted(page_ids))
        postpone(entries, error)
    return None, None


def _bulk(engine, update, refresh):
    """Send ``update``; returns its ``IndexUpdate`` or the exception that stopped it (settled
    in the worker's own thread, which holds the database connection)."""
    try:
        return send_update(engine, update, refresh)
    except Exception as error:  # noqa: BLE001
        return error


def _settle(entries, result):
    """Settle ``entries`` by what ``_bulk`` returned: an ``IndexUpdate`` (``settle``) or the
    exception that stopped it (``postpone``); returns ``(pages synced, entries failed)``."""
    if isinstance(result, EngineUnavailable):
        postpone(entries, result)
        return 0, len(entries)
    if isinstance(result, Exception):
        logger.error("Search index update failed: %s", result, exc_info=result)
        postpone(entries, result)
        return 0, len(entries)
    return settle(entries, result)


def settle(entries, update):
    """Delete the entries of pages brought up to date (an ``IndexUpdate``); postpone those of
    pages the engine refused, with its reason. Returns ``(pages synced, entries failed)``."""
    refused = {}
    for failure in update.failures:
        refused.setdefault(failure.page_id, []).append(failure.reason)
    failed = [entry for entry in entries if entry.page_id in refused]
    for entry in failed:
        postpone([entry], "; ".join(refused[entry.page_id]))
    done = [entry.pk for entry in entries if entry.page_id not in refused]
    SearchOutboxEntry.objects.filter(pk__in=done).delete()
    return len({entry.page_id for entry in entries} - set(refused)), len(failed)


def postpone(entries, error):
    """Let ``entries`` go, due again after their back-off, with ``error`` as their last error."""
    logger.warning("Search index update postponed for %d pages: %s", len(entries), error)
    now = timezone.now()
    with transaction.atomic():
        for entry in entries:
            entry.attempts += 1
            entry.next_attempt_at = now + timedelta(seconds=retry_delay(entry.attempts))
            entry.last_error = str(error)[:2000]
            entry.claimed_until = None
        SearchOutboxEntry.objects.bulk_update(
            entries, ["attempts", "next_attempt_at", "last_error", "claimed_until"]
        )


def pending_count():
    return SearchOutboxEntry.objects.count()
