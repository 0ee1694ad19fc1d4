"""``manage.py send_action_reminders``, run daily from cron: the owner and the section's
moderators of an open action hear once when it comes due and once when it is overdue, each in
their language; running it again sends nothing new, and moving the due date starts again."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from wagtail.users.models import UserProfile

from lessons.models import Action, ActionStatus, Lesson
from tests.factories import LessonsLearnedReportPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(team_member):
    report = LessonsLearnedReportPageFactory(live=False, section_country="ML")
    report.save_revision().publish()
    moderator = team_member("Mali moderators", "mariam")
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "fr"
    profile.save()
    team_member("Niger moderators", "nouhou")
    return Action.objects.create(
        lesson=Lesson.objects.get(item_key=report.translation_key),
        description="Train the committees",
        owner="Mopti regional office",
        owner_email="mopti@example.org",
        owner_language="en",
        due_date=datetime.date(2026, 3, 31),
    )


def run_on(day):
    with time_machine.travel(datetime.datetime(*day, 8, tzinfo=datetime.UTC), tick=False):
        call_command("send_action_reminders", stdout=io.StringIO())


def sent(mailoutbox):
    mails = [(mail.to[0], mail.subject) for mail in mailoutbox]
    mailoutbox.clear()
    return sorted(mails)


def test_owner_and_moderators_hear_when_due_and_when_overdue_once_each(action, mailoutbox):
    run_on((2026, 3, 1))  # over two weeks ahead: not due yet
    assert sent(mailoutbox) == []
    run_on((2026, 3, 17))
    assert sent(mailoutbox) == [
        ("mariam@example.org", "Action échue le 31 mars 2026 : Train the committees"),
        ("mopti@example.org", "Action due on March 31, 2026: Train the committees"),
    ]
    run_on((2026, 3, 18))
    run_on((2026, 3, 31))
    assert sent(mailoutbox) == []
    run_on((2026, 4, 1))
    assert [to for to, _subject in sent(mailoutbox)] == ["mariam@example.org", "mopti@example.org"]
    run_on((2026, 4, 2))
    assert sent(mailoutbox) == []


def test_the_email_names_the_action_its_lesson_and_where_to_update_it(action, mailoutbox):
    run_on((2026, 4, 1))
    by_address = {mail.to[0]: mail.body for mail in mailoutbox}
    owner, moderator = by_address["mopti@example.org"], by_address["mariam@example.org"]
    assert "was due on March 31, 2026 and is not done yet" in owner
    assert "Involve host communities early" in owner
    assert "/admin/" not in owner
    assert f"/admin/actions/edit/{action.pk}/" in moderator


def test_a_moved_due_date_is_reminded_again_and_a_done_action_never(action, mailoutbox):
    run_on((2026, 4, 1))
    sent(mailoutbox)
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2026, 4, 30))
    run_on((2026, 4, 20))
    assert len(sent(mailoutbox)) == 2
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    run_on((2026, 5, 2))
    assert sent(mailoutbox) == []


def test_a_refused_send_is_tried_again_the_next_day(action, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.lessons.test_reminders.RefusingBackend"
    run_on((2026, 4, 1))
    assert Action.objects.get(pk=action.pk).overdue_reminder_for is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_on((2026, 4, 2))
    assert len(sent(mailoutbox)) == 2


class RefusingBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused")
