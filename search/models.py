"""The search outbox: pages whose index documents must be brought up to date.

Entries are written by signal handlers while the page change is being saved (inside its transaction
when there is one) and removed only once the engine has accepted the update, so an engine outage
delays index updates but never loses them.
"""

from django.db import models
from django.utils import timezone


class SearchOutboxEntry(models.Model):
    """One page to re-index (or remove from the index); ``page_id`` may name a deleted page."""

    page_id = models.PositiveBigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "search outbox entry"
        verbose_name_plural = "search outbox entries"
        ordering = ["pk"]

    def __str__(self):
        return f"page {self.page_id} (attempt {self.attempts})"


class SearchIndexLock(models.Model):
    """The one rebuild of the index running now, if any (``search.locks``).

    A row exists while a rebuild holds the lock; ``index`` names the version it is filling, so
    index updates reach it too, and ``heartbeat_at`` moves on with every batch. A row whose
    heartbeat stopped (the rebuild was killed) can be taken over after ``STALE_AFTER``.
    """

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=200)
    index = models.CharField(max_length=255, blank=True)
    acquired_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    class Meta:
        verbose_name = "search index lock"

    def __str__(self):
        return f"{self.name} held by {self.holder} since {self.acquired_at:%Y-%m-%d %H:%M:%S}"
