"""Sending digests and forgetting unconfirmed addresses, as ``manage.py send_digests`` runs them."""

import datetime
import logging

from django.utils import timezone

from .emails import send_digest
from .following import new_items
from .models import UNCONFIRMED_DAYS, Subscription

logger = logging.getLogger(__name__)


def purge_unconfirmed(now):
    """Delete subscriptions left unconfirmed for ``UNCONFIRMED_DAYS``; returns how many."""
    cutoff = now - datetime.timedelta(days=UNCONFIRMED_DAYS)
    deleted, _by_model = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def send_digests(frequency, now=None):
    """Email each confirmed ``frequency`` subscriber the items first published since their last
    digest (or their confirmation); returns ``(emails sent, subscriptions checked)``.

    A subscriber with nothing new gets no email. A failed send is logged and retried next run,
    as the subscription's ``last_sent_at`` is then left as it was.
    """
    now = now or timezone.now()
    sent = checked = 0
    for subscription in Subscription.objects.filter(
        frequency=frequency, confirmed_at__isnull=False
    ).iterator():
        checked += 1
        since = subscription.last_sent_at or subscription.confirmed_at
        items, total = new_items(subscription.query, subscription.language, since)
        if items:
            try:
                send_digest(subscription, items, total)
            # One subscriber's failure (mail server down, a header the mail library refuses) must
            # not stop the digests of the others; it is logged and retried on the next run.
            except Exception:  # noqa: BLE001
                logger.exception("Could not send the digest of subscription %s", subscription.pk)
                continue
            sent += 1
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
    return sent, checked
