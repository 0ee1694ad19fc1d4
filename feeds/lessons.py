"""Feeds of the lesson register: lessons newly validated, and lessons newly applied (a public
action done), as RSS 2.0 and Atom 1.0 under ``/<lang>/feeds/lessons/``.

Each entry links to the lesson's page; its text is the lesson's statement in the feed's language
when its item has that version, else in the first language it was published in. Only public
lessons and public actions appear (``lessons.selectors``).
"""

import datetime
import uuid

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from feeds.feeds import KnowledgeAtomGenerator, KnowledgeRssGenerator
from feeds.selectors import FEED_LIMIT
from knowledge.visibility import reader_language
from lessons.selectors import recently_applied, recently_validated, shown_lessons


def _lesson_guid(lesson, event, language):
    """``urn:uuid:`` of the lesson's ``event`` ("validated", "applied-<action id>") in
    ``language``: stable through edits of the statement and moves of its item."""
    return uuid.uuid5(lesson.item_key, f"{lesson.block_id}/{event}/{language}").urn


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class LessonFeed(Feed):
    """Base of the lesson feeds: entries are ``(ShownLesson, when, guid, text)``."""

    limit = FEED_LIMIT

    def get_object(self, request):
        return reader_language()

    def link(self, language):
        return reverse("lesson_register")

    def author_name(self, language):
        return _("COMPASS Knowledge Portal")

    def item_title(self, entry):
        return entry[0].statement

    def item_link(self, entry):
        return reverse("lesson", args=[entry[0].record.pk])

    def item_guid(self, entry):
        return entry[2]

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry[1]

    def item_description(self, entry):
        # A feed's description is HTML; its text is plain (an action's description as typed).
        return escape(entry[3])

    def item_extra_kwargs(self, entry):
        return {"language": entry[0].page.locale.language_code}


class ValidatedLessonsFeed(LessonFeed):
    """The lessons most recently validated, newest validation first."""

    def title(self, language):
        return _("Newly validated lessons – COMPASS Knowledge Portal")

    def description(self, language):
        return _("Lessons and recommendations the programme's reviewers validated most recently.")

    def items(self, language):
        validated = recently_validated(self.limit)
        when = {lesson.pk: at for lesson, at in validated}
        shown = shown_lessons([lesson for lesson, _at in validated], language)
        return [
            (
                lesson,
                when[lesson.record.pk],
                _lesson_guid(lesson.record, "validated", language),
                _("From: %(item)s") % {"item": lesson.page.title},
            )
            for lesson in shown
        ]


class AppliedLessonsFeed(LessonFeed):
    """The lessons most recently applied: one entry per public action done, newest first."""

    def title(self, language):
        return _("Newly applied lessons – COMPASS Knowledge Portal")

    def description(self, language):
        return _(
            "Lessons acted on: the actions done most recently, with where they changed practice."
        )

    def items(self, language):
        actions = list(recently_applied(self.limit))
        shown = {x.record.pk: x for x in shown_lessons({a.lesson for a in actions}, language)}
        return [
            (
                shown[action.lesson_id],
                _midnight(action.done_on),
                _lesson_guid(action.lesson, f"applied-{action.pk}", language),
                action.description,
            )
            for action in actions
            if action.lesson_id in shown
        ]


class ValidatedLessonsRss(ValidatedLessonsFeed):
    feed_type = KnowledgeRssGenerator


class ValidatedLessonsAtom(ValidatedLessonsFeed):
    feed_type = KnowledgeAtomGenerator


class AppliedLessonsRss(AppliedLessonsFeed):
    feed_type = KnowledgeRssGenerator


class AppliedLessonsAtom(AppliedLessonsFeed):
    feed_type = KnowledgeAtomGenerator
