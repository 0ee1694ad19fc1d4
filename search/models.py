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
