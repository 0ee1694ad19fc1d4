"""Several outbox workers at once: each claims its own entries, and two never send the same page at
the same time (so an older state of a page cannot overwrite a newer one in the index).

On PostgreSQL claims lock rows (``SELECT ... FOR UPDATE SKIP LOCKED``) and pages (advisory locks);
the two workers are two threads, each with its own database connection, on committed rows. On
SQLite one worker runs (README); its claims still hold entries until they are settled.
"""

import threading

import pytest
from django.db import connection, transaction

from search.models import SearchOutboxEntry
from search.outbox import claim_entries


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """``make(page_ids)``: outbox entries committed for every connection to see (PostgreSQL
    only), outside any test transaction (no ``db`` fixture); deleted afterwards. Threads run
    while the database is unblocked."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("several workers at once need PostgreSQL; on SQLite one worker runs")
        made = []

        def make(page_ids):
            made.extend(
                SearchOutboxEntry.objects.bulk_create(
                    SearchOutboxEntry(page_id=pk) for pk in page_ids
                )
            )

        yield make
        SearchOutboxEntry.objects.filter(pk__in=[entry.pk for entry in made]).delete()


def in_thread(function, *args):
    """Run ``function(*args)`` in a new thread with its own connection; returns the thread and
    a list that receives its result."""
    result = []

    def run():
        try:
            result.append(function(*args))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def claim_and_hold(batch_size, claimed, release):
    """A worker that claims entries and is still sending them until ``release`` is set."""
    with transaction.atomic():
        entries = claim_entries(batch_size)
        claimed.set()
        release.wait(timeout=10)
    return entries


def finished(thread):
    thread.join(timeout=10)
    assert not thread.is_alive(), "a worker is stuck on a lock"


def two_workers(first_batch, second_batch):
    """``(entries the first worker claims, entries a second claims while the first holds its
    claim open)``, each claimed on its own thread and connection."""
    claimed, release = threading.Event(), threading.Event()
    first, first_result = in_thread(claim_and_hold, first_batch, claimed, release)
    assert claimed.wait(timeout=10)
    second, second_result = in_thread(claim_entries, second_batch)
    finished(second)
    release.set()
    finished(first)
    return first_result[0], second_result[0]


def test_two_workers_on_postgresql_never_claim_the_same_entries(committed):
    committed(range(1_000_001, 1_000_201))
    first, second = two_workers(150, 150)
    first_pages = {entry.page_id for entry in first}
    second_pages = {entry.page_id for entry in second}
    assert len(first_pages) == 150 and len(second_pages) == 50
    assert not first_pages & second_pages


def test_a_page_being_sent_by_one_worker_is_not_sent_by_another(committed):
    """Two changes of one page, claimed by two workers, could reach the engine in the wrong
    order; the second worker leaves the page to the first."""
    busy, other = 2_000_001, 2_000_002
    committed([busy, busy, other])
    first, second = two_workers(1, 10)
    assert [entry.page_id for entry in first] == [busy]
    assert [entry.page_id for entry in second] == [other]
    third, third_result = in_thread(claim_entries, 10)
    finished(third)
    assert third_result == [[]], "the page stays with the first worker until it is done"


@pytest.mark.django_db
def test_claimed_entries_are_not_claimed_again():
    SearchOutboxEntry.objects.bulk_create(SearchOutboxEntry(page_id=pk) for pk in (1, 2, 3))
    assert [entry.page_id for entry in claim_entries(2)] == [1, 2]
    assert [entry.page_id for entry in claim_entries(10)] == [3]
    assert claim_entries(10) == []
