"""The objectives of the Global Compact for Migration that each knowledge page serves.

The Global Compact for Safe, Orderly and Regular Migration (UN General Assembly resolution 73/195,
19 December 2018, paragraph 16) has 23 objectives, numbered 1 to 23. A page's objectives are not
chosen by its editors: they follow from its themes and keywords through the vocabulary (the
``vocabulary`` app writes these rows), and readers filter and count by them like by a theme.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The objectives' numbers (resolution 73/195, paragraph 16).
GCM_OBJECTIVES = range(1, 24)


class KnowledgePageObjective(models.Model):
    """One objective (``number``, 1-23) that ``page`` serves, as last published. Not part of the
    page's revisions: derived from the page's themes and keywords, it is written when the page is
    published and, for live pages, whenever the vocabulary changes; a page that is not live may
    keep rows of an older vocabulary, which nothing reads (every reader's query holds public
    pages only)."""

    # The unique constraint's index, led by the page, finds a page's rows.
    page = models.ForeignKey(
        "knowledge.KnowledgePage",
        related_name="objective_links",
        on_delete=models.CASCADE,
        db_index=False,
    )
    number = models.PositiveSmallIntegerField(
        _("objective"),
        validators=[MinValueValidator(GCM_OBJECTIVES[0]), MaxValueValidator(GCM_OBJECTIVES[-1])],
    )

    class Meta:
        verbose_name = _("Global Compact objective of a page")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="unique_page_objective")
        ]
        # A filter by objective reads the pages of a number.
        indexes = [models.Index(fields=["number", "page"], name="objective_pages")]

    def __str__(self):
        return f"{self.page_id}: GCM {self.number}"
