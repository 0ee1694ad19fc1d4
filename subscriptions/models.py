"""A reader's email subscription to a country, a theme, a type or a saved search."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Days an unconfirmed address may be kept before ``send_digests`` deletes it.
UNCONFIRMED_DAYS = 7
#: Hours before a confirmation email is sent again for the same subscription, so the form cannot
#: be used to flood someone's inbox.
RESEND_AFTER_HOURS = 1
#: Most confirmation emails one address gets in an hour, whatever it subscribes to.
CONFIRMATIONS_PER_ADDRESS_PER_HOUR = 3


def new_token():
    """An unguessable URL-safe token (32 random bytes): the subscription's only key in links."""
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """What a reader asked to follow, as the search page's query string, and how often.

    ``query`` holds the search form's parameters (``q``, ``type``, ``country``, ``theme``, ``tag``,
    ``language``, ``year``), validated by ``search.forms.KnowledgeQueryForm`` before it is stored. Nothing
    is sent before ``confirmed_at`` is set through the link in the confirmation email (double
    opt-in). The address is never shown on any public page.
    """

    DAILY = "daily"
    WEEKLY = "weekly"
    FREQUENCIES = [(DAILY, _("Daily")), (WEEKLY, _("Weekly"))]

    email = models.EmailField(_("email address"))
    query = models.CharField(_("followed search"), max_length=1000)
    language = models.CharField(_("language of the emails"), max_length=10)
    frequency = models.CharField(_("frequency"), max_length=10, choices=FREQUENCIES, default=WEEKLY)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "query", "language"], name="one_subscription_per_search"
            )
        ]

    def __str__(self):
        return f"{self.query or '*'} ({self.frequency})"
