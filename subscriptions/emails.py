"""The emails a subscriber gets: the confirmation request and the digests.

Every email carries a one-click unsubscribe: a link in the text and the ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` headers of RFC 2369 and RFC 8058, so mail programs can offer it too.
Links start with ``WAGTAILADMIN_BASE_URL``, the portal's public address.
"""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.addresses import absolute

from .following import describe


def _link(name, subscription):
    return absolute(reverse(f"subscriptions:{name}", args=[subscription.token]))


def _send(subscription, subject, template, context):
    unsubscribe = _link("unsubscribe", subscription)
    body = render_to_string(template, context | {"unsubscribe_url": unsubscribe})
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def send_confirmation(subscription):
    """Ask the address's owner to confirm (double opt-in); nothing else is sent before that.

    The email names no part of the followed search: whoever filled in the form chose it, and the
    address's owner has not yet agreed to receive anyone's text (the confirmation page shows it).
    """
    with translation.override(subscription.language):
        _send(
            subscription,
            _("Confirm your subscription to the COMPASS Knowledge Portal"),
            "subscriptions/emails/confirmation.txt",
            {"confirm_url": _link("confirm", subscription), "subscription": subscription},
        )


def send_digest(subscription, items, total):
    """Tell a confirmed subscriber about ``items`` (the newest of ``total`` new items)."""
    with translation.override(subscription.language):
        query = f"{subscription.query}&sort=date" if subscription.query else "sort=date"
        search_url = f"{absolute(reverse('search'))}?{query}"
        entries = [(item, absolute(item.get_url())) for item in items]
        followed = describe(subscription.query, subscription.language)
        _send(
            subscription,
            _("New on the COMPASS Knowledge Portal: %(followed)s") % {"followed": followed},
            "subscriptions/emails/digest.txt",
            {"entries": entries, "total": total, "search_url": search_url, "followed": followed},
        )
