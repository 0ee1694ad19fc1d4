"""A lesson, recommendation or key message of a knowledge item, as a record of its own.

Its identity is the item's translation key with the StreamField block's id: Wagtail keeps a
block's id through edits, reordering and revisions, and a translation copied from the item
(``copy_for_translation``) keeps its blocks' ids, so every language version of a lesson is the
same record, with the same id and URL. Its text stays in the item's pages, where editors write it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.filters import validate_printable
from knowledge.models.knowledge_pages import MAX_YEAR, MIN_YEAR


class Kind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    RECOMMENDATION = "recommendation", _("Recommendation")
    KEY_MESSAGE = "key_message", _("Key message")


class Status(models.TextChoices):
    """Where a lesson stands, from observed to learned (``lessons.lifecycle``)."""

    OBSERVATION = "observation", _("Observation")
    IDENTIFIED = "identified", _("Lesson identified")
    VALIDATED = "validated", _("Validated")
    ACTION_PLANNED = "action_planned", _("Action planned")
    IMPLEMENTED = "implemented", _("Implemented")
    LEARNED = "learned", _("Lesson learned")
    NOT_ACCEPTED = "not_accepted", _("Closed: not accepted")


class Lesson(models.Model):
    """One statement of an item, followed from the day it was first published."""

    item_key = models.UUIDField(_("item"), help_text=_("Translation key of the item."))
    block_id = models.UUIDField(_("entry"), help_text=_("Id of the entry in the item's stream."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    #: Whom a policy note's recommendation addresses (``knowledge.blocks.AUDIENCES``), else "":
    #: copied from the entry when its item is published, for the register's facet.
    audience = models.CharField(_("audience"), max_length=40, blank=True)
    # Moved only through ``lessons.lifecycle.move``, which checks and logs each move.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    first_published_at = models.DateTimeField(_("first published"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("When the entry left every live version of its item (it may come back)."),
    )

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["item_key", "block_id"], name="one_record_per_entry")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


#: An action in one of these is still to be done: it can become due and overdue.
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
#: An open action is "due" from this many days before its due date; after it, "overdue".
DUE_SOON_DAYS = 14


class ActionQuerySet(models.QuerySet):
    """The follow-up states of actions, as the reminders, the dashboard and the report count
    them. ``today`` is a date (the reader's ``timezone.localdate()``)."""

    def open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def due(self, today):
        """Open actions due within ``DUE_SOON_DAYS`` from ``today`` (today included)."""
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        return self.open().filter(due_date__gte=today, due_date__lte=soon)

    def overdue(self, today):
        """Open actions whose due date is past."""
        return self.open().filter(due_date__lt=today)


class Action(models.Model):
    """Something to be done about a lesson or recommendation, with the owner answerable for it, a
    due date, a status and the evidence that it was done (after the key actions of UNDP's
    management responses: a responsible unit, a due date, a status, comments and documents).

    The owner is a team, an organisation or a named role, not necessarily a portal user; their
    reminders go to ``owner_email`` in ``owner_language`` (``lessons.reminders``). An action is
    internal unless an editor makes it public: only public actions reach readers.
    """

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField(
        _("action"), help_text=_("What is to be done, by whom."), validators=[validate_printable]
    )
    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("A team, an organisation or a named role answerable for the action."),
        validators=[validate_printable],
    )
    owner_email = models.EmailField(
        _("owner's email"), blank=True, help_text=_("Where reminders go, when it is due.")
    )
    owner_language = models.CharField(
        _("owner's language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    country = models.ForeignKey(
        "knowledge.Country",
        verbose_name=_("applied in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The country where the action changes practice, if one."),
    )
    done_on = models.DateField(
        _("done on"), null=True, blank=True, help_text=_("When it was done (today if left empty).")
    )
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("evidence document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_page = models.ForeignKey(
        "knowledge.KnowledgePage",
        verbose_name=_("evidence page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A later item that shows the change, e.g. a practice brief."),
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Show this action to readers with its lesson (page, API, feeds). Leave it internal "
            "while it names people or plans that are not to be published."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The due date each reminder was sent for: a reminder goes once per due date, and again
    # when the date is moved (``lessons.reminders``).
    due_reminder_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminder_for = models.DateField(null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self):
        return self.status in OPEN_ACTION_STATUSES

    def clean(self):
        """Set ``done_on`` from the status (today for an action done without a date, none for
        one not done); refuse a date done in the future or a due date outside
        ``MIN_YEAR``–``MAX_YEAR``. Raises ``ValidationError``."""
        today = timezone.localdate()
        if self.status == ActionStatus.DONE and self.done_on is None:
            self.done_on = today
        if self.status != ActionStatus.DONE:
            self.done_on = None
        errors = {}
        if self.done_on and self.done_on > today:
            errors["done_on"] = _("An action cannot be done later than today.")
        if self.due_date and not MIN_YEAR <= self.due_date.year <= MAX_YEAR:
            errors["due_date"] = _("Give a due date between %(min)s and %(max)s.") % {
                "min": MIN_YEAR,
                "max": MAX_YEAR,
            }
        if errors:
            raise ValidationError(errors)
