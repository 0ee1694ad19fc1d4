"""One index rebuild at a time: a lock row in the database (``SearchIndexLock``).

Two rebuilds at once used to delete each other's new index, leaving the alias on nothing or on an
index the engine had made up from a stray write; both printed "Rebuilt". ``rebuild_lock()`` lets
one in and refuses the other with ``RebuildInProgress``. The holder beats a heartbeat at every
batch (``beat``); a lock whose heartbeat is older than ``STALE_AFTER`` belonged to a rebuild that
was killed, and the next rebuild takes it over. A rebuild that finds its lock taken over stops
(``LockLost``) before it touches the alias.

A database row rather than an engine document: the database is the one store every portal
process shares for sure, and unique constraints and conditional updates behave the same on
SQLite and PostgreSQL.
"""

import contextlib
import datetime
import os
import socket
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from search.models import SearchIndexLock

REBUILD = "rebuild"
#: A heartbeat older than this means the rebuild holding the lock is gone.
STALE_AFTER = datetime.timedelta(minutes=10)


class RebuildInProgress(Exception):
    """Another rebuild holds the lock; the message says who and since when."""


class LockLost(Exception):
    """This rebuild's lock was taken over (its heartbeat had stopped for ``STALE_AFTER``)."""


@contextlib.contextmanager
def rebuild_lock():
    """Hold the rebuild lock for the ``with`` block; yields the ``SearchIndexLock`` row.

    Raises ``RebuildInProgress`` when another live rebuild holds it.
    """
    lock = _acquire()
    try:
        yield lock
    finally:
        SearchIndexLock.objects.filter(pk=lock.pk, holder=lock.holder).delete()


def beat(lock, index=None):
    """Record that ``lock``'s rebuild is alive (and, with ``index``, which version it fills).

    Raises ``LockLost`` when another rebuild has taken the lock over.
    """
    fields = {"heartbeat_at": timezone.now()}
    if index is not None:
        fields["index"] = index
    if not SearchIndexLock.objects.filter(pk=lock.pk, holder=lock.holder).update(**fields):
        raise LockLost(f"the rebuild lock was taken over from {lock.holder}")


def index_being_built():
    """Name of the index version a live rebuild is filling, or ''."""
    lock = SearchIndexLock.objects.filter(name=REBUILD).first()
    if lock is None or timezone.now() - lock.heartbeat_at >= STALE_AFTER:
        return ""
    return lock.index


def _acquire():
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    try:
        with transaction.atomic():
            return SearchIndexLock.objects.create(
                name=REBUILD, holder=holder, acquired_at=now, heartbeat_at=now
            )
    except IntegrityError:
        pass
    current = SearchIndexLock.objects.filter(name=REBUILD).first()
    if current is not None and now - current.heartbeat_at < STALE_AFTER:
        raise RebuildInProgress(
            f"another rebuild is running ({current.holder}, started "
            f"{current.acquired_at:%Y-%m-%d %H:%M:%S} UTC); try again when it has finished"
        )
    if current is None:
        return _acquire()
    # Take the stale lock over only if nobody else did in the meantime (a conditional update).
    taken = SearchIndexLock.objects.filter(
        pk=current.pk, holder=current.holder, heartbeat_at=current.heartbeat_at
    ).update(holder=holder, index="", acquired_at=now, heartbeat_at=now)
    if not taken:
        raise RebuildInProgress("another rebuild took over a stale lock just now")
    return SearchIndexLock.objects.get(pk=current.pk)
