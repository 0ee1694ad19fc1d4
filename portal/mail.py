"""Every email leaves through the background worker, never from inside a web request.

``EMAIL_BACKEND`` names ``BackgroundEmailBackend``: sending a message (a subscription's
confirmation, Wagtail's review notifications, a password reset) only stores it as a task of the
portal's task queue (django-tasks, which Wagtail already uses), in the request's own transaction.
The worker (``manage.py db_worker``) then hands it to ``EMAIL_DELIVERY_BACKEND``, the real one
(SMTP in production, the console in development), within ``EMAIL_TIMEOUT`` seconds; a refused or
timed-out delivery is tried again later, so a mail server that is down or hanging delays email but
never slows, breaks or loses a page.

Why our own code: django-tasks carries JSON arguments only and has no email backend, and the mail
queues on PyPI (django-mailer and the like) would add a second worker beside the one the portal
already runs.
"""

import base64
import datetime
import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

#: Delivery attempts of one message: after the n-th failure the next waits 2**(n-1) minutes, at
#: most an hour (1, 2, 4 ... 32, then 60 minutes), so a mail server may be away for a day (24
#: attempts span about 26 hours) before the message is given up and logged as an error.
MAX_ATTEMPTS = 24
MAX_DELAY_MINUTES = 60


def message_data(message):
    """A JSON-serialisable dict of an ``EmailMessage`` (alternatives and attachments kept; an
    attachment given as a MIME part is kept by its file name, content and type)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            attachment = (
                attachment.get_filename(),
                attachment.get_payload(decode=True) or b"",
                attachment.get_content_type(),
            )
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_data(data):
    """The ``EmailMultiAlternatives`` that ``message_data`` described."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


#: Below Wagtail's own tasks (priority 0): when a mail server hangs, each delivery waits
#: EMAIL_TIMEOUT, and index updates queued meanwhile must not wait behind every message.
EMAIL_PRIORITY = -10


@task(priority=EMAIL_PRIORITY)
def deliver_email(data, attempt=1):
    """Send one stored message through ``EMAIL_DELIVERY_BACKEND``; on failure enqueue the next
    attempt (up to ``MAX_ATTEMPTS``), then log the message as undeliverable."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    try:
        connection.send_messages([message_from_data(data)])
    # Whatever the mail server or library raises (refused, timed out, a rejected address), the
    # message is kept for a later attempt rather than lost.
    except Exception as error:  # noqa: BLE001
        if attempt >= MAX_ATTEMPTS or not deliver_email.get_backend().supports_defer:
            logger.error("Could not email %s (attempt %d): %s", data["to"], attempt, error)
            raise
        delay = datetime.timedelta(minutes=min(2 ** (attempt - 1), MAX_DELAY_MINUTES))
        logger.warning("Emailing %s failed (%s); trying again in %s", data["to"], error, delay)
        deliver_email.using(run_after=timezone.now() + delay).enqueue(data, attempt + 1)


class BackgroundEmailBackend(BaseEmailBackend):
    """An email backend that enqueues each message for the worker instead of sending it."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if message.recipients():
                deliver_email.enqueue(message_data(message))
                count += 1
        return count
