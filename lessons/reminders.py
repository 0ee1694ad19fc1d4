"""Reminders of actions coming due and overdue, as ``manage.py send_action_reminders`` sends them.

An open action is reminded of twice: once when it comes due (``DUE_SOON_DAYS`` before its due
date) and once when it is overdue, each time to its owner's address, in the owner's language,
and to its section's moderators, each in their admin language. Each reminder is sent once per
due date: running the command again the same day, or every day, sends nothing new, and moving
the due date starts again.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from knowledge.models import KnowledgePage
from knowledge.teams import section_moderators
from lessons.models import Action
from lessons.selectors import shown_lessons
from portal.addresses import absolute
from portal.dates import long_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """Which reminder an action gets: ``kind`` "due" or "overdue", and the action field that
    records the due date it was sent for."""

    kind: str
    sent_for: str


DUE = Reminder("due", "due_reminder_for")
OVERDUE = Reminder("overdue", "overdue_reminder_for")


def send_reminders(today=None):
    """Send every reminder owed on ``today`` (a date; the local date by default); returns
    ``{"due": n, "overdue": n}``, the actions reminded of.

    An action whose reminder could not be sent (the mail server refused) is logged and tried
    again on the next run."""
    today = today or timezone.localdate()
    actions = Action.objects.select_related("lesson")
    owed = {
        DUE: actions.due(today).exclude(due_reminder_for=F("due_date")),
        OVERDUE: actions.overdue(today).exclude(overdue_reminder_for=F("due_date")),
    }
    sent = {}
    for reminder, queryset in owed.items():
        sent[reminder.kind] = 0
        for action in queryset.order_by("pk"):
            try:
                _remind(action, reminder)
            # One action's failure must not stop the reminders of the others.
            except Exception:  # noqa: BLE001
                logger.exception(
                    "Could not send the %s reminder of action %s", reminder.kind, action.pk
                )
                continue
            setattr(action, reminder.sent_for, action.due_date)
            action.save(update_fields=[reminder.sent_for])
            sent[reminder.kind] += 1
    return sent


def _remind(action, reminder):
    item = KnowledgePage.objects.filter(translation_key=action.lesson.item_key).order_by("pk")
    item = item.first()
    recipients = [(action.owner_email, action.owner_language, False)] if action.owner_email else []
    if item is not None:
        for user in section_moderators(item).exclude(email=""):
            language = UserProfile.get_for_user(user).get_preferred_language()
            recipients.append((user.email, language or settings.LANGUAGE_CODE, True))
    sent_to = set()
    for address, language, moderator in recipients:
        if address.lower() not in sent_to:
            sent_to.add(address.lower())
            _send(action, reminder, address, language, moderator)


def _send(action, reminder, address, language, moderator):
    with translation.override(language):
        versions = KnowledgePage.objects.filter(live=True)
        shown = shown_lessons([action.lesson], language, versions)
        subject = (
            _("Action due on %(date)s: %(action)s")
            if reminder is DUE
            else _("Action overdue since %(date)s: %(action)s")
        )
        date = long_date(action.due_date, language)
        context = {
            "action": action,
            "reminder": reminder.kind,
            "lesson": shown[0] if shown else None,
            "due_date": date,
            "admin_url": absolute(reverse("lessons_action:edit", args=[action.pk]))
            if moderator
            else "",
        }
        EmailMessage(
            subject=subject % {"date": date, "action": action.description[:60]},
            body=render_to_string("lessons/emails/reminder.txt", context),
            to=[address],
        ).send()
