"""A lesson, recommendation or key message of a knowledge item, as a record of its own.

Its identity is the item's translation key with the StreamField block's id: Wagtail keeps a
block's id through edits, reordering and revisions, and a translation copied from the item
(``copy_for_translation``) keeps its blocks' ids, so every language version of a lesson is the
same record, with the same id and URL. Its text stays in the item's pages, where editors write it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
